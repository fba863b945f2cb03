"""Deterministic synthetic ledgers for benchmarks: the bundled ledger's reference tables plus N generated losses.

Value distributions follow the bundled ledger: mostly single items with day dates, some tallies, a few attributed
to systems, models that reach a price by model, family or category proxy, and some that stay uncosted.
"""

from __future__ import annotations

import csv
import datetime
import random
import shutil
from pathlib import Path

from drone_ledger.dates import interval_of
from drone_ledger.layout import columns_of
from drone_ledger.ledger import default_ledger_path

MODELS = [
    ("Tanks", "T-72B"),
    ("Tanks", "T-72"),
    ("Tanks", ""),
    ("Infantry Fighting Vehicles", "BMP-2"),
    ("Self-Propelled Artillery", "2S1 Gvozdika"),
    ("Trucks, Vehicles and Jeeps", "Ural-4320"),
    ("Trucks, Vehicles and Jeeps", ""),
    ("Surface-To-Air Missile Systems", "9K33 Osa"),
    ("Armoured Fighting Vehicles", "MT-LB"),
]
STATUSES = ["destroyed"] * 5 + ["captured"] * 3 + ["damaged", "abandoned"]
SYSTEMS = [("unattributed", "")] * 12 + [
    ("bayraktar-tb2", "medium"),
    ("iai-harop", "high"),
    ("drone-unknown", "low"),
    ("artillery", "medium"),
]
COLUMNS = columns_of("losses")


def synthetic_ledger(target: Path, rows: int, invalid_share: float = 0.0, seed: int = 20201014) -> Path:
    """Write a ledger directory with ``rows`` losses (a share of them broken, when asked) and return it."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(default_ledger_path(), target)
    start = datetime.date(2020, 9, 27)
    with (target / "losses.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i in range(rows):
            category, model = rng.choice(MODELS)
            status = rng.choice(STATUSES)
            system, confidence = rng.choice(SYSTEMS)
            tally = rng.random() < 0.05
            precision = "war" if tally else rng.choice(["day"] * 9 + ["month"])
            day = start + datetime.timedelta(days=rng.randrange(44))
            earliest, latest = {
                "war": ("", ""),
                "day": (day.isoformat(), day.isoformat()),
                "month": interval_of(day.isoformat()[:7]) or ("", ""),
            }[precision]
            quantity = str(rng.randint(2, 40) if tally else 1)
            side = "Armenia" if rng.random() < 0.8 else "Azerbaijan"
            row = [
                f"syn-{i}",
                "karabakh-2020",
                side,
                earliest,
                latest,
                "",
                category,
                model,
                quantity,
                status,
                status,
                system,
                "",
                confidence,
                "aggregate" if tally else "item",
                "",
                "",
                "",
                "synthetic",
                f"https://example.org/proof/{i}",
                "",
            ]
            if invalid_share and rng.random() < invalid_share:
                broken = rng.randrange(4)
                if broken == 0:
                    row[7] = "-1"
                elif broken == 1:
                    row[18] = "javascript:alert(1)"
                elif broken == 2:
                    row[10] = "kargu"
                else:
                    row[3], row[4] = "2020-02-30", "day"
            writer.writerow(row)
    return target


def synthetic_long_table(path: Path, rows: int, seed: int = 20220224) -> Path:
    """An Oryx per-item table of ``rows`` rows (the per-item format's columns)."""
    rng = random.Random(seed)
    models = ["T-72B", "1094 BMP-2(K)", "BMP-1(P)", "122mm D-30 howitzer", "(Unknown) truck", "T-80BVM", "MT-LB"]
    statuses = ["destroyed", "damaged", "abandoned", "captured", "destroyed by Bayraktar TB2", "damaged by Orion"]
    start = datetime.date(2022, 2, 24)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["country", "origin", "system", "status", "url", "date_recorded", "sysID", "imageID", "statusID", "matID"]
        )
        for i in range(rows):
            writer.writerow(
                [
                    "Russia",
                    "Soviet Union",
                    rng.choice(models),
                    rng.choice(statuses),
                    f"https://example.org/proof/{i}",
                    start + datetime.timedelta(days=rng.randrange(1200)),
                    i % 900,
                    i,
                    3,
                    f"7-{i}",
                ]
            )
    return path


def synthetic_wide_table(path: Path, rows: int, seed: int = 20230108) -> Path:
    """An Oryx per-model table of ``rows`` model rows with a dozen status columns."""
    rng = random.Random(seed)
    statuses = [
        "destroyed",
        "captured",
        "abandoned",
        "damaged",
        "damaged and captured",
        "destroyed by Orion",
        "destroyed by Bayraktar TB2",
        "damaged by Forpost-R",
        "abandoned and destroyed",
        "sunk",
        "captured and destroyed",
        "destroyed by loitering munition",
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["equipment", "model", "sub_model", "manufacturer", "losses_total", *statuses])
        for i in range(rows):
            counts = [rng.choice(["", "", "", "1.0", "2.0", "5.0"]) for _ in statuses]
            total = sum(int(float(c)) for c in counts if c)
            writer.writerow(["Tanks", f"Model-{i}", "", "the Soviet Union", total, *counts])
    return path
