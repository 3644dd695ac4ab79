"""Golden outputs: build the seed and three fixtures in both languages and fingerprint
every output, so a refactoring can prove it changed no byte.

    python scripts/golden.py record DIR      # builds into DIR, writes DIR/manifest.json
    python scripts/golden.py compare A B     # compares two manifests, prints differences

Fingerprints: SHA-256 of deterministic files (CSV, SVG, JSON, PDF, PNG), the cell values of
XLSX workbooks, the rows of every GeoPackage layer, the text of PDF pages; HTML pages as a
whole and in parts (embedded data, markup, scripts). Timings in console lines are ignored.
Builds run with ``--date`` so they are deterministic. Written for this project.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "mali_map"]

MESSY_FR = (
    "Organisation;Secteur;Activité;Région;Cercle;Lieu;Bénéficiaires atteints;Statut;Début\n"
    "#org+impl;#sector;#activity;#adm1+name;#adm2+name;#loc;#reached;#status;#date+start\n"
    "Croix-Rouge;Santé;Cliniques mobiles;Ségou;San;;1 200;en cours;2023-02\n"
    "UNICEF;Éducation;Espaces d'apprentissage;Mopti;Djenné;;350,5;terminé;2022\n"
    "Handicap International;Protection;Réadaptation;Tombouctou;Goundam;;80;en cours;2023\n"
    "NRC;Abris;Kits abris;Gao;Ansongo;;;planifié;2024-01-15\n"
    "IRC;Santé;Nutrition;Koulikouro;Kati;;40;en cours;2023\n"
    "=HYPERLINK(\"x\");WASH;Forages;Kayes;Kita;;12;en cours;2023\n"
    "MSF;Santé;Hôpital;Sikasso;;Sikasso;;en cours;2021\n"
    "Save the Children;Protection;Espaces amis;Mali;;;;en cours;2023\n"
    "ACF;Nutrition;Dépistage;Nowhere;;;10;en cours;2023\n"
    "WFP;Sécurité alimentaire;Distributions;Ségou, Mopti;;;;en cours;2023\n"
)

COORDS = (
    "organisation,sector,activity,latitude,longitude,reached,status\n"
    "IOM,Shelter,Camp management,16.77,-3.00,500,ongoing\n"
    "IOM,Shelter,Transit centre,12.65,-8.00,250,ongoing\n"
    "UNHCR,Protection,Registration,14.49,-4.19,,ongoing\n"
    "UNHCR,Protection,Registration,16.27,-0.04,90,completed\n"
    "WHO,Health,Vaccination,11.32,-5.67,1200,ongoing\n"
    "WHO,Health,Vaccination,48.85,2.35,10,ongoing\n"
    "MSF,Health,Clinic,18.44,1.41,30,ongoing\n"
)


def _write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "Instructions"
    notes["A1"] = "Fill the 3W sheet"
    sheet = book.create_sheet("3W")
    sheet.append(["Notes: round of May"])
    sheet.append([])
    sheet.append(["organisation", "sector", "activity", "adm1_pcode", "adm2_name", "reached",
                  "targeted", "start_date", "status"])
    rows = [
        ("HI", "Health", "Rehabilitation", "ML06", "Tombouctou", 100, 150, "2023-01", "ongoing"),
        ("HI", "Protection", "Case management", "ML05", "Mopti", 40, 60, "2023", "ongoing"),
        ("UNICEF", "Education", "Schools", "MLI04", "Ségou", 300, None, "2022", "completed"),
        ("UNICEF", "WASH", "Boreholes", "ml 02", "Kati", None, 500, "2024", "planned"),
        ("OCHA", "Coordination", "Meetings", "ML09", "", 0, 0, "2023", "ongoing"),
        ("IRC", "Health", "Clinics", "ML07", "Ansongo", 20, 25, "2023", "ongoing"),
        ("IRC", "Health", "Clinics", "ML07", "Ansongo", 20, 25, "2023", "ongoing"),
        ("NRC", "Shelter", "Kits", "ML99", "", 5, 5, "2023", "ongoing"),
    ]
    for row in rows:
        sheet.append(list(row))
    book.save(path)


BUILDS = {
    "seed": [],
    "messy": ["--records", "inputs/messy_fr.csv"],
    "xlsx": ["--records", "inputs/workbook.xlsx", "--sheet", "3W"],
    "coords": ["--records", "inputs/coords.csv"],
}


def _fingerprint(path: Path) -> object:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        return {ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)]
                for ws in book.worksheets}
    if suffix == ".gpkg":
        import pyogrio

        out = {}
        for name, _ in pyogrio.list_layers(path):
            frame = pyogrio.read_dataframe(path, layer=name)
            text = frame.to_csv(index=False) if "geometry" not in frame else \
                frame.assign(geometry=frame.geometry.to_wkt()).to_csv(index=False)
            out[name] = hashlib.sha256(text.encode()).hexdigest()
        return out
    if suffix == ".pdf":
        from pypdf import PdfReader

        text = "\f".join(page.extract_text() or "" for page in PdfReader(path).pages)
        return {"text": hashlib.sha256(text.encode()).hexdigest(),
                "bytes": hashlib.sha256(path.read_bytes()).hexdigest()}
    if suffix == ".html":
        return _html_parts(path.read_text("utf-8"))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _html_parts(text: str) -> dict[str, str]:
    """A page in three parts: its embedded data, its markup (scripts and their CSP hashes
    taken out) and its scripts, so a change of the page script alone shows as such."""
    import re

    def digest(value: str) -> str:
        return hashlib.sha256(value.encode()).hexdigest()

    scripts = re.findall(r"<script[^>]*>(.*?)</script>", text, re.S)
    data = [s for s in scripts if s.lstrip().startswith(("{", "["))]
    code = [s for s in scripts if s not in data]
    markup = re.sub(r"(<script[^>]*>)(.*?)(</script>)", r"\1\3", text, flags=re.S)
    markup = re.sub(r"'sha256-[^']*'|&#x27;sha256-[^&]*&#x27;", "", markup)
    return {"bytes": digest(text), "data": digest("\0".join(data)),
            "markup": digest(markup), "scripts": digest("\0".join(code))}


def record(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    inputs = root / "inputs"
    inputs.mkdir(exist_ok=True)
    (inputs / "messy_fr.csv").write_bytes(MESSY_FR.encode("cp1252"))
    (inputs / "coords.csv").write_text(COORDS, encoding="utf-8")
    _write_xlsx(inputs / "workbook.xlsx")
    manifest: dict[str, object] = {}
    for name, extra in BUILDS.items():
        args = list(extra)  # relative to root: outputs name no absolute path
        for lang in ("en", "fr"):
            out = root / f"{name}-{lang}"
            cmd = [*CLI, "build", *args, "--lang", lang, "--out", out.name, "--date",
                   "2026-01-15", "--static", "svg,pdf"]
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root)
            manifest[f"{name}-{lang}/console"] = [proc.returncode, proc.stdout, proc.stderr]
            for ext in ("pdf", "html"):
                snap = root / f"{name}-{lang}-snapshot.{ext}"
                proc = subprocess.run([*CLI, "snapshot", *args, "--lang", lang, "-o", snap.name,
                                       "--date", "2026-01-15"], capture_output=True,
                                      text=True, cwd=root)
                manifest[f"{name}-{lang}/snapshot.{ext}/console"] = [proc.returncode,
                                                                     proc.stdout, proc.stderr]
                if snap.exists():
                    manifest[f"{name}-{lang}/snapshot.{ext}"] = _fingerprint(snap)
            if out.exists():
                for path in sorted(out.rglob("*")):
                    if path.is_file() and path.name != ".mali-map":
                        manifest[f"{name}-{lang}/{path.relative_to(out)}"] = _fingerprint(path)
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True,
                                                   default=str))
    print(f"{len(manifest)} fingerprints in {root / 'manifest.json'}")


def compare(a: Path, b: Path) -> int:
    old = json.loads((a / "manifest.json").read_text())
    new = json.loads((b / "manifest.json").read_text())
    diff = 0
    for key in sorted(set(old) | set(new)):
        if key.endswith("/console"):
            va, vb = old.get(key), new.get(key)
            timing = re.compile(r" (?:in|en) \d+ s\b")
            va = va and [va[0], timing.sub(" ~ N s", va[1]), va[2]]
            vb = vb and [vb[0], timing.sub(" ~ N s", vb[1]), vb[2]]
            if va is not None and vb is not None:  # paths in messages differ by folder
                va = [va[0], va[1].replace(str(a), "@"), va[2].replace(str(a), "@")]
                vb = [vb[0], vb[1].replace(str(b), "@"), vb[2].replace(str(b), "@")]
            if va != vb:
                diff += 1
                print(f"DIFF {key}")
            continue
        a_value, b_value = old.get(key), new.get(key)
        if isinstance(a_value, dict) and isinstance(b_value, dict) and a_value != b_value:
            parts = sorted(k for k in set(a_value) | set(b_value)
                           if a_value.get(k) != b_value.get(k))
            diff += 1
            print(f"DIFF {key} ({', '.join(parts)})")
        elif a_value != b_value:
            diff += 1
            print(f"DIFF {key}")
    print(f"{len(set(old) | set(new))} fingerprints, {diff} differ")
    return 1 if diff else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["record"]:
        record(Path(sys.argv[2]).resolve())
    elif sys.argv[1:2] == ["compare"]:
        sys.exit(compare(Path(sys.argv[2]).resolve(), Path(sys.argv[3]).resolve()))
    else:
        sys.exit(__doc__)
