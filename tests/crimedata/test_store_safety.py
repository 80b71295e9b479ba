"""A killed ingest leaves the store as it was; a second writer is refused with a clear message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import StoreLocked

INGEST = (
    "import sys; from pathlib import Path;"
    "from crimeplan.crimedata.store import CrimeStore;"
    "from crimeplan.crimedata.policeuk_ingest import ingest_policeuk;"
    "ingest_policeuk(CrimeStore(Path(sys.argv[1])), [Path(p) for p in sys.argv[2:]])"
)


def snapshot(store) -> dict:
    """Everything a reader can see: the catalog, each view's rows, the files in the dataset."""
    con = store.connect()
    views = {
        v: sorted(con.execute(f"SELECT * FROM {v}").fetchall(), key=repr)
        for v in ("street", "rejects")
    }
    return {
        "catalog": (store.root / "catalog.json").read_text(),
        "views": views,
        "manifests": store.manifests(),
    }


def kill_at(step: str, store, paths: list[Path], tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CRIMEPLAN_CRIMEDATA_PAUSE_AT": step,
        "CRIMEPLAN_CRIMEDATA_PAUSE_DIR": str(tmp_path),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", INGEST, str(store.root), *map(str, paths)], env=env
    )
    marker = tmp_path / f"{step}.paused"
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, "the ingest ended before reaching the pause point"
        assert time.monotonic() < deadline, f"never reached {step}"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    marker.unlink()


@pytest.mark.parametrize("step", ["after-rows-written", "after-publish", "before-commit"])
def test_kill_during_ingest_leaves_the_store_as_before(
    step, store, tmp_path, street_row, write_street_csv
):
    first = write_street_csv(tmp_path / "a" / "2024-01-essex-street.csv", [street_row()] * 3)
    ingest_policeuk(store, [first])
    before = snapshot(store)
    # A replacement for the same month plus a new month, killed part way.
    replacement = write_street_csv(
        tmp_path / "b" / "2024-01-essex-street.csv", [street_row(crime_type="Drugs")] * 5
    )
    new_month = write_street_csv(
        tmp_path / "b" / "2024-02-essex-street.csv", [street_row(month="2024-02")]
    )
    kill_at(step, store, [replacement, new_month], tmp_path)
    assert snapshot(store) == before
    # The next writer clears what the killed one left and the load then goes through.
    report = ingest_policeuk(store, [replacement, new_month])
    assert [r.status for r in report.files] == ["loaded", "loaded"]
    con = store.connect()
    assert con.execute("SELECT count(*) FROM street").fetchone() == (6,)
    on_disk = {p for p in store.root.rglob("*.parquet") if "staging" not in p.parts}
    assert on_disk == store.all_files() | store.retained_files()


def test_kill_after_commit_leaves_the_new_state_whole(
    store, tmp_path, street_row, write_street_csv
):
    first = write_street_csv(tmp_path / "a" / "2024-01-essex-street.csv", [street_row()] * 3)
    kill_at("after-commit", store, [first], tmp_path)
    con = store.connect()
    assert con.execute("SELECT count(*) FROM street").fetchone() == (3,)
    assert [m["rows_loaded"] for m in store.manifests()] == [3]


def test_second_writer_is_refused_with_a_message_naming_the_first(store, tmp_path):
    with store.writer("crimeplan ingest policeuk big.zip"):
        with pytest.raises(StoreLocked) as excinfo:
            ingest_policeuk(store, [tmp_path])
    message = str(excinfo.value)
    assert "another writer" in message
    assert f"pid {os.getpid()}" in message and "big.zip" in message
    # Once the first writer is done the lock is free again.
    with store.writer("next"):
        pass


def test_lock_held_by_another_process_is_seen(store, tmp_path):
    code = (
        "import sys, time; from pathlib import Path;"
        "from crimeplan.crimedata.store import CrimeStore;"
        "w = CrimeStore(Path(sys.argv[1])).writer('crimeplan ingest policeuk other');"
        "w.__enter__(); print('held', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(store.root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(StoreLocked, match=f"pid {proc.pid}"):
            with store.writer("mine"):
                pass
    finally:
        proc.kill()
        proc.wait()
    with store.writer("mine"):
        pass
