"""Time a child process (wall, peak RSS), size an output folder, describe the machine."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
import threading
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pandas", "geopandas", "shapely", "numpy", "pyogrio", "pyproj", "rapidfuzz",
            "mapclassify", "playwright")


def child_env(extra_path: Path | None = None) -> dict[str, str]:
    """The environment for a child: this checkout's ``src`` first on ``PYTHONPATH``."""
    env = dict(os.environ)
    paths = [str(ROOT / "src")] + ([str(extra_path)] if extra_path else [])
    env["PYTHONPATH"] = os.pathsep.join(paths + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def _tree_rss(pid: int, pss: bool = False) -> int:
    """Resident bytes of ``pid`` and all its descendants (0 when gone).

    ``pss=True`` sums the proportional set size instead: a page shared by forked
    workers is divided between them rather than counted once per process.
    """
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_full_info().pss if pss else p.memory_info().rss
    return total


def _kill_tree(pid: int) -> None:
    """Kill ``pid`` and its descendants (the benchmark's own children only)."""
    try:
        import psutil

        procs = psutil.Process(pid).children(recursive=True)
    except Exception:  # psutil missing or the process gone: kill the child alone
        procs = []
    for p in procs:
        with contextlib.suppress(Exception):
            p.kill()
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, 9)


def run(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 3600,
        log: Path | None = None, max_rss_mb: float | None = None) -> dict:
    """Run ``cmd`` to the end; its wall time and memory.

    ``peak_rss_mb`` is the kernel's peak resident size of the child (``wait4`` rusage:
    the largest single process of its tree); ``tree_rss_mb`` the largest sum over the
    child and its descendants seen by sampling every 50 ms (it matters when the child
    runs worker processes), None without psutil; ``tree_pss_mb`` the largest sum of
    proportional set sizes (sampled every 0.5 s), which counts pages the forked workers
    share with their parent once. The child is killed after ``timeout``
    seconds, or when its tree's resident size passes ``max_rss_mb``; ``killed`` says which.
    """
    out_file = open(log or os.devnull, "w")  # noqa: SIM115 - closed below
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=out_file, env=env, text=True)
    peak_tree, peak_pss, stop, killed = [0], [0], threading.Event(), [None]
    stdout: list[str] = []
    reader = threading.Thread(target=lambda: stdout.append(proc.stdout.read()), daemon=True)
    reader.start()

    def sample() -> None:
        ticks = 0
        while not stop.is_set():
            peak_tree[0] = max(peak_tree[0], _tree_rss(proc.pid))
            if ticks % 10 == 0:  # reading smaps costs more: every 0.5 s
                peak_pss[0] = max(peak_pss[0], _tree_rss(proc.pid, pss=True))
            ticks += 1
            if max_rss_mb and peak_tree[0] > max_rss_mb * 1e6 and killed[0] is None:
                killed[0] = f"killed: resident size over {max_rss_mb:.0f} MB"
                _kill_tree(proc.pid)
            stop.wait(0.05)

    try:
        import psutil  # noqa: F401
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    except ImportError:
        sampler = None
    def expire() -> None:
        killed[0] = killed[0] or f"killed after {timeout:.0f} s"
        _kill_tree(proc.pid)

    timer = threading.Timer(timeout, expire)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
        stop.set()
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    out_file.close()
    if sampler:
        sampler.join()
    return {"cmd": cmd, "returncode": proc.returncode, "wall_s": wall,
            "peak_rss_mb": usage.ru_maxrss / 1024,
            "tree_rss_mb": peak_tree[0] / 1e6 if sampler else None,
            "tree_pss_mb": peak_pss[0] / 1e6 if sampler else None,
            "killed": killed[0], "stdout": "".join(stdout)}


def page_sizes(folder: Path) -> dict:
    """Sizes (bytes) of the overview, the largest HTML page, all HTML and all files."""
    pages = {p.relative_to(folder).as_posix(): p.stat().st_size
             for p in folder.rglob("*.html")}
    files = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    largest = max(pages, key=pages.get) if pages else None
    return {"pages": len(pages), "overview": pages.get("index.html"), "largest_page": largest,
            "largest": pages.get(largest), "html_total": sum(pages.values()),
            "all_files": files}


def _first(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine() -> dict:
    """What the numbers were measured on."""
    mem = _first("/proc/meminfo", "MemTotal")
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    sys.path.insert(0, str(ROOT / "src"))
    try:
        import mali_map
        versions["mali-map"] = mali_map.__version__
    finally:
        sys.path.pop(0)
    return {
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gb": round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else None,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_exe": sys.executable,
        "packages": versions,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "branch": _git("rev-parse", "--abbrev-ref", "HEAD"),
        "load_average": os.getloadavg(),
    }
