"""Files edited on two kinds of machine can mix CRLF and LF line endings; every line still loads,
rejects keep their true line numbers, and no carriage return is left inside a value."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crimeplan.crimedata import line_endings
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore


def _lines(rows: list[list[str]]) -> list[str]:
    out = []
    for row in rows:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(row)
        out.append(buf.getvalue())
    return out


@pytest.mark.parametrize("endings", [("\r\n", "\n"), ("\n", "\r\n"), ("\n", "\n", "\r\n")])
def test_mixed_line_endings_load_every_row(tmp_path, street_row, endings):
    from factories import STREET_HEADER

    rows = [street_row(crime_id=f"id{i}", context="note" if i % 2 else "") for i in range(9)]
    rows[4] = street_row(crime_id="bad", crime_type="Jaywalking")  # file line 6
    lines = _lines([STREET_HEADER, *rows])
    text = "".join(line + endings[i % len(endings)] for i, line in enumerate(lines))
    path = tmp_path / "in" / "2024-01" / "2024-01-essex-street.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode())

    store = CrimeStore(tmp_path / "store")
    report = ingest_policeuk(store, [tmp_path / "in"])

    assert [f.status for f in report.files] == ["loaded"], report.files[0]
    assert (report.files[0].rows_loaded, report.files[0].rows_rejected) == (8, 1)
    con = store.connect()
    assert con.execute("SELECT line, column_name FROM rejects").fetchall() == [(6, "crime_type")]
    loaded = con.execute("SELECT crime_id, context FROM street ORDER BY crime_id").fetchall()
    expected = sorted((r[0], r[11] or None) for i, r in enumerate(rows) if i != 4)
    assert loaded == expected


@given(st.binary(max_size=64).map(lambda b: bytes(b"a\r\n"[x % 3] for x in b)))
def test_lf_copy_equals_replacing_crlf_even_across_chunk_edges(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("lf")
    source = folder / "in.csv"
    source.write_bytes(data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(line_endings, "CHUNK", 3)
        out = line_endings.write_with_lf_endings(source, folder / "out.csv").read_bytes()
        mixed = line_endings.has_mixed_line_endings(source)
    assert out == data.replace(b"\r\n", b"\n")
    crlf = data.count(b"\r\n")
    assert mixed == (crlf > 0 and data.count(b"\n") > crlf)
