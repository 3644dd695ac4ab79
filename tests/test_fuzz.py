"""Property-based tests: the records reader, the boundary loader and the name normaliser
never fail with an unhandled exception or hang, and the join report always accounts for
every row.

The default suite runs a few examples per property. The dedicated run documented in
the README runs at least 10 000 examples of each::

    HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/test_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mali_map
from mali_map._core._text import fold
from mali_map._join._model import STATUSES
from mali_map._reference._gazetteer import name_key

#: Longest time one example may take before it counts as a hang (milliseconds).
EXAMPLE_DEADLINE_MS = 5_000

settings.register_profile(
    "default", max_examples=40, deadline=EXAMPLE_DEADLINE_MS,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "thorough", max_examples=10_000, deadline=EXAMPLE_DEADLINE_MS,
    suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

HEADERS = ["Organisation", "Partenaire", "Secteur", "Sector", "Région", "Region",
           "P-code région", "admin1Pcode", "Cercle", "ADM2_PCODE", "Localité", "Pays",
           "Latitude", "Longitude", "Date début", "Date fin", "Statut", "Bénéficiaires",
           "Cible", "Budget", "#org+impl", "#adm1+name", "#geo+lat", "#geo+lon", "", "X"]
CELLS = ["Gao", "Kidal", "Tombouctou", "Timbuktu", "ML07", "mli05", "ML-9", "ML10", "ML0101",
         "Ménaka", "Taoudénit", "Nord du Mali", "Gao, Kidal", "Mali", "national", "Sénégal",
         "SEN", "Bamako", "Sofara", "14,5", "-4,2", "1.2e1", "-8e-05", "1 200", "1 2 3",
         "2023-01-15T08:30:12.000+00:00", "T1 2023", "31/12/2024", "en cours", "Terminé",
         "Santé", "EHA", "WASH", "=HYPERLINK(\"x\")", "<img src=x onerror=alert(1)>", "\"",
         "''", ";", ",", "\t", "NaN", "inf", "0", "", " "]

cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=12))
separator = st.sampled_from([";", ",", "\t"])
encoding = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])

#: The exceptions a loader may raise on bad input: mali-map's own, one line each.
EXPECTED = (mali_map.MaliMapError,)


@st.composite
def tables(draw: st.DrawFn) -> bytes:
    """A CSV-like 3W table: a header (maybe an HXL row, a title), rows of messy cells."""
    sep = draw(separator)
    width = draw(st.integers(1, 8))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    lines = []
    if draw(st.booleans()):
        lines.append(draw(st.text(max_size=30)))          # a title line
    lines.append(sep.join(header))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=width + 2), max_size=12))
    lines.extend(sep.join(r) for r in rows)
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    try:
        return text.encode(draw(encoding))
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _check_join(records) -> None:
    result = mali_map.join(records, mali_map.load_boundaries())
    report = result.report
    assert len(report) == len(records) == len(result.records)
    assert report["status"].isin(STATUSES).all()
    counts = mali_map.summarise(result)
    assert sum(counts[s] for s in STATUSES) == counts["rows"] == len(records)


@given(data=tables())
def test_records_reader_never_crashes_and_report_accounts_for_every_row(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "3w.csv"
        path.write_bytes(data)
        try:
            records = mali_map.load_records(path)
        except EXPECTED as exc:
            assert "\n" not in str(exc) and str(exc)
            return
        _check_join(records)


@given(data=st.binary(max_size=400))
def test_records_reader_on_arbitrary_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "3w.csv"
        path.write_bytes(data)
        try:
            records = mali_map.load_records(path)
        except EXPECTED as exc:
            assert "\n" not in str(exc) and str(exc)
            return
        _check_join(records)


@given(text=st.text(max_size=60))
def test_name_normaliser_is_total_and_stable(text: str) -> None:
    folded = fold(text)
    assert folded == fold(folded)
    assert folded == folded.strip() and "  " not in folded
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in folded)
    key = name_key(text)
    assert isinstance(key, str) and key == key.strip()
    assert name_key(key) == key or key == folded


@pytest.mark.parametrize("text", ["", "Région de Ségou", "District de Bamako", "Cercle d'Ansongo"])
def test_name_key_examples_fold_prefixes(text: str) -> None:
    assert name_key(text) in ("", "segou", "bamako", "ansongo")
