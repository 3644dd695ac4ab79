"""Seeded synthetic 3W tables, written as a new French-speaking user's file would be.

cp1252, ``;``-separated, decimal commas, French headers. Of the rows, exactly 60 % give
coordinates (inside Mali), 25 % only a region P-code and 15 % only a region name, spelled
in several ways (accents, capitals, "Région de ...", English names, typos a fuzzy match
must catch). Organisations follow a long-tailed distribution; sectors are written in
French or English; statuses, start/end dates (DD/MM/YYYY) and beneficiaries (10 % blank).
The same ``rows`` and ``seed`` always give the same bytes.

Run ``python benchmarks/synthetic.py ROWS FILE`` to write one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "data" / "regions" / "mali_adm1.geojson"

#: Share of rows located by coordinates, by P-code only and by region name only.
SHARES = {"coordinates": 0.60, "pcode": 0.25, "name": 0.15}

HEADER = ("Organisation", "Secteur", "Activité", "Région", "P-code région", "Localité",
          "Latitude", "Longitude", "Date début", "Date fin", "Statut", "Bénéficiaires")

#: Region names as people write them (P-code -> spellings), typos included.
NAME_VARIANTS = {
    "ML01": ("Kayes", "KAYES", "Région de Kayes"),
    "ML02": ("Koulikoro", "Koulikouro", "koulikoro"),
    "ML03": ("Sikasso", "SIKASSO", "Sikaso"),
    "ML04": ("Ségou", "Segou", "Région de Ségou"),
    "ML05": ("Mopti", "MOPTI", "Région de Mopti"),
    "ML06": ("Tombouctou", "Timbuktu", "Tombouctu"),
    "ML07": ("Gao", "GAO", "Région de Gao"),
    "ML08": ("Kidal", "KIDAL"),
    "ML09": ("Bamako", "District de Bamako", "BAMAKO"),
}
SECTORS = ("Santé", "Health", "EHA", "WASH", "Éducation", "Education", "Nutrition",
           "Protection", "Protection de l'enfant", "Lutte antimines", "Mine action",
           "Sécurité alimentaire", "Food security", "Abris", "Moyens de subsistance",
           "Réadaptation")
STATUSES = ("En cours", "Terminé", "Planifié", "Suspendu", "en cours", "Completed")
ORG_STEMS = ("Action Sahel", "Aide et Développement", "Solidarité Nord", "Santé Pour Tous",
             "Eau Vive Mali", "Enfance Sahel", "Femmes et Avenir", "Relief Partners",
             "Sahel Health Alliance", "Terres Nouvelles", "Jeunesse Active", "Paix et Vie")
ACTIVITIES = ("Distribution de kits", "Forage et réhabilitation de points d'eau",
              "Cliniques mobiles", "Sensibilisation communautaire", "Cash transfer",
              "Formation des agents de santé", "Dépistage de la malnutrition",
              "Cantines scolaires", "Éducation aux risques des engins explosifs",
              "Appui psychosocial", "Réhabilitation d'écoles", "Semences et outils")
N_ORGS = 150


def _mali() -> shapely.Geometry:
    features = json.loads(REGIONS.read_text(encoding="utf-8"))["features"]
    return shapely.union_all([shapely.from_geojson(json.dumps(f["geometry"]))
                              for f in features])


def _points_in_mali(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points drawn uniformly inside Mali (rejection sampling in its bounding box)."""
    mali = _mali()
    shapely.prepare(mali)
    xmin, ymin, xmax, ymax = mali.bounds
    xs, ys, have = [], [], 0
    while have < n:
        x = rng.uniform(xmin, xmax, 2 * (n - have) + 16)
        y = rng.uniform(ymin, ymax, x.size)
        inside = shapely.contains_xy(mali, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        have += int(inside.sum())
    return np.concatenate(xs)[:n].round(5), np.concatenate(ys)[:n].round(5)


def _dates(day: np.ndarray, month: np.ndarray, year: np.ndarray) -> pd.Series:
    text = lambda a, w: pd.Series(a).astype(str).str.zfill(w)  # noqa: E731
    return text(day, 2) + "/" + text(month, 2) + "/" + text(year, 4)


def kinds(rows: int, seed: int = 2024) -> np.ndarray:
    """How each row is located: 0 coordinates, 1 P-code only, 2 name only (exact shares)."""
    counts = [round(rows * SHARES["coordinates"]), round(rows * SHARES["pcode"])]
    counts.append(rows - sum(counts))
    rng = np.random.default_rng([seed, 1])
    return rng.permutation(np.repeat(np.arange(3, dtype=np.int8), counts))


def generate(rows: int, seed: int = 2024) -> pd.DataFrame:
    """The synthetic table as text columns (what :func:`write` puts in the file).

    >>> frame = generate(1000)
    >>> (frame["Latitude"].notna().sum(), frame["P-code région"].notna().sum(),
    ...  frame["Région"].notna().sum())
    (np.int64(600), np.int64(250), np.int64(150))
    """
    rng = np.random.default_rng(seed)
    kind = kinds(rows, seed)
    pcodes = np.array(sorted(NAME_VARIANTS))
    region = rng.integers(0, len(pcodes), rows)

    frame = pd.DataFrame(index=pd.RangeIndex(rows))
    weights = 1.0 / np.arange(1, N_ORGS + 1)
    org = rng.choice(N_ORGS, rows, p=weights / weights.sum())
    org_names = np.array([f"{ORG_STEMS[i % len(ORG_STEMS)]} {i // len(ORG_STEMS) + 1}"
                          for i in range(N_ORGS)])
    frame["Organisation"] = org_names[org]
    frame["Secteur"] = np.array(SECTORS)[rng.integers(0, len(SECTORS), rows)]
    frame["Activité"] = np.array(ACTIVITIES)[rng.integers(0, len(ACTIVITIES), rows)]

    variants = [NAME_VARIANTS[p] for p in pcodes]
    pick = rng.integers(0, 3, rows)
    names = np.array([variants[r][k % len(variants[r])] for r in range(len(pcodes))
                      for k in range(3)]).reshape(len(pcodes), 3)
    frame["Région"] = pd.Series(np.where(kind == 2, names[region, pick], None), dtype=object)
    frame["P-code région"] = pd.Series(np.where(kind == 1, pcodes[region], None),
                                       dtype=object)
    frame["Localité"] = "Site " + pd.Series(rng.integers(1, 5000, rows)).astype(str)

    lon, lat = _points_in_mali(rng, int((kind == 0).sum()))
    latitude = np.full(rows, np.nan)
    longitude = np.full(rows, np.nan)
    latitude[kind == 0], longitude[kind == 0] = lat, lon
    frame["Latitude"], frame["Longitude"] = latitude, longitude

    year = rng.integers(2015, 2026, rows)
    month, day = rng.integers(1, 13, rows), rng.integers(1, 29, rows)
    frame["Date début"] = _dates(day, month, year)
    status = rng.integers(0, len(STATUSES), rows)
    frame["Statut"] = np.array(STATUSES)[status]
    ended = np.isin(status, (1, 5))
    end = _dates(day, month, year + rng.integers(0, 3, rows))
    frame["Date fin"] = end.where(ended, None)
    reached = pd.array(rng.integers(0, 5000, rows), dtype="Int64")
    reached[rng.random(rows) < 0.10] = pd.NA
    frame["Bénéficiaires"] = reached
    return frame[list(HEADER)]


def write(path: str | Path, rows: int, seed: int = 2024) -> Path:
    """Write the table to ``path`` (cp1252, ``;``, decimal commas); returns the path."""
    path = Path(path)
    generate(rows, seed).to_csv(path, sep=";", decimal=",", float_format="%.5f",
                                index=False, encoding="cp1252", lineterminator="\r\n")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/synthetic.py ROWS FILE")
    print(write(sys.argv[2], int(sys.argv[1])))
