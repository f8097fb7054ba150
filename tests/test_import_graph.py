"""ARCHITECTURE.md shows the import graph between apps as the code has it."""

from __future__ import annotations

from pathlib import Path

from tests.architecture_rules import import_graph

DOC = (Path(__file__).resolve().parent.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")


def documented_graph() -> str:
    section = DOC.split("## The import graph between apps", 1)[1]
    start = section.index("```")
    end = section.index("```", start + 3) + 3
    return section[start:end]


def test_the_documented_import_graph_is_the_codes():
    script = import_graph()
    assert documented_graph() == script.markdown(script.app_graph()), (
        "run scripts/import-graph --markdown and paste its block into ARCHITECTURE.md"
    )


def test_the_graph_has_no_cycle_the_document_could_hide():
    script = import_graph()
    assert script.cycles(script.app_graph()) == []
