"""Reading pages in tests: CSS selectors and ``data-testid`` over parsed HTML, never regexes
over class strings (which break whenever markup is re-wrapped by a macro).

Named ``tests.pages``: not ``tests.utils``, because govuk-frontend-jinja's wheel installs a
stray top-level ``tests`` package with a ``utils`` in it; and not ``tests.html``, because
``tests/`` is on pytest's ``pythonpath`` and a top-level ``html`` there would shadow the
standard library's ``html`` module (which the SVG charts and maps escape text with).
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag


class Page:
    def __init__(self, content: bytes | str):
        self.soup = BeautifulSoup(content, "html.parser")

    def one(self, selector: str) -> Tag:
        found = self.soup.select(selector)
        assert len(found) == 1, f"{len(found)} elements match {selector!r}"
        return found[0]

    def all(self, selector: str) -> list[Tag]:
        return self.soup.select(selector)

    def testid(self, name: str) -> Tag:
        return self.one(f'[data-testid="{name}"]')

    def text(self, selector: str) -> str:
        return text(self.one(selector))

    @property
    def title(self) -> str:
        return text(self.one("title"))


def text(element: Tag) -> str:
    """An element's text as a reader sees it: whitespace collapsed, drawings (an SVG's title
    and letters) left out, since the words beside an icon are what the page prints."""
    parts = [
        str(s)
        for s in element.find_all(string=True)
        if s.find_parent("svg") is None and s.parent.name not in ("script", "style")
    ]
    if element.name == "svg":
        return ""
    return " ".join(" ".join(parts).split())


def table_rows(table: Tag) -> list[list[str]]:
    """The body rows of a table, each as the texts of its cells (row header included)."""
    body = table.find("tbody") or table
    return [[text(cell) for cell in row.find_all(["th", "td"])] for row in body.find_all("tr")]


def table_head(table: Tag) -> list[str]:
    head = table.find("thead")
    return [text(cell) for cell in head.find_all("th")] if head else []


def summary(dl: Tag) -> dict[str, str]:
    """A summary list as key -> value text."""
    out = {}
    for row in dl.select(".govuk-summary-list__row"):
        out[text(row.select_one("dt"))] = text(row.select_one(".govuk-summary-list__value"))
    return out


def page(response) -> Page:
    return Page(response.content)
