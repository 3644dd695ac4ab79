"""Issue 12 leftovers: hostile arguments and names never reach a link, a file name or a
terminal as they are, and the same bad option gets the same refusal everywhere."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import mali_map
from mali_map import OptionError
from mali_map._cli._commands import Progress as _Progress
from mali_map._cli._main import main
from mali_map._render._pages import unique_slugs

#: Device names Windows reserves, whatever the case and extension (written out here,
#: independently of the code under test).
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
            *(f"lpt{i}" for i in range(1, 10))}
EVIL = "\x1b[31mEvil\x1b]0;t\x07"


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _windows_safe(file_name: str) -> bool:
    return file_name.split(".")[0].lower() not in RESERVED


# --------------------------------------------------------------------------- page names


@pytest.mark.parametrize("name", ["con", "CON", "Aux", "nul", "PRN", "com1", "COM9", "lpt1",
                                  "Lpt9", "nul.txt", "Con "])
def test_windows_reserved_names_get_a_suffix(name) -> None:
    slug = unique_slugs([name])[0]
    assert _windows_safe(f"{slug}.html"), slug
    assert slug.startswith(name.split(".")[0].strip().lower())  # still recognisable


def test_reserved_names_and_their_suffixed_twin_stay_distinct() -> None:
    slugs = unique_slugs(["CON", "con-page", "con", "Gao"])
    assert len(set(slugs)) == 4 and slugs[-1] == "gao"
    assert all(_windows_safe(s) for s in slugs)


def test_a_sector_named_con_gets_a_page_windows_can_open(tmp_path) -> None:
    records = tmp_path / "3w.csv"
    records.write_text("organisation,sector,activity,adm1_name\n"
                       "ONG A,CON,x,Gao\nONG B,aux,y,Mopti\nONG C,Lpt1,z,Kayes\n",
                       encoding="utf-8")
    files = mali_map.render_site(mali_map.join_files(records), tmp_path / "site")
    names = [p.name for p in files]
    assert len(names) >= 4 and all(_windows_safe(n) for n in names), names
    assert len(list((tmp_path / "site" / "sectors").glob("*.html"))) == 3


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "http://evil.example/report.csv",
    "https://evil.example/r.csv", "//evil.example/r.csv", "/etc/passwd", "../report.csv",
    "a/../../report.csv", "..\\report.csv", "C:\\report.csv", "sub\\report.csv",
    "file:///etc/passwd",
])
def test_links_from_arguments_accept_only_relative_paths(seed_result, tmp_path, href) -> None:
    with pytest.raises(OptionError) as caught:
        mali_map.interactive_map(seed_result, report_href=href)
    assert str(caught.value).startswith("report_href: expected a relative path")
    for argument in ("report_name", "records_name"):
        with pytest.raises(OptionError) as caught:
            mali_map.render_site(seed_result, tmp_path / "site", **{argument: href})
        assert str(caught.value).startswith(f"{argument}: expected a relative path")
    assert not (tmp_path / "site").exists()


def test_a_relative_report_link_is_kept_and_encoded(seed_result) -> None:
    page = mali_map.interactive_map(seed_result, report_href="rapport de jointure.csv")
    assert "rapport%20de%20jointure.csv" in page.html
    assert "javascript:" not in page.html


# --------------------------------------------------------------------------- same bounds


def test_nan_threshold_is_refused_by_the_join_itself(embedded, tmp_path) -> None:
    """Before: ``join(fuzzy_threshold=nan)`` matched a made-up name to Kayes."""
    records = mali_map.load_records(_records(tmp_path, ["Qwerty"]))
    for bad in (math.nan, math.inf, -1, 101):
        with pytest.raises(OptionError, match=r"^fuzzy_threshold: expected a number from 0"):
            mali_map.join(records, embedded, fuzzy_threshold=bad)
    report = mali_map.join(records, embedded, fuzzy_threshold=0).report
    assert len(report) == 1  # the bounds themselves are accepted


def _records(tmp_path: Path, regions: list[str]) -> Path:
    path = tmp_path / "3w.csv"
    pd.DataFrame({"organisation": "ONG", "sector": "Santé", "activity": "x",
                  "adm1_name": regions}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("command", [["validate"], ["build", "--out", "site"],
                                     ["export", "-o", "map.png"],
                                     ["snapshot", "-o", "snap.pdf"]])
def test_nan_threshold_is_refused_by_every_command(tmp_path, capsys, monkeypatch,
                                                   command) -> None:
    monkeypatch.chdir(tmp_path)
    records = _records(tmp_path, ["Gao"])
    code, out, err = _run(capsys, *command, "--records", records, "--fuzzy-threshold", "nan")
    assert (code, out) == (2, "")
    assert err == ("mali-map: error: fuzzy_threshold: expected a number from 0 to 100, "
                   "got 'nan'\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["3w.csv"]


@pytest.mark.parametrize("value", ["0", "10", "-1"])
def test_classes_out_of_bounds_are_refused_identically(tmp_path, capsys, monkeypatch,
                                                       value) -> None:
    """``--classes 0`` was accepted by export and refused by build: now one message."""
    monkeypatch.chdir(tmp_path)
    records = _records(tmp_path, ["Gao"])
    errors = set()
    for command in (["build", "--out", "site"], ["export", "-o", "map.png"],
                    ["snapshot", "-o", "snap.html"]):
        code, out, err = _run(capsys, *command, "--records", records, "--classes", value)
        assert (code, out) == (2, ""), command
        errors.add(err)
    assert errors == {f"mali-map: error: classes: expected a whole number from 1 to 9, "
                      f"got {int(value)}\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["3w.csv"]


def test_zero_classes_refused_by_the_api_renderers_alike(seed_result) -> None:
    messages = set()
    for call in (lambda: mali_map.classify([1, 2, 3], k=0),
                 lambda: mali_map.interactive_map(seed_result, k=0),
                 lambda: mali_map.static_map(seed_result, k=0),
                 lambda: mali_map.metric_classes(seed_result, k=0)):
        with pytest.raises(OptionError) as caught:
            call()
        messages.add(str(caught.value))
    assert messages == {"k: expected a whole number from 1 to 9, got 0"}


# --------------------------------------------------------------------------- terminal


def _no_controls(text: str) -> bool:
    return not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


def test_unit_names_with_escape_sequences_are_printed_escaped(tmp_path, capsys) -> None:
    source = json.loads(mali_map.embedded_regions_path().read_text(encoding="utf-8"))
    for feature in source["features"]:
        if feature["properties"]["adm1_pcode"] in ("ML07", "ML08"):
            feature["properties"].update(name_fr=EVIL, name_en=EVIL, aliases=EVIL)
    boundaries = tmp_path / "evil.geojson"
    boundaries.write_text(json.dumps(source), encoding="utf-8")
    code, out, err = _run(capsys, "validate", "--records", _records(tmp_path, ["Mopti"]),
                          "--boundaries", boundaries)
    assert code == 0, err
    assert _no_controls(out + err)
    assert "\\x1b[31mEvil\\x1b]0;t\\x07" in out


def test_file_names_with_escape_sequences_are_printed_escaped(tmp_path, capsys) -> None:
    code, out, err = _run(capsys, "validate", "--records", tmp_path / f"{EVIL}.csv")
    assert code == 2 and out == ""
    assert _no_controls(err) and err.count("\n") == 1
    assert "Evil" in err and "\\x1b" in err


def test_static_map_progress_on_a_terminal_escapes_unit_names(capsys) -> None:
    progress = _Progress("en")
    progress.tty = True
    progress(0, 2, f"Gao {EVIL}")
    progress.close()
    err = capsys.readouterr().err
    assert err.startswith("\rstatic maps: 1/2 Gao \\x1b[31mEvil")
    assert _no_controls(err.replace("\r", "").replace("\n", ""))
