"""The command line: outputs, summary and exit codes; errors are one line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mali_map import read_report, seed_records_path
from mali_map._cli._main import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_writes_the_map_and_the_join_report(tmp_path, capsys):
    out_dir = tmp_path / "maps"
    code, out, err = _run(capsys, "build", "--out", str(out_dir))
    assert code == 0, err
    assert (out_dir / "index.html").is_file()
    report = read_report(out_dir / "join-report.csv")
    seed_rows = len(pd.read_csv(seed_records_path()))
    assert len(report) == seed_rows
    assert f"{seed_rows} rows read" in out
    matched = int((report["status"] == "matched").sum())
    assert f"{matched} matched" in out


def test_validate_writes_a_report_and_strict_fails_on_unmatched(tmp_path, capsys):
    records = tmp_path / "3w.csv"
    records.write_text("Organisation,Secteur,Région\nHI,Santé,Mopti\nHI,EHA,Atlantis\n",
                       encoding="utf-8")
    report_path = tmp_path / "report.csv"
    code, out, _ = _run(capsys, "validate", "--records", str(records),
                        "--report", str(report_path))
    assert code == 0
    assert ("2 rows read, 1 matched, 0 with warnings (0 conflicts), 0 national, "
            "0 in several units, 1 unmatched, 0 invalid") in out
    assert read_report(report_path)["status"].tolist() == ["matched", "unmatched"]
    code, _, err = _run(capsys, "validate", "--records", str(records), "--strict")
    assert code == 1
    assert "1 unmatched" in err
    code, out, _ = _run(capsys, "validate", "--records", str(records), "--strict",
                        "--alias", "Atlantis=ML07")
    assert code == 0
    assert "2 matched" in out


def test_validate_lists_problem_rows_without_a_report(tmp_path, capsys):
    records = tmp_path / "3w.csv"
    records.write_text("Région\nTombouctu\n", encoding="utf-8")
    code, out, _ = _run(capsys, "validate", "--records", str(records))
    assert code == 0
    assert "row 2: warning: name 'Tombouctu' matched 'Tombouctou' by fuzzy score" in out


@pytest.mark.parametrize(("setup", "expected"), [
    (lambda d: None, "missing.csv: file not found"),
    (lambda d: (d / "missing.csv").write_bytes(b"PK\x03\x04garbage"), "missing.csv"),
    (lambda d: (d / "missing.csv").write_text("a,b\n1,2\n"), "no location column"),
])
def test_unusable_input_exits_2_with_one_line(tmp_path, capsys, setup, expected):
    setup(tmp_path)
    code, _, err = _run(capsys, "validate", "--records", str(tmp_path / "missing.csv"))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("mali-map: error: ")
    assert expected in err
    assert "Traceback" not in err


def test_bad_options_exit_2(tmp_path, capsys):
    for argv in (["build", "--lang", "de"], ["frobnicate"],
                 ["validate", "--records", str(seed_records_path()), "--alias", "novalue"],
                 ["build", "--static", "gif"]):
        code, _, err = _run(capsys, *argv)
        assert code == 2, argv
        assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_boundary_file_exits_2(tmp_path, capsys):
    code, _, err = _run(capsys, "build", "--out", str(tmp_path), "--boundaries",
                        str(tmp_path / "nope.geojson"))
    assert code == 2
    assert "nope.geojson: boundary file not found" in err


def test_python_dash_m_entry_point(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "mali_map", "validate", "--records",
                           str(tmp_path / "x.csv")], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("x.csv: file not found")


def test_report_cells_never_start_a_spreadsheet_formula(tmp_path, capsys, embedded):
    import geopandas as gpd

    units = embedded.adm1[["geometry"]].copy()
    units["ADM1_PCODE"] = embedded.adm1["pcode"].values
    units["ADM1_FR"] = ["=HYPERLINK(\"http://x\")", *embedded.adm1["name"].iloc[1:]]
    boundaries = tmp_path / "adm1.geojson"
    gpd.GeoDataFrame(units, geometry="geometry", crs="EPSG:4326").to_file(boundaries)
    records = tmp_path / "3w.csv"
    records.write_text("P-code région\nML01\n", encoding="utf-8")
    report_path = tmp_path / "report.csv"
    code, _, _ = _run(capsys, "validate", "--records", str(records), "--boundaries",
                      str(boundaries), "--report", str(report_path))
    assert code == 0
    assert read_report(report_path)["admin_name"].tolist() == ["'=HYPERLINK(\"http://x\")"]


# --------------------------------------------------------------------------- friendliness


def test_version(capsys):
    code, out, _ = _run(capsys, "--version")
    assert code == 0
    import mali_map

    assert out.strip() == f"mali-map {mali_map.__version__}"


@pytest.mark.parametrize("command", ["build", "validate", "export", "snapshot", "init"])
def test_help_has_examples_and_a_line_for_every_option(capsys, command):
    from mali_map._cli._parser import parser as _parser

    code, out, _ = _run(capsys, command, "--help")
    assert code == 0
    assert "examples:" in out and f"mali-map {command}" in out.split("examples:")[1]
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    for action in sub._actions:
        if action.option_strings and action.dest != "help":
            assert action.help, action.option_strings
            assert action.option_strings[-1] in out
    assert "--lang" in out
    if command != "init":
        assert "--config" in out


@pytest.mark.parametrize("command", ["build", "validate", "export", "snapshot"])
def test_every_command_takes_lang_in_any_case(command):
    from mali_map._cli._parser import options_from
    from mali_map._cli._parser import parser as _parser

    extra = {"validate": ["--records", "3w.csv"], "export": ["-o", "map.png"],
             "snapshot": ["-o", "report.pdf"]}.get(command, [])
    for given, expected in (("FR", "fr"), ("fr", "fr"), ("En", "en")):
        args = _parser().parse_args([command, "--lang", given, *extra])
        assert options_from(args).lang == expected


def test_init_takes_lang_and_rejects_unknown_languages(tmp_path, capsys):
    code, out, _ = _run(capsys, "init", str(tmp_path / "r.toml"), "--lang", "FR")
    assert code == 0 and (tmp_path / "r.toml").is_file() and "r.toml" in out
    code, _, err = _run(capsys, "init", str(tmp_path / "s.toml"), "--lang", "de")
    assert code == 2 and "lang: expected one of en, fr, got 'de'" in err
    assert not (tmp_path / "s.toml").exists()


def test_build_lists_rows_needing_attention_and_every_output(tmp_path, capsys):
    records = tmp_path / "3w.csv"
    records.write_text("Organisation,Région\nHI,Mopti\nHI,Atlantis\nHI,Tombouctu\n",
                       encoding="utf-8")
    out_dir = tmp_path / "maps"
    code, out, err = _run(capsys, "build", "--records", str(records), "--out", str(out_dir))
    assert code == 0, err
    lines = out.splitlines()
    assert any(line.startswith("row 3: unmatched:") and "--alias NAME=P-CODE" in line
               for line in lines)
    assert any(line.startswith("row 4: warning:") and "check the match" in line
               for line in lines)
    assert not any(line.startswith("row 2:") for line in lines)
    written = [line for line in lines if line.startswith("wrote ")]
    for name in ("join-report.csv", "index.html", "records.gpkg", "aggregates.xlsx",
                 "aggregates-adm1.csv", "aggregates-adm1_sectors.csv"):
        assert sum(str(out_dir / name) in line for line in written) == 1, name


def test_build_points_to_the_report_beyond_ten_problem_rows(tmp_path, capsys):
    records = tmp_path / "3w.csv"
    records.write_text("Région\n" + "".join(f"Nowhere{i}\n" for i in range(25)),
                       encoding="utf-8")
    code, out, _ = _run(capsys, "build", "--records", str(records), "--out",
                        str(tmp_path / "maps"))
    assert code == 0
    assert sum(line.startswith("row ") for line in out.splitlines()) == 10
    assert "... and 15 more rows that need attention: see the join report" in out


def test_static_maps_report_progress(tmp_path, capsys):
    code, out, err = _run(capsys, "build", "--out", str(tmp_path / "maps"), "--static", "svg")
    assert code == 0, err
    assert "static maps: drawing 1/" in err
    assert "static maps (svg) to" in out


def test_control_characters_in_messages_are_escaped(tmp_path, capsys):
    records = tmp_path / "3w\x1b[2J.csv"  # untrusted text: a file name with an escape
    records.write_text("Région\nGao\n", encoding="utf-8")
    code, out, _ = _run(capsys, "build", "--records", str(records), "--out",
                        str(tmp_path / "maps"))
    assert code == 0
    assert "\x1b" not in out and "3w\\x1b[2J.csv: 1 rows read" in out


def test_flags_are_generated_from_the_options_fields_and_the_level_registry():
    """Every Options field has its flag (spelling and help in the field's metadata); the
    per-level flags are made from the registry when the parser is built."""
    import dataclasses

    from mali_map._build import OPTION_NAMES, Options, flag_of
    from mali_map._cli._parser import flag_specs
    from mali_map._cli._parser import parser as _parser
    from mali_map._reference import LEVELS

    specs = flag_specs()
    assert {s.dest for s in specs} == set(OPTION_NAMES)
    for f in dataclasses.fields(Options):
        assert flag_of(f.name).help, f.name
    per_level = [s.spelling for s in specs if s.flag.level_field]
    assert per_level == [f"--{lv.key}{tail}" for tail in ("", "-layer", "-alias")
                         for lv in LEVELS[1:] if lv.key in OPTION_NAMES]
    # the level's words come from the registry at call time
    second = LEVELS[1]
    LEVELS[1] = dataclasses.replace(second, labels={**second.labels,
                                                    "en": ("District", "Districts")})
    try:
        sub = next(a for a in _parser()._actions if a.dest == "command").choices["build"]
    finally:
        LEVELS[1] = second
    helps = {a.option_strings[0]: (a.help, a.metavar) for a in sub._actions if a.option_strings}
    key = second.key
    assert helps[f"--{key}"][0] == f"{key.upper()} (district) boundary file"
    assert helps[f"--{key}-alias"] == ("extra spelling of a district (P-code or name); "
                                       "repeatable", "NAME=DISTRICT")
    assert helps[f"--{key}-layer"][0] == f"layer of a multi-layer --{key} file"


def test_level_flags_set_the_options_fields(tmp_path):
    from mali_map._cli._parser import options_from
    from mali_map._cli._parser import parser as _parser

    args = _parser().parse_args(["validate", "--records", "3w.csv", "--adm2", "c.geojson",
                                 "--adm2-layer", "L", "--adm2-alias", "Kati cercle=Kati",
                                 "--alias", "B=ML02"])
    options = options_from(args)
    assert (options.adm2, options.adm2_layer) == (Path("c.geojson"), "L")
    assert options.adm2_aliases == {"Kati cercle": "Kati"}
    assert options.region_aliases == {"B": "ML02"}
