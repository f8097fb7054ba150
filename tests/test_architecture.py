"""ARCHITECTURE.md stays true to the tree, and the layers keep their import rules."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "clausier"
DOC = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def documented_tree_paths() -> list[str]:
    """Paths listed in the "File tree" block, resolved from their indentation."""
    block = DOC.split("## File tree", 1)[1].split("```")[1]
    paths: list[str] = []
    stack: list[tuple[int, str]] = []
    for line in block.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        name = line.strip().split()[0]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = "".join(part for _, part in stack) + name
        paths.append(path)
        if name.endswith("/"):
            stack.append((indent, name))
    return paths


def test_every_path_in_the_documented_tree_exists():
    missing = [p for p in documented_tree_paths() if not (ROOT / p).exists()]
    assert missing == []


def test_every_app_directory_is_documented():
    documented = set(documented_tree_paths())
    apps = [
        d.name
        for d in PACKAGE.iterdir()
        if d.is_dir() and not d.name.startswith(("_", ".")) and d.name != "locale"
    ]
    undocumented = [a for a in apps if f"src/clausier/{a}/" not in documented]
    assert undocumented == []


@pytest.mark.parametrize("module", sorted(PACKAGE.joinpath("rules").rglob("*.py")), ids=str)
def test_rules_never_import_django_or_an_app(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    forbidden = [
        name
        for name in imported
        if name.split(".")[0] == "django"
        or (name.startswith("clausier.") and not re.match(r"clausier\.rules(\.|$)", name))
    ]
    assert forbidden == []


SCREENS = sorted(PACKAGE.glob("*/ui/*.py"))


@pytest.mark.parametrize("module", SCREENS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_screens_neither_query_nor_write_models(module):
    """A screen reads through selectors and writes through services: no ``.objects``, no
    ``.save(``, no transaction of its own."""
    code = module.read_text(encoding="utf-8")
    found = re.findall(r"\.objects\b|\.save\(|transaction\.atomic|\batomic\(", code)
    assert found == []


def test_every_app_with_screens_has_its_urls():
    missing = [p.parent.parent.name for p in SCREENS if not (p.parent.parent / "urls.py").exists()]
    assert missing == []
