"""Write the benchmark's results as Markdown: machine, command, tables, ratios, targets."""

from __future__ import annotations

import itertools
import math

MB = 1e6

#: Issue 8's targets.
TARGETS = {"build_100k_s": 3.0, "build_1m_s": 10.0, "rss_1m_mb": 2000.0,
           "overview_mb": 1.5, "page_mb": 3.0, "drawn_1m_s": 1.5, "heap_1m_mb": 150.0,
           "change_1m_s": 0.100, "explore_size_ratio": 20.0, "floor_ratio": 6.0}


def _num(value: float | None, unit: str = "", digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}{unit}".replace(",", " ")


def _rows(n: float) -> str:
    return f"{n:,.0f}".replace(",", " ")


def _mb(size: float | None) -> str:
    return "—" if size is None else _num(size / MB, " MB")


def build_s(r: dict) -> float | None:
    b = r.get("build", {})
    return b.get("wall_s") if b.get("returncode") == 0 else None


def rss_mb(r: dict) -> float | None:
    b = r.get("build", {})
    if b.get("returncode") != 0:
        return None
    if b.get("tree_pss_mb"):  # shared pages of forked workers counted once
        return max(b["peak_rss_mb"], b["tree_pss_mb"])
    return max(b["peak_rss_mb"], b.get("tree_rss_mb") or 0)


def drawn_s(browser: dict | None) -> float | None:
    return (browser or {}).get("drawn_s")


def _change_max(browser: dict | None, select: str) -> tuple[float | None, str]:
    """Slowest update time of the changes of one <select>, and how it was timed."""
    changes = [c for c in (browser or {}).get("changes", []) if c["select"] == select]
    if not changes:
        return None, "not measured"
    if any("error" in c for c in changes):
        return None, next(c["error"] for c in changes if "error" in c)
    worst = max(changes, key=lambda c: c["updated"])
    return worst["updated"], worst["mode"]


def change_cell(browser: dict | None, select: str) -> str:
    value, mode = _change_max(browser, select)
    return mode if value is None else f"{_num(value, ' s', 3)}"


def _drawn_cell(browser: dict | None) -> str:
    if not browser:
        return "—"
    if browser.get("drawn_s") is None:
        return browser.get("error", "not drawn")
    return _num(browser["drawn_s"], " s")


def _heap_cell(browser: dict | None) -> str:
    if not browser or browser.get("heap_mb") is None:
        return "—"
    cell = f"{_num(browser['heap_mb'], ' MB', 0)} ({_num(browser['heap_after_gc_mb'], '', 0)})"
    if browser.get("renderer_mb") is not None:
        cell += f"; renderer {_num(browser['renderer_mb'], ' MB', 0)}"
    return cell


def _requests_cell(browser: dict | None) -> str:
    if not browser:
        return "—"
    parts = [f"{browser['blocked']} blocked"]
    if browser.get("from_npm"):
        parts.append(f"{browser['from_npm']} from npm copies")
    return ", ".join(parts)


def _by_rows(results: list[dict], rows: int) -> dict | None:
    return next((r for r in results if r["rows"] == rows), None)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _verdict(value: float | None, limit: float, at_most: bool = True) -> str:
    if value is None:
        return "not measured"
    ok = value <= limit if at_most else value >= limit
    if ok:
        return "met"
    return f"missed ({_num(value / limit if at_most else limit / value, '×', 1)} off)"


def summary_table(results: list[dict]) -> list[str]:
    lines = ["| rows | build (wall) | peak memory | overview HTML | largest page | all HTML "
             "(pages) | drawn in Chromium | JS heap, MB (after GC); renderer RSS | metric change | "
             "status filter change | requests |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        s, b = r.get("sizes") or {}, r.get("browser")
        build = _num(build_s(r), " s") if build_s(r) is not None else \
            f"failed (exit {r['build']['returncode']})"
        lines.append(
            f"| {_rows(r['rows'])} | {build} | {_num(rss_mb(r), ' MB', 0)} | "
            f"{_mb(s.get('overview'))} | {_mb(s.get('largest'))} | "
            f"{_mb(s.get('html_total'))} ({s.get('pages', '—')}) | {_drawn_cell(b)} | "
            f"{_heap_cell(b)} | {change_cell(b, 'mm-metric')} | "
            f"{change_cell(b, 'mm-f-status')} | {_requests_cell(b)} |".replace(",", " ", 1))
    return lines


def explore_table(results: list[dict]) -> list[str]:
    rows = [r for r in results if r.get("explore") and "skipped" not in r["explore"]]
    if not rows:
        return ["explore() was not run (`--skip-explore`, or no size ≤ `--explore-max`)."]
    lines = ["| rows | explore() + save | whole process (incl. join) | peak RSS | HTML | "
             "drawn in Chromium | JS heap, MB (after GC); renderer RSS | requests | "
             "explore() HTML ÷ overview | explore() draw ÷ overview draw |",
             "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"]
    for r in rows:
        e = r["explore"]
        proc, step, b = e.get("process", {}), e.get("step") or {}, e.get("browser")
        if proc.get("returncode") != 0:
            why = proc.get("killed") or f"failed (exit {proc.get('returncode')})"
            lines.append(f"| {_rows(r['rows'])} | {why} | {_num(proc.get('wall_s'), ' s')} | "
                         f"{_num(proc.get('tree_rss_mb'), ' MB', 0)} (sampled) | | | | | | |")
            continue
        size_ratio = _ratio(e.get("html_bytes"), (r.get("sizes") or {}).get("overview"))
        draw_ratio = _ratio(drawn_s(b), drawn_s(r.get("browser")))
        draw_cell = _num(draw_ratio, "×", 1) if draw_ratio else (
            "explore() not drawn" if b and b.get("drawn_s") is None else "—")
        lines.append(
            f"| {_rows(r['rows'])} | {_num(step.get('explore_s'), ' s')} | "
            f"{_num(proc.get('wall_s'), ' s')} | {_num(proc.get('peak_rss_mb'), ' MB', 0)} | "
            f"{_mb(e.get('html_bytes'))} | {_drawn_cell(b)} | {_heap_cell(b)} | "
            f"{_requests_cell(b)} | {_num(size_ratio, '×', 1)} | {draw_cell} |")
    return lines


def floor_table(results: list[dict]) -> list[str]:
    lines = ["| rows | file | read, C engine | read, pyarrow engine | point-in-polygon "
             "(9 regions) | floor (fastest read + PiP) | build ÷ floor |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        f = r.get("floor") or {}
        reads = f.get("read_s", {})
        lines.append(
            f"| {_rows(r['rows'])} | {_mb(r.get('file_bytes'))} | {_num(reads.get('c'), ' s')} | "
            f"{_num(reads.get('pyarrow'), ' s') if 'pyarrow' in reads else 'not installed'} | "
            f"{_num(f.get('pip_s'), ' s')} | {_num(f.get('floor_s'), ' s')} | "
            f"{_num(_ratio(build_s(r), f.get('floor_s')), '×', 1)} |")
    return lines


def growth_table(results: list[dict]) -> list[str]:
    ordered = sorted(results, key=lambda r: r["rows"])
    pairs = list(itertools.pairwise(ordered))
    if not pairs:
        return ["One size only: no growth ratio."]
    head = " | ".join(f"{_rows(a['rows'])} → {_rows(b['rows'])} (rows ×{b['rows'] / a['rows']:g})"
                      for a, b in pairs)
    lines = [f"| measure | {head} |", "|---|" + "---:|" * len(pairs)]
    measures = {
        "build wall time": build_s,
        "peak RSS": rss_mb,
        "overview HTML": lambda r: (r.get("sizes") or {}).get("overview"),
        "all HTML": lambda r: (r.get("sizes") or {}).get("html_total"),
        "drawn in Chromium": lambda r: drawn_s(r.get("browser")),
        "JS heap": lambda r: (r.get("browser") or {}).get("heap_mb"),
        "Chromium renderer RSS": lambda r: (r.get("browser") or {}).get("renderer_mb"),
        "floor (read + PiP)": lambda r: (r.get("floor") or {}).get("floor_s"),
    }
    for name, get in measures.items():
        cells = [_num(_ratio(get(b), get(a)), "×", 1) for a, b in pairs]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("A ratio at or below the rows' ratio means the cost grows linearly or "
                 "better.")
    return lines


def targets_table(results: list[dict]) -> list[str]:
    t = TARGETS
    r100k, r1m = _by_rows(results, 100_000), _by_rows(results, 1_000_000)
    overview = [(r.get("sizes") or {}).get("overview") for r in results]
    largest = [(r.get("sizes") or {}).get("largest") for r in results]
    max_over = max((v for v in overview if v), default=None)
    max_page = max((v for v in largest if v), default=None)
    b1m = (r1m or {}).get("browser")
    change_1m = [_change_max(b1m, s)[0] for s in ("mm-metric", "mm-f-status")]
    worst_change = None if None in change_1m or not b1m else max(change_1m)
    rows = [
        ("build ≤ 3 s at 100 000 rows", r100k and build_s(r100k), t["build_100k_s"], " s"),
        ("build ≤ 10 s at 1 000 000 rows", r1m and build_s(r1m), t["build_1m_s"], " s"),
        ("peak RSS ≤ 2 GB at 1 000 000 rows", r1m and rss_mb(r1m), t["rss_1m_mb"], " MB"),
        ("overview ≤ 1.5 MB at every size (largest seen)", max_over and max_over / MB,
         t["overview_mb"], " MB"),
        ("no page over 3 MB (largest seen)", max_page and max_page / MB, t["page_mb"], " MB"),
        ("overview drawn ≤ 1.5 s at 1M", drawn_s(b1m), t["drawn_1m_s"], " s"),
        ("JS heap ≤ 150 MB at 1M (before GC)", (b1m or {}).get("heap_mb"),
         t["heap_1m_mb"], " MB"),
        ("any metric or status filter change ≤ 100 ms at 1M", worst_change,
         t["change_1m_s"], " s"),
    ]
    lines = ["| target | measured | verdict |", "|---|---:|---|"]
    for name, value, limit, unit in rows:
        value = value or None
        note = ""
        if name.startswith("peak RSS") and value is not None:
            b = r1m.get("build") or {}
            how = "sum of PSS over the process tree" if b.get("tree_pss_mb") else \
                "sum of RSS over the process tree"
            note = (f" ({how}; largest single process {_num(b.get('peak_rss_mb'), ' MB', 0)}"
                    f", RSS sum {_num(b.get('tree_rss_mb'), ' MB', 0)}, which counts the "
                    "pages forked workers share twice)")
        lines.append(f"| {name} | {_num(value, unit, 3 if unit == ' s' else 2)}{note} | "
                     f"{_verdict(value, limit)} |")
    if r100k and r100k.get("explore") and "skipped" not in r100k["explore"]:
        e = r100k["explore"]
        ratio = _ratio(e.get("html_bytes"), (r100k.get("sizes") or {}).get("overview"))
        lines.append(f"| explore() HTML ≥ 20× the overview at 100k | {_num(ratio, '×', 1)} | "
                     f"{_verdict(ratio, t['explore_size_ratio'], at_most=False)} |")
        ours, theirs = drawn_s(r100k.get("browser")), drawn_s(e.get("browser"))
        if ours is not None and theirs is None:
            state = "met: overview drawn, explore() not"
        elif ours is not None:
            state = (f"explore() drawn too, in {_num(theirs, ' s')} "
                     f"({_num(_ratio(theirs, ours), '×', 1)} the overview's {_num(ours, ' s')})")
        else:
            state = f"overview not drawn; explore() {_num(theirs, ' s')}"
        lines.append(f"| drawn where explore() is not, at 100k | — | {state} |")
    ordered = sorted(results, key=lambda r: r["rows"])
    for a, b in itertools.pairwise(ordered):
        growth = _ratio(build_s(b), build_s(a))
        lines.append(f"| build time grows ≤ linearly, {_rows(a['rows'])} → {_rows(b['rows'])} | "
                     f"{_num(growth, '×', 1)} for ×{b['rows'] / a['rows']:g} rows | "
                     f"{_verdict(growth, b['rows'] / a['rows'])} |")
    if r1m:
        ratio = _ratio(build_s(r1m), (r1m.get("floor") or {}).get("floor_s"))
        lines.append(f"| build ≈ 6× the read + PiP floor at 1M | {_num(ratio, '×', 1)} | "
                     f"{_verdict(ratio, t['floor_ratio'])} |")
    return lines


def size_section(r: dict) -> list[str]:
    """Details of one size: every page change, blocked URLs, the build's own summary."""
    lines = [f"### {_rows(r['rows'])} rows", ""]
    s = r.get("sizes") or {}
    out = (r.get("build") or {}).get("stdout", "").strip().splitlines()
    if out:
        lines += [f"- build said: `{out[0]}`"]
    build = r.get("build") or {}
    if build.get("returncode") == 0:
        tree = build.get("tree_rss_mb")
        lines.append(f"- build peak RSS: {_num(build['peak_rss_mb'], ' MB', 0)} (kernel peak of "
                     f"the child), {_num(tree, ' MB', 0)} (sampled sum over its process tree), "
                     f"{_num(build.get('tree_pss_mb'), ' MB', 0)} (sampled sum of proportional "
                     "set sizes: shared pages counted once)")
    elif build:
        lines.append(f"- build failed with exit {build.get('returncode')}: "
                     f"`{''.join((r.get('build_log') or '').strip().splitlines()[-1:])}`")
    lines += [f"- synthetic file: {_mb(r.get('file_bytes'))}, written in "
              f"{_num(r.get('generate_s'), ' s')}",
              f"- pages: {s.get('pages', '—')}, overview {_mb(s.get('overview'))}, largest "
              f"`{s.get('largest_page')}` {_mb(s.get('largest'))}, all HTML "
              f"{_mb(s.get('html_total'))}, all output files {_mb(s.get('all_files'))}"]
    b = r.get("browser") or {}
    if b:
        lines.append(f"- overview: ready (data-mm-ready) at {_num(b.get('ready_s'), ' s', 3)},"
                     f" drawn (next frame) at {_num(b.get('drawn_s'), ' s', 3)}; requests: "
                     f"{b.get('local', 0)} local, {b.get('blocked', 0)} blocked; page errors: "
                     f"{len(b.get('page_errors', []))}")
        for c in b.get("changes", []):
            what = c.get("error") or (f"updated in {_num(c['updated'], ' s', 3)} "
                                      f"(timed by {c['mode']}), next frame at "
                                      f"{_num(c['painted'], ' s', 3)}")
            lines.append(f"  - `#{c['select']}` → `{c['value'] or '(all)'}`: {what}")
    e = r.get("explore") or {}
    if "skipped" in e:
        lines.append(f"- explore(): skipped ({e['skipped']})")
    elif e and (e.get("process") or {}).get("returncode") != 0:
        proc = e.get("process") or {}
        lines.append(f"- explore(): {proc.get('killed') or 'failed'} (exit "
                     f"{proc.get('returncode')}, {_num(proc.get('wall_s'), ' s')}, sampled "
                     f"peak {_num(proc.get('tree_rss_mb'), ' MB', 0)}); not drawn")
    elif e:
        step, eb = e.get("step") or {}, e.get("browser") or {}
        lines.append(f"- explore(): {step.get('features', '—')} features "
                     f"({step.get('by_coordinates', '—')} at their coordinates, "
                     f"{step.get('by_region_point', '—')} at their region's representative "
                     f"point); join {_num(step.get('join_s'), ' s')}, explore() + save "
                     f"{_num(step.get('explore_s'), ' s')}; Leaflet features drawn: "
                     f"{eb.get('leaflet_features_drawn', '—')}; requests: "
                     f"{eb.get('from_npm', 0)} served from npm copies, "
                     f"{eb.get('blocked', 0)} blocked")
        blocked = sorted({u.split("/")[2] for u in eb.get("blocked_urls", [])})
        if blocked:
            lines.append(f"  - blocked hosts (first 20 requests): {', '.join(blocked)}")
    lines.append("")
    return lines


def render(results: list[dict], info: dict) -> str:
    m = info["machine"]
    pk = ", ".join(f"{k} {v}" for k, v in sorted(m["packages"].items()))
    extra = ", ".join(f"{k} {v}" for k, v in sorted(info.get("explore_lib", {}).items()))
    lines = [
        "# Benchmark results (issue 8)", "",
        f"Written by `{info['command']}` on {info['started']} (UTC), in "
        f"{_num(info['elapsed_s'] / 60, ' min', 1)}. Checkout: `{m['branch']}` at "
        f"`{m['commit']}`{' with uncommitted changes' if m['dirty'] else ''}.", "",
        "## Machine", "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gb']} GB; {m['os']}",
        f"- Python {m['python']} (`{m['python_exe']}`); {pk}",
        f"- Chromium {info.get('chromium', '?')} (headless, `/usr/bin/chromium`, network "
        "blocked)",
        f"- benchmark-only packages (never mali-map dependencies): {extra or 'none'}",
        f"- load average at start {tuple(round(x, 2) for x in m['load_average'])}, at end "
        f"{tuple(round(x, 2) for x in info['load_end'])} (the machine is shared: compare "
        "ratios measured in the same run rather than absolute times across runs)", "",
        "## How it is measured", "",
        "- Data: `benchmarks/synthetic.py`, seeded: a French 3W file (cp1252, `;`, decimal "
        "commas); 60 % of rows by coordinates, 25 % by region P-code only, 15 % by region "
        "name only (spelling variants and typos); 150 organisations, sectors in French and "
        "English, statuses, dates, beneficiaries.",
        "- Build: `python -m mali_map build --records FILE --out DIR` as a child process "
        "(this checkout's `src/` first on `PYTHONPATH`); wall time; peak memory = the larger "
        "of the kernel's peak RSS for the child (`wait4`) and the sampled sum of "
        "proportional set sizes (PSS) over its process tree (pages the forked page workers "
        "share with the parent counted once; without PSS, the RSS sum).",
        "- Browser: the overview served from 127.0.0.1; every other request aborted and "
        "counted. *Drawn* = navigation start → two animation frames after `<body "
        "data-mm-ready>`. JS heap = CDP `JSHeapUsedSize` once drawn, and after a forced GC "
        "(it leaves out ArrayBuffer contents, i.e. the typed arrays a page decodes its data "
        "into, so the renderer process's resident size is given too). "
        "Changes: set `#mm-metric` / `#mm-f-status` and dispatch `change`; done when "
        "`<body data-mm-updated>` changes, or, on pages without that counter, when the "
        "synchronous dispatch returns. The slowest change of each kind is shown.",
        "- explore(): the same file joined by mali-map, every placed record as a point (its "
        "coordinates, else its region's representative point), `GeoDataFrame.explore()` with "
        "its defaults, saved; drawn = two frames after the window `load` event (with the "
        "GeoJSON layer built); CDN files served from local npm copies, the rest (tiles, "
        "files with no npm copy) blocked and counted.",
        "- Floor: `pandas.read_csv` of the same file (C and pyarrow engines), then shapely "
        "`contains_xy` of its points against the 9 embedded regions.", "",
        "## Summary", "", *summary_table(results), "",
        "## Against issue 8's targets", "", *targets_table(results), "",
        "## Growth with rows", "", *growth_table(results), "",
        "## mali-map against `GeoDataFrame.explore()`", "", *explore_table(results), "",
        "## The floor: read + point-in-polygon", "", *floor_table(results), "",
        "## Details", "",
    ]
    for r in results:
        lines += size_section(r)
    return "\n".join(lines).rstrip() + "\n"
