"""``crimeplan ingest|fetch|data|synth``: thin shells over the crimedata library.

Each command parses its options, calls one library function (``ingest_policeuk``,
``load_geography``, ``load_stats19``, ``fetch_policeuk``, ``generate_policeuk``) and prints the
tables from :mod:`crimeplan.crimedata.summaries`. Bad input exits 1 with one line.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

    from crimeplan.crimedata.store import CrimeStore


def _store() -> CrimeStore:
    from crimeplan.cli import django_setup

    django_setup()
    from django.conf import settings

    from crimeplan.crimedata.store import CrimeStore

    return CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))


def _console(width: int) -> Console:
    from rich.console import Console

    return Console(file=sys.stdout, width=width)


def _months(text: str) -> list[str]:
    from crimeplan.crimedata.synth import parse_months

    try:
        return parse_months(text)
    except ValueError as exc:
        raise click.ClickException(f"--months: {exc}") from None


def _site_force(force: str | None) -> str:
    """``force``, else the deployment's (``CRIMEPLAN_FORCE``)."""
    from django.conf import settings

    return force or settings.CRIMEPLAN_FORCE


def default_geography_dir() -> Path:
    from django.conf import settings

    shared = os.environ.get("CRIMEPLAN_SHARED_DATA")
    base = Path(shared) if shared else Path(settings.PROJECT_DIR).parent / "shared" / "data"
    return base / "geo"


def described(*words: object) -> str:
    """The command line as the manifest records it, rebuilt from the parsed options so it is
    the same whether run from a shell or from another command."""
    return " ".join(shlex.quote(str(w)) for w in ("crimeplan", "ingest", *words))


# -- ingest ----------------------------------------------------------------------------------


@click.group(name="ingest")
def ingest() -> None:
    """Load police.uk, STATS19 or geography files into the crime store.

    \b
    Example:
      crimeplan ingest policeuk ../shared/data/policeuk
    """


@ingest.command(name="policeuk")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--force",
    "forces",
    multiple=True,
    help="only these forces (police.uk ids; repeat or comma list: --force kent,essex)",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Load files with no rows to load, even where that replaces a loaded month with none.",
)
def ingest_policeuk_command(
    paths: tuple[Path, ...], forces: tuple[str, ...], allow_empty: bool
) -> None:
    """Police.uk archive zips, month folders or street CSV files.

    A file with no rows to load is refused (it would replace a month with nothing) unless
    --allow-empty is given; two files for the same month refuse the whole run.

    \b
    Example:
      crimeplan ingest policeuk ../shared/data/policeuk --force essex
      crimeplan ingest policeuk national-archive/ --force kent,essex
    """
    from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
    from crimeplan.crimedata.store import StoreLocked
    from crimeplan.crimedata.summaries import district_table, file_results_table, progress_bar

    store = _store()
    wanted = [f.strip() for value in forces for f in value.split(",") if f.strip()]
    command = described(
        "policeuk",
        *paths,
        *(["--force", ",".join(wanted)] if wanted else []),
        *(["--allow-empty"] if allow_empty else []),
    )
    console = _console(160)
    try:
        with progress_bar(console) as progress:
            task = progress.add_task("police.uk files", total=None)

            def on_file(result, done, total):  # type: ignore[no-untyped-def]
                progress.update(task, completed=done, total=total, description=result.display)

            report = ingest_policeuk(
                store,
                list(paths),
                force=wanted or None,
                command=command,
                on_file=on_file,
                allow_empty=allow_empty,
            )
    except StoreLocked as exc:
        raise click.ClickException(str(exc)) from None
    console.print(file_results_table(report.files))
    console.print(district_table(report.files))
    for problem in report.problems:
        console.print(f"[red]error:[/red] {problem}")
    for f in report.files:
        if f.error:
            console.print(f"[red]error:[/red] {f.error}")
    if report.refused_run:
        raise click.ClickException("refused: nothing was loaded (see above)")
    if report.failed:
        failed = len(report.problems) + sum(f.status in {"failed", "refused"} for f in report.files)
        raise click.ClickException(f"{failed} input(s) could not be loaded (see above)")


@ingest.command(name="geography")
@click.option("--from", "folder", type=click.Path(path_type=Path), help="folder of ONS files")
@click.option(
    "--force", default=None, help="police.uk force id (default: the files' force, else the site's)"
)
def ingest_geography(folder: Path | None, force: str | None) -> None:
    """LSOA lookups, boundaries and population (ONS). Without --from: ../shared/data/geo when it
    is there, else the generalised geography crimeplan carries for the force (the demo's).

    \b
    Example:
      crimeplan ingest geography
      crimeplan ingest geography --force kent --from ../shared/data/kent/geo
    """
    from crimeplan.crimedata.geography import (
        GeographyError,
        load_default_geography,
        load_geography,
    )
    from crimeplan.crimedata.store import StoreLocked

    store = _store()
    command = described(
        "geography", *(["--force", force] if force else []), *(["--from", folder] if folder else [])
    )
    try:
        if folder:
            result = load_geography(store, folder, force=force, command=command)
        else:
            result = load_default_geography(
                store, _site_force(force), default_geography_dir(), command
            )
    except (GeographyError, StoreLocked) as exc:
        raise click.ClickException(str(exc)) from None
    _console(160).print(
        ("unchanged (same files as the last load): " if result.unchanged else "")
        + f"geography for {result.force}: LSOAs {result.lookups}, "
        f"LSOA boundaries {result.boundaries}, district boundaries "
        f"{result.districts_with_boundary}, wards {result.wards}, LSOA population rows "
        f"{result.lsoa_population_rows}, district population rows "
        f"{result.district_population_rows}, from {len(result.files)} files: {result.basis}"
    )


@ingest.command(name="stats19")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--police-force",
    type=int,
    default=None,
    help="DfT police_force code (default: the force's own, e.g. 42 for essex, 46 for kent)",
)
@click.option("--force", default=None, help="police.uk force id (default: CRIMEPLAN_FORCE)")
def ingest_stats19(files: tuple[Path, ...], police_force: int | None, force: str | None) -> None:
    """DfT road collision (and casualty) CSVs.

    \b
    Example:
      crimeplan ingest stats19 collisions.csv casualties.csv
    """
    from crimeplan.crimedata.stats19 import Stats19Error, load_stats19
    from crimeplan.crimedata.store import StoreLocked

    store = _store()
    force = _site_force(force)
    extra = ("--police-force", police_force) if police_force is not None else ()
    command = described("stats19", *files, "--force", force, *extra)
    try:
        result = load_stats19(
            store, list(files), police_force=police_force, force=force, command=command
        )
    except (Stats19Error, StoreLocked) as exc:
        raise click.ClickException(str(exc)) from None
    console = _console(160)
    console.print(result.summary_table())
    if result.unchanged:
        console.print("unchanged: the same files were loaded last time; nothing written")


# -- fetch -----------------------------------------------------------------------------------


@click.group(name="fetch")
def fetch() -> None:
    """Download police.uk street crimes from its API.

    \b
    Example:
      crimeplan fetch policeuk --force essex --months 2024-01:2024-12
    """


@fetch.command(name="policeuk")
@click.option("--force", required=True, help="police.uk force id (e.g. essex)")
@click.option("--months", required=True, help="YYYY-MM:YYYY-MM")
@click.option("--base-url", default=None, help="API root (default: data.police.uk)")
def fetch_policeuk_command(force: str, months: str, base_url: str | None) -> None:
    """Street crimes per neighbourhood polygon, stored as the archive would be.

    \b
    Example:
      crimeplan fetch policeuk --force essex --months 2024-01:2024-12
    """
    from crimeplan.crimedata.policeuk_api import (
        DEFAULT_BASE_URL,
        ApiError,
        PoliceUkApi,
        fetch_policeuk,
    )
    from crimeplan.crimedata.store import StoreLocked
    from crimeplan.crimedata.summaries import district_table, file_results_table, progress_bar

    month_list = _months(months)
    store = _store()
    api = PoliceUkApi(base_url=base_url or DEFAULT_BASE_URL)
    command = f"crimeplan fetch policeuk --force {force} --months {months}"
    console = _console(160)
    with progress_bar(console) as progress:
        task = progress.add_task("data.police.uk", total=None)

        def on_step(text: str) -> None:
            progress.update(task, advance=1, description=text)

        try:
            report, stats = fetch_policeuk(
                store, force, month_list, api=api, command=command, on_step=on_step
            )
        except (ApiError, OSError, StoreLocked) as exc:
            raise click.ClickException(f"fetch failed: {exc}") from None
    console.print(file_results_table(report.files))
    console.print(district_table(report.files))
    console.print(
        f"{stats.requests} requests ({stats.posts} POST), {stats.retries_429} retried after "
        f"429, {stats.splits} areas split after 503"
    )
    if report.failed:
        raise click.ClickException("some months could not be loaded (see above)")


@fetch.command(name="geography")
@click.option("--force", default=None, help="police.uk force id (default: CRIMEPLAN_FORCE)")
@click.option("--out", type=click.Path(path_type=Path), help="folder for the downloaded files")
@click.option("--base-url", default=None, help="services root (default: ONS Open Geography)")
def fetch_geography_command(force: str | None, out: Path | None, base_url: str | None) -> None:
    """A force's LSOA (2011, 2021) to district lookup and LSOA boundaries from the ONS Open
    Geography services, into $CRIMEPLAN_HOME/geography/<force>, then loaded.

    \b
    Example:
      crimeplan fetch geography --force kent
    """
    from django.conf import settings

    from crimeplan.crimedata.geography import GeographyError
    from crimeplan.crimedata.ons_geography import (
        DEFAULT_BASE_URL,
        OnsGeographyApi,
        fetch_geography,
    )
    from crimeplan.crimedata.store import StoreLocked

    store = _store()
    force = _site_force(force)
    folder = out or Path(settings.CRIMEPLAN_HOME) / "geography" / force
    api = OnsGeographyApi(base_url=base_url or DEFAULT_BASE_URL)
    try:
        result = fetch_geography(
            store, force, folder, api, command=f"crimeplan fetch geography --force {force}"
        )
    except (GeographyError, StoreLocked) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"geography for {force}: {result.lookups.get(2021, 0)} LSOAs (2021), "
        f"{result.lookups.get(2011, 0)} (2011), {result.districts_with_boundary} district "
        f"boundaries, in {api.requests} requests; files in {folder}"
    )


# -- data ------------------------------------------------------------------------------------


@click.group(name="data")
def data() -> None:
    """Show what the crime store holds and the rows it rejected.

    \b
    Example:
      crimeplan data status
      crimeplan data rejects --month 2024-01
    """


@data.command(name="status")
def data_status() -> None:
    """The manifest of every loaded month, as a table, and the geography and STATS19 loads.

    \b
    Example:
      crimeplan data status
    """
    from crimeplan.crimedata.summaries import manifest_table

    console = _console(200)
    store = _store()
    manifests = store.manifests()
    if not manifests:
        console.print(f"no crime data loaded in {store.root}")
    else:
        console.print(manifest_table(manifests))
    from crimeplan.crimedata.store import geography_sections, stats19_sections

    catalog = store.catalog()
    sections: dict[str, dict[str, Any] | None] = {
        f"geography {force}": sec for force, sec in geography_sections(catalog).items()
    }
    sections = sections or {"geography": None}
    loads = stats19_sections(catalog)
    sections.update({f"stats19 {force}": sec for force, sec in loads.items()})
    if not loads:
        sections["stats19"] = None
    for section, content in sections.items():
        manifest = (content or {}).get("manifest")
        if manifest:
            files = len(manifest.get("files", []))
            basis = f" ({manifest['basis']})" if manifest.get("basis") else ""
            console.print(
                f"{section}: {files} source files{basis}, loaded {manifest['loaded_at']} "
                f"by `{manifest['command']}`"
            )
        else:
            console.print(f"{section}: not loaded")


@data.command(name="rejects")
@click.option("--month", help="only this month (YYYY-MM)")
@click.option("--file", "file", help="only this file (as loaded, or its name)")
def data_rejects(month: str | None, file: str | None) -> None:
    """Rows an ingest rejected: file:line: column: reason | raw text (cut short).

    \b
    Example:
      crimeplan data rejects --month 2024-01 --file 2024-01-essex-street.csv
    """
    from crimeplan.crimedata.rejects import find_rejects
    from crimeplan.crimedata.summaries import reject_lines

    try:
        found = find_rejects(_store(), month=month, file=file)
    except ValueError as exc:
        raise click.ClickException(f"--month: {exc}") from None
    for line in reject_lines(found):
        click.echo(line)
    click.echo(f"{len(found):,} rejected rows")


# -- synth -----------------------------------------------------------------------------------


@click.group(name="synth")
def synth() -> None:
    """Generate police.uk-format demo crime data.

    Every row is labelled synthetic in its Context column.

    \b
    Example:
      crimeplan synth policeuk --months 2023-01:2025-12 --seed 1 --out var/synth
    """


@synth.command(name="policeuk")
@click.option("--force", default=None, help="police.uk force id (default: CRIMEPLAN_FORCE)")
@click.option("--months", required=True, help="YYYY-MM:YYYY-MM")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="folder to write")
@click.option("--rows-per-month", type=int, default=None)
def synth_policeuk(
    force: str | None, months: str, seed: int, out: Path, rows_per_month: int | None
) -> None:
    """Street-level crime files, in the LSOAs of the loaded geography (else the built-in one).

    \b
    Example:
      crimeplan synth policeuk --force essex --months 2024-01:2024-12 --out var/synth
    """
    click.echo(write_synthetic(force or "", months, seed, out, rows_per_month))


def write_synthetic(
    force: str, months: str, seed: int, out: Path, rows_per_month: int | None = None
) -> str:
    """Write the synthetic files and return the line that says what was written."""
    from crimeplan.crimedata.synth import generate_policeuk, lsoas_from_features

    month_list = _months(months)
    store = _store()
    force = _site_force(force)
    try:
        lsoas = lsoas_from_features(store.lsoa_boundaries(2021, force)["features"])
    except LookupError:
        lsoas = None
    try:
        paths = generate_policeuk(
            out, month_list, seed, force=force, lsoas=lsoas, rows_per_month=rows_per_month
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    areas = "LSOAs of the loaded geography" if lsoas else "LSOAs of the built-in geography"
    return f"wrote {len(paths)} synthetic files for {force} to {out} (seed {seed}, {areas})"
