"""French throughout (issue 10, item 4): one table of interface text, every key in every
language, French console lines, report and data-output headers under ``--lang fr``."""

from __future__ import annotations

import csv
import re
import string
from pathlib import Path

import pytest

import mali_map
from mali_map._cli._main import main
from mali_map._core import _i18n
from mali_map._core._i18n import LABELS, LANGUAGES, label
from mali_map._join._model import REPORT_COLUMNS, STATUSES
from mali_map._measure._metrics import METRIC_KEYS
from mali_map._render.html._payload import SCRIPT_STRINGS, SHARED_STRINGS

SRC = Path(mali_map.__file__).parent
#: A call looking a literal key up in the table, in any renderer.
_LOOKUP = re.compile(r"(?<!\.)\b(?:label|ui|word|_word|text_of)\(\s*(['\"])([\w.]+)\1")
_MESSAGE = re.compile(r"\bjoin_message\(\s*(['\"])([\w.]+)\1")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- the table


def _tables() -> dict[str, dict[str, dict[str, str]]]:
    """Every table of texts in :mod:`mali_map._core._i18n` (``LABELS`` and any block added to it,
    such as the join report's messages)."""
    return {name: value for name, value in vars(_i18n).items()
            if name.isupper() and isinstance(value, dict) and value
            and all(isinstance(v, dict) and "en" in v for v in value.values())}


def test_every_key_has_every_language_with_the_same_fields():
    tables = _tables()
    assert "LABELS" in tables and len(LABELS) > 200
    entries = [(f"{name}[{key}]", entry) for name, table in tables.items()
               for key, entry in table.items()]
    for key, entry in entries:
        assert set(entry) == set(LANGUAGES), key
        for lang in LANGUAGES:
            assert isinstance(entry[lang], str) and entry[lang], (key, lang)
        english = _fields(entry["en"])
        for lang in LANGUAGES:
            assert _fields(entry[lang]) == english, (key, lang)
            assert entry[lang].count("|") == entry["en"].count("|"), (key, lang)


def test_every_key_the_code_looks_up_is_in_the_table():
    used = set()
    for path in SRC.rglob("*.py"):
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if ">>>" not in line)  # doctests may show an unknown key
        used |= {m.group(2) for m in _LOOKUP.finditer(code)}
        used |= {f"message.{m.group(2)}" for m in _MESSAGE.finditer(code)}
    assert len(used) > 100
    assert sorted(k for k in used if k not in LABELS) == []
    # keys built from a value: every status, report column, metric and page-script string
    built = ([f"join.{s}" for s in STATUSES] + [f"rows.{s}" for s in STATUSES]
             + [f"next.{s}" for s in ("warning", "unmatched", "invalid")]
             + [f"report.{c}" for c in REPORT_COLUMNS]
             + [f"metric_title.{m}" for m in METRIC_KEYS] + list(METRIC_KEYS)
             + list(SCRIPT_STRINGS) + list(SHARED_STRINGS)
             + [f"sheet.{t}" for t in ("adm1", "adm1_sectors", "adm2", "adm2_sectors")])
    assert sorted(k for k in built if k not in LABELS) == []


def test_no_other_table_and_no_language_branch_in_the_source():
    for path in SRC.rglob("*.js"):  # the page script takes its words and separators from D.t
        assert not re.search(r"===?\s*['\"](?:fr|en)['\"]", path.read_text(encoding="utf-8")), path
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"lang(?:\.lower\(\))?\s*[!=]=\s*['\"]", text), path
        assert not re.search(r"[!=]=\s*['\"](?:fr|en)['\"]", text), path
        if path.name != "_i18n.py":  # texts per language live in the one table only
            assert not re.search(r"['\"]fr['\"]\s*:\s*['\"]", text), path


def test_french_typography_and_numbers():
    for key in LABELS:
        french = label(key, "fr")
        assert not re.search(r" [:;?!»]|« ", french), key  # no-break spaces only
    assert label("region_page", "fr", name="Gao") == "Région\u00a0: Gao"
    assert label("region_page", "FR", name="Gao") == label("region_page", "fr", name="Gao")
    assert label("region_page", "en", name="Gao") == "Region: Gao"
    assert _i18n.number(1234567.25, "fr", 1) == "1\u202f234\u202f567,2"
    assert _i18n.number(1234567.25, "en", 1) == "1,234,567.2"
    assert _i18n.plural("n.regions", 0, "fr") == "0 région"
    assert _i18n.plural("n.regions", 0, "en") == "0 regions"
    assert _i18n.plural("n.regions", 2, "fr") == "2 régions"
    assert label("no.such.key", "fr") == "no.such.key"
    # a field is filled in as given: braces in user text are not read as fields
    assert label("region_page", "en", name="{rows}") == "Region: {rows}"


def test_attributions_are_translated_and_defined_once():
    from mali_map._geo._boundaries import EMBEDDED_ATTRIBUTION

    assert LABELS["attribution.embedded"]["en"] == EMBEDDED_ATTRIBUTION
    assert _i18n.attribution(EMBEDDED_ATTRIBUTION, "fr") == LABELS["attribution.embedded"]["fr"]
    assert _i18n.attribution("my-file.geojson", "fr") == "my-file.geojson"


# --------------------------------------------------------------------------- console


def test_build_in_french_prints_french_lines_only(tmp_path, capsys):
    out_dir = tmp_path / "cartes"
    code, out, err = _run(capsys, "build", "--out", str(out_dir), "--lang", "fr")
    assert code == 0, err
    lines = out.splitlines()
    report = mali_map.read_report(out_dir / "join-report.csv")
    source = mali_map.seed_records_path().name
    assert lines[0].startswith(f"{source}\u00a0: {len(report)} lignes lues, "
                               f"{int((report['status'] == 'matched').sum())} rattachées, ")
    wrote = [line for line in lines if line.startswith("écrit\u00a0: ")]
    assert len(wrote) >= 6  # report, pages, GeoPackage, workbook, CSVs
    assert any("rapport de jointure" in line for line in wrote)
    assert any("autres pages HTML" in line for line in wrote)
    english = re.compile(r"\b(wrote|rows read|matched|unmatched|with warnings|note:|row \d)")
    assert [line for line in lines if english.search(line)] == []
    for line in lines:  # every line comes from the table: a French pattern or a row
        assert line.startswith((f"{source}\u00a0:", "écrit\u00a0:", "remarque\u00a0:",
                                "ligne ", "... et ")), line


def test_validate_in_french_any_case(tmp_path, capsys):
    records = tmp_path / "3w.csv"
    records.write_text("Organisation,Secteur,Région\nHI,Santé,Mopti\nHI,EHA,Atlantis\n"
                       "HI,EHA,Tombouctu\n", encoding="utf-8")
    report = tmp_path / "rapport.csv"
    code, out, err = _run(capsys, "validate", "--records", str(records), "--lang", "FR",
                          "--report", str(report), "--strict")
    assert code == 1
    assert ("3w.csv\u00a0: 3 lignes lues, 1 rattachées, 1 avec avertissement (0 conflits), "
            "0 de niveau national, 0 dans plusieurs unités, 1 non rattachées, "
            "0 invalides") in out
    assert f"écrit\u00a0: le rapport de jointure {report}" in out
    assert "ligne 3\u00a0: non rattaché\u00a0: " in out
    assert "-> corrigez le nom dans le fichier, ou ajoutez --alias NOM=P-CODE" in out
    assert "ligne 4\u00a0: avertissement\u00a0: " in out
    assert "-> vérifiez le rattachement" in out
    assert err.startswith("mali-map\u00a0: --strict\u00a0: 1 lignes non rattachées")
    # the same run in English keeps the English lines
    code, out, _ = _run(capsys, "validate", "--records", str(records))
    assert ("3 rows read, 1 matched, 1 with warnings (0 conflicts), 0 national, "
            "0 in several units, 1 unmatched, 0 invalid") in out
    assert "row 3: unmatched: " in out and "-> fix the name in the file" in out


def test_errors_and_init_in_french(tmp_path, capsys):
    code, _, err = _run(capsys, "validate", "--records", str(tmp_path / "absent.csv"),
                        "--lang", "fr")
    assert code == 2 and err.startswith("mali-map\u00a0: erreur\u00a0: ")
    target = tmp_path / "recette.toml"
    code, out, _ = _run(capsys, "init", str(target), "--lang", "Fr")
    assert code == 0
    assert out == (f"écrit\u00a0: {target}\u00a0; modifiez-le, puis lancez mali-map build "
                   f"--config {target}\n")


# --------------------------------------------------------------------------- files


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_join_report_in_french_reads_back_the_same(seed_result, tmp_path):
    english = mali_map.write_report(seed_result, tmp_path / "en.csv")
    french = mali_map.write_report(seed_result, tmp_path / "fr.csv", lang="FR", hxl=True)
    header, tags, *rows = _csv_rows(french)
    assert header == [label(f"report.{c}", "fr") for c in seed_result.report.columns]
    assert header[:4] == ["ligne", "statut", "pcode", "nom_admin"]
    assert tags[1] == "#status"
    statuses = {row[1] for row in rows}
    assert statuses <= {label(f"join.{s}", "fr") for s in STATUSES}
    assert "rattaché" in statuses and "matched" not in statuses
    assert _csv_rows(english)[0] == list(seed_result.report.columns)
    back_en, back_fr = mali_map.read_report(english), mali_map.read_report(french)
    assert back_fr.equals(back_en)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_data_output_headers_follow_the_language(seed_result, tmp_path, lang):
    from openpyxl import load_workbook

    from mali_map._outputs._tables import unit_tables

    out = tmp_path / lang
    out.mkdir()
    mali_map.write_data_outputs(seed_result, out, lang=lang)
    tables = unit_tables(seed_result, lang)
    book = load_workbook(out / "aggregates.xlsx", read_only=True)
    assert book.sheetnames == [label(f"sheet.{k}", lang) for k in tables]
    for key, frame in tables.items():
        expected = [label(f"column.{c}" if f"column.{c}" in LABELS else c, lang)
                    for c in frame.columns if c != "geometry"]
        assert _csv_rows(out / f"aggregates-{key}.csv")[0] == expected
        sheet = book[label(f"sheet.{key}", lang)]
        assert [c.value for c in next(sheet.iter_rows(max_row=1))] == expected
    book.close()
    header = _csv_rows(out / "aggregates-adm1_sectors.csv")[0]
    assert header == {
        "en": ["Region P-code", "Region (French)", "Region", "Sector code", "Sector",
               "Activities", "Organisations", "People reached", "People targeted"],
        "fr": ["P-code région", "Région", "Région (anglais)", "Code secteur", "Secteur",
               "Activités", "Organisations", "Personnes atteintes", "Personnes ciblées"],
    }[lang][:len(header)]


def test_french_pages_carry_the_french_attribution(tmp_path, capsys):
    out_dir = tmp_path / "cartes"
    assert _run(capsys, "build", "--out", str(out_dir), "--lang", "fr")[0] == 0
    page = (out_dir / "index.html").read_text(encoding="utf-8")
    assert "d&#x27;après les données OCHA/DNCT" in page or "d'après les données OCHA/DNCT" in page
    assert "from OCHA/DNCT data" not in page


def test_export_and_snapshot_in_french(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    svg = tmp_path / "carte.svg"
    code, out, err = _run(capsys, "export", "-o", str(svg), "--lang", "fr")
    assert code == 0, err
    assert out.splitlines()[-1] == f"écrit\u00a0: {svg}"
    drawing = svg.read_text(encoding="utf-8")
    assert "les données OCHA/DNCT" in drawing and "Réalisé le" in drawing  # by default
    page = tmp_path / "instantane.html"
    code, out, err = _run(capsys, "snapshot", "-o", str(page), "--lang", "FR")
    assert code == 0, err
    assert out.splitlines()[-1] == f"écrit\u00a0: {page}"
    assert "les données OCHA/DNCT" in page.read_text(encoding="utf-8")
    code, out, err = _run(capsys, "build", "--out", str(tmp_path / "cartes"), "--lang", "fr",
                          "--static", "svg")
    assert code == 0, err
    assert re.search(r"^écrit\u00a0: \d+ cartes statiques \(svg\) dans .+ en \d+ s$", out, re.M)
    assert err.startswith("cartes statiques\u00a0: dessin 1/")  # progress, not a terminal


def test_french_lines_on_a_console_without_accents():
    import io

    from mali_map._core._console import echo

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    echo(label("cli.summary", "fr", source="3w.csv", rows=3, matched=1, warning=1,
               conflicts=0, national=0, multi=0, unmatched=1, invalid=0), stream)
    stream.flush()
    assert raw.getvalue().decode("ascii") == (
        "3w.csv : 3 lignes lues, 1 rattach\\xe9es, 1 avec avertissement (0 conflits), "
        "0 de niveau national, 0 dans plusieurs unit\\xe9s, 1 non rattach\\xe9es, "
        "0 invalides\n")


def test_page_script_writes_numbers_with_the_table_separators(tmp_path):
    """The page script formats numbers with the separators of the one table, as the server
    does (it rewrites the summary tables once loaded)."""
    from browser import launch_browser, open_page, sample_records, serve

    from mali_map._geo._boundaries import load_boundaries
    from mali_map._join._join import join
    from mali_map._render.html import render_site

    records = sample_records()
    records["reached"] = records["reached"] * 1234  # thousands separators
    result = join(records, load_boundaries())
    with launch_browser() as browser:
        for lang in LANGUAGES:
            out = tmp_path / lang
            render_site(result, out, lang=lang)
            with serve(out) as url:
                context, page, guard = open_page(browser, f"{url}/index.html")
                try:
                    shown = page.eval_on_selector_all(
                        'td.mm-num[data-m="reached"]', "els => els.map(e => e.textContent)")
                    assert guard.clean(), guard.report()
                finally:
                    context.close()
            thousands = re.escape(label("number.thousands", lang))
            decimal = re.escape(label("number.decimal", lang))
            form = re.compile(rf"–|\d{{1,3}}({thousands}\d{{3}})*({decimal}\d)?")
            assert [c for c in shown if not form.fullmatch(c)] == [], shown
            assert any(label("number.thousands", lang) in c for c in shown), shown
