"""One validated options object for the command line, the recipe and the Python API."""

from __future__ import annotations

import filecmp
import math
import re
from pathlib import Path

import pyogrio
import pytest

import mali_map
from mali_map import MaliMapError, OptionError, Options
from mali_map._build._options import merge
from mali_map._build._recipe import read_recipe, starter_recipe
from mali_map._cli._main import main
from mali_map._measure._classify import MAX_CLASSES, classify


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("changes", "option", "expected"), [
    ({"dpi": 0}, "dpi", "1 to 1200"),
    ({"dpi": 5500}, "dpi", "1 to 1200"),
    ({"dpi": -5}, "dpi", "1 to 1200"),
    ({"dpi": 2.5}, "dpi", "whole number"),
    ({"classes": 0}, "classes", "1 to 9"),
    ({"classes": 10}, "classes", "1 to 9"),
    ({"classes": True}, "classes", "1 to 9"),
    ({"fuzzy_threshold": math.nan}, "fuzzy_threshold", "0 to 100"),
    ({"fuzzy_threshold": math.inf}, "fuzzy_threshold", "0 to 100"),
    ({"fuzzy_threshold": 101}, "fuzzy_threshold", "0 to 100"),
    ({"map_id": "x" * 100_000}, "map_id", "at most 40 characters"),
    ({"title": "two\nlines"}, "title", "without control characters"),
    ({"lang": "de"}, "lang", "en, fr"),
    ({"metric": "money"}, "metric", "activities"),
    ({"scheme": "magic"}, "scheme", "quantiles"),
    ({"paper": "A5"}, "paper", "A4, A3"),
    ({"static": "gif"}, "static", "png, pdf, svg"),
    ({"region_aliases": {"Gao": ""}}, "region_aliases", "NAME = TARGET"),
    ({"strict": "yes"}, "strict", "true or false"),
])
def test_bad_values_name_the_option_and_what_it_expected(changes, option, expected) -> None:
    with pytest.raises(OptionError) as info:
        Options(**changes)
    message = str(info.value)
    assert message.startswith(f"{option}: expected ") and expected in message
    assert "\n" not in message and len(message) < 200
    assert isinstance(info.value, MaliMapError) and isinstance(info.value, ValueError)


def test_values_are_normalised_once() -> None:
    options = Options(lang="FR", paper="a3", static="PNG, svg,png", classes="9", dpi="150",
                      fuzzy_threshold="90", sheet="2", metric="Reached")
    assert (options.lang, options.paper, options.static, options.classes, options.dpi,
            options.fuzzy_threshold, options.sheet, options.metric) == (
        "fr", "A3", ("png", "svg"), 9, 150, 90.0, 2, "reached")
    assert Options(dpi=1).dpi == 1 and Options(dpi=1200).dpi == 1200


@pytest.mark.parametrize("argv", [
    ["build", "--dpi", "0"], ["build", "--dpi", "5500"], ["export", "-o", "x.png", "--dpi", "-5"],
    ["build", "--classes", "0"], ["export", "-o", "x.png", "--classes", "0"],
    ["build", "--classes", "10"], ["build", "--fuzzy-threshold", "nan"],
    ["validate", "--records", "x.csv", "--fuzzy-threshold", "150"],
    ["build", "--map-id", "M" * 100_000], ["build", "--lang", "de"],
    ["validate", "--records", "x.csv", "--lang", "xx"], ["build", "--static", "gif"],
    ["build", "--scheme", "nope"], ["build", "--config", "missing.toml"],
])
def test_bad_options_give_one_line_and_exit_2(tmp_path, capsys, monkeypatch, argv) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(capsys, *argv)
    assert code == 2, argv
    assert err.startswith("mali-map: error: ") and err.count("\n") == 1 and len(err) < 300
    assert "Traceback" not in err
    assert not (tmp_path / "maps").exists() and not Path("x.png").exists()


def test_same_class_bounds_everywhere_up_to_nine(tmp_path, capsys) -> None:
    """Nine classes are accepted by the HTML pages and the static maps alike (no silent cut)."""
    values = list(range(1, 30))
    assert len(classify(values, k=9).bounds) == MAX_CLASSES == 9
    assert len(set(classify(values, k=9).colours)) == 9
    code, _, err = _run(capsys, "build", "--out", tmp_path / "maps", "--classes", "9")
    assert code == 0, err
    from mali_map._render.static._export import legend_entries

    result = mali_map.join_files()
    fig = mali_map.static_map(result, k=9)
    html = mali_map._measure._aggregate.metric_classes(result, k=9)
    assert [c for _, c in legend_entries(fig)][:-1] == list(html.colours)


def test_lang_is_case_insensitive_on_every_command(tmp_path, capsys) -> None:
    for argv in (["build", "--out", tmp_path / "maps", "--lang", "FR"],
                 ["validate", "--records", mali_map.seed_records_path(), "--lang", "Fr"]):
        code, _, err = _run(capsys, *argv)
        assert code == 0, err
    assert '<html lang="fr"' in (tmp_path / "maps" / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- recipes


def test_read_recipe_resolves_paths_against_its_folder(tmp_path) -> None:
    recipe = tmp_path / "conf" / "r.toml"
    recipe.parent.mkdir()
    recipe.write_text('records = "data/3w.csv"\nout = "../site"\nclasses = 4\n'
                      '[aliases.region]\n"Bélédougou" = "ML02"\n', encoding="utf-8")
    values = read_recipe(recipe)
    assert Path(values["records"]) == recipe.parent / "data" / "3w.csv"
    assert Path(values["out"]) == recipe.parent / "../site"
    assert values["region_aliases"] == {"Bélédougou": "ML02"}
    options = merge(values, {"classes": 7, "region_aliases": {"Kita": "ML01"}})
    assert options.classes == 7
    assert options.region_aliases == {"Bélédougou": "ML02", "Kita": "ML01"}


@pytest.mark.parametrize(("text", "expected"), [
    ("dpii = 300\n", "unknown recipe key 'dpii'"),
    ("dpi = 3000\n", "dpi: expected a whole number from 1 to 1200"),
    ("lang = \n", "not a valid TOML recipe"),
    ("[aliases.town]\nx = \"y\"\n", "unknown alias table [aliases.town]"),
    ("classes = \"many\"\n", "classes: expected a whole number"),
])
def test_bad_recipe_gives_one_line_and_exit_2(tmp_path, capsys, text, expected) -> None:
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(text, encoding="utf-8")
    code, _, err = _run(capsys, "build", "--config", recipe, "--out", tmp_path / "maps")
    assert code == 2
    assert expected in err and err.count("\n") == 1


def test_a_recipe_reproduces_the_same_outputs_as_the_flags(tmp_path, capsys) -> None:
    records = tmp_path / "in" / "3w.csv"
    records.parent.mkdir()
    records.write_text("Organisation,Secteur,Région,Latitude,Longitude\n"
                       "HI,Santé,Mopti,14.49,-4.19\nHI,EHA,Bélédougou,,\nMSF,Santé,Gao,,\n",
                       encoding="utf-8")
    recipe = tmp_path / "in" / "recipe.toml"
    recipe.write_text('records = "3w.csv"\nout = "../by-recipe"\nlang = "fr"\n'
                      'metric = "organisations"\nclasses = 3\ntitle = "Qui fait quoi"\n'
                      'scheme = "equal_interval"\nhxl = true\n'
                      '[aliases.region]\n"Bélédougou" = "ML02"\n', encoding="utf-8")
    code, by_recipe, err = _run(capsys, "build", "--config", recipe)
    assert code == 0, err
    code, by_flags, err = _run(capsys, "build", "--records", records, "--out",
                               tmp_path / "by-flags", "--lang", "fr", "--metric",
                               "organisations", "--classes", "3", "--title", "Qui fait quoi",
                               "--scheme", "equal_interval", "--hxl", "--alias",
                               "Bélédougou=ML02")
    assert code == 0, err
    assert len(by_recipe.splitlines()) == len(by_flags.splitlines())
    assert by_recipe.splitlines()[0] == by_flags.splitlines()[0]  # same summary
    one, two = tmp_path / "by-recipe", tmp_path / "by-flags"
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert Path("regions/koulikoro.html") in files  # the recipe's alias was applied
    for name in files:
        if name.suffix == ".gpkg":
            for layer in ("records", "adm1", "adm1_sectors"):
                assert pyogrio.read_dataframe(one / name, layer=layer).equals(
                    pyogrio.read_dataframe(two / name, layer=layer))
        elif name.suffix != ".xlsx":  # a workbook stores its creation time
            assert filecmp.cmp(one / name, two / name, shallow=False), name
    # flags override the recipe
    code, _, err = _run(capsys, "build", "--config", recipe, "--out", tmp_path / "english",
                        "--lang", "EN")
    assert code == 0, err
    assert '<html lang="en"' in (tmp_path / "english" / "index.html").read_text("utf-8")


def test_init_writes_a_starter_recipe_that_builds(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "init")
    assert code == 0, err
    recipe = tmp_path / "recipe.toml"
    assert recipe.read_text(encoding="utf-8") == starter_recipe("recipe.toml")
    assert "mali-map build --config recipe.toml" in out
    code, _, err = _run(capsys, "init")
    assert code == 2 and "does not exist yet (or --force)" in err
    values = read_recipe(recipe)
    assert Options(**values).lang == "fr"
    text = recipe.read_text(encoding="utf-8").replace('records = "my-3w.xlsx"',
                                                      '# records = "my-3w.xlsx"')
    recipe.write_text(text, encoding="utf-8")
    code, _, err = _run(capsys, "build", "--config", recipe)
    assert code == 0, err
    assert (tmp_path / "maps" / "index.html").is_file()
    assert (tmp_path / "maps" / "records.gpkg").is_file()


def test_every_option_of_the_object_is_in_the_starter_recipe_or_command_specific() -> None:
    documented = set(re.findall(r"^(?:# )?([a-z_0-9]+) = ", starter_recipe(), re.M))
    aliases = {"region_aliases", "adm2_aliases", "organisation_aliases", "sector_aliases"}
    command_specific = {"report", "output", "region", "sector"}
    for name in mali_map._build._options.OPTION_NAMES:
        assert name in documented | aliases | command_specific, name


def test_the_readme_recipe_is_a_valid_complete_recipe(tmp_path, repo_root) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    text = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(text, encoding="utf-8")
    values = read_recipe(recipe)
    options = Options(**values)
    assert (options.lang, options.dpi, options.static, options.map_id) == (
        "fr", 200, ("png", "pdf"), "MLI001")
    assert options.region_aliases == {"Bélédougou": "ML02"}
    issue_keys = {"records", "sheet", "boundaries", "region_aliases", "title", "map_id", "lang",
                  "metric", "classes", "static", "paper"}
    assert issue_keys <= set(values)


def test_date_is_a_day_or_the_default(monkeypatch):
    from datetime import date

    from mali_map._build._options import production_date

    assert Options(date="2024-05-31").date == "2024-05-31"
    assert Options(date=date(2024, 5, 31)).date == "2024-05-31"
    assert Options().date is None and Options(date=True).date is None  # today, when printed
    with pytest.raises(OptionError, match="date: expected a date written YYYY-MM-DD"):
        Options(date="31/05/2024")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717113600")  # 2024-05-31 00:00 UTC
    assert production_date() == production_date(None) == date(2024, 5, 31)
    assert production_date("2020-01-02") == date(2020, 1, 2)  # a given date wins
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(OptionError, match="SOURCE_DATE_EPOCH"):
        production_date()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert production_date() == date.today()


def test_the_snapshot_uses_the_same_production_date():
    from mali_map._build._options import production_date
    from mali_map._snapshot import _facts

    assert _facts.production_date is production_date


# ------------------------------------------------------------- one check, one case rule


@pytest.mark.parametrize(("option", "given", "expected"), [
    ("scheme", "Quantiles", "quantiles"),
    ("scheme", " EQUAL_INTERVAL ", "equal_interval"),
    ("metric", "Reached", "reached"),
    ("lang", "FR", "fr"),
    ("paper", "a3", "A3"),
    ("orientation", "Portrait", "portrait"),
    ("tiles", "OSM", "osm"),
])
def test_choices_are_case_insensitive_and_returned_as_spelled(option, given, expected) -> None:
    assert getattr(Options(**{option: given}), option) == expected
    # the recipe and the command line go through the same object
    assert getattr(merge({option: given}), option) == expected


def test_classify_follows_the_options_rule() -> None:
    """``Options(scheme="Quantiles")`` and ``classify(v, "Quantiles")`` agree; a bad scheme
    is the same OptionError, naming the choices, wherever it is given."""
    from mali_map._measure import SCHEMES, check_scheme, require_scheme

    values = [1, 2, 3, 4, 5, 6]
    assert classify(values, "Quantiles") == classify(values, "quantiles")
    assert classify(values, "Quantiles").scheme == "quantiles"
    assert mali_map.classify(values, "EQUAL_INTERVAL").scheme == "equal_interval"
    require_scheme("Quantiles")  # built in: needs no extra, whatever the case
    errors = []
    for call in (lambda: Options(scheme="magic"), lambda: classify(values, "magic"),
                 lambda: mali_map.classify(values, "magic"), lambda: check_scheme("magic"),
                 lambda: require_scheme("magic"), lambda: merge({"scheme": "magic"})):
        with pytest.raises(OptionError) as caught:
            call()
        errors.append(str(caught.value))
    assert len(set(errors)) == 1, errors
    assert errors[0].startswith("scheme: expected one of ")
    assert all(name in errors[0] for name in SCHEMES)


def test_command_line_scheme_any_case(tmp_path, capsys) -> None:
    code, _, err = _run(capsys, "build", "--out", tmp_path / "a", "--scheme", "Quantiles")
    assert code == 0, err
    code, _, err = _run(capsys, "build", "--out", tmp_path / "b", "--scheme", "magic")
    assert code == 2
    assert not (tmp_path / "b").exists()
    assert "scheme: expected one of quantiles" in err
