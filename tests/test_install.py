"""The core install: no matplotlib or mapclassify needed for HTML and data outputs; a missing
extra gives one line naming the ``pip install`` that fixes it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import mali_map
from mali_map._measure._classify import classify

SRC = Path(mali_map.__file__).resolve().parents[1]
OPTIONAL = ("matplotlib", "matplotlib_scalebar", "mapclassify")
BLOCKER = textwrap.dedent(f"""
    import sys

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {OPTIONAL!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    sys.path.insert(0, {str(SRC)!r})
""")


def _core_only(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter where the optional extras cannot be imported."""
    return subprocess.run([sys.executable, "-c", BLOCKER + textwrap.dedent(code)], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def _cli(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    return _core_only(f"from mali_map._cli._main import main\nsys.exit(main({list(argv)!r}))", cwd)


def test_import_does_not_import_matplotlib(tmp_path) -> None:
    proc = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(SRC)!r})\n"
                           "import mali_map\nmali_map.join_files()\n"
                           "print(sorted(m for m in sys.modules if m.split('.')[0] in "
                           f"{OPTIONAL!r}))"], capture_output=True, text=True, check=True,
                          cwd=tmp_path)
    assert proc.stdout.strip() == "[]"


def test_core_only_build_writes_pages_and_data_outputs(tmp_path) -> None:
    proc = _cli(tmp_path, "build", "--out", "maps")
    assert proc.returncode == 0, proc.stderr
    for name in ("index.html", "join-report.csv", "records.gpkg", "aggregates.xlsx",
                 "aggregates-adm1.csv"):
        assert (tmp_path / "maps" / name).is_file(), name
    assert "wrote maps/records.gpkg" in proc.stdout


@pytest.mark.parametrize(("argv", "extra"), [
    (["build", "--out", "maps", "--static", "png"], "static"),
    (["export", "-o", "overview.png"], "static"),
    (["build", "--out", "maps", "--scheme", "natural_breaks"], "schemes"),
])
def test_a_missing_extra_gives_the_pip_install_line(tmp_path, argv, extra) -> None:
    proc = _cli(tmp_path, *argv)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().endswith(f"pip install 'mali-map[{extra}]'")
    assert not (tmp_path / "maps").exists() and not (tmp_path / "overview.png").exists()
    assert proc.stdout == ""  # checked before any work


def test_the_api_names_the_extra_too(tmp_path) -> None:
    proc = _core_only("""
        import mali_map
        try:
            mali_map.static_map
        except mali_map.MissingExtra as exc:
            print(exc)
        print(mali_map.classify([1, 2, 3, 4, 5], scheme="quantiles", k=2).bounds)
    """, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "static maps (PNG, PDF, SVG) needs the optional dependencies of mali-map[static]: "
        "pip install 'mali-map[static]'", "(3.0, 5.0)"]


@pytest.mark.parametrize("scheme", ["quantiles", "equal_interval"])
@pytest.mark.parametrize("seed", range(6))
def test_built_in_schemes_equal_mapclassify(scheme, seed) -> None:
    """The numpy quantiles and equal intervals give mapclassify's classes."""
    import mapclassify

    rng = np.random.default_rng(seed)
    values = rng.gamma(2.0, 50.0, size=int(rng.integers(8, 60))).round(1) + 0.1
    for k in (2, 3, 5, 7, 9):
        ours = classify(values, scheme=scheme, k=k)
        klass = {"quantiles": mapclassify.Quantiles,
                 "equal_interval": mapclassify.EqualInterval}[scheme]
        theirs = np.unique(np.round(klass(values, k=k).bins, 6))
        assert np.allclose(ours.bounds, theirs), (scheme, k)


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    assert mali_map.__version__ == version("mali-map")
