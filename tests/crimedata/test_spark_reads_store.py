"""Past one machine: Spark (local mode, from the pyspark package) reads the crime store's
partitions as they are and counts what crimeplan counts. Skipped when pyspark or Java is
missing."""

from __future__ import annotations

import shutil

import pytest

from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.synth import SynthLsoa, generate_policeuk

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark():
    pyspark_sql = pytest.importorskip("pyspark.sql", reason="pyspark is not installed")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: Spark needs a JVM")
    session = (
        pyspark_sql.SparkSession.builder.master("local[1]")
        .appName("crimeplan-store-check")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def two_force_store(tmp_path_factory):
    from crimeplan.crimedata.store import CrimeStore

    root = tmp_path_factory.mktemp("spark")
    months = ["2025-01", "2025-02"]
    generate_policeuk(root / "archive", months, seed=2, rows_per_month=2000)
    kent = [
        SynthLsoa(f"E0199{i:04d}", f"{d.name} 001A", d.code, 0.5 + i / 100, 51.2)
        for i, d in enumerate(districts_for("kent"))
    ]
    generate_policeuk(
        root / "archive", months, seed=3, force="kent", lsoas=kent, rows_per_month=900
    )
    store = CrimeStore(root / "store")
    assert not ingest_policeuk(store, [root / "archive"]).failed
    # A second load of one month replaces its files: Spark must see only current ones.
    generate_policeuk(
        root / "again", ["2025-02"], seed=9, force="kent", lsoas=kent, rows_per_month=700
    )
    assert not ingest_policeuk(store, [root / "again"]).failed
    return store, root


def test_spark_counts_per_force_month_and_type_equal_crimeplans(spark, two_force_store):
    store, root = two_force_store
    frame = spark.read.parquet(str(store.root / "street"))
    assert sorted(frame.columns).count("force") == 1
    assert {"source", "force", "month", "crime_type"} <= set(frame.columns)
    theirs = {
        (r["force"], r["month"], r["crime_type"]): r["count"]
        for r in frame.groupBy("force", "month", "crime_type").count().collect()
    }
    ours = {
        (force, month, crime_type): n
        for force, month, crime_type, n in store.connect()
        .execute(
            "SELECT force, strftime(month, '%Y-%m'), CAST(crime_type AS VARCHAR), count(*) "
            "FROM street GROUP BY ALL"
        )
        .fetchall()
    }
    assert theirs == ours
    # The replaced month counts the second file's rows only (lines less the header).
    second = root / "again" / "2025-02" / "2025-02-kent-street.csv"
    lines = len(second.read_text().splitlines()) - 1
    assert sum(v for (f, m, _t), v in theirs.items() if (f, m) == ("kent", "2025-02")) == lines
