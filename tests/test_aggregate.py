"""Aggregation per admin unit and sector, and the classes shared by every map."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mali_map import OptionError, aggregate, join, metric_classes, unit_totals
from mali_map._measure._classify import NO_DATA_COLOUR, PALETTE, classify


@pytest.fixture
def result(embedded):
    records = pd.DataFrame({
        "row": range(2, 9),
        "adm1_name": ["Gao", "Gao", "Gao", "Kidal", "Mopti", "Atlantis", "Kidal"],
        "sector": ["health", "health", "wash", "wash", "health", "health", "wash"],
        "organisation": ["HI", "UNICEF", "HI", "HI", "UNICEF", "HI", None],
        "reached": [100, 50, None, None, 7, 1000, 3],
        "targeted": [200, None, None, None, None, None, 0],
    })
    return join(records, embedded)


def test_aggregate_counts_activities_organisations_and_reached(result):
    table = aggregate(result).set_index(["pcode", "sector"])
    shown = ["activities", "organisations", "reached"]
    assert list(table.columns) == [*shown, "targeted"]  # every metric of the registry
    assert table.loc[("ML07", "health"), shown].tolist() == [2, 2, 150.0]
    assert table.loc[("ML07", "wash")].activities == 1
    assert math.isnan(table.loc[("ML07", "wash")].reached)  # nothing stated: not zero
    assert table.loc[("ML08", "wash"), shown].tolist() == [2, 1, 3.0]
    # targeted follows the same rule: a stated 0 is 0, nothing stated is NaN.
    assert table.loc[("ML07", "health"), "targeted"] == 200
    assert table.loc[("ML08", "wash"), "targeted"] == 0
    assert math.isnan(table.loc[("ML07", "wash"), "targeted"])
    # The unmatched Atlantis row is in no unit: its 1000 people are not counted anywhere.
    assert table["reached"].sum() == 160


def test_unit_totals_cover_every_unit_with_zeros(result, embedded):
    totals = unit_totals(result).set_index("pcode")
    assert len(totals) == len(embedded.adm1)
    assert totals.loc["ML07", ["activities", "organisations"]].tolist() == [3, 2]
    assert totals.loc["ML07", "reached"] == 150
    assert totals.loc["ML01", ["activities", "organisations"]].tolist() == [0, 0]
    # One missing-value rule from the registry: sums are NaN where no record states one.
    assert math.isnan(totals.loc["ML01", "reached"]) and math.isnan(totals.loc["ML01", "targeted"])
    assert totals.loc["ML07", "targeted"] == 200 and totals.loc["ML08", "targeted"] == 0
    assert totals.crs.to_epsg() == 4326 and totals.geometry.notna().all()


def test_unit_totals_for_one_sector(result):
    wash = unit_totals(result, sector="wash").set_index("pcode")
    assert wash.loc["ML07", "activities"] == 1
    assert wash.loc["ML08", "activities"] == 2
    assert wash.loc["ML05", "activities"] == 0


def test_metric_classes_come_from_unit_totals(result):
    classes = metric_classes(result, "activities", scheme="equal_interval", k=3)
    values = unit_totals(result)["activities"]
    assert classes.bounds[-1] == values.max()
    assert classes.colour_for(0) == NO_DATA_COLOUR
    assert classes.colour_for(values.max()) == classes.colours[-1]
    with pytest.raises(ValueError, match="unknown metric 'people'"):
        metric_classes(result, "people")
    targeted = metric_classes(result, "targeted", scheme="equal_interval", k=3)
    assert targeted.bounds[-1] == 200


def test_record_cube_reduces_to_the_same_numbers_as_the_tables(result):
    from mali_map._measure._aggregate import record_cube
    from mali_map._measure._metrics import reduce_cube

    by_unit = reduce_cube(record_cube(result, dims=["sector", "organisation"]), ["unit"])
    totals = unit_totals(result).set_index("pcode")
    for row in by_unit.itertuples():
        assert totals.loc[row.unit, "activities"] == row.activities
        assert totals.loc[row.unit, "organisations"] == row.organisations


def test_classify_schemes_and_palette():
    values = [0, 1, 2, 3, 5, 8, 13, 21, 34]
    for scheme in ("quantiles", "equal_interval", "natural_breaks", "fisher_jenks"):
        classes = classify(values, scheme=scheme, k=4)
        assert list(classes.bounds) == sorted(classes.bounds)
        assert classes.bounds[-1] == 34
        assert set(classes.colours) <= set(PALETTE)
        assert len(classes.labels()) == len(classes.bounds)
    with pytest.raises(OptionError, match="scheme: expected one of quantiles, equal_interval"):
        classify(values, scheme="rainbow")


def test_classify_without_positive_values_has_one_class():
    classes = classify([0, 0, float("nan")])
    assert len(classes.bounds) == 1
    assert classes.colour_for(0) == NO_DATA_COLOUR
