"""Safe writing: whole builds or nothing, one build at a time, never over an input,
never through a symlink out of the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import mali_map
from mali_map import OutputError, read_report
from mali_map._cli._main import main
from mali_map._core._write import build_folder, check_not_input, inside, write_atomic, writing


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir()
                  if ".building-" in p.name or ".previous-" in p.name)


@pytest.fixture
def site(tmp_path: Path, capsys) -> Path:
    out = tmp_path / "maps"
    code, _, err = _run(capsys, "build", "--out", out)
    assert code == 0, err
    return out


def test_a_failed_build_leaves_the_previous_site_whole(site, capsys, monkeypatch) -> None:
    before = _tree(site)

    def broken(*args, **kwargs):
        raise OutputError("disk full (simulated)")

    monkeypatch.setattr("mali_map._outputs.write_data_outputs", broken)
    code, _, err = _run(capsys, "build", "--out", site, "--lang", "fr")
    assert code == 2 and "disk full (simulated)" in err
    assert _tree(site) == before
    assert _leftovers(site.parent) == []


def test_an_interrupted_build_leaves_the_previous_site_whole(site, capsys, monkeypatch) -> None:
    before = _tree(site)
    import mali_map._render.html as html

    real = html.render_site

    def interrupted(result, out_dir, **kwargs):
        real(result, out_dir, **kwargs)  # half the new site is written...
        raise KeyboardInterrupt  # ...then Ctrl-C

    monkeypatch.setattr(html, "render_site", interrupted)
    code, _, err = _run(capsys, "build", "--out", site, "--lang", "fr")
    assert code == 130 and "rien n'a été remplacé" in err  # --lang fr: French (issue 10)
    assert _tree(site) == before
    assert _leftovers(site.parent) == []


def test_the_swap_removes_stale_pages(site, tmp_path, capsys) -> None:
    stale = site / "regions" / "old-region.html"
    stale.write_text("<p>from an earlier build</p>", encoding="utf-8")
    records = tmp_path / "3w.csv"
    records.write_text("Organisation,Secteur,Région\nHI,Santé,Gao\n", encoding="utf-8")
    code, _, err = _run(capsys, "build", "--records", records, "--out", site)
    assert code == 0, err
    assert not stale.exists()
    assert sorted(p.name for p in (site / "regions").iterdir()) == ["gao.html"]
    assert len(read_report(site / "join-report.csv")) == 1
    assert _leftovers(tmp_path) == []


def test_a_second_concurrent_build_is_refused(site, capsys) -> None:
    before = _tree(site)
    with build_folder(site) as stage:  # a build in progress holds the lock
        code, _, err = _run(capsys, "build", "--out", site)
        assert code == 2
        assert "another mali-map build is writing to this folder" in err
        assert err.count("\n") == 1
        stage.path("index.html").write_text("<p>first build</p>", encoding="utf-8")
    assert (site / "index.html").read_text(encoding="utf-8") == "<p>first build</p>"
    assert set(_tree(site)) < set(before) | {".mali-map"}
    code, _, err = _run(capsys, "build", "--out", site)  # the lock is released
    assert code == 0, err


def test_an_input_inside_the_output_folder_is_refused(site, capsys) -> None:
    report = site / "join-report.csv"
    before = _tree(site)
    code, _, err = _run(capsys, "build", "--records", report, "--out", site)
    assert code == 2
    assert "join-report.csv: this input is inside the output folder" in err
    assert _tree(site) == before


def test_an_output_equal_to_an_input_is_refused(tmp_path, capsys) -> None:
    records = tmp_path / "3w.csv"
    records.write_text("Région\nGao\n", encoding="utf-8")
    original = records.read_bytes()
    code, _, err = _run(capsys, "validate", "--records", records, "--report", records)
    assert code == 2 and "refusing to overwrite an input file" in err
    link = tmp_path / "same.csv"
    link.symlink_to(records)
    code, _, err = _run(capsys, "validate", "--records", records, "--report", link)
    assert code == 2 and "refusing to overwrite an input file" in err
    code, _, err = _run(capsys, "export", "--records", records, "-o",
                        tmp_path / "." / "3w.csv")
    assert code == 2
    assert records.read_bytes() == original


def test_a_folder_not_written_by_mali_map_is_not_replaced(tmp_path, capsys) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"precious")
    code, _, err = _run(capsys, "build", "--out", folder)
    assert code == 2 and "not empty and was not written by mali-map" in err
    assert (folder / "thesis.docx").read_bytes() == b"precious"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _run(capsys, "build", "--out", empty)[0] == 0


def test_no_write_follows_a_symlink_out_of_the_output(tmp_path, capsys) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "static").symlink_to(outside)
    with pytest.raises(OutputError, match="refusing to write outside the output folder"):
        inside(root, "static/overview.png")
    # A single-file output that is a symlink is replaced, never written through.
    victim = outside / "victim.csv"
    victim.write_text("keep", encoding="utf-8")
    report = tmp_path / "report.csv"
    report.symlink_to(victim)
    code, _, err = _run(capsys, "validate", "--records", mali_map.seed_records_path(),
                        "--report", report)
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not report.is_symlink() and len(read_report(report)) > 0


def test_static_maps_never_follow_a_symlink_out_of_the_output(tmp_path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "static").symlink_to(outside)
    with pytest.raises(OutputError, match="refusing to write outside"):
        mali_map.export_static(mali_map.join_files(), root, formats=("svg",))
    assert list(outside.iterdir()) == []


def test_write_errors_become_one_output_error(tmp_path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write the join report"):
        write_atomic(blocked / "report.csv", lambda p: p.write_text("x"), "the join report")
    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path, lambda p: p.write_text("x"), "the join report")
    failed = tmp_path / "kept.csv"
    failed.write_text("old", encoding="utf-8")

    def half(path: Path) -> None:
        path.write_text("new, half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(failed, half, "the join report")
    assert failed.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_check_not_input_compares_real_files(tmp_path) -> None:
    a = tmp_path / "a.csv"
    a.write_text("x", encoding="utf-8")
    os.link(a, tmp_path / "hard.csv")
    with pytest.raises(OutputError):
        check_not_input(tmp_path / "hard.csv", [a])
    check_not_input(tmp_path / "b.csv", [a, None])


def test_one_writer_maps_oserror_to_one_line_output_error(tmp_path):
    """``writing`` is the one place an OSError becomes an OutputError, for every verb."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as caught, writing(blocker / "a.csv", "a CSV table"):
        (blocker / "a.csv").write_text("y")
    assert str(caught.value).startswith(f"{blocker / 'a.csv'}: cannot write a CSV table: ")
    with pytest.raises(OutputError) as caught, writing(blocker / "d", "the output folder",
                                                       action="create"):
        (blocker / "d").mkdir()
    assert str(caught.value).startswith(f"{blocker / 'd'}: cannot create the output folder: ")
    with pytest.raises(OutputError) as caught, writing(blocker / "p.html"):
        (blocker / "p.html").write_text("y")
    assert str(caught.value).startswith(f"{blocker / 'p.html'}: cannot write: ")
    assert "\n" not in str(caught.value)
    with pytest.raises(OutputError, match="outside"), writing(tmp_path, "x"):
        inside(tmp_path, "../escape")  # an OutputError passes through unchanged
