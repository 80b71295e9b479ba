"""Page tables as data, so the same rows a page shows download as CSV or XLSX (stand-in until
the shared downloads module lands; delivery pages use it).

A view builds :class:`Table` objects; ``?table=NAME&download=csv|xlsx`` on the page returns that
table as a file instead of the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    name: str
    title: str
    headers: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return value


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    writer.writerows([[_cell(v) for v in row] for row in table.rows])
    return out.getvalue().encode("utf-8-sig")


def table_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31] or "Table")
    sheet.append(list(table.headers))
    for row in table.rows:
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download_response(request: HttpRequest, tables: Sequence[Table]) -> HttpResponse | None:
    """The requested table as a file, or None when the page itself was asked for."""
    fmt = request.GET.get("download")
    if fmt not in ("csv", "xlsx"):
        return None
    name = request.GET.get("table") or (tables[0].name if tables else "")
    table = next((t for t in tables if t.name == name), None)
    if table is None:
        return HttpResponse("No such table on this page.", status=404, content_type="text/plain")
    if fmt == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    return response
