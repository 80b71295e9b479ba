"""`crimeplan backup DIR` and `crimeplan restore DIR`: thin shells over ``backup.home``."""

from __future__ import annotations

from pathlib import Path

import click


def _home() -> tuple[dict, object]:
    from crimeplan.cli import django_setup

    django_setup()
    from django.conf import settings

    from crimeplan.crimedata.store import CrimeStore

    return settings.DATABASES["default"], CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
def backup(directory: Path) -> None:
    """Back up the database and the crime store.

    DIRECTORY must be new or empty. Safe while the server runs and while an ingest runs: the
    database is copied as one snapshot and the crime store as the catalog generation current
    when the copy starts.

    \b
    Example:
      crimeplan backup backups/2026-12-01
    """
    from crimeplan.backup.database import DatabaseBackupError
    from crimeplan.backup.home import BackupError, backup_home
    from crimeplan.crimedata.snapshot import SnapshotError

    database, store = _home()
    try:
        summary = backup_home(directory, database, store)
    except (BackupError, DatabaseBackupError, SnapshotError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backed up to {directory}: {summary.describe()}")


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="Replace a home that already holds data.")
def restore(directory: Path, force: bool) -> None:
    """Restore the database and the crime store from a backup.

    Every file in DIRECTORY is checked against the backup's checksums first; a home that
    already holds data is refused unless --force is given.

    \b
    Example:
      crimeplan restore backups/2026-12-01
    """
    from crimeplan.backup.database import DatabaseBackupError
    from crimeplan.backup.home import BackupError, restore_home
    from crimeplan.crimedata.store import StoreLocked

    database, store = _home()
    try:
        summary = restore_home(directory, database, store, force=force)
    except (BackupError, DatabaseBackupError, StoreLocked) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored from {directory}: {summary.describe()}")
