"""Schema migrations: the scripts build exactly the tables the code uses; old databases are backed up first."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.domain.errors import StoreError
from app.store import Database, Passphrase, create_home, migrate, open_home, tables

from .conftest import PASSPHRASE, make_case, snapshot


def test_migrations_build_the_schema_the_code_uses(db: Database) -> None:
    with db.unit_of_work() as uow:
        diffs = compare_metadata(MigrationContext.configure(uow._connection()), tables.metadata)
    assert diffs == []
    assert db.schema_revision() == migrate.head_revision()


def _with_extra_revision(tmp_path: Path) -> Path:
    """A copy of the shipped migrations plus a test-only 0002 that adds a column."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "0002_test_only.py").write_text(
        textwrap.dedent(
            '''
            """Test only: a new column."""
            import sqlalchemy as sa
            from alembic import op

            revision = "0002"
            down_revision = "0001"
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
        assert db.schema_revision() == "0002"
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
                == 6
            )
        assert db.verify().ok

    (backup,) = (home / "backups").iterdir()
    assert re.fullmatch(r"pre-migrate-0001-\d{14}\.db", backup.name)
    assert backup.read_bytes()[:16] != b"SQLite format 3\x00"
    monkeypatch.undo()  # back to the shipped scripts, which end at 0001: the backup needs no migration
    with Database.open(backup, Passphrase(PASSPHRASE), backups_dir=tmp_path / "unused") as old:
        assert old.schema_revision() == "0001"
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
