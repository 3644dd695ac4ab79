"""The national and multi-unit programmes panel: which records each page lists, the
count following the filters (against a record-level count), text that never runs."""

from __future__ import annotations

import json
import random
import re

import numpy as np
import pandas as pd
import pytest
from browser import CANARIES, launch_browser, open_page, serve
from synthetic_result import active, synthetic_result

from mali_map._build._pipeline import join_files
from mali_map._reference._vocabulary import sector_label
from mali_map._render.html import interactive_map, render_site
from mali_map._render.html._encode import decode_table
from mali_map._render.html._programmes import PROGRAMME_CAP
from mali_map._render.html._strings import status_label

DATA_RE = re.compile(r'<script type="application/json" id="mm-data">(.*?)</script>', re.S)
#: (units column, regions it names) of the multi-unit records.
MULTI = (("ML07;ML08", {"ML07", "ML08"}), ("ML0701;ML0601", {"ML07", "ML06"}),
         ("ML01;ML02;ML06", {"ML01", "ML02", "ML06"}))


def payload_of(html: str) -> dict:
    return json.loads(DATA_RE.search(html).group(1))


def with_programmes(seed: int = 4):
    """A synthetic result whose join report calls some records national, some multi."""
    result = synthetic_result(2500, seed=seed, orgs=12)
    rng = np.random.default_rng(seed)
    records, report = result.records, result.report
    off = np.flatnonzero(records["pcode"].isna().to_numpy())
    kind = rng.integers(0, 2, len(off))
    status = report["status"].to_numpy(dtype=object).copy()
    units = records["pcode"].to_numpy(dtype=object).copy()
    status[off] = np.where(kind == 0, "national", "multi")
    picks = rng.integers(0, len(MULTI), len(off))
    units[off] = np.where(kind == 1, [MULTI[p][0] for p in picks], None)
    activity = records["activity"].to_numpy(dtype=object).copy()
    activity[off[:len(CANARIES)]] = CANARIES
    records["activity"] = activity
    org = records["organisation"].to_numpy(dtype=object).copy()
    org[off[:len(CANARIES)]] = None  # listed first, before the cut
    records["organisation"] = org
    records["join_status"] = status
    result.report = report.assign(status=status, units=pd.array(units, dtype="string"))
    regions = {i: (set() if kind[j] == 0 else MULTI[picks[j]][1]) for j, i in enumerate(off)}
    return result, regions


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


def _applies(r: dict, regions: set, scope: tuple[str, str | None]) -> bool:
    kind, key = scope
    if kind == "region":
        return not regions or key in regions
    if kind == "sector":
        return r["sector"] == key
    return True


def test_each_page_lists_the_programmes_that_apply_to_it() -> None:
    result, regions = with_programmes()
    records = result.records
    for scope, kwargs in ((("overview", None), {}), (("region", "ML07"), {"region": "ML07"}),
                          (("region", "ML01"), {"region": "Kayes"}),
                          (("sector", "wash"), {"sector": "wash"})):
        data = payload_of(interactive_map(result, lang="en", **kwargs).html)["programmes"]
        want = [i for i, reg in regions.items()
                if _applies(records.iloc[i], reg, scope)]
        assert decode_table(data["counts"])["n"].sum() == len(want) > 0, scope
        assert data["lines"] == len(want)  # every synthetic activity text differs
        assert len(data["rows"]) == min(len(want), PROGRAMME_CAP), scope
        if len(want) <= PROGRAMME_CAP:
            assert sum(r["n"] for r in data["rows"]) == len(want)
        kinds = {r["k"] for r in data["rows"]}
        assert kinds == {0, 1}, scope
        for r in data["rows"]:
            if r["k"] == 1:
                assert r["u"] in {"Gao, Kidal", "Ansongo, Diré", "Kayes, Koulikoro, Timbuktu"}
                if scope == ("region", "ML07"):
                    assert r["u"] != "Kayes, Koulikoro, Timbuktu"
            else:
                assert r["u"] == ""
    french = payload_of(interactive_map(result, lang="fr", region="Kayes").html)
    assert {r["u"] for r in french["programmes"]["rows"]} == {"", "Kayes, Koulikoro, Tombouctou"}


def test_no_panel_without_national_or_multi_records(browser, tmp_path) -> None:
    result = synthetic_result(300, seed=2)  # statuses matched and unmatched only
    assert not result.report["status"].isin(["national", "multi"]).any()
    render_site(result, tmp_path)
    assert payload_of((tmp_path / "index.html").read_text("utf-8"))["programmes"]["rows"] == []
    with serve(tmp_path) as url:
        context, page, guard = open_page(browser, f"{url}/index.html")
        try:
            assert page.locator("#mm-programmes").count() == 0
            assert guard.clean(), guard.report()
        finally:
            context.close()


def test_panel_follows_the_filters_and_never_runs_its_text(browser, tmp_path) -> None:
    result, regions = with_programmes(seed=6)
    render_site(result, tmp_path, lang="en")
    rows = result.records.drop(columns="geometry").to_dict("records")
    rng = random.Random(7)
    with serve(tmp_path) as url:
        for path, scope in (("index.html", ("overview", None)),
                            ("regions/gao.html", ("region", "ML07"))):
            mine = [(r, regions[i]) for i, r in enumerate(rows)
                    if i in regions and _applies(r, regions[i], scope)]
            context, page, guard = open_page(browser, f"{url}/{path}")
            try:
                data = page.evaluate(
                    "JSON.parse(document.getElementById('mm-data').textContent)")
                panel = page.locator("#mm-programmes")
                assert panel.count() == 1
                text = panel.inner_text()
                listed = [r["a"] for r in data["programmes"]["rows"] if r["a"] in CANARIES]
                assert scope[0] != "overview" or len(listed) == len(CANARIES)
                for canary in listed:
                    assert canary.split("\u2028")[0] in text
                assert page.evaluate("window.__pwned") is None
                assert panel.locator("img, script, svg, b").count() == 0
                cut = data["programmes"]["lines"] > len(data["programmes"]["rows"])
                assert cut or scope[0] != "overview"  # the overview has more lines than fit
                assert panel.locator("a[href$='join-report.csv']").count() == int(cut)
                orgs, statuses = data["orgs"], data["statusKeys"]
                sectors = [s["k"] for s in data["sectors"]]
                for _ in range(15):
                    sector = rng.choice([None, *sectors])
                    org = rng.choice([None, *orgs])
                    status = rng.choice([None, *statuses])
                    year = rng.choice([None, *data["years"]])
                    page.click("#mm-reset")
                    if sector is not None:
                        page.select_option("#mm-f-sector", label=sector_label(sector, "en")
                                           if sector else "(no sector)")
                    if org is not None:
                        page.select_option("#mm-f-org", label=org)
                    if status is not None:
                        page.select_option("#mm-f-status", label=status_label(status, "en"))
                    if year is not None:
                        page.select_option("#mm-f-year", str(year))
                    want = sum(1 for r, _ in mine
                               if (sector is None or (r["sector"] or "") == sector)
                               and (org is None or r["organisation"] == org)
                               and (status is None or r["status"] == status)
                               and (year is None or active(r, year)))
                    got = page.locator("#mm-programmes-n").get_attribute("data-n")
                    assert int(got) == want, (path, sector, org, status, year)
                    shown = page.locator("#mm-programmes li.mm-prog").count()
                    assert shown == 0 if want == 0 else (shown > 0 or cut)
                    assert (page.locator("#mm-programmes .mm-empty").count() == 1) == (want == 0)
                assert page.evaluate("window.__pwned") is None
                assert guard.clean(), guard.report()
            finally:
                context.close()


def test_seed_national_and_northern_mali_records_are_listed() -> None:
    """The real join: national-level rows and 'northern Mali' (multi) rows of the seed."""
    result = join_files()
    status = result.report["status"]
    data = payload_of(interactive_map(result, lang="en").html)["programmes"]
    assert sum(r["n"] for r in data["rows"]) == int(status.isin(["national", "multi"]).sum())
    multi = {r["u"] for r in data["rows"] if r["k"] == 1}
    assert multi == {"Timbuktu, Gao, Kidal"}
    gao = payload_of(interactive_map(result, region="Gao", lang="fr").html)["programmes"]
    assert {r["u"] for r in gao["rows"] if r["k"] == 1} == {"Tombouctou, Gao, Kidal"}
