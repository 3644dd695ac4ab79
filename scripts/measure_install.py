"""Measure the install size of mali-map and its extras in fresh virtual environments.

Builds the project's wheel once, then for each variant creates a new venv, installs
it with pip (from the configured index or ``--find-links``), and prints the size of
site-packages in MB (10^6 bytes) and the number of installed distributions (pip and
setuptools, which every venv has, are not counted). ``old-full`` is the dependency
list of every install before the extras split (commit 311b567^), mali-map itself
installed without dependencies. I/O heavy: run it once, by hand::

    python scripts/measure_install.py [--keep] [--work /tmp/mali-map-sizes]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_FULL = ["geopandas>=1.0", "shapely>=2.0", "pyproj>=3.6", "pandas>=2.2", "pyogrio>=0.9",
            "rapidfuzz>=3.0", "openpyxl>=3.1", "mapclassify>=2.8",
            "xstatic-leaflet==1.9.3.0", "xstatic-leaflet-markercluster==1.4.1.1",
            "matplotlib>=3.8", "matplotlib-scalebar>=0.9", "matplotlib-map-utils>=3.0"]
VARIANTS = {"core": "", "static": "[static]", "static+schemes+xls": "[static,schemes,xls]"}
NOT_COUNTED = {"pip", "setuptools"}


def site_packages(venv: Path) -> Path:
    purelib = sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)})
    return Path(purelib)


def measure(venv: Path) -> tuple[float, int]:
    site = site_packages(venv)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and not p.is_symlink())
    dists = [p.name.split("-")[0].lower() for p in site.glob("*.dist-info")]
    return size / 1e6, len([d for d in dists if d not in NOT_COUNTED])


def install(venv: Path, *requirements: str, no_deps: bool = False) -> None:
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                    "--no-cache-dir", *(["--no-deps"] if no_deps else []), *requirements],
                   check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/mali-map-sizes"))
    parser.add_argument("--keep", action="store_true", help="keep the venvs")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    wheels = args.work / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(ROOT)], check=True)
    wheel = next(wheels.glob("mali_map-*.whl"))
    rows = []
    for name, extra in [*VARIANTS.items(), ("old-full", None)]:
        venv = args.work / name
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        if extra is None:
            install(venv, *OLD_FULL)
            install(venv, str(wheel), no_deps=True)
        else:
            install(venv, f"mali-map{extra} @ {wheel.as_uri()}")
        megabytes, count = measure(venv)
        rows.append((name, megabytes, count))
        print(f"{name}: {megabytes:.0f} MB, {count} packages", flush=True)
        if not args.keep:
            shutil.rmtree(venv)


if __name__ == "__main__":
    main()
