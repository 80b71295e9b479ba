"""Synthetic inputs for the demo that no generator in crimedata writes: road collisions and the
entered values of manual measures. Deterministic for a seed, and labelled synthetic in every row,
so a demo screen can never be mistaken for real figures."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from crimeplan.crimedata.districts import dft_police_force, districts_for

SYNTHETIC_SOURCE = "Synthetic demo value (not real data)"


def write_collisions(path: Path, months: list[str], seed: int, force: str = "essex") -> int:
    """DfT-layout collisions (2023+ column names) for the force's districts: about 2.5 serious or
    fatal collisions per 100,000 residents a month, with a summer rise."""
    rng = np.random.default_rng(seed + 7019)
    rows = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "collision_index",
                "police_force",
                "collision_severity",
                "date",
                "local_authority_ons_district",
            ]
        )
        for month in months:
            season = 1 + 0.15 * math.sin((int(month[5:]) - 4) / 12 * 2 * math.pi)
            for district in districts_for(force):
                expected_ksi = (district.population or 0) / 100_000 * 2.5 * season
                slight = rng.poisson(expected_ksi * 4)
                serious = rng.poisson(expected_ksi * 0.95)
                fatal = rng.poisson(expected_ksi * 0.05)
                for severity, n in ((1, fatal), (2, serious), (3, slight)):
                    for _ in range(n):
                        day = int(rng.integers(1, 29))
                        rows += 1
                        writer.writerow(
                            [
                                f"SYN{month.replace('-', '')}{rows:06d}",
                                dft_police_force(force),
                                severity,
                                f"{day:02d}/{month[5:]}/{month[:4]}",
                                district.code,
                            ]
                        )
    return rows


def write_manual_values(path: Path, months: list[str], seed: int) -> int:
    """Monthly values for the example plan's manual measures, with the synthetic label as source."""
    rng = np.random.default_rng(seed + 31)
    n = len(months)
    series = {
        # The plan commits to doubling the Special Constabulary: a steady climb with noise.
        "special-constables": [300 + 300 * i / max(n - 1, 1) + rng.normal(0, 8) for i in range(n)],
        "public-confidence": [
            72 + rng.normal(0, 1.5) - (4 if i > n * 0.7 else 0) for i in range(n)
        ],
        "emergency-response": [88 + rng.normal(0, 1.8) for _ in range(n)],
        "victims-updated": [90 + 5 * i / max(n - 1, 1) + rng.normal(0, 1.2) for i in range(n)],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["measure", "area", "period", "value", "source"])
        for key, values in series.items():
            for month, value in zip(months, values, strict=True):
                value = round(value) if key == "special-constables" else round(min(value, 100), 1)
                writer.writerow([key, "force", month, value, SYNTHETIC_SOURCE])
    return n * len(series)
