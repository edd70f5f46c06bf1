"""Schema migrations: the scripts build exactly the tables the code uses; old databases are backed up first."""

from __future__ import annotations

import re
import shutil
import textwrap
import warnings
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlcipher3
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.domain.errors import StoreError
from app.store import Database, Passphrase, create_home, migrate, open_home, tables

from .conftest import PASSPHRASE, make_case, snapshot


def _declared(name: str | None, type_: str, *_: object) -> bool:
    # The FTS5 table of the case list (0003) and its shadow tables are created by the migration
    # in raw DDL and used in raw SQL; SQLAlchemy cannot declare a virtual table.
    return not (type_ == "table" and name is not None and name.startswith("case_fts"))


def test_migrations_build_the_schema_the_code_uses(db: Database) -> None:
    with db.unit_of_work() as uow, warnings.catch_warnings():
        # SQLAlchemy cannot reflect an index on an expression (0005): compared below by its DDL.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        context = MigrationContext.configure(uow._connection(), opts={"include_name": _declared})
        diffs = compare_metadata(context, tables.metadata)
    assert diffs == []
    assert db.schema_revision() == migrate.head_revision()


def test_the_expression_indexes_are_those_the_code_declares(db: Database) -> None:
    # The application's SQLite (SQLCipher's): older parsers overflow on 29 nested replace() calls.
    engine = sa.create_engine("sqlite://", module=sqlcipher3)
    tables.metadata.create_all(engine)
    with engine.connect() as conn:
        declared = _index_ddl(conn, _EXPRESSION_INDEXES)
    engine.dispose()
    with db.unit_of_work() as uow:
        migrated = _index_ddl(uow._connection(), _EXPRESSION_INDEXES)
    assert migrated == declared and set(declared) == set(_EXPRESSION_INDEXES)


_EXPRESSION_INDEXES = ("ix_cases_applicant_id",)


def _index_ddl(conn: sa.Connection, names: tuple[str, ...]) -> dict[str, str]:
    """The ``CREATE INDEX`` of each index, white space and quoting aside."""
    marks = ", ".join("?" * len(names))
    rows = conn.exec_driver_sql(f"SELECT name, sql FROM sqlite_master WHERE name IN ({marks})", names)
    return {name: re.sub(r"\s+|\"", "", sql) for name, sql in rows}


SHIPPED_HEAD = migrate.head_revision()
TRIGGERS_AT_HEAD = 8  # append-only events, notes, audit (0001); letters keep their numbers (0002)


def _with_extra_revision(tmp_path: Path) -> Path:
    """A copy of the shipped migrations plus a test-only revision after the head that adds a column."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "9999_test_only.py").write_text(
        textwrap.dedent(
            f'''
            """Test only: a new column."""
            import sqlalchemy as sa
            from alembic import op

            revision = "9999"
            down_revision = "{SHIPPED_HEAD}"
            branch_labels = None
            depends_on = None


            def upgrade() -> None:
                with op.batch_alter_table("cases") as batch:
                    batch.add_column(sa.Column("priority", sa.Integer, nullable=True))


            def downgrade() -> None:
                with op.batch_alter_table("cases") as batch:
                    batch.drop_column("priority")
            '''
        ),
        "utf-8",
    )
    return copy


def test_an_older_database_is_backed_up_then_migrated(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with create_home(home, passphrase=PASSPHRASE) as db, db.unit_of_work() as uow:
        uow.cases.add(make_case())
        uow.commit()

    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", _with_extra_revision(tmp_path))
    with open_home(home, lambda: PASSPHRASE) as db:
        assert db.schema_revision() == "9999"
        with db.unit_of_work() as uow:
            assert uow.cases.get_by_number("2026-0001") == make_case()
            columns = [r[1] for r in uow._connection().exec_driver_sql("PRAGMA table_info(cases)")]
        assert "priority" in columns
        # Append-only triggers survive the table rebuild of batch mode.
        with db.unit_of_work() as uow:
            assert (
                uow._connection()
                .exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
                .scalar_one()
                == TRIGGERS_AT_HEAD
            )
        assert db.verify().ok

    (backup,) = (home / "backups").iterdir()
    assert re.fullmatch(rf"pre-migrate-{SHIPPED_HEAD}-\d{{14}}\.db", backup.name)
    assert backup.read_bytes()[:16] != b"SQLite format 3\x00"
    monkeypatch.undo()  # back to the shipped scripts, which end at their head: the backup needs no migration
    with Database.open(backup, Passphrase(PASSPHRASE), backups_dir=tmp_path / "unused") as old:
        assert old.schema_revision() == SHIPPED_HEAD
        with old.unit_of_work() as uow:
            assert uow.cases.count() == 1

    # Opening again at head: no second backup.
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", tmp_path / "migrations")
    open_home(home, lambda: PASSPHRASE).close()
    assert len(list((home / "backups").iterdir())) == 1


def test_a_database_at_base_is_backed_up_then_built(home: Path) -> None:
    with create_home(home, passphrase=PASSPHRASE) as db, db.unit_of_work() as uow:
        migrate.downgrade(uow._connection(), "base")
        uow.commit()
    with open_home(home, lambda: PASSPHRASE) as db:
        assert db.schema_revision() == migrate.head_revision()
        assert db.device_id
    (backup,) = (home / "backups").iterdir()
    assert backup.name.startswith("pre-migrate-base-")


def test_a_newer_database_is_left_alone(home: Path) -> None:
    with create_home(home, passphrase=PASSPHRASE) as db, db.unit_of_work() as uow:
        uow._connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        uow.commit()
    before = snapshot(home)
    with pytest.raises(StoreError) as err:
        open_home(home, lambda: PASSPHRASE)
    assert err.value.kind == "newer_schema"
    assert snapshot(home) == before


def test_a_database_of_the_first_release_gains_the_letter_tables(home: Path) -> None:
    """0001 → 0002 with the shipped scripts: cases kept, backup taken, letters usable, chain intact."""
    with create_home(home, passphrase=PASSPHRASE) as db, db.unit_of_work() as uow:
        uow.cases.add(make_case())
        uow.commit()
        migrate.downgrade(uow._connection(), "0001")
        uow.commit()
    with open_home(home, lambda: PASSPHRASE) as db:
        assert db.schema_revision() == SHIPPED_HEAD
        with db.unit_of_work() as uow:
            # Down to 0001 dropped the clerk column (0004) with its value; the rest is kept.
            assert uow.cases.get_by_number("2026-0001") == make_case(clerk=None)
            assert uow.letters.take_number("某|reply|2026") == 1
            uow.commit()
        assert db.verify().ok
    (backup,) = (home / "backups").iterdir()
    assert backup.name.startswith("pre-migrate-0001-")
