"""Execute every analyst notebook on a fresh kernel and check what it produced.

Each notebook runs top to bottom with nbclient in ``notebooks/`` (as Jupyter
would run it), offline. A probe cell appended for the test prints a few of the
notebook's own variables as JSON so the checks look at real results, not at the
notebook's text. The stored notebooks must carry no outputs.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
NAMES = ("01-quickstart.ipynb", "02-sectors-and-organisations.ipynb",
         "03-your-own-data.ipynb", "04-figures-for-a-report.ipynb")
TIME_LIMIT_S = 60.0
ADM2_LINE = 'ADM2_FILE = Path("../../shared/data/geoboundaries-mli/'
EXAMPLE = NOTEBOOK_DIR / "data" / "exemple-3w-fictif.csv"

PROBES = {
    "01-quickstart.ipynb": """
import json
print(json.dumps({"counts": counts, "records": len(records), "report": len(result.report),
                  "saved": str(saved), "pages": [str(p) for p in pages]}))
""",
    "02-sectors-and-organisations.ipynb": """
import json
print(json.dumps({
    "gaps": gaps[["name", "sector"]].values.tolist(),
    "sectors": sectors,
    "regions": result.boundaries.adm1["name"].tolist(),
    # Placed records: one unit each, or each unit of a multi-unit record ("northern Mali").
    "mapped_pairs": sorted({(names[u], s) for u, s in zip(
        mali_map._measure._aggregate.placed_records(result)["unit"],
        mali_map._measure._aggregate.placed_records(result)["sector"])}),
    "table_total": int(by_region_sector.loc["total", "total"]),
    "rows": len(result.records),
}))
""",
    "03-your-own-data.ipynb": """
import json
rec = fixed.records
print(json.dumps({
    "first": mali_map.summarise(first), "fixed": fixed_counts,
    "fixable": len(fixable),
    "unmatched_precision": rec.loc[rec["join_status"] == "unmatched", "precision"].tolist(),
    "organisations": sorted(rec["organisation"].dropna().unique()),
    "by_row": {int(r): [p, a] for r, p, a in zip(rec["row"], rec["pcode"].astype(object),
                                                  rec["adm2"].astype(object))},
    "adm2_names": dict(zip(boundaries.adm2["pcode"], boundaries.adm2["name"])),
    "demo": not ADM2_FILE.is_file(),
}, default=lambda v: None))
""",
    "04-figures-for-a-report.ipynb": """
import json
print(json.dumps({"png": str(png), "pdf": str(pdf), "written": [str(p) for p in written],
                  "out": str(OUT.resolve())}))
""",
}


@pytest.fixture(scope="module")
def kernel_name() -> str:
    """``python3``, checked to be a kernel that runs this interpreter."""
    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        pytest.fail("no python3 Jupyter kernel: run `.venv/bin/python -m ipykernel install "
                    "--sys-prefix`")
    # jupyter_client replaces a bare "python"/"python3" with sys.executable.
    assert spec.argv[0] in ("python", "python3", sys.executable), spec.argv
    return "python3"


def _run(path: Path, cwd: Path, kernel: str, probe: str | None,
         monkeypatch: pytest.MonkeyPatch) -> tuple[nbformat.NotebookNode, float, dict]:
    """Execute the notebook at ``path`` in ``cwd``; return it, the seconds taken, probe data."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]))
    nb = nbformat.read(path, as_version=4)
    if probe:
        nb.cells.append(nbformat.v4.new_code_cell(probe.strip()))
    client = NotebookClient(nb, timeout=120, kernel_name=kernel, allow_errors=False,
                            resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError on the first failing cell
    elapsed = time.perf_counter() - start
    data = {}
    if probe:
        text = "".join(o.get("text", "") for o in nb.cells[-1].outputs
                       if o.get("name") == "stdout")
        data = json.loads(text.strip().splitlines()[-1])
    return nb, elapsed, data


def _outputs(nb: nbformat.NotebookNode, mime: str) -> list[str]:
    return [o["data"][mime] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if mime in o.get("data", {})]


def _data_rows(path: Path, encoding: str, delimiter: str, skip: int) -> int:
    with path.open(encoding=encoding, newline="") as handle:
        return sum(1 for row in list(csv.reader(handle, delimiter=delimiter))[skip:] if row)


def test_every_notebook_is_listed() -> None:
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_stored_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], f"{name} cell {cell.get('id')} has outputs"
        assert cell.execution_count is None, f"{name} cell {cell.get('id')} has a count"
    text = "\n".join(c.source for c in code)
    assert not re.search(r"mali_map\._[a-z]|from mali_map|import mali_map\.", text), \
        "notebooks use only the public `import mali_map` API"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, kernel_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    nb, elapsed, data = _run(NOTEBOOK_DIR / name, NOTEBOOK_DIR, kernel_name, PROBES[name],
                             monkeypatch)
    print(f"{name}: {elapsed:.1f} s")
    assert elapsed < TIME_LIMIT_S, f"{name} took {elapsed:.1f} s"
    CHECKS[name](nb, data)


def _check_quickstart(nb: nbformat.NotebookNode, data: dict) -> None:
    seed_rows = _data_rows(REPO / "data" / "interventions.csv", "utf-8-sig", ",", 1)
    counts = data["counts"]
    assert counts["rows"] == data["records"] == data["report"] == seed_rows
    assert sum(counts[s] for s in ("matched", "warning", "national", "multi", "unmatched",
                                   "invalid")) == seed_rows
    assert counts["matched"] > 0
    saved = NOTEBOOK_DIR / data["saved"]
    assert saved.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert any(Path(p).name == "index.html" for p in data["pages"])
    # The overview map was displayed inline as a sandboxed frame.
    frames = [h for h in _outputs(nb, "text/html") if h.startswith("<iframe")]
    assert frames and all('sandbox="allow-scripts"' in h for h in frames)


def _check_sectors(nb: nbformat.NotebookNode, data: dict) -> None:
    gaps = {tuple(g) for g in data["gaps"]}
    assert gaps, "the coverage-gap table is empty"
    mapped = {tuple(p) for p in data["mapped_pairs"]}
    # A gap is exactly a region x sector pair with no located record.
    expected = {(r, s) for r in data["regions"] for s in data["sectors"]} - mapped
    assert gaps == expected
    assert not gaps & mapped
    assert data["table_total"] == data["rows"]
    assert len(_outputs(nb, "image/png")) >= 3, "the charts were not drawn"


def _check_own_data(nb: nbformat.NotebookNode, data: dict) -> None:
    rows = _data_rows(EXAMPLE, "cp1252", ";", 3)  # title, header, HXL
    assert data["fixed"]["rows"] == data["first"]["rows"] == rows == len(data["by_row"])
    assert data["first"]["unmatched"] > data["fixed"]["unmatched"]
    assert data["fixable"] == 0
    assert data["unmatched_precision"] == []  # the national row has its own status
    assert data["organisations"] == ["Association Démo Baobab", "Humanity & Inclusion",
                                     "ONG Démo Falaise", "UNICEF"]
    by_row = {int(k): v for k, v in data["by_row"].items()}
    with EXAMPLE.open(encoding="cp1252", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    line_of = {line[3]: n for n, line in enumerate(lines, start=1) if n > 3}
    assert by_row[line_of["Adagh"]][0] == "ML08"            # region alias -> Kidal
    cercle_only = next(n for n, line in enumerate(lines, start=1)
                       if n > 3 and not line[3] and line[4])
    assert by_row[cercle_only][0] == "ML05"                 # Bandiagara -> Mopti
    rharous = next(n for n, line in enumerate(lines, start=1) if line[4] == "Rharous")
    assert data["adm2_names"][by_row[rharous][1]] == "Gourma-Rharous"


def _check_figures(nb: nbformat.NotebookNode, data: dict) -> None:
    import matplotlib.image as mpimg

    height, width = mpimg.imread(NOTEBOOK_DIR / data["png"]).shape[:2]
    assert (width, height) == (round(297 / 25.4 * 150), round(210 / 25.4 * 150))
    assert (NOTEBOOK_DIR / data["pdf"]).read_bytes().startswith(b"%PDF")
    written = [Path(p) if Path(p).is_absolute() else NOTEBOOK_DIR / p for p in data["written"]]
    assert written and all(p.is_file() and p.stat().st_size > 0 for p in written)
    assert {p.suffix for p in written} == {".png", ".pdf"}
    assert len(_outputs(nb, "image/png")) >= 2, "the figures were not displayed inline"


CHECKS = {
    "01-quickstart.ipynb": _check_quickstart,
    "02-sectors-and-organisations.ipynb": _check_sectors,
    "03-your-own-data.ipynb": _check_own_data,
    "04-figures-for-a-report.ipynb": _check_figures,
}


def test_own_data_notebook_without_real_adm2(tmp_path: Path, kernel_name: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the geoBoundaries file, notebook 3 builds its demo ADM2 file and still ends clean."""
    name = "03-your-own-data.ipynb"
    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR / "data", work / "data")
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    cells = [c for c in nb.cells if ADM2_LINE in c.source]
    assert len(cells) == 1
    cells[0].source = cells[0].source.replace(ADM2_LINE, 'ADM2_FILE = Path("missing/')
    nbformat.write(nb, work / name)
    _, elapsed, data = _run(work / name, work, kernel_name, PROBES[name], monkeypatch)
    assert elapsed < TIME_LIMIT_S
    assert data["demo"] is True
    assert (work / "output" / "adm2-demo.geojson").is_file()
    assert data["fixable"] == 0
    assert data["unmatched_precision"] == []  # the national row has its own status
