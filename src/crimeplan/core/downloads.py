"""A data table defined once, shown on the page and downloaded as CSV or XLSX.

People copy figures from a page into their own spreadsheets and board papers, so a download must
hold the same figures the page shows: the page and both files are rendered from one
:class:`DataTable`, and every number is rounded by :func:`rounded` before any of them sees it.
A page view offers its tables with :func:`download_or_none`: ``?download=csv&table=<name>`` on
the page's own address answers the file, so a download carries the page's own choices (area,
period, filters) with no second view to keep in step.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from crimeplan.core.numbers import format_number, rounded

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@dataclass(frozen=True)
class Column:
    """One column: ``places`` makes it numeric (right-aligned, rounded, a number in XLSX)."""

    key: str
    label: str
    places: int | None = None
    unit: str = ""

    @property
    def numeric(self) -> bool:
        return self.places is not None

    def file_label(self) -> str:
        return f"{self.label} ({self.unit.strip()})" if self.unit.strip() else self.label

    def text(self, value: Any) -> str:
        if self.numeric:
            return format_number(value, self.places or 0, self.unit)
        return "–" if value is None or value == "" else str(value)

    def file_value(self, value: Any) -> Any:
        """The value a spreadsheet gets: the page's rounded number, a date as a date (so the
        spreadsheet can sort and filter by it), or the page's text. A date and time stays text:
        XLSX has no time zones, and the text says which zone it is in."""
        if self.numeric:
            number = rounded(value, self.places or 0)
            if number is None:
                return None
            return int(number) if self.places == 0 else float(number)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        return None if value is None else str(value)


@dataclass
class DataTable:
    """A table's caption, columns and raw rows; ``hrefs`` optionally link cells on the page.

    The first column is each row's header (``<th scope="row">``) on the page.
    """

    def __len__(self) -> int:
        return len(self.rows)

    name: str
    caption: str
    columns: Sequence[Column]
    rows: list[Mapping[str, Any]]
    hrefs: list[Mapping[str, str]] = field(default_factory=list)
    html: list[Mapping[str, str]] = field(default_factory=list)
    """Per row, markup the page shows in place of a cell's text (icons with their words);
    the files keep the text."""
    caption_classes: str = "govuk-table__caption--s"
    classes: str = ""

    @classmethod
    def from_lists(
        cls,
        name: str,
        caption: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
    ) -> DataTable:
        """A table whose rows are lists in column order, as views that build rows in a loop
        write them; a row of the wrong length is a programming error and raises."""
        keys = [c.key for c in columns]
        return cls(name, caption, columns, [dict(zip(keys, row, strict=True)) for row in rows])

    def texts(self) -> list[list[str]]:
        return [[c.text(row.get(c.key)) for c in self.columns] for row in self.rows]

    def govuk(self) -> dict[str, Any]:
        """Parameters for GOV.UK Frontend's ``govukTable`` macro."""
        head = [
            {"text": c.label, **({"format": "numeric"} if c.numeric else {})} for c in self.columns
        ]
        rows = []
        for i, texts in enumerate(self.texts()):
            links = self.hrefs[i] if i < len(self.hrefs) else {}
            markup = self.html[i] if i < len(self.html) else {}
            cells = []
            for column, text in zip(self.columns, texts, strict=True):
                cell: dict[str, Any] = {"text": text}
                if column.key in links:
                    cell = {
                        "html": format_html(
                            '<a class="govuk-link" href="{}">{}</a>', links[column.key], text
                        )
                    }
                if column.key in markup:
                    cell = {"html": mark_safe(markup[column.key])}  # noqa: S308 - built by us
                if column.numeric:
                    cell["format"] = "numeric"
                cells.append(cell)
            rows.append(cells)
        return {
            "caption": self.caption,
            "captionClasses": self.caption_classes,
            "firstCellIsHeader": True,
            "head": head,
            "rows": rows,
            "classes": self.classes,
            "attributes": {"data-testid": self.name},
        }

    def records(self) -> Iterable[list[Any]]:
        for row in self.rows:
            yield [c.file_value(row.get(c.key)) for c in self.columns]

    def csv_bytes(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.file_label() for c in self.columns])
        for row in self.rows:
            writer.writerow([_csv_text(c, row.get(c.key)) for c in self.columns])
        # A byte-order mark so spreadsheet programs read the names' accents as UTF-8.
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def xlsx_bytes(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = self.name[:31]
        sheet.append([c.file_label() for c in self.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for record in self.records():
            sheet.append(record)
        for index, column in enumerate(self.columns, start=1):
            if column.numeric:
                pattern = "#,##0" + ("." + "0" * column.places if column.places else "")
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = pattern
        sheet.freeze_panes = "A2"
        # The caption says what the figures are; it goes on a second sheet so the data sheet
        # stays a plain grid that tools can read.
        about = book.create_sheet("About")
        about.append([self.caption])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def response(self, kind: str, filename: str) -> HttpResponse:
        content_type, extension = FORMATS[kind]
        body = self.csv_bytes() if kind == "csv" else self.xlsx_bytes()
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
        return response


def _csv_text(column: Column, value: Any) -> str:
    """Numbers at the page's places without thousands separators, so tools read them as numbers."""
    if column.numeric:
        number = rounded(value, column.places or 0)
        return "" if number is None else f"{number:.{column.places}f}"
    return "" if value is None else str(value)


def download_or_none(
    request: HttpRequest, tables: Iterable[DataTable], filename: str | None
) -> HttpResponse | None:
    """The file a ``?download=csv|xlsx&table=<name>`` request asks for, else ``None``.

    The file is called ``<filename>-<table>``, or after the table alone when ``filename`` is
    ``None`` (the delivery pages, whose tables' names already say what they hold). An unknown
    table or format answers 404 rather than the page, so a broken link is noticed.
    """
    kind = request.GET.get("download")
    if not kind:
        return None
    from django.http import Http404

    wanted = request.GET.get("table", "")
    table = next((t for t in tables if t.name == wanted), None)
    if kind not in FORMATS or table is None:
        raise Http404("No such download on this page.")
    return table.response(kind, table.name if filename is None else f"{filename}-{table.name}")


def download_links(request: HttpRequest, table: DataTable) -> list[dict[str, str]]:
    """The page's own address with ``download`` and ``table`` set, one per format."""
    params = request.GET.copy()
    params.pop("download", None)
    params["table"] = table.name
    links = []
    for kind in FORMATS:
        params["download"] = kind
        links.append({"kind": kind.upper(), "href": f"{request.path}?{params.urlencode()}"})
    return links
