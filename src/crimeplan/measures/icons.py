"""The variation and assurance icons, drawn in the NHS "Making Data Count" manner.

A circle carries a letter: H or L for a special cause that is high or low, P / F / ? for a target
consistently passed, consistently failed, or hit and missed. The letter and a text alternative
carry the meaning, so nobody has to tell colours apart. Colours come from the GOV.UK palette and
were chosen for contrast: each fill is at least 3:1 against a white page and white lettering on
it is at least 4.5:1. GOV.UK orange (#f47738), the NHS colour for concern, fails both against
white, so concern uses GOV.UK red.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from html import escape

from crimeplan.measures.spc import Assurance, Side, SpcResult, Variation

GOVUK_BLUE = "#1d70b8"
GOVUK_RED = "#d4351c"
GOVUK_PURPLE = "#4c2c92"
GOVUK_DARK_GREY = "#505a5f"
GOVUK_WHITE = "#ffffff"

VARIATION_COLOURS: dict[Variation, str] = {
    Variation.COMMON_CAUSE: GOVUK_DARK_GREY,
    Variation.IMPROVEMENT: GOVUK_BLUE,
    Variation.CONCERN: GOVUK_RED,
    Variation.NEITHER: GOVUK_PURPLE,
}
ASSURANCE_COLOURS: dict[Assurance, str] = {
    Assurance.PASS: GOVUK_BLUE,
    Assurance.FAIL: GOVUK_RED,
    Assurance.HIT_OR_MISS: GOVUK_DARK_GREY,
}

_VARIATION_TEXT = {
    Variation.COMMON_CAUSE: "Common cause variation: no significant change",
    Variation.IMPROVEMENT: "Special cause variation: improvement",
    Variation.CONCERN: "Special cause variation: concern",
    Variation.NEITHER: "Special cause variation: neither improvement nor concern",
}
_VARIATION_SHORT = {
    Variation.COMMON_CAUSE: "No change",
    Variation.IMPROVEMENT: "Improving",
    Variation.CONCERN: "Concern",
    Variation.NEITHER: "Changed",
}
_ASSURANCE_SHORT = {
    Assurance.PASS: "Target met",
    Assurance.FAIL: "Target missed",
    Assurance.HIT_OR_MISS: "Target by chance",
}
_ASSURANCE = {
    Assurance.PASS: ("P", "Assurance: the target will be met consistently"),
    Assurance.FAIL: ("F", "Assurance: the target will consistently not be met"),
    Assurance.HIT_OR_MISS: ("?", "Assurance: the target will be met only by chance"),
}


@dataclass(frozen=True)
class Icon:
    """Everything a template needs: the drawing, its letter, its colour and its words."""

    key: str
    letter: str
    colour: str
    label: str
    svg: str
    short: str = ""
    """The few words printed beside the icon: improvement and concern share a letter (H or L)
    and differ by colour, so the words, not the colour, tell them apart."""

    def html(self) -> str:
        """The icon and its words, as every page shows it (the words are hidden from screen
        readers, which read the drawing's fuller label)."""
        return (
            f'<span class="cp-icon" data-icon="{escape(self.key)}">{self.svg} '
            f'<span class="cp-icon__text" aria-hidden="true">{escape(self.short)}</span></span>'
        )


def icons_html(*icons: Icon | None) -> str:
    shown = [icon.html() for icon in icons if icon is not None]
    return f'<span class="cp-icons">{"".join(shown)}</span>' if shown else ""


def variation_icon(result: SpcResult, size: int = 40) -> Icon | None:
    """The icon for the latest point's variation, or ``None`` when there is nothing to read."""
    latest = result.latest
    if result.variation is None or latest is None:
        return None
    variation = result.variation
    label = _VARIATION_TEXT[variation]
    letter, key = "", f"variation-{variation.value}"
    short = _VARIATION_SHORT[variation]
    if variation is not Variation.COMMON_CAUSE:
        high = latest.side is Side.HIGH
        letter = "H" if high else "L"
        key += "-high" if high else "-low"
        label += " (higher values)" if high else " (lower values)"
        short += " (high)" if high else " (low)"
    return _icon(key, letter, VARIATION_COLOURS[variation], label, size, short)


def assurance_icon(result: SpcResult, size: int = 40) -> Icon | None:
    """The icon for the target against the limits, or ``None`` without a target or polarity."""
    if result.assurance is None:
        return None
    letter, label = _ASSURANCE[result.assurance]
    key = f"assurance-{result.assurance.value}"
    short = _ASSURANCE_SHORT[result.assurance]
    return _icon(key, letter, ASSURANCE_COLOURS[result.assurance], label, size, short)


@functools.cache
def _icon(key: str, letter: str, colour: str, label: str, size: int, short: str = "") -> Icon:
    """Icons are few (eleven kinds, a couple of sizes) and immutable, so each is drawn once and
    shared by every series that shows it."""
    return Icon(key, letter, colour, label, _circle_svg(letter, colour, label, size), short)


def _circle_svg(letter: str, colour: str, label: str, size: int) -> str:
    # A common-cause icon has no letter: a flat line says "no signal" in the NHS style.
    mark = (
        f'<text x="20" y="27" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-size="20" font-weight="bold" fill="{GOVUK_WHITE}">{escape(letter)}</text>'
        if letter
        else f'<path d="M11 20h18" stroke="{GOVUK_WHITE}" stroke-width="3" stroke-linecap="round"/>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 40 40" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<circle cx="20" cy="20" r="19" fill="{colour}"/>'
        f"{mark}</svg>"
    )
