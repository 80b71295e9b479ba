"""A report's HTML and PDF, made from its snapshot alone, by one template and one stylesheet.

The PDF is WeasyPrint (imported only here, and only when a PDF is wanted: it is slow to import)
with its URL fetcher limited to local files inside the package and ``data:`` URLs, so a report
can never make the server fetch anything from the network. Page numbers, the contents page,
running headers and repeated table headers come from the print CSS; the PDF is tagged and
carries title, author and language from the HTML's ``<title>``, ``<meta name="author">`` and
``lang``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.template import engines

from crimeplan.governance.grading import GRADE_LABELS

CSS_PATH = Path(__file__).resolve().parent / "static" / "governance" / "report.css"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@cache
def report_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def render_html(
    snapshot: dict[str, Any],
    status: str,
    *,
    css_href: str | None = None,
    web: dict[str, str] | None = None,
) -> str:
    """The report as one HTML document: self-contained (CSS inlined) unless ``css_href`` is
    given, as the web page does (its Content-Security-Policy allows no inline styles)."""
    template = engines["jinja2"].env.get_template("governance/report.html")
    return template.render(
        s=snapshot,
        status=status,
        css=None if css_href else report_css(),
        css_href=css_href,
        web=web,
        grade_labels={g.value: label for g, label in GRADE_LABELS.items()},
    )


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def render_pdf(html: str) -> Pdf:
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=str(PACKAGE_ROOT) + "/", url_fetcher=local_fetcher_class()()
    ).render()
    out = io.BytesIO()
    document.write_pdf(out, pdf_tags=True)
    return Pdf(out.getvalue(), len(document.pages))


@cache
def local_fetcher_class() -> type:
    """A WeasyPrint fetcher that reads only ``data:`` URLs and files inside the package; built on
    first use so that importing this module does not import WeasyPrint."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if not path.is_relative_to(PACKAGE_ROOT):
                    raise ValueError(f"report PDF may not read {url}: outside the package")
            elif not url.startswith("data:"):
                raise ValueError(f"report PDF may not fetch {url}: only local files and data:")
            return super().fetch(url, headers)

    return LocalFetcher
