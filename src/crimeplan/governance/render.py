"""A report's HTML and PDF, made from its snapshot alone, by one template and one stylesheet.

Charts and icons are the measures' own SVG drawings. The web page puts them inline (a browser
styles an SVG's elements cheaply, and the chart can be enhanced there); the file and the PDF
carry each as an ``<img>`` of a ``data:image/svg+xml`` URL instead, with the drawing's title and
description as its ``alt`` text. WeasyPrint draws an SVG image as vectors with its text as text
(pdftotext reads the axis labels) without running the document's CSS cascade over each of the
drawing's elements: inline, that cascade over every line, mark and label was most of what the
charts cost a PDF.

The PDF is WeasyPrint (imported only here, and only when a PDF is wanted: it is slow to import)
with its URL fetcher limited to local files inside the package and ``data:`` URLs, so a report
can never make the server fetch anything from the network. Page numbers, the contents page,
running headers and repeated table headers come from the print CSS; the PDF is tagged and
carries title, author and language from the HTML's ``<title>``, ``<meta name="author">`` and
``lang``.
"""

from __future__ import annotations

import base64
import html as html_lib
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.template import engines
from markupsafe import Markup, escape

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
    inline_svg: bool | None = None,
) -> str:
    """The report as one HTML document: self-contained (CSS inlined) unless ``css_href`` is
    given, as the web page does (its Content-Security-Policy allows no inline styles).

    Drawings are inline SVG on the web page (``css_href`` given) and SVG images in the file and
    the PDF, unless ``inline_svg`` says otherwise."""
    if inline_svg is None:
        inline_svg = css_href is not None
    template = engines["jinja2"].env.get_template("governance/report.html")
    return template.render(
        s=snapshot,
        status=status,
        css=None if css_href else report_css(),
        css_href=css_href,
        web=web,
        grade_labels={g.value: label for g, label in GRADE_LABELS.items()},
        drawing=_inline_svg if inline_svg else svg_image,
        limit_spans=limit_spans,
    )


LIMIT_FIELDS = ("mean", "lower_limit", "upper_limit", "target")


def limit_spans(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A measure's months grouped into runs with the same mean, process limits and target: the
    limits in force, listed once per run rather than repeated on every month of the appendix
    (where they were most of its cells, and of what its pages cost to lay out)."""
    spans: list[dict[str, Any]] = []
    for row in rows:
        limits = {field: row[field] for field in LIMIT_FIELDS}
        if spans and all(spans[-1][field] == limits[field] for field in LIMIT_FIELDS):
            spans[-1]["last"] = row["period"]
            spans[-1]["months"] += 1
        else:
            spans.append({"first": row["period"], "last": row["period"], "months": 1, **limits})
    return spans


def _inline_svg(svg: str, css_class: str = "") -> Markup:
    """The drawing as it is (it carries its own role and text alternative)."""
    return Markup(svg)


_SVG_OPENING = re.compile(r"<svg\b[^>]*>")
_SVG_SIZE = re.compile(r'\s(width|height)="([0-9.]+)(?:px)?"')
_SVG_TEXT = re.compile(r"<(title|desc)\b[^>]*>(.*?)</\1>", re.S)
_SVG_LABEL = re.compile(r'\saria-label="([^"]*)"')


def svg_image(svg: str, css_class: str = "") -> Markup:
    """``svg`` as an ``<img>`` of a ``data:`` URL, sized as the drawing is, its ``alt`` the
    drawing's own ``<title>`` and ``<desc>`` (or ``aria-label``): the same words a screen
    reader announces for the inline drawing."""
    opening = _SVG_OPENING.search(svg)
    if opening is None:
        raise ValueError(f"not an SVG drawing: {svg[:60]!r}")
    size = dict(_SVG_SIZE.findall(opening.group(0)))
    texts = [html_lib.unescape(text).strip() for _tag, text in _SVG_TEXT.findall(svg)[:2]]
    if not texts:
        label = _SVG_LABEL.search(opening.group(0))
        texts = [html_lib.unescape(label.group(1))] if label else []
    alt = " ".join(t if t.endswith(".") else f"{t}." for t in texts if t)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    attributes = "".join(f' {name}="{size[name]}"' for name in ("width", "height") if name in size)
    css = f' class="{escape(css_class)}"' if css_class else ""
    return Markup(
        f'<img{css} src="data:image/svg+xml;base64,{data}"{attributes} alt="{escape(alt)}">'
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
