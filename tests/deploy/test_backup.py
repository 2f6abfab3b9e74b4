"""`flask exchange backup` and `restore`: the same data comes back in a fresh database."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import select

from exchange import create_app
from exchange.accounts.models import User
from exchange.extensions import db
from exchange.municipalities.models import Municipality
from exchange.postings.models import Posting
from tests.conftest import make_municipality, make_posting, make_user


def app_on(url: str, uploads: Path):
    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(uploads)})


def fill(app, uploads: Path) -> None:
    """A Kommune, a resident, a posting and an uploaded file."""
    with app.app_context():
        db.create_all()
        kommune = make_municipality()
        make_posting(make_user(kommune), title="Rasen mähen im Juni")
        db.session.commit()
        db.session.remove()  # the pool keeps the connection open, as a running app does
    (uploads / "2026").mkdir(parents=True)
    (uploads / "2026" / "plan.pdf").write_bytes(b"%PDF-1.4 Ortsplan")


def contents(app, uploads: Path) -> tuple:
    with app.app_context():
        found = (
            db.session.scalar(select(Municipality.slug)),
            db.session.scalar(select(User.email)),
            db.session.scalar(select(Posting.title)),
        )
        db.session.remove()
        db.engine.dispose()
    return found, (uploads / "2026" / "plan.pdf").read_bytes()


def backup_and_restore(tmp_path: Path, source_url: str, target_url: str, check=None) -> None:
    first_uploads, second_uploads = tmp_path / "uploads-a", tmp_path / "uploads-b"
    first = app_on(source_url, first_uploads)
    fill(first, first_uploads)
    if check:
        check()
    made = first.test_cli_runner().invoke(args=["exchange", "backup", str(tmp_path / "backup")])
    assert made.exit_code == 0, made.output

    second = app_on(target_url, second_uploads)
    restored = second.test_cli_runner().invoke(
        args=["exchange", "restore", str(tmp_path / "backup")]
    )
    assert restored.exit_code == 0, restored.output
    expected = (("delbrueck", "erna@example.org", "Rasen mähen im Juni"), b"%PDF-1.4 Ortsplan")
    assert contents(second, second_uploads) == expected

    # Restoring over data is refused: it would mix two states.
    again = second.test_cli_runner().invoke(args=["exchange", "restore", str(tmp_path / "backup")])
    assert again.exit_code != 0 and "not empty" in again.output


def test_sqlite_backup_restores_into_a_fresh_file(tmp_path):
    import shutil
    import sqlite3

    def plain_copy_loses_data():
        # Why the backup API: the committed rows still sit in the WAL file, so a copy of the
        # database file alone has none of them.
        shutil.copy(tmp_path / "a.sqlite3", tmp_path / "copy.sqlite3")
        copy = sqlite3.connect(tmp_path / "copy.sqlite3")
        tables = copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        copy.close()
        assert ("posting",) not in tables

    backup_and_restore(
        tmp_path,
        f"sqlite:///{tmp_path / 'a.sqlite3'}",
        f"sqlite:///{tmp_path / 'b.sqlite3'}",
        check=plain_copy_loses_data,
    )


@pytest.fixture
def two_postgres_databases():
    psycopg = pytest.importorskip("psycopg")
    names = [f"deploy_backup_{secrets.token_hex(4)}" for _ in range(2)]
    try:
        admin = psycopg.connect(
            "postgresql://postgres@127.0.0.1/postgres", autocommit=True, connect_timeout=3
        )
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable: {error}")
    with admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield [f"postgresql+psycopg://postgres@127.0.0.1/{name}" for name in names]
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_backup_restores_into_a_new_database(tmp_path, two_postgres_databases):
    import shutil

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    backup_and_restore(tmp_path, *two_postgres_databases)
