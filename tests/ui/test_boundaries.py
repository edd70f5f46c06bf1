"""ui/ reaches the data only through app.services and app.bootstrap (design.md §2, the brief of the UI)."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
FORBIDDEN = ("app.store", "sqlalchemy", "sqlcipher3", "keyring", "alembic")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_ui_never_touches_the_store_or_sql() -> None:
    offenders = [
        f"{p.relative_to(UI.parent)}: {name}"
        for p in sorted(UI.rglob("*.py"))
        for name in _imports(p)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert list(UI.rglob("*.py"))
    assert offenders == []
