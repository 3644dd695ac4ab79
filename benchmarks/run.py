"""Issue 8's benchmark: build, page sizes, Chromium, explore() and the floor, in one run.

    python benchmarks/run.py [--sizes 10000,100000,1000000] [--skip-explore]
                             [--explore-max 100000] [--out benchmarks/RESULTS.md]

For each size: writes a seeded synthetic 3W file, times ``python -m mali_map build`` as a
whole process (this interpreter, this checkout's ``src``), sizes its pages, opens the
overview in headless Chromium with the network blocked (draw time, JS heap, metric and
status-filter changes), does the same for ``GeoDataFrame.explore()`` of the same joined
records (sizes up to ``--explore-max``), and times the read + point-in-polygon floor.
Writes Markdown to ``--out`` and every raw number to the same path with ``.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _browser
import _explore_env
import _measure
import _report
import synthetic

HERE = Path(__file__).resolve().parent


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: comma-separated row counts") \
            from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: row counts must be positive")
    return sizes


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=_sizes, default=[10_000, 100_000, 1_000_000],
                   help="row counts (default 10000,100000,1000000)")
    p.add_argument("--skip-explore", action="store_true", help="do not run explore()")
    p.add_argument("--explore-max", type=int, default=1_000_000,
                   help="run explore() only for sizes up to this (default 1000000)")
    p.add_argument("--explore-timeout", type=float, default=600,
                   help="seconds the explore() process may take before it is killed "
                        "(default 600)")
    p.add_argument("--explore-max-rss", type=float, default=8000,
                   help="MB of resident memory at which the explore() process is killed "
                        "(default 8000)")
    p.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="Markdown results")
    p.add_argument("--seed", type=int, default=2024, help="seed of the synthetic data")
    p.add_argument("--draw-timeout", type=float, default=120,
                   help="seconds a page may take to draw (default 120)")
    p.add_argument("--change-timeout", type=float, default=60,
                   help="seconds a metric or filter change may take (default 60)")
    p.add_argument("--build-timeout", type=float, default=1800,
                   help="seconds a build may take before it is killed (default 1800)")
    p.add_argument("--work", type=Path,
                   help="keep the synthetic files and outputs here (default: a temporary "
                        "folder, removed)")
    return p


def _say(text: str) -> None:
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}] {text}", flush=True)


def _json_line(text: str) -> dict | None:
    lines = [line for line in text.strip().splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def _explore(rows: int, table: Path, work: Path, browser: object, args: argparse.Namespace,
             lib: Path | None) -> dict:
    if args.skip_explore:
        return {"skipped": "--skip-explore"}
    if rows > args.explore_max:
        return {"skipped": f"more rows than --explore-max {args.explore_max}"}
    if lib is None:
        return {"skipped": "folium could not be installed"}
    html = work / "explore" / "explore.html"
    html.parent.mkdir(parents=True, exist_ok=True)
    _say(f"{rows}: explore()")
    proc = _measure.run([sys.executable, str(HERE / "explore_step.py"), str(table), str(html),
                         str(lib)], env=_measure.child_env(), timeout=args.explore_timeout,
                        log=work / "explore.log", max_rss_mb=args.explore_max_rss)
    out = {"process": proc, "step": _json_line(proc["stdout"])}
    if proc["returncode"] != 0:
        out["log"] = (work / "explore.log").read_text()[-2000:]
        return out
    out["html_bytes"] = html.stat().st_size
    urls = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html.read_text())
    out["npm_missing"] = _explore_env.ensure_npm(urls)
    _say(f"{rows}: explore() in Chromium")
    out["browser"] = _browser.measure_explore(browser, html, lib / "folium",
                                              draw_timeout=args.draw_timeout)
    return out


def one_size(rows: int, work: Path, browser: object, args: argparse.Namespace,
             lib: Path | None) -> dict:
    """Every measure for ``rows`` rows."""
    work.mkdir(parents=True, exist_ok=True)
    table = work / f"3w-{rows}.csv"
    _say(f"{rows}: writing the synthetic file")
    start = time.perf_counter()
    synthetic.write(table, rows, args.seed)
    result = {"rows": rows, "generate_s": time.perf_counter() - start,
              "file_bytes": table.stat().st_size}

    site = work / "site"
    _say(f"{rows}: mali-map build")
    result["build"] = _measure.run(
        [sys.executable, "-m", "mali_map", "build", "--records", str(table), "--out",
         str(site)], env=_measure.child_env(), timeout=args.build_timeout,
        log=work / "build.log")
    if result["build"]["returncode"] == 0:
        result["sizes"] = _measure.page_sizes(site)
        _say(f"{rows}: overview in Chromium")
        result["browser"] = _browser.measure_mali_map(
            browser, site / "index.html", draw_timeout=args.draw_timeout,
            change_timeout=args.change_timeout)
    else:
        result["build_log"] = (work / "build.log").read_text()[-2000:]

    _say(f"{rows}: floor (read + point-in-polygon)")
    floor = _measure.run([sys.executable, str(HERE / "floor_step.py"), str(table)],
                         env=_measure.child_env(lib), log=work / "floor.log")
    result["floor"] = {**(_json_line(floor["stdout"]) or {}), "process": floor}
    result["explore"] = _explore(rows, table, work, browser, args, lib)
    return result


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = "python benchmarks/run.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    started = dt.datetime.now(dt.UTC)
    info = {"command": command.strip(), "started": f"{started:%Y-%m-%d %H:%M}",
            "machine": _measure.machine()}
    lib = None
    try:
        lib = _explore_env.ensure_lib()
        info["explore_lib"] = _explore_env.lib_versions()
    except Exception as exc:  # reported; the rest still runs
        _say(f"folium/pyarrow not installed ({exc}); explore() skipped, floor on C engine")
    work_root = args.work or Path(tempfile.mkdtemp(prefix="mali-map-bench-"))
    results = []
    try:
        with _browser.chromium() as browser:
            info["chromium"] = browser.version
            for rows in args.sizes:
                work = work_root / str(rows)
                results.append(one_size(rows, work, browser, args, lib))
                if args.work is None:
                    shutil.rmtree(work, ignore_errors=True)
                r = results[-1]
                _say(f"{rows}: build {_report._num(_report.build_s(r), ' s')}, peak RSS "
                     f"{_report._num(_report.rss_mb(r), ' MB', 0)}, drawn "
                     f"{_report._drawn_cell(r.get('browser'))}")
    finally:
        if args.work is None:
            shutil.rmtree(work_root, ignore_errors=True)
    info["elapsed_s"] = (dt.datetime.now(dt.UTC) - started).total_seconds()
    info["load_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(_report.render(results, info), encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps({"info": info, "results": results}, indent=1, default=str),
        encoding="utf-8")
    _say(f"wrote {args.out} and {args.out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
