"""The architecture rules, as pure functions over one module's path, source or syntax tree.

Each rule takes what it needs of one module (its path relative to ``src/clausier/``, its parsed
tree or its imports) and returns the :class:`Violation` it finds, so that
``tests/test_architecture.py`` runs it over the real tree and over small bad examples alike.
The stage order itself is data (:class:`Layout`), written once in the test module.

The app-level import graph and its cycles come from ``scripts/import-graph`` (loaded from its
path): one reading of the imports for the script and the test.
"""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "clausier"
IMPORT_GRAPH_SCRIPT = ROOT / "scripts" / "import-graph"

# What a domain keeps to itself: its screens, its router, its URLs and its reactions are mounted
# by the shells and by reactions.py, never imported by another domain.
DOMAIN_PRIVATE_LAYERS = frozenset({"ui", "api", "urls", "handlers"})
# The modules of a domain that may use the kit (``web``): its screens, its API and its
# presenters (the view-models its screens, PDF and e-mails share).
SCREEN_LAYERS = frozenset({"ui", "api", "urls", "schemas", "api_schemas", "presenters"})
MAX_MODULE_LINES = 800


@dataclass(frozen=True, order=True)
class Violation:
    """``path`` (under ``src/clausier/``), ``line``, and ``what`` was found there (an imported
    name, ``.objects``, ``Invoice.status``...). Allow-lists name ``(path, what)``: lines move."""

    path: str
    line: int
    what: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.path, self.what)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


@dataclass(frozen=True)
class Import:
    """One imported name: ``import module`` (``name`` is None) or ``from module import name``,
    relative imports resolved."""

    line: int
    module: str
    name: str | None = None

    @property
    def target(self) -> str:
        return f"{self.module}.{self.name}" if self.name else self.module


# --- modules -------------------------------------------------------------------------------


def module_name(path: str) -> str:
    """``quotes/ui/backoffice.py`` -> ``clausier.quotes.ui.backoffice``."""
    parts = ["clausier", *Path(path).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str | None:
    """``clausier.quotes.ui.backoffice`` -> ``quotes``; ``clausier.urls`` -> ``urls``."""
    parts = module.split(".")
    return parts[1] if parts[0] == "clausier" and len(parts) > 1 else None


def layer_of(module: str) -> str | None:
    """``clausier.quotes.services.issue`` -> ``services``; ``clausier.quotes`` -> None. A
    domain's URLs split by topic (``collections/urls_standing.py``) are its ``urls``."""
    parts = module.split(".")
    layer = parts[2] if parts[0] == "clausier" and len(parts) > 2 else None
    return "urls" if layer and layer.startswith("urls_") else layer


def is_screen(path: str) -> bool:
    """A domain's screens and API: ``<domain>/ui/...``, ``api.py``, ``urls.py``, ``schemas.py``,
    and a topic's own ``urls_<topic>.py`` and ``<topic>_api.py``."""
    layer = layer_of(module_name(path)) or ""
    return layer in SCREEN_LAYERS or layer.startswith("urls_") or layer.endswith("_api")


def imports(tree: ast.AST, path: str) -> list[Import]:
    """Every import of the module at ``path``, the ones inside functions too."""
    here = module_name(path).split(".")
    package = here if path.endswith("__init__.py") else here[:-1]
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found += [Import(node.lineno, module, alias.name) for alias in node.names]
    return sorted(found, key=lambda i: (i.line, i.target))


# --- the stage order ----------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """The stage order: ``stages`` lists sets of apps, earliest first; an app imports only
    from earlier stages (never from its own stage's other apps). ``foundation`` and
    ``infrastructure`` are stages of no domain; ``kit`` (``web``) is imported by domains'
    screens only, whatever their stage; ``shells`` may import anything and nothing imports
    them."""

    stages: tuple[frozenset[str], ...]
    foundation: frozenset[str]
    infrastructure: frozenset[str]
    kit: str
    shells: frozenset[str]

    @classmethod
    def of(cls, stages, *, foundation, infrastructure, kit, shells) -> Layout:
        return cls(
            tuple(frozenset(s) for s in stages),
            frozenset(foundation),
            frozenset(infrastructure),
            kit,
            frozenset(shells),
        )

    def stage_of(self, app: str | None) -> int | None:
        for index, stage in enumerate(self.stages):
            if app in stage:
                return index
        return None

    @property
    def domains(self) -> frozenset[str]:
        every = frozenset().union(*self.stages)
        return every - self.foundation - self.infrastructure - {self.kit}

    def unplaced(self, apps: Iterable[str]) -> list[str]:
        """Apps neither in a stage nor a shell: they must be placed before they are checked."""
        return sorted(a for a in apps if self.stage_of(a) is None and a not in self.shells)


def stage_order(path: str, found: list[Import], layout: Layout) -> list[Violation]:
    """Rule a: an app imports earlier stages only; a domain imports ``web`` from its screens
    only, and never another domain's screens, router, URLs or handlers."""
    importer = app_of(module_name(path))
    if importer is None or importer in layout.shells:
        return []
    own_stage = layout.stage_of(importer)
    if own_stage is None:
        return []  # reported by Layout.unplaced
    violations = []
    for imp in found:
        target = app_of(imp.target)
        if target is None or target == importer:
            continue
        if target in layout.shells:
            violations.append(Violation(path, imp.line, f"{imp.target} (a shell)"))
            continue
        stage = layout.stage_of(target)
        if stage is None:
            continue
        if target == layout.kit and importer in layout.domains:
            if not is_screen(path):
                violations.append(Violation(path, imp.line, f"{imp.target} (web outside ui/)"))
        elif stage > own_stage:
            violations.append(Violation(path, imp.line, f"{imp.target} (a later stage)"))
        elif stage == own_stage:
            violations.append(Violation(path, imp.line, f"{imp.target} (the same stage)"))
        elif target in layout.domains and layer_of(imp.target) in DOMAIN_PRIVATE_LAYERS:
            violations.append(Violation(path, imp.line, f"{imp.target} (another domain's own)"))
    return violations


def cross_domain_services(path: str, found: list[Import], layout: Layout) -> list[Violation]:
    """Rule b: no module of a domain (or of ``web``) imports another domain's ``services``."""
    importer = app_of(module_name(path))
    if importer not in layout.domains and importer != layout.kit:
        return []
    return [
        Violation(path, imp.line, imp.target)
        for imp in found
        if app_of(imp.target) in layout.domains
        and app_of(imp.target) != importer
        and layer_of(imp.target) == "services"
    ]


# --- screens ------------------------------------------------------------------------------


def _is_atomic(node: ast.AST) -> bool:
    """``transaction.atomic`` (any ``.atomic``) or ``from django.db.transaction import atomic``."""
    if isinstance(node, ast.Attribute):
        return node.attr == "atomic"
    return isinstance(node, ast.ImportFrom) and any(a.name == "atomic" for a in node.names)


def screen_writes(path: str, tree: ast.AST) -> list[Violation]:
    """Rule c: a screen touches no ``.objects``, calls no ``.save(``, opens no
    ``transaction.atomic`` (however imported)."""
    violations = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            violations.append(Violation(path, node.lineno, ".objects"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "save"
        ):
            violations.append(Violation(path, node.lineno, ".save("))
        elif _is_atomic(node):
            violations.append(Violation(path, node.lineno, "transaction.atomic"))
    return sorted(violations)


# --- private names ------------------------------------------------------------------------


def private_imports(path: str, found: list[Import]) -> list[Violation]:
    """Rule d: ``_name`` (a function, a class, a module) is imported only by its own module."""
    here = module_name(path)
    violations = []
    for imp in found:
        parts = imp.target.split(".")
        if parts[0] != "clausier":
            continue
        for index, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                owner = ".".join(parts[:index])
                if owner != here:
                    violations.append(Violation(path, imp.line, imp.target))
                break
    return violations


# --- state tables -------------------------------------------------------------------------


def is_status_field(name: str) -> bool:
    return name == "status" or name.endswith("_status")


def status_fields(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, "Model.field")`` of each field named ``status`` or ``*_status`` of a class."""
    found = []
    for cls in ast.walk(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                targets = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.value, ast.Call):
                targets = [stmt.target.id] if isinstance(stmt.target, ast.Name) else []
            else:
                continue
            found += [(stmt.lineno, f"{cls.name}.{t}") for t in targets if is_status_field(t)]
    return found


def status_without_transitions(
    path: str, tree: ast.AST, *, has_transitions: bool
) -> list[Violation]:
    """Rule e: a model with a status field lives in a domain that has ``transitions.py`` (or a
    ``transitions/`` package)."""
    if has_transitions:
        return []
    return [Violation(path, line, field) for line, field in status_fields(tree)]


# --- size ---------------------------------------------------------------------------------


def module_too_long(path: str, source: str, limit: int = MAX_MODULE_LINES) -> list[Violation]:
    """Rule f: a module has at most ``limit`` lines (split it by topic past that)."""
    lines = len(source.splitlines())
    return [Violation(path, lines, f"{lines} lines")] if lines > limit else []


# --- cycles -------------------------------------------------------------------------------


@cache
def import_graph() -> ModuleType:
    """``scripts/import-graph``, loaded as a module."""
    loader = importlib.machinery.SourceFileLoader("clausier_import_graph", str(IMPORT_GRAPH_SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def app_cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Rule g: the app-level cycles of ``graph`` (``{app: apps it imports}``)."""
    find: Callable[[dict[str, set[str]]], list[list[str]]] = import_graph().cycles
    return [frozenset(component) for component in find(graph)]


# --- the real tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    path: str  # under src/clausier/
    source: str
    tree: ast.Module

    @property
    def imports(self) -> list[Import]:
        return imports(self.tree, self.path)


@cache
def source_modules() -> tuple[Module, ...]:
    """Every module of ``src/clausier/`` but migrations (Django writes them)."""
    modules = []
    for file in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in file.parts:
            continue
        source = file.read_text(encoding="utf-8")
        path = file.relative_to(PACKAGE).as_posix()
        modules.append(Module(path, source, ast.parse(source, filename=str(file))))
    return tuple(modules)


def apps() -> list[str]:
    """The package's apps and top-level modules (``urls``, ``settings``...)."""
    names = {app_of(module_name(m.path)) for m in source_modules()}
    return sorted(n for n in names if n)


def has_transitions(app: str) -> bool:
    return (PACKAGE / app / "transitions.py").exists() or (PACKAGE / app / "transitions").is_dir()


# --- service signatures -------------------------------------------------------------------


def is_services_module(path: str) -> bool:
    """``<app>/services.py`` or a module of a ``<app>/services/`` package."""
    parts = Path(path).parts
    return (len(parts) == 2 and parts[1] == "services.py") or (
        len(parts) == 3 and parts[1] == "services"
    )


def _is_actor(annotation: ast.expr | None) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.strip() == "Actor"
    return isinstance(annotation, ast.Name) and annotation.id == "Actor"


def service_signatures(path: str, tree: ast.Module) -> list[Violation]:
    """Rule h: every public function of a services module takes keyword arguments only, and
    its actor, when it has one, is ``by: Actor``."""
    violations = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if node.name.startswith("_"):
            continue
        args = node.args
        positional = [a.arg for a in [*args.posonlyargs, *args.args]]
        if args.vararg is not None:
            positional.append(f"*{args.vararg.arg}")
        if positional:
            violations.append(
                Violation(path, node.lineno, f"{node.name}({', '.join(positional)}) positional")
            )
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if arg.arg == "by" and not _is_actor(arg.annotation):
                violations.append(Violation(path, node.lineno, f"{node.name}(by) not Actor"))
    return violations
