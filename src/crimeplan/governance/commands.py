"""``crimeplan report quarterly``: a board's quarterly report, as a new stored version."""

from __future__ import annotations

from pathlib import Path

import click


@click.group(name="report")
def report() -> None:
    """Generate board reports: each run makes a new stored version.

    \b
    Example:
      crimeplan report quarterly --board performance-resource-and-scrutiny-board \\
          --plan essex-police-and-crime-plan-2016-2020 --quarter 2025-Q2 --pdf q2.pdf
    """


@report.command(name="quarterly")
@click.option("--board", "board_slug", required=True, help="the board's slug, as in the plan file")
@click.option("--quarter", required=True, help="the quarter, e.g. 2025-Q2")
@click.option("--plan", "plan_slug", help="the plan, when more than one has a board of that slug")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path))
def quarterly(
    board_slug: str,
    quarter: str,
    plan_slug: str | None,
    pdf_path: Path | None,
    html_path: Path | None,
) -> None:
    """Generate a board's quarterly report as a new stored version; write it out if asked.

    \b
    Example:
      crimeplan report quarterly --board performance-resource-and-scrutiny-board \\
          --plan essex-police-and-crime-plan-2016-2020 --quarter 2025-Q2 \\
          --pdf q2.pdf --html q2.html
    """
    from crimeplan.cli import django_setup

    django_setup()
    from crimeplan.core.audit import acting_as
    from crimeplan.governance.quarters import Quarter
    from crimeplan.governance.reports import find_board, generate_report

    try:
        parsed = Quarter.parse(quarter)
        board = find_board(board_slug, plan_slug)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    with acting_as():
        made = generate_report(board, parsed)
    if pdf_path:
        pdf_path.write_bytes(bytes(made.pdf))
    if html_path:
        html_path.write_text(made.html, encoding="utf-8")
    click.echo(
        f"{made}: {made.pages} pages, {len(made.snapshot['figures'])} figures, "
        f"{len(made.snapshot['exceptions'])} exceptions; PDF sha256 {made.pdf_sha256[:16]}"
    )
    for path in (pdf_path, html_path):
        if path:
            click.echo(f"wrote {path}")
