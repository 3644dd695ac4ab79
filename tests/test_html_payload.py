"""The HTML site without a browser: files, slugs, payload, escaping, CSP, size, languages."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import CANARIES, canary_result, sample_result, sample_rows

from mali_map._build._pipeline import join_files
from mali_map._core._errors import OutputError
from mali_map._measure._aggregate import metric_classes
from mali_map._render.html import interactive_map, render_site
from mali_map._render.html._assets import load_assets
from mali_map._render.html._encode import decode_table
from mali_map._render.html._values import dump_json

DATA_RE = re.compile(r'<script type="application/json" id="mm-data">(.*?)</script>', re.S)
SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.S)
CSP_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p",
                "nav", "a", "main", "aside", "div", "noscript", "section", "table", "thead",
                "tbody", "tr", "th", "td", "strong", "ul", "li", "footer", "script"}


class _Tags(HTMLParser):
    """Every element name in a page and every event-handler attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.handlers: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.names.add(tag)
        self.handlers += [(tag, k) for k, _ in attrs if k.startswith("on")]


def payload_of(page: str) -> dict:
    found = DATA_RE.findall(page)
    assert len(found) == 1, "exactly one embedded data block"
    return json.loads(found[0])


@pytest.fixture(scope="module")
def sample():
    return sample_result()


@pytest.fixture(scope="module")
def site(sample, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    render_site(sample, out, lang="en")
    return out


def test_site_files_and_slugs(site: Path) -> None:
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    # regions with records: Kayes ML01, Mopti ML05, Tombouctou ML06, Gao ML07
    assert files == sorted([
        "index.html", "regions/gao.html", "regions/kayes.html", "regions/mopti.html",
        "regions/tombouctou.html", "sectors/education.html", "sectors/health.html",
        "sectors/wash.html"])
    index = (site / "index.html").read_text("utf-8")
    for name in files[1:]:
        assert f'href="{name}"' in index, f"overview links to {name}"


def cube_of(payload: dict) -> dict:
    return decode_table(payload["cube"])


def test_payload_cube_and_classes_identical_everywhere(site: Path, sample) -> None:
    rows = sample_rows()
    pages = {p.relative_to(site).as_posix(): payload_of(p.read_text("utf-8"))
             for p in site.rglob("*.html")}
    overview = pages["index.html"]
    assert "records" not in overview  # aggregates, not records
    cube = cube_of(overview)
    assert cube["n"].sum() == len(rows)
    assert cube["n"][cube["unit"] > 0].sum() == sum(1 for r in rows if r["pcode"])
    assert len(overview["units"]["features"]) == 9
    expected = metric_classes(sample, "activities")
    for name, payload in pages.items():
        assert payload["classes"]["activities"]["bounds"] == list(expected.bounds), name
        assert payload["classes"] == overview["classes"], name
    gao = pages["regions/gao.html"]
    assert cube_of(gao)["n"].sum() == 3  # T01, T02, T03
    assert sorted(gao["points"]["id"]) == ["T01", "T03"]
    assert [f["properties"]["p"] for f in gao["units"]["features"]] == ["ML07"]
    health = pages["sectors/health.html"]
    assert cube_of(health)["n"].sum() == sum(1 for r in rows if r["sector"] == "health")
    assert health["orgs"] == ["Org A", "Org B", "Org C"]


def test_points_are_rounded_and_only_for_located_records(site: Path) -> None:
    points = payload_of((site / "index.html").read_text("utf-8"))["points"]
    assert points["mode"] == "markers"
    with_points = dict(zip(points["id"], zip(points["lat"], points["lon"], strict=True),
                           strict=True))
    expected = {r["id"]: (r["lat"], r["lon"]) for r in sample_rows() if r["lat"] is not None}
    assert with_points == expected


def test_dump_json_is_inert_in_a_script_element() -> None:
    data = {"a": "</script><script>x()</script>", "b": "&amp; <!-- \u2028\u2029 -->"}
    text = dump_json(data)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == data


def test_canaries_never_appear_as_markup(tmp_path: Path) -> None:
    result = canary_result()
    files = render_site(result, tmp_path, lang="fr")
    assert all(p.resolve().is_relative_to(tmp_path.resolve()) for p in files)
    assert len(files) > 3
    for path in files:
        page = path.read_text("utf-8")
        assert page.count("<script>") == 3  # Leaflet, markercluster, map.js - nothing else
        assert page.count("</script>") == 4  # the three + the JSON block
        markup = SCRIPT_RE.sub("", DATA_RE.sub("", page))
        for text in CANARIES:
            if "<" in text:
                assert text not in markup, (path, text)
        tags = _Tags()
        tags.feed(page)
        assert tags.handlers == [], (path, tags.handlers)
        assert tags.names <= ALLOWED_TAGS, (path, tags.names - ALLOWED_TAGS)
        # shown escaped: the boundary attribution in the footer, the data source
        assert html.escape(CANARIES[1]) in markup and html.escape(CANARIES[3]) in markup
        # and the data round-trips verbatim through the JSON block
        texts = json.dumps(payload_of(page), ensure_ascii=False)
        assert json.dumps(CANARIES[3])[1:-1] in texts, path


def test_slugs_of_hostile_sector_names_stay_inside(tmp_path: Path) -> None:
    result = canary_result()
    result.records.loc[0, "sector"] = "../../../../tmp/evil"
    files = render_site(result, tmp_path / "out", lang="en")
    for path in files:
        rel = path.resolve().relative_to((tmp_path / "out").resolve()).as_posix()
        assert re.fullmatch(r"(index|(regions|sectors)/[a-z0-9-]+)\.html", rel), rel
    assert (tmp_path / "out" / "sectors" / "tmp-evil.html").is_file()


def test_csp_allows_exactly_the_inline_scripts(site: Path) -> None:
    page = (site / "index.html").read_text("utf-8")
    csp = html.unescape(CSP_RE.search(page).group(1))
    scripts = SCRIPT_RE.findall(page)
    assert len(scripts) == 3
    hashes = re.findall(r"'sha256-([^']+)'", csp)
    assert sorted(hashes) == sorted(
        base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert re.search(r"img-src data:;", csp), csp
    assert "unsafe-eval" not in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    # no external resources referenced at all
    assert not re.search(r"<(link|img|iframe)\b", page)
    assert not re.search(r"\bsrc\s*=", SCRIPT_RE.sub("", DATA_RE.sub("", page)))
    assert "sourceMappingURL" not in page


def test_osm_tiles_only_when_asked(sample) -> None:
    page = interactive_map(sample, tiles="osm").html
    csp = html.unescape(CSP_RE.search(page).group(1))
    assert "img-src data: https://tile.openstreetmap.org;" in csp
    assert payload_of(page)["tiles"] == "osm"
    assert "tile.openstreetmap.org" not in interactive_map(sample).html


def test_languages(sample) -> None:
    fr = interactive_map(sample, lang="fr").html
    en = interactive_map(sample, lang="en").html
    assert '<html lang="fr">' in fr and '<html lang="en">' in en
    pf, pe = payload_of(fr), payload_of(en)
    assert pf["t"]["filters"] == "Filtres" and pe["t"]["filters"] == "Filters"
    assert pf["t"]["metric.reached"] == "Personnes atteintes"
    assert [s["l"] for s in pf["sectors"]] == ["Santé", "Éducation", "EHA"]
    assert [s["l"] for s in pe["sectors"]] == ["Health", "Education", "WASH"]
    assert "Synthèse par région" in fr and "Summary by region" in en
    assert pf["statuses"] == ["Terminé", "En cours", "Planifié", "Suspendu"]
    # every interface string differs between the languages or is the same word in both
    same = {k for k in pe["t"] if pe["t"][k] == pf["t"][k]}
    assert same <= {"organisation", "organisations", "source", "dates",
                    "metric.organisations"}, same


def test_single_pages_for_region_and_sector(sample) -> None:
    page = interactive_map(sample, region="Tombouctou", lang="en")
    payload = payload_of(page.html)
    assert payload["kind"] == "region"
    assert cube_of(payload)["n"].sum() == 2  # T06, T07
    assert payload["points"]["id"] == ["T06"]
    assert "../index.html" not in page.html  # standalone: no broken links
    sector = payload_of(interactive_map(sample, sector="EHA").html)
    cube = cube_of(sector)
    assert cube["n"].sum() == 3 and cube["n"][cube["unit"] == 0].sum() == 1  # T04, T05, T09
    assert sorted(sector["points"]["id"]) == ["T04"]
    with pytest.raises(ValueError, match="unknown region"):
        interactive_map(sample, region="Atlantis")
    with pytest.raises(ValueError, match="sectors in the data"):
        interactive_map(sample, sector="astrology")


def test_repr_html_is_a_sandboxed_srcdoc_iframe(sample) -> None:
    page = interactive_map(sample)
    frame = page._repr_html_()
    assert frame.startswith('<iframe sandbox="allow-scripts"')
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert html.unescape(srcdoc) == page.html


def test_save_and_output_errors(sample, tmp_path: Path) -> None:
    target = interactive_map(sample).save(tmp_path / "map.html")
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="file"):
        render_site(sample, blocker / "site")
    with pytest.raises(OutputError):
        interactive_map(sample).save(blocker / "map.html")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lang": "de"}, "lang: expected one of en, fr"),
    ({"metric": "money"}, "unknown metric"),
    ({"tiles": "google"}, "unknown tiles"),
    ({"scheme": "magic"}, "unknown classification scheme"),
    ({"report_name": "../report.csv"}, "relative path inside"),
    ({"report_name": "javascript:alert(1)"}, "relative path inside"),
])
def test_bad_options(sample, tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_site(sample, tmp_path, **kwargs)
    assert not any(tmp_path.iterdir())


def test_seed_overview_is_small(tmp_path: Path) -> None:
    files = render_site(join_files(), tmp_path, lang="fr")
    index = tmp_path / "index.html"
    assert index in files
    size = index.stat().st_size
    assets = load_assets()
    inlined = sum(len(s.encode()) for s in (*assets.scripts, assets.css))
    assert size < 1_000_000, size
    assert inlined < size < inlined + 200_000, (inlined, size)


def test_adm2_subdivisions_on_region_pages(geoboundaries: Path, tmp_path: Path) -> None:
    result = sample_result(adm2=geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")
    render_site(result, tmp_path, lang="en")
    gao = payload_of((tmp_path / "regions" / "gao.html").read_text("utf-8"))
    adm2 = result.boundaries.adm2
    expected = sorted(adm2.loc[adm2["parent_pcode"] == "ML07", "pcode"])
    assert gao["level"] == "adm2"
    assert sorted(f["properties"]["p"] for f in gao["units"]["features"]) == expected
    assert len(expected) >= 3
    assert len(gao["context"]["features"]) == 9
    overview = payload_of((tmp_path / "index.html").read_text("utf-8"))
    assert overview["level"] == "adm1"
    size = (tmp_path / "regions" / "gao.html").stat().st_size
    assert size < 1_000_000, size
