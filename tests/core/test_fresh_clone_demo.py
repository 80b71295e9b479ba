"""A machine with only the clone: the demo loads the geography the package carries, so the
hotspot pages, maps and rates per 1,000 work with nothing beside the checkout, offline."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHELMSFORD = "E07000070"
PLAN = "essex-police-and-crime-plan-2016-2020"
PAGES = {"hotspots": f"/hotspots/{CHELMSFORD}/", "districts": f"/plans/{PLAN}/measures/districts/"}

FETCH_PAGES = """
import json, sys, django
django.setup()
from django.test import Client
client = Client()
out = {}
for name, url in json.loads(sys.argv[1]).items():
    response = client.get(url)
    out[name] = {"status": response.status_code, "html": response.content.decode()}
import crimeplan
out["package"] = crimeplan.__file__
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory, repo_dir):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path_factory.mktemp("fresh")
    clone, home, empty = root / "clone", root / "home", root / "no-shared-data"
    empty.mkdir()
    subprocess.run(["git", "clone", "-q", str(repo_dir), str(clone)], check=True)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "PYTHONPATH": str(clone / "src"),
        "CRIMEPLAN_HOME": str(home),
        "CRIMEPLAN_SHARED_DATA": str(empty),
        "DJANGO_SETTINGS_MODULE": "crimeplan.settings",
        "DEBUG": "1",
    }
    env.pop("CRIMEPLAN_FORCE", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args], cwd=clone, env=env, capture_output=True, text=True
        )

    for step in (
        ("-m", "crimeplan.cli", "manage", "migrate", "-v0"),
        ("-m", "crimeplan.cli", "demo"),
    ):
        done = run(*step)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    demo_errors = done.stderr
    fetched = run("-c", FETCH_PAGES, json.dumps(PAGES))
    assert fetched.returncode == 0, fetched.stderr[-3000:]
    pages = json.loads(fetched.stdout)
    return clone, home, pages, demo_errors


def test_the_clone_runs_its_own_code_without_shared_data(fresh_clone):
    clone, _home, pages, demo_errors = fresh_clone
    assert Path(pages["package"]).is_relative_to(clone)
    assert "geography not loaded" not in demo_errors
    assert not (clone.parent / "shared").exists()


def test_district_hotspot_page_has_a_map_and_hot_squares(fresh_clone):
    _clone, _home, pages, _ = fresh_clone
    page = pages["hotspots"]
    assert page["status"] == 200
    text = page["html"]
    assert "<svg" in text and 'id="hotspot-svg' in text
    hot = sum(int(n) for n in re.findall(r"hot \d\d%: ([\d,]+) cells", text.replace(",", "")))
    assert hot > 0
    basis = re.search(r'data-testid="geography-basis">([^<]*)<', text).group(1)
    assert basis.startswith("Built-in generalised boundaries")


def _rows(text: str) -> dict[str, list[str]]:
    table = text[text.index('data-testid="districts"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S):
        cells = [html.unescape(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        rows[cells[0]] = cells[1:]
    return rows


def test_district_comparison_has_rates_per_1000_from_the_carried_populations(fresh_clone):
    clone, home, pages, _ = fresh_clone
    page = pages["districts"]
    assert page["status"] == 200
    rows = _rows(page["html"])
    assert len(rows) == 1 + 14  # header and the 14 districts of Essex
    residents, crimes, rate = rows["Chelmsford"][:3]
    # Independently: the Census 2021 figure in the carried forces table ...
    with open(clone / "src/crimeplan/crimedata/reference/forces.csv", encoding="utf-8") as fh:
        census = next(
            int(r["census2021_usual_residents_rounded_100"])
            for r in csv.DictReader(fh)
            if r["lad_cd"] == CHELMSFORD
        )
    assert int(residents.replace(",", "")) == census
    # ... and the generated files' Chelmsford rows of the last 12 months, without ASB.
    counted = 0
    for path in sorted((home / "synth" / "policeuk").rglob("2025-*-street.csv")):
        with open(path, encoding="utf-8") as fh:
            counted += sum(
                1
                for r in csv.DictReader(fh)
                if r["LSOA name"].startswith("Chelmsford ")
                and r["Crime type"] != "Anti-social behaviour"
            )
    assert int(crimes.replace(",", "")) == counted
    assert rate == f"{counted / census * 1000:.1f}"
    assert "built-in generalised boundaries" in page["html"]
