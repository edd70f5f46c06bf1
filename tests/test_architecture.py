"""The architecture stays visible: app/ never imports Qt or ui, domain and law stay pure, and only
the store touches the database libraries (style.md, Boundaries)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

STDLIB = set(sys.stdlib_module_names)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py")) if package else sorted(APP.rglob("*.py"))


def _top(name: str) -> str:
    return name.split(".")[0]


def test_app_never_imports_qt_or_ui() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in _modules("")
        for name in _imports(p)
        if _top(name) in {"PySide6", "shiboken6", "ui", "PyQt5", "PyQt6"}
    ]
    assert offenders == []


@pytest.mark.parametrize("package", ["domain", "law"])
def test_pure_packages_import_only_stdlib_and_domain(package: str) -> None:
    offenders = []
    for p in _modules(package):
        for name in _imports(p):
            if _top(name) in STDLIB or name == "__future__":
                continue
            if name == "app.domain" or name.startswith("app.domain."):
                continue
            if package == "law" and (name == "app.law" or name.startswith("app.law.")):
                continue
            offenders.append(f"{p.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_only_the_store_imports_database_libraries() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in _modules("")
        if "store" not in p.relative_to(APP).parts[:1] and "server" not in p.relative_to(APP).parts[:1]
        for name in _imports(p)
        if _top(name) in {"sqlalchemy", "sqlcipher3", "keyring", "alembic"}
    ]
    assert offenders == []


def test_the_server_imports_only_domain_and_sync_of_the_app() -> None:
    # design.md §2: the shared server runs without the client's store (SQLCipher, keyring) or any UI;
    # app.cliparse is the stdlib-only command-line frame both programs share.
    offenders = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in _modules("server")
        for name in _imports(p)
        if _top(name) in {"app", "ui"}
        and not any(
            name == m or name.startswith(m + ".")
            for m in ("app.domain", "app.sync", "app.server", "app.cliparse")
        )
    ]
    assert _modules("server")
    assert offenders == []


def test_only_letters_import_renderers() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in _modules("")
        if p.relative_to(APP).parts[:1] != ("letters",)
        for name in _imports(p)
        if _top(name) in {"reportlab", "docx"}
    ]
    assert offenders == []


def test_the_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6 import QtWidgets\nimport ui.main\n", "utf-8")
    assert {"PySide6", "ui.main"} <= _imports(bad)
