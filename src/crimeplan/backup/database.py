"""Dumping and restoring the relational database, SQLite or PostgreSQL, while the server runs.

SQLite goes through sqlite3's online backup API both ways, which copies a consistent snapshot
page by page under SQLite's own locks (a plain file copy of a WAL database can be torn).
PostgreSQL goes through ``pg_dump``/``pg_restore`` (custom format, one snapshot) and psql (the
restore replaces the whole ``public`` schema in one transaction). ``database`` is a Django
``DATABASES`` entry.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

# Tables Django fills by itself on migrate: rows there do not make a database "in use".
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "django_site"}


class DatabaseBackupError(RuntimeError):
    """A dump or restore that failed; the message names the tool and its first error line."""


def engine(database: dict[str, Any]) -> str:
    name = database["ENGINE"].rsplit(".", 1)[-1]
    if name in {"postgresql", "postgis"}:
        return "postgresql"
    if name == "sqlite3":
        return "sqlite"
    raise DatabaseBackupError(f"cannot back up a {database['ENGINE']} database")


def _sqlite(database: dict[str, Any]) -> sqlite3.Connection:
    name = str(database["NAME"])
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=20)


def _pg_connect(database: dict[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,
    )


def _pg_command(tool: str, database: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = [tool, "--no-owner", "--no-privileges"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            args += [flag, str(database[key])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise DatabaseBackupError(f"{args[0]} is not installed ({exc})") from None
    if done.returncode:
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise DatabaseBackupError(f"{args[0]} failed (exit {done.returncode}): {first}")


def table_rows(database: dict[str, Any]) -> dict[str, int]:
    """Rows in every table of the database (an empty dict when it has no tables)."""
    if engine(database) == "sqlite":
        if not str(database["NAME"]).startswith("file:") and not Path(database["NAME"]).exists():
            return {}
        con = _sqlite(database)
        try:
            names = [
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
        finally:
            con.close()
    with _pg_connect(database) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def in_use(rows: dict[str, int]) -> bool:
    """Whether a database holds anything beyond what ``migrate`` puts in it."""
    return any(n for table, n in rows.items() if table not in BOOKKEEPING)


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Copy ``source`` over ``target`` with the online backup API, then close both."""
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def dump(database: dict[str, Any], dest: Path) -> None:
    """Write the database to ``dest`` (SQLite file, or pg_dump's custom format)."""
    if engine(database) == "sqlite":
        _sqlite_copy(_sqlite(database), sqlite3.connect(dest))
        return
    args, env = _pg_command("pg_dump", database)
    _run([*args, "--format=custom", f"--file={dest}", str(database["NAME"])], env)


def load(database: dict[str, Any], src: Path) -> None:
    """Replace the database's contents with the dump at ``src``."""
    if engine(database) == "sqlite":
        name = str(database["NAME"])
        if not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(sqlite3.connect(src), _sqlite(database))
        return
    _pg_replace(database, src)


def _pg_replace(database: dict[str, Any], src: Path) -> None:
    """Make the database exactly the dump: ``pg_restore --clean`` drops only what the dump holds,
    so a table made by a later migration (and its rows) would outlive a restore and the next
    ``migrate`` would stop on it. The dump is turned into SQL and run by psql after emptying the
    ``public`` schema, all in one transaction: a failure anywhere leaves the database as it was."""
    restore, env = _pg_command("pg_restore", database)
    psql, _ = _pg_command("psql", database)
    psql = [a for a in psql if a not in ("--no-owner", "--no-privileges")]
    try:
        producer = subprocess.Popen(
            [*restore, "--clean", "--if-exists", "--file=-", str(src)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError as exc:
        raise DatabaseBackupError(f"pg_restore is not installed ({exc})") from None
    try:
        consumer = subprocess.run(
            [
                *psql,
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                "--command=DROP SCHEMA IF EXISTS public CASCADE",
                "--command=CREATE SCHEMA public",
                "--file=-",
                f"--dbname={database['NAME']}",
            ],
            env=env,
            stdin=producer.stdout,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError as exc:
        producer.kill()
        raise DatabaseBackupError(f"psql is not installed ({exc})") from None
    finally:
        if producer.stdout:
            producer.stdout.close()
    produced = producer.wait()
    if produced:
        error = (producer.stderr.read().decode() if producer.stderr else "").strip()
        first = (error.splitlines() or ["no message"])[0]
        raise DatabaseBackupError(f"pg_restore failed (exit {produced}): {first}")
    if consumer.returncode:
        first = (consumer.stderr.strip().splitlines() or ["no message"])[0]
        raise DatabaseBackupError(f"psql failed (exit {consumer.returncode}): {first}")
