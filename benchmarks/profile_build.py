"""Where ``mali-map build`` spends its time, stage by stage (cProfile of each stage).

    python benchmarks/profile_build.py FILE [--out DIR] [--top 8] [--workers N]

Runs ``mali-map build --records FILE --out DIR`` in this process (this checkout's
``src`` first on ``PYTHONPATH``) with each stage under its own profiler: load + validate
(``load_records``), boundaries (``load_boundaries``), join, join report, HTML pages
(``render_site``) and data outputs (``write_data_outputs``). Pages are rendered in this
process (``--workers 1``, the default) so the HTML stage is profiled too; the build's
own wall time with its workers is what ``run.py`` measures. Aggregation runs inside
the HTML and data stages: every call of the metric registry's ``cube``/``reduce_cube``
is timed and reported as its own line. Prints, per stage, its wall time and the
functions with the most own time (``tottime``) and the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _where(key: tuple[str, int, str]) -> str:
    path, line, name = key
    if path == "~":
        return name
    short = path.split("/site-packages/")[-1].split("/src/")[-1]
    return f"{short}:{line}({name})"


def _top(stats: pstats.Stats, index: int, count: int, skip: Callable[[str], bool]) -> list:
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][index], reverse=True)
    return [(kv[1][index], kv[1][1], _where(kv[0])) for kv in rows
            if not skip(_where(kv[0]))][:count]


class Stages:
    """Wraps stage functions so that each call runs under its own profiler."""

    def __init__(self) -> None:
        self.stats: dict[str, tuple[float, cProfile.Profile]] = {}
        self.timed: dict[str, list[float]] = {}

    def profile(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prof = cProfile.Profile()
            start = time.perf_counter()
            try:
                return prof.runcall(fn, *args, **kwargs)
            finally:
                self.stats[name] = (time.perf_counter() - start, prof)
        return wrapper

    def time(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.timed.setdefault(name, []).append(time.perf_counter() - start)
        return wrapper


def _patch(stages: Stages, workers: int) -> None:
    import mali_map._build._pipeline as pipeline
    import mali_map._cli._main as cli
    import mali_map._core._parallel as parallel
    import mali_map._measure._aggregate as aggregate
    import mali_map._measure._metrics as metrics
    import mali_map._outputs._tables as outputs
    import mali_map._render.html as html
    import mali_map._render.html._cube as payload
    import mali_map._snapshot._facts as facts

    parallel.WORKERS = workers
    pipeline.load_records = stages.profile("load + validate", pipeline.load_records)
    pipeline.load_boundaries = stages.profile("boundaries", pipeline.load_boundaries)
    pipeline.join = stages.profile("join", pipeline.join)
    cli.write_report = stages.profile("join report", cli.write_report)
    html.render_site = stages.profile("HTML pages", html.render_site)
    outputs.write_data_outputs = stages.profile("data outputs", outputs.write_data_outputs)
    for module in (metrics, aggregate, payload, facts):
        for name in ("cube", "reduce_cube"):
            if hasattr(module, name):
                setattr(module, name, stages.time(f"aggregate: {name}", getattr(module, name)))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("records", type=Path)
    p.add_argument("--out", type=Path, help="output folder (default: a temporary folder)")
    p.add_argument("--top", type=int, default=8, help="functions listed per stage")
    p.add_argument("--workers", type=int, default=1,
                   help="page workers (default 1: pages profiled in this process)")
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    stages = Stages()
    start = time.perf_counter()
    import mali_map._cli._main as cli
    imported = time.perf_counter() - start
    _patch(stages, args.workers)
    out = args.out or Path(tempfile.mkdtemp(prefix="mali-map-profile-")) / "site"
    start = time.perf_counter()
    code = cli.main(["build", "--records", str(args.records), "--out", str(out)])
    total = time.perf_counter() - start
    print(f"\nimport mali_map._cli._main: {imported:.2f} s; build: {total:.2f} s (exit {code}); "
          f"workers {args.workers}")
    accounted = sum(wall for wall, _ in stages.stats.values())
    print(f"stages profiled: {accounted:.2f} s; the rest (summary, folder, console): "
          f"{total - accounted:.2f} s")
    for name, calls in stages.timed.items():
        print(f"{name}: {sum(calls):.2f} s in {len(calls)} calls (inside the stages below)")
    boring = ("{method 'disable'", "<frozen", "{built-in method builtins.exec}")
    for name, (wall, prof) in stages.stats.items():
        stats = pstats.Stats(prof)
        print(f"\n== {name}: {wall:.2f} s wall (profiled {stats.total_tt:.2f} s)")
        print("   own time (tottime):")
        for seconds, calls, where in _top(stats, 2, args.top, lambda w: w.startswith(boring)):
            print(f"     {seconds:7.2f} s  {calls:>8}  {where}")
        print("   cumulative, mali_map functions:")
        for seconds, calls, where in _top(
                stats, 3, args.top, lambda w: not w.startswith("mali_map/")):
            print(f"     {seconds:7.2f} s  {calls:>8}  {where}")
    return code


if __name__ == "__main__":
    sys.exit(main())
