"""The 3W snapshot report (issue 11): PDF pages and text, HTML in a real browser,
figures and generated sentences checked against counts made here from the records."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pypdf
import pytest
from browser import launch_browser, open_page, sample_records, sample_result, serve

import mali_map
from mali_map._cli._main import main
from mali_map._geo._boundaries import load_boundaries
from mali_map._join._join import join
from mali_map._measure._aggregate import aggregate, unit_totals
from mali_map._reference._names import unit_name
from mali_map._reference._vocabulary import sector_label
from mali_map._snapshot import SnapshotOptions, build_facts, snapshot
from mali_map._snapshot._facts import production_date
from mali_map._snapshot._pdf import build_pages
from mali_map._snapshot._words import counted, number, word

LANGS = ("en", "fr")
DAY = date(2026, 11, 23)
CANARY_ORG = '<img src=x onerror="window.__pwned=1">'
CANARY_FORMULA = '=HYPERLINK("http://example.invalid/x","click")'
CANARY_ACTIVITY = "</style><script>window.__pwned=1</script> $x^2$"


def norm(text: str) -> str:
    """Collapse all white space (incl. no-break spaces) so wrapped PDF lines compare."""
    return " ".join(text.split())


def pdf_pages(path: Path) -> list[str]:
    return [norm(page.extract_text()) for page in pypdf.PdfReader(path).pages]


def names(lang: str) -> dict[str, str]:
    adm1 = load_boundaries().adm1
    return {pcode: unit_name(pcode, lang) for pcode in adm1["pcode"]}


@pytest.fixture(scope="module")
def sample() -> mali_map.JoinResult:
    return sample_result()


@pytest.fixture(scope="module")
def sample_pdfs(sample, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("snapshot")
    return {lang: snapshot(sample, out / f"sample-{lang}.pdf", lang=lang, produced=DAY,
                           producer="Cluster IM team", map_id="MLI-3W-2026-11")
            for lang in LANGS}


# --------------------------------------------------------------------------- the oracle


def oracle(result: mali_map.JoinResult) -> dict:
    """Figures counted directly from the joined records, not through the aggregates."""
    rec = pd.DataFrame(result.records.drop(columns="geometry"))
    dates = [str(v) for c in ("start_date", "end_date") for v in rec[c] if isinstance(v, str)]
    reached = pd.to_numeric(rec["reached"], errors="coerce")
    return {
        "activities": len(rec),
        "organisations": rec["organisation"].dropna().nunique(),
        "regions": rec["pcode"].dropna().nunique(),
        "placed": int(rec["pcode"].notna().sum()),
        "reached": float(reached.sum()),
        "stated": int(reached.notna().sum()),
        "period": (min(dates), max(dates)),
        "records": rec,
    }


# --------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_has_the_expected_pages_in_order(sample, sample_pdfs, lang):
    pages = pdf_pages(sample_pdfs[lang])
    facts = build_facts(sample, SnapshotOptions(lang=lang, produced=DAY))
    doc = build_pages(sample, facts)
    assert len(pages) == len(doc.figures) >= 7
    cover = pages[0]
    assert "Mali" in cover and word("kind", lang).upper() in cover
    # The contents on the cover give each section's page; the section is on that page.
    starts = {}
    for key in ("s.overview", "s.who_where", "s.small_multiples", "s.narrative",
                "s.programmes", "s.quality"):
        title = norm(word(key, lang))
        found = re.search(re.escape(title) + r" (\d+)", cover)
        assert found, (title, cover)
        starts[key] = int(found.group(1))
        page = pages[starts[key] - 1]
        assert title in page or key == "s.overview", (key, page[:200])
    assert list(starts.values()) == sorted(starts.values())
    assert starts["s.overview"] == 2
    overview = pages[1]
    assert norm(mali_map._core._i18n.label("metric_title.activities", lang)) in overview
    assert "MLI-3W-2026-11" in overview and DAY.isoformat() in overview  # map furniture
    multiples = pages[starts["s.small_multiples"] - 1]
    for key in ("health", "education", "wash"):
        assert norm(sector_label(key, lang)) in multiples
    # Every page carries its number.
    for n, page in enumerate(pages, start=1):
        assert norm(word("page", lang).format(n=n, total=len(pages))) in page


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_cover_shows_figures_counted_from_the_records(sample, sample_pdfs, lang):
    truth = oracle(sample)
    cover = pdf_pages(sample_pdfs[lang])[0]
    low, high = truth["period"]
    assert f"{low} – {high}" in cover
    assert DAY.isoformat() in cover and "Cluster IM team" in cover and "MLI-3W-2026-11" in cover
    label = mali_map._core._i18n.label
    assert f"{truth['activities']} {norm(label('activities', lang))}" in cover
    assert f"{truth['organisations']} {norm(label('organisations', lang))}" in cover
    assert (f"{truth['regions']} {norm(word('regions_covered', lang))} "
            f"{norm(word('of_n', lang).format(n=9))}") in cover
    assert f"{norm(number(truth['reached'], lang))} {norm(label('reached', lang))}" in cover
    assert norm(word("reached_stated", lang).format(
        n=truth["stated"], total=truth["activities"])) in cover
    assert f"{truth['placed']} {norm(word('activities_on_map', lang))}" in cover
    national = int(truth["records"]["precision"].eq("national").sum())
    n = truth["activities"]
    assert {"en": f"of {n}; {national} national level",
            "fr": f"sur {n} ; {national} de niveau national"}[lang] in cover


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_who_where_table_matches_a_count_of_the_records(sample, sample_pdfs, lang):
    truth = oracle(sample)
    rec = truth["records"]
    where = rec["pcode"].fillna("")
    counts = pd.crosstab(rec["organisation"], where)
    page = next(p for p in pdf_pages(sample_pdfs[lang]) if norm(word("s.who_where", lang)) in p
                and norm(word("not_placed", lang)) in p)
    facts = build_facts(sample, SnapshotOptions(lang=lang, produced=DAY))
    columns = facts.region_columns
    # Columns: regions by number of activities (most first); rows: organisations likewise.
    totals = {p: int((where == p).sum()) for p in columns}
    assert columns == sorted(columns, key=lambda p: -totals[p])
    assert set(columns) == set(rec["pcode"].dropna())
    header = " ".join(names(lang)[p] for p in columns)
    assert norm(header) in page
    for org in counts.index:
        cells = [int(counts.loc[org].get(p, 0)) for p in columns]
        cells += [int(counts.loc[org].get("", 0)), int(counts.loc[org].sum())]
        assert f"{org} {' '.join(map(str, cells))}" in page, (org, page)
    order = facts.who_where["organisation"].tolist()
    assert order == sorted(counts.index, key=lambda o: (-int(counts.loc[o].sum()), o))
    assert f"{norm(word('total', lang))} " + " ".join(
        [*(str(totals[p]) for p in columns), str(int((where == "").sum())),
         str(len(rec))]) in page


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_quality_annex_and_programmes(sample, sample_pdfs, lang):
    text = " ".join(pdf_pages(sample_pdfs[lang]))
    rec = oracle(sample)["records"]
    report = sample.report
    for status in ("matched", "warning", "unmatched", "invalid"):
        n = int((report["status"] == status).sum())
        assert f"{norm(word(f'rows.{status}', lang))} {n}" in text
    assert f"{norm(word('all_rows', lang))} {len(report)}" in text
    # T10 (region "Atlantis") needs attention, with the join report's reason; T09 is national.
    t10 = report[rec["id"].eq("T10").to_numpy()].iloc[0]
    assert norm(t10["message"]) in text and "Atlantis" in t10["message"]
    national = rec[rec["precision"].eq("national")]
    assert len(national) == 1
    assert norm(str(national.iloc[0]["activity"])) in text
    credit = mali_map._core._i18n.attribution(sample.boundaries.attribution[0], lang)  # issue 10
    assert credit in text and "sample.csv" in text


def test_pdf_is_vector_text_with_dated_metadata_and_paper_options(sample, tmp_path):
    path = snapshot(sample, tmp_path / "a3.pdf", paper="A3", orientation="landscape",
                    produced="2026-02-03", producer="Producer <b>X</b>")
    reader = pypdf.PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)
    assert reader.metadata["/CreationDate"].startswith("D:20260203")
    assert reader.metadata["/Author"] == "Producer <b>X</b>"
    assert "Producer <b>X</b>" in reader.pages[0].extract_text()
    portrait = pypdf.PdfReader(snapshot(sample, tmp_path / "a4.pdf", produced=DAY)).pages[0]
    assert (round(float(portrait.mediabox.width)), round(float(portrait.mediabox.height))) == (
        595, 842)


# --------------------------------------------------------------------------- narrative


@pytest.mark.parametrize("lang", LANGS)
def test_narrative_numbers_match_the_records_and_the_aggregates(sample, sample_pdfs, lang):
    facts = build_facts(sample, SnapshotOptions(lang=lang, produced=DAY))
    rec = oracle(sample)["records"]
    every_unit = list(names(lang))
    by_unit_sector = aggregate(sample)
    text = " ".join(pdf_pages(sample_pdfs[lang]))
    assert [s.key for s in facts.sectors] == ["health", "education", "wash"]
    for item in facts.sectors:
        mine = rec[rec["sector"] == item.key]
        placed = sorted(mine["pcode"].dropna().unique())
        assert item.activities == len(mine)
        assert item.organisations == mine["organisation"].nunique()
        assert item.not_placed == int(mine["pcode"].isna().sum())
        assert sorted(item.regions) == placed
        assert list(item.gaps) == [p for p in every_unit if p not in placed]
        agg = by_unit_sector[by_unit_sector["sector"] == item.key]
        assert int(agg["activities"].sum()) + item.not_placed == item.activities
        # The sentence states exactly these numbers and names every gap.
        sentence = norm(item.text)
        assert sentence.startswith(norm(sector_label(item.key, lang)))
        assert norm(counted(item.activities, "activities", lang)) in sentence
        assert norm(counted(item.organisations, "organisations", lang)) in sentence
        assert norm(counted(len(placed), "regions", lang)) in sentence
        for pcode in item.gaps:
            assert names(lang)[pcode] in sentence
        assert sentence in text
    totals = unit_totals(sample).set_index("pcode")
    for item in facts.regions:
        mine = rec[rec["pcode"] == item.pcode]
        assert item.activities == len(mine) == totals.loc[item.pcode, "activities"]
        assert item.organisations == mine["organisation"].nunique()
        assert set(item.sectors) == set(mine["sector"])
        assert set(item.gaps) == {"health", "education", "wash"} - set(mine["sector"])
        sentence = norm(item.text)
        if len(mine):
            assert norm(counted(len(mine), "activities", lang)) in sentence
        else:
            assert norm(word("region.none", lang)) in sentence
        assert sentence in text
    gao = next(r for r in facts.regions if r.pcode == "ML07")
    expected = {"en": "Gao: 3 activities by 2 organisations in 2 sectors (Health, Education); "
                      "no activity reported in WASH.",
                "fr": "Gao : 3 activités de 2 organisations dans 2 secteurs (Santé, Éducation) ; "
                      "aucune activité signalée en : EHA."}[lang]
    assert norm(gao.text) == expected


def test_national_status_and_multi_region_programmes(tmp_path):
    records = sample_records()
    # Org B runs one programme in two regions; Org C one in a single region.
    records.loc[records["id"] == "T04", "activity"] = "Water points"
    records.loc[records["id"] == "T08", "activity"] = "Water points"
    result = join(records, load_boundaries())
    # A future join may give national rows their own status: handled the same way.
    national = result.records["precision"].eq("national").to_numpy()
    result.records.loc[national, "join_status"] = "national"
    result.report.loc[national, "status"] = "national"
    facts = build_facts(result, SnapshotOptions(produced=DAY))
    scopes = {(p.scope, p.activity): p for p in facts.programmes}
    assert ("national", "Activity T09") in scopes
    multi = scopes[("multi_region", "Water points")]
    assert multi.organisation == "Org B" and set(multi.regions) == {"ML05", "ML01"}
    assert multi.rows == (5, 9)
    assert "national" not in set(facts.attention["status"])
    assert dict(facts.statuses)["national"] == 1
    assert facts.attention["row"].tolist() == [11]
    text = " ".join(pdf_pages(snapshot(result, tmp_path / "n.pdf", produced=DAY)))
    assert "Water points" in text and "Multi-region" in text and "national level 1" in text


def test_records_placed_in_several_regions_count_in_each_and_once_in_totals(tmp_path):
    records = sample_records()
    # T04 (Org B, WASH, 200 people) names two regions; Org B runs the same activity in
    # Kayes (T08): one programme in three regions.
    t04 = records["id"] == "T04"
    records.loc[t04, ["adm1_pcode", "latitude", "longitude", "place"]] = None
    records.loc[t04, "adm1_name"] = "Gao, Kidal"
    records.loc[t04 | records["id"].eq("T08"), "activity"] = "Water points"
    result = join(records, load_boundaries())
    report = result.report
    assert report.loc[t04.to_numpy(), "status"].tolist() == ["multi"]
    # The oracle: every record's regions read from the join report, counted here.
    units = {int(r.row): (r.units.split(";") if r.status == "multi" else
                          [r.pcode] if isinstance(r.pcode, str) else [])
             for r in report.itertuples(index=False)}
    rec = pd.DataFrame(result.records.drop(columns="geometry"))
    rec["units"] = rec["row"].map(units)
    for lang in LANGS:
        facts = build_facts(result, SnapshotOptions(lang=lang, produced=DAY))
        assert facts.key.placed == int(rec["units"].map(bool).sum()) == 8
        assert facts.key.several == 1 and facts.key.national == 1
        assert facts.key.regions == len({u for us in rec["units"] for u in us}) == 5
        assert facts.key.reached == rec["reached"].sum() == 395  # T04's 200 counted once
        table = facts.who_where.set_index("organisation")
        for org, mine in rec.groupby("organisation"):
            for pcode in facts.region_columns:
                assert table.loc[org, pcode] == sum(pcode in us for us in mine["units"])
            assert table.loc[org, "not_placed"] == int((~mine["units"].map(bool)).sum())
            assert table.loc[org, "total"] == len(mine)
        assert (table.loc["Org B", ["ML07", "ML08", "ML01"]] == [2, 1, 1]).all()
        wash = next(item for item in facts.sectors if item.key == "wash")
        assert (wash.activities, wash.not_placed) == (3, 1)  # T04, T05; T09 national
        assert wash.regions == ("ML05", "ML07", "ML08")
        programme = next(p for p in facts.programmes if p.activity == "Water points")
        assert (programme.scope, programme.organisation) == ("multi_region", "Org B")
        assert (programme.regions, programme.rows) == (("ML01", "ML07", "ML08"), (5, 9))
        assert dict(facts.statuses)["multi"] == 1
        assert 5 not in facts.attention["row"].tolist()
    pages = pdf_pages(snapshot(result, tmp_path / "multi.pdf", lang="fr", produced=DAY))
    assert "sur 10 ; 1 de niveau national, 1 dans plusieurs régions" in pages[0]
    text = " ".join(pages)
    assert f"{norm(word('rows.multi', 'fr'))} 1" in text and "Multirégional" in text


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("suffix", ["pdf", "html"])
def test_two_runs_give_identical_files(sample, tmp_path, monkeypatch, suffix):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21 UTC
    assert production_date() == date(2026, 9, 21)
    first = snapshot(sample, tmp_path / f"a.{suffix}", lang="fr")
    second = snapshot(sample, tmp_path / f"b.{suffix}", lang="fr")
    assert first.read_bytes() == second.read_bytes()
    assert "2026-09-21" in (first.read_text("utf-8") if suffix == "html"
                            else pdf_pages(first)[0])
    other = snapshot(sample, tmp_path / f"c.{suffix}", lang="fr", produced="2026-09-22")
    assert other.read_bytes() != first.read_bytes()


# --------------------------------------------------------------------------- HTML


def canary_records() -> pd.DataFrame:
    records = sample_records()
    records.loc[records["id"] == "T01", "organisation"] = CANARY_ORG
    records.loc[records["id"] == "T09", "organisation"] = CANARY_FORMULA
    records.loc[records["id"] == "T09", "activity"] = CANARY_ACTIVITY
    records.loc[records["id"] == "T10", "activity"] = CANARY_FORMULA
    records.loc[records["id"] == "T03", "source"] = "<svg onload=window.__pwned=1>"
    return records


@pytest.mark.parametrize("lang", LANGS)
def test_html_opens_offline_without_errors_and_shows_the_figures(sample, tmp_path, lang):
    path = snapshot(sample, tmp_path / "snapshot.html", lang=lang, produced=DAY,
                    producer="Cluster IM team")
    html_text = path.read_text("utf-8")
    assert "<script" not in html_text and "http://" not in html_text.replace(
        "http-equiv", "")
    truth = oracle(sample)
    facts = build_facts(sample, SnapshotOptions(lang=lang, produced=DAY))
    with serve(tmp_path) as base, launch_browser() as browser:
        context, page, guard = open_page(browser, f"{base}/snapshot.html", ready=False)
        try:
            assert guard.clean(), guard.report()
            assert page.evaluate("document.documentElement.lang") == lang
            csp = page.evaluate("document.querySelector('meta[http-equiv]').content")
            assert "default-src 'none'" in csp and "script-src 'none'" in csp
            images = page.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth])")
            assert len(images) == 2 and all(ok and w > 500 for ok, w in images)
            figures = page.evaluate(
                "[...document.querySelectorAll('ul.figures strong')].map(e => e.textContent)")
            assert figures[:3] == [str(truth["activities"]), str(truth["organisations"]),
                                   str(truth["regions"])]
            body = norm(page.inner_text("body"))
            for item in [*facts.sectors, *facts.regions]:
                assert norm(item.text) in body
            rows = page.evaluate("[...document.querySelectorAll('#who-where-table tbody tr')]"
                                 ".map(r => [...r.cells].map(c => c.textContent))")
            rec = truth["records"]
            assert len(rows) == rec["organisation"].nunique() + 1
            assert rows[-1][-1] == str(len(rec))
            for row in rows[:-1]:
                assert int(row[-1]) == int((rec["organisation"] == row[0]).sum())
        finally:
            context.close()
        assert guard.clean(), guard.report()


def test_canaries_are_text_in_html_and_pdf(tmp_path):
    result = join(canary_records(), load_boundaries())
    result.source = "canary.csv"
    html_path = snapshot(result, tmp_path / "canary.html", produced=DAY)
    html_text = html_path.read_text("utf-8")
    assert "<script" not in html_text and "<img src=x" not in html_text
    with serve(tmp_path) as base, launch_browser() as browser:
        context, page, guard = open_page(browser, f"{base}/canary.html", ready=False)
        try:
            page.wait_for_timeout(300)
            assert page.evaluate("window.__pwned") is None
            assert page.evaluate("document.querySelectorAll('script, svg, iframe').length") == 0
            assert page.evaluate("document.images.length") == 2  # only the two maps
            body = page.inner_text("body")
            for text in (CANARY_ORG, CANARY_FORMULA, CANARY_ACTIVITY):
                assert text in body
        finally:
            context.close()
        assert guard.clean(), guard.report()
    pdf_text = " ".join(pdf_pages(snapshot(result, tmp_path / "canary.pdf", produced=DAY)))
    for text in (CANARY_ORG, CANARY_FORMULA, norm(CANARY_ACTIVITY)):
        assert norm(text) in pdf_text


def test_hostile_boundary_names_and_attribution_stay_text(tmp_path):
    from browser import CANARIES, canary_result

    result = canary_result()
    html_path = snapshot(result, tmp_path / "hostile.html", produced=DAY)
    assert "<script" not in html_path.read_text("utf-8")
    with serve(tmp_path) as base, launch_browser() as browser:
        context, page, guard = open_page(browser, f"{base}/hostile.html", ready=False)
        try:
            page.wait_for_timeout(300)
            assert page.evaluate("window.__pwned") is None
            body = page.inner_text("body")
            assert CANARIES[1] in body and CANARIES[3] in body
        finally:
            context.close()
        assert guard.clean(), guard.report()


# --------------------------------------------------------------------------- command line


def test_cli_snapshot_writes_pdf_and_html(tmp_path, capsys):
    pdf = tmp_path / "out" / "snapshot.pdf"
    code = main(["snapshot", "-o", str(pdf), "--lang", "fr", "--date", "2026-01-02",
                 "--producer", "OCHA Mali", "--map-id", "MLI-001"])
    assert code == 0, capsys.readouterr().err
    cover = pdf_pages(pdf)[0]
    seed = mali_map.join_files()
    assert f"{len(seed.records)} Activités" in cover
    assert "2026-01-02" in cover and "OCHA Mali" in cover and "MLI-001" in cover
    html = tmp_path / "snapshot.html"
    assert main(["snapshot", "-o", str(html), "--date", "2026-01-02"]) == 0
    assert html.read_text("utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("argv, expected", [
    (["--date", "02/01/2026"], "date: expected a date written YYYY-MM-DD"),
    (["--classes", "0"], "classes: expected a whole number from 1 to 9, got 0"),
    (["--paper", "A5"], "paper: expected one of A4, A3, got 'A5'"),
    (["-o", "snapshot.docx"], "a file name ending in .pdf or .html"),
    (["--records", "missing.csv"], "missing.csv"),
])
def test_cli_snapshot_bad_options_are_one_line_exit_2(tmp_path, capsys, argv, expected):
    args = ["snapshot", "-o", str(tmp_path / "s.pdf"), *argv]
    args = [a if a != "snapshot.docx" else str(tmp_path / a) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "s.pdf").exists()


def test_cli_snapshot_reads_a_recipe_and_flags_override_it(tmp_path, capsys):
    records = tmp_path / "records.csv"
    sample_records().to_csv(records, index=False)
    recipe = tmp_path / "recipe.toml"
    recipe.write_text('records = "records.csv"\nlang = "fr"\npaper = "A3"\n'
                      'orientation = "landscape"\nproducer = "Cluster Santé"\n'
                      'map_id = "MLI-R-01"\ndate = "2026-04-30"\n', encoding="utf-8")
    pdf = tmp_path / "from-recipe.pdf"
    assert main(["snapshot", "--config", str(recipe), "-o", str(pdf)]) == 0, \
        capsys.readouterr().err
    reader = pypdf.PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)  # A3 landscape
    cover = pdf_pages(pdf)[0]
    n = len(sample_records())
    assert f"{n} Activités" in cover and "Cluster Santé" in cover and "MLI-R-01" in cover
    assert "2026-04-30" in cover and "records.csv" in " ".join(pdf_pages(pdf))
    # a flag given on the command line wins over the recipe's key of the same name
    flagged = tmp_path / "flags.pdf"
    assert main(["snapshot", "--config", str(recipe), "-o", str(flagged), "--lang", "en",
                 "--paper", "A4", "--orientation", "portrait", "--producer", "HI Mali"]) == 0
    page = pypdf.PdfReader(flagged).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    cover = pdf_pages(flagged)[0]
    assert f"{n} Activities" in cover and "HI Mali" in cover and "Cluster Santé" not in cover
    assert "MLI-R-01" in cover  # not overridden: still the recipe's


def test_snapshot_options_use_the_checks_of_the_options(sample, tmp_path):
    """One bound, one place: SnapshotOptions refuses exactly what Options refuses."""
    for snap_change, option_change in [({"paper": "A5"}, {"paper": "A5"}),
                                       ({"lang": "de"}, {"lang": "de"}),
                                       ({"metric": "money"}, {"metric": "money"}),
                                       ({"scheme": "magic"}, {"scheme": "magic"}),
                                       ({"orientation": "diagonal"}, {"orientation": "diagonal"}),
                                       ({"map_id": "x" * 41}, {"map_id": "x" * 41}),
                                       ({"producer": "a\x1b[31mb"}, {"producer": "a\x1b[31mb"})]:
        with pytest.raises(mali_map.OptionError) as from_snapshot:
            SnapshotOptions(**snap_change).resolved()
        with pytest.raises(mali_map.OptionError) as from_options:
            mali_map.Options(**option_change)
        assert str(from_snapshot.value) == str(from_options.value)
    with pytest.raises(mali_map.OptionError, match="k: expected a whole number from 1 to 9"):
        snapshot(sample, tmp_path / "s.pdf", k=0)
    with pytest.raises(mali_map.OptionError, match="k: expected a whole number"):
        snapshot(sample, tmp_path / "s.pdf", k=2.5)
    with pytest.raises(mali_map.OptionError, match="produced: expected a date"):
        snapshot(sample, tmp_path / "s.pdf", produced="31/01/2026")
    with pytest.raises(mali_map.OutputError, match=r"unknown snapshot format '\.docx'"):
        snapshot(sample, tmp_path / "s.docx")
    assert not list(tmp_path.iterdir())
    opts = SnapshotOptions(lang="FR", paper="a3", orientation="Landscape", k="7").resolved()
    assert (opts.lang, opts.paper, opts.orientation, opts.k) == ("fr", "A3", "landscape", 7)


def test_long_attention_lists_are_capped_with_a_count_of_the_rest(tmp_path, monkeypatch):
    import mali_map._snapshot._pdf as pages

    records = sample_records()
    for i in ("T01", "T02", "T03"):
        records.loc[records["id"] == i, ["adm1_pcode", "latitude", "longitude"]] = None
        records.loc[records["id"] == i, "adm1_name"] = f"Nowhere {i}"
    result = join(records, load_boundaries())
    monkeypatch.setattr(pages, "ATTENTION_LIMIT", 2)
    facts = build_facts(result, SnapshotOptions(produced=DAY))
    assert len(facts.attention) == 4  # T01-T03 and T10
    _, rows = pages.attention_rows(facts)
    assert [r[0] for r in rows] == ["2", "3"]
    html = snapshot(result, tmp_path / "s.html", produced=DAY).read_text("utf-8")
    assert "and 2 more rows needing attention" in html and "Nowhere T03" not in html


def test_readme_shows_the_first_page_of_the_seed_snapshot(repo_root):
    image = repo_root / "docs" / "snapshot-page1.png"
    assert "docs/snapshot-page1.png" in (repo_root / "README.md").read_text("utf-8")
    data = image.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 200_000
