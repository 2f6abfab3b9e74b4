"""Backup and restore of the database and the upload folder (`flask exchange backup|restore`)."""

# SQLite is copied with its online backup API, which includes what still sits in the WAL file
# and never reads a half-written page; a plain file copy of a database in WAL mode can miss
# committed data or be corrupt. PostgreSQL goes through pg_dump's custom format and pg_restore.

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from .extensions import db
from .timeutil import utcnow

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
UPLOADS = "uploads"


class BackupError(Exception):
    """A backup or restore cannot be done as asked."""


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for pg_dump/pg_restore, the password in the environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(program: str, arguments: list[str], env: dict[str, str]) -> None:
    """Run a PostgreSQL client program; its own messages go to stderr."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run([path, *arguments], env=env, check=False)  # noqa: S603 - fixed program
    if result.returncode != 0:
        raise BackupError(f"{program} failed with exit code {result.returncode}.")


def _revision() -> str | None:
    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup(target: Path) -> dict:
    """Write the database and the upload folder into target (new or empty); return the manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    backend = url.get_backend_name()
    if backend == "sqlite":
        raw = db.engine.raw_connection()
        try:
            destination = sqlite3.connect(target / SQLITE_FILE)
            with destination:
                raw.driver_connection.backup(destination)
            destination.close()
        finally:
            raw.close()
    elif backend == "postgresql":
        dsn, env = _libpq(url)
        _run(
            "pg_dump",
            [
                "--format=custom",
                "--no-owner",
                "--no-acl",
                "--file",
                str(target / POSTGRES_FILE),
                dsn,
            ],
            env,
        )
    else:
        raise BackupError(f"No backup for {backend} databases.")
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    if uploads.is_dir():
        shutil.copytree(uploads, target / UPLOADS)
    manifest = {
        "created_at": utcnow().isoformat(),
        "database": backend,
        "alembic_revision": _revision(),
        "upload_files": sum(1 for p in (target / UPLOADS).rglob("*") if p.is_file()),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def restore(source: Path) -> dict:
    """Load a backup into the configured, empty database and the upload folder."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup.") from None
    url = db.engine.url
    backend = url.get_backend_name()
    if manifest["database"] != backend:
        raise BackupError(f"The backup is of a {manifest['database']} database, not {backend}.")
    if inspect(db.engine).get_table_names():
        raise BackupError("The database is not empty; restore into a new, empty one.")
    if backend == "sqlite":
        backup_file = sqlite3.connect(source / SQLITE_FILE)
        raw = db.engine.raw_connection()
        try:
            backup_file.backup(raw.driver_connection)
        finally:
            raw.close()
            backup_file.close()
    else:
        dsn, env = _libpq(url)
        _run(
            "pg_restore",
            [
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                dsn,
                str(source / POSTGRES_FILE),
            ],
            env,
        )
    db.engine.dispose()  # connections opened before the restore may cache the old schema
    if (source / UPLOADS).is_dir():
        shutil.copytree(source / UPLOADS, current_app.config["UPLOAD_FOLDER"], dirs_exist_ok=True)
    return manifest
