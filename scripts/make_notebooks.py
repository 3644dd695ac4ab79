"""Write the analyst notebooks and their fictional example 3W file.

Run from the repository root::

    .venv/bin/python scripts/make_notebooks.py

The notebooks are written without outputs (``tests/test_notebooks.py`` executes
them); the example file is written as cp1252 bytes with ``;`` separators, the
way a French-locale Excel saves a CSV. Edit the cell lists in this file, not
the ``.ipynb`` files.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
EXAMPLE_FILE = NOTEBOOK_DIR / "data" / "exemple-3w-fictif.csv"

#: First line of the example file: a title row, as many real 3W exports have.
EXAMPLE_TITLE = ("EXEMPLE FICTIF - tableau 3W inventé pour les notebooks mali-map : "
                 "activités, chiffres et organisations « Démo » imaginaires")
EXAMPLE_HEADER = ("Organisation", "Secteur", "Activité", "Région", "Cercle", "Localité",
                  "Latitude", "Longitude", "Date début", "Statut", "Bénéficiaires")
EXAMPLE_HXL = ("#org", "#sector", "#activity", "#adm1+name", "#adm2+name", "#loc+name",
               "#geo+lat", "#geo+lon", "#date+start", "#status", "#reached")
# Fictional rows. Coordinates are approximate town positions (decimal commas);
# row 9 has latitude and longitude swapped on purpose; "Adagh" (the Kel Adagh
# name for the Kidal area) needs a region alias; "Rharous" a cercle alias;
# "ADB" and "Moyens d'existence" need organisation and sector aliases.
EXAMPLE_ROWS: tuple[tuple[str, ...], ...] = (
    ("Handicap International", "Réadaptation", "Séances de réadaptation physique",
     "Tombouctou", "Tombouctou", "Tombouctou", "16,7735", "-3,0074", "15/01/2023", "En cours",
     "1 200"),
    ("HI", "Education", "Classes inclusives dans 12 écoles", "Timbuktu", "Goundam", "Goundam",
     "16,4145", "-3,6708", "mars 2023", "En cours", "850"),
    ("HI", "Lutte antimines", "Éducation aux risques des engins explosifs", "Tombouctou",
     "Rharous", "Gourma-Rharous", "", "", "2022", "Terminé", "2 300"),
    ("Handicap International", "Inclusion", "Appui aux organisations de personnes handicapées",
     "National", "", "", "", "", "01/09/2022", "En cours", ""),
    ("UNICEF", "EHA", "Réhabilitation de forages", "Koulikouro", "Kati", "Kati", "12,7441",
     "-8,0726", "2022", "Terminé", "3 500"),
    ("UNICEF", "WASH", "Latrines scolaires", "Région de Ségou", "Niono", "Niono", "14,2526",
     "-5,9931", "01/06/2023", "En cours", "2 000"),
    ("UNICEF", "Nutrition", "Dépistage de la malnutrition aiguë", "District de Bamako", "",
     "Commune IV", "12,6392", "-8,0029", "2023-02", "En cours", "4 100"),
    ("Unicef", "Santé", "Campagne de vaccination", "Mopti", "Mopti", "Sévaré", "14,5290",
     "-4,0920", "10/10/2023", "Terminé", "12 500"),
    ("UNICEF", "Protection de l'enfance", "Espaces amis des enfants", "Gao", "Ansongo",
     "Ansongo", "0,5022", "15,6597", "2023", "En cours", "640"),
    ("Association Démo Baobab", "Sécurité alimentaire", "Distributions de vivres", "Mopti",
     "Bandiagara", "Bandiagara", "14,3501", "-3,6104", "04/2023", "En cours", "5 000"),
    ("Asso. Démo Baobab", "Food security", "Coupons alimentaires", "Mopti", "Djenné", "Djenné",
     "13,9061", "-4,5533", "mai 2023", "Planifié", "1 800"),
    ("ADB", "Moyens d'existence", "Jardins maraîchers", "Ségou", "San", "San", "13,3034",
     "-4,8956", "2022", "Terminé", "320"),
    ("ADB", "Sécurité alimentaire", "Banques de céréales", "", "Bandiagara", "", "", "",
     "2023", "En cours", "900"),
    ("ONG Démo Falaise", "Abris", "Kits abris d'urgence", "Adagh", "", "Anéfis", "", "",
     "11/2023", "En cours", "450"),
    ("ONG Démo Falaise", "Shelter", "Distribution de bâches", "Ménaka", "", "Ménaka",
     "15,9182", "2,4022", "2023", "En cours", "700"),
    ("ONG Démo Falaise", "Protection", "Monitoring de protection", "Gao", "Gao", "Gao",
     "16,2666", "-0,0400", "2023", "Suspendu", ""),
    ("Association Démo Baobab", "Education", "Cantines scolaires", "Sikasoo", "Koutiala",
     "Koutiala", "12,3917", "-5,4642", "10/2022", "Terminé", "2 750"),
    ("UNICEF", "Éducation", "Kits scolaires", "SIKASSO", "Sikasso", "Sikasso", "11,3176",
     "-5,6665", "2023", "Terminé", "6 000"),
    ("HI", "Santé", "Appui aux centres de santé", "Kayes ", "Nioro", "Nioro du Sahel",
     "15,2306", "-9,5900", "2023", "En cours", "n/d"),
    ("Handicap International", "Réadaptation", "Kinésithérapie mobile", "Mopti", "Douentza",
     "Douentza", "15,0019", "-2,9497", "02/2024", "Planifié", "300"),
    ("ONG Démo Falaise", "EHA", "Water trucking", "Tombouctou", "Dire", "Diré", "16,2797",
     "-3,3844", "2023", "En cours", "1 100"),
    ("UNICEF", "Nutrition", "Supplémentation en micronutriments", "Kayes", "Kayes", "Kayes",
     "14,4469", "-11,4456", "2022", "Terminé", "8 200"),
    ("Association Démo Baobab", "Moyens d'existence", "Formation professionnelle des jeunes",
     "District de Bamako", "", "Bamako", "", "", "2024", "Planifié", "150"),
    ("HI", "Protection", "Gestion de cas", "Ségou", "Ségou", "Ségou", "13,4317", "-6,2157",
     "2023", "En cours", "410"),
    ("ONG Démo Falaise", "Santé", "Cliniques mobiles", "Kidal", "Tessalit", "Aguelhok",
     "19,4614", "0,8586", "2023", "Suspendu", "2 100"),
)


QUICKSTART: list[tuple[str, str]] = [
    ("md", """
# 1. Quickstart: from a 3W table to a map

This notebook loads the seed dataset shipped with mali-map (20 interventions
described on the public Mali pages of Humanity & Inclusion and UNICEF), joins it
to Mali's regions, looks at the join report, and shows the overview map inline.

Everything runs offline. Files are written to `output/` next to this notebook.
"""),
    ("code", """
from pathlib import Path

import mali_map

OUT = Path("output")
OUT.mkdir(exist_ok=True)
mali_map.__version__
"""),
    ("md", """
## Load the records

`load_records` reads a CSV or XLSX 3W table (French or English headers, HXL
tags) and returns a pandas `DataFrame` with canonical columns. `row` is the line
of each record in the source file, so you can find it again in Excel.
"""),
    ("code", """
records = mali_map.load_records(mali_map.seed_records_path())
print(len(records), "records")
records[["row", "organisation", "sector", "activity", "adm1_name", "precision"]].head(8)
"""),
    ("md", """
## Load the boundaries

Without arguments `load_boundaries` returns the embedded regions and cercles
(geoBoundaries, the nine regions and 50 cercles as drawn before 2016, with OCHA
P-codes). `adm1` and `adm2` are GeoDataFrames in EPSG:4326.
"""),
    ("code", """
boundaries = mali_map.load_boundaries()
print(boundaries.attribution)
boundaries.adm1[["pcode", "name", "name_en", "iso"]]
"""),
    ("md", """
## Join, then read the join report

`join` returns a `JoinResult`: `result.records` is the joined GeoDataFrame (one
row per input row, with `pcode`, `admin_name`, `join_status`, ...), and
`result.report` is the join report as a DataFrame, one row per input row with its
status and the reason.
"""),
    ("code", """
result = mali_map.join(records, boundaries)
type(result.records).__name__, type(result.report).__name__
"""),
    ("code", """
counts = mali_map.summarise(result)
counts
"""),
    ("md", """
Every input row is in the report exactly once: the statuses add up to the
number of rows.
"""),
    ("code", """
statuses = ("matched", "warning", "national", "multi", "unmatched", "invalid")
assert sum(counts[s] for s in statuses) == counts["rows"] == len(records)
result.report["status"].value_counts()
"""),
    ("code", """
result.report[result.report["status"] != "matched"][["row", "status", "message"]]
"""),
    ("md", """
Most seed records describe work "in Mali" or "in northern Mali" without a
region: they are *national-level* records. They stay in the tables (and in the
map's side panel) but cannot colour a region. The ones that are on the map:
"""),
    ("code", """
result.mapped[["row", "organisation", "sector", "admin_name", "method"]]
"""),
    ("code", """
mali_map.aggregate(result)
"""),
    ("md", """
## The overview map, inline

`interactive_map` returns an `InteractiveMap`; Jupyter displays it inline (it is
a self-contained page in a sandboxed frame, no internet needed). Click a region
for its activities.
"""),
    ("code", """
overview = mali_map.interactive_map(result)
overview
"""),
    ("md", """
## Save it

The saved page is one HTML file that opens in any browser, offline, and can be
sent by e-mail. `write_report` saves the join report next to it (UTF-8 with a
BOM, so Excel shows the accents).
"""),
    ("code", """
saved = overview.save(OUT / "quickstart-overview.html")
report_path = mali_map.write_report(result, OUT / "quickstart-join-report.csv")
print(saved, f"{saved.stat().st_size / 1024:.0f} KiB")
print(report_path)
"""),
    ("md", """
The same in one call, as the command line does it (`mali-map build`):
`join_files` loads the records and the boundaries and joins them, and
`render_site` writes the overview plus one page per region and per sector.
"""),
    ("code", """
same = mali_map.join_files(mali_map.seed_records_path())
assert mali_map.summarise(same) == counts
pages = mali_map.render_site(same, OUT / "quickstart-site")
[str(p.resolve().relative_to(OUT.resolve())) for p in pages][:5]
"""),
]

SECTORS: list[tuple[str, str]] = [
    ("md", """
# 2. Who does what where: sectors and organisations

Tables and simple charts from a joined 3W table: activities by region and
sector, organisations per region, and coverage gaps (regions with no activity in
a sector). It uses the seed dataset; set `RECORDS_FILE` to your own file to run
the same analysis on it.
"""),
    ("code", """
import matplotlib.pyplot as plt
import pandas as pd

import mali_map

RECORDS_FILE = mali_map.seed_records_path()
result = mali_map.join_files(RECORDS_FILE)
mali_map.summarise(result)
"""),
    ("md", """
`result.records` has one row per record. Records without a region (national
level, or not matched) have no `admin_name`; we label them so that they stay
visible in every table instead of silently dropping out.
"""),
    ("code", """
NOT_MAPPED = "(national / not mapped)"
records = result.records.assign(where=result.records["admin_name"].fillna(NOT_MAPPED))
records[["organisation", "sector", "where", "status", "precision"]].head()
"""),
    ("md", """
## Activities by region × sector
"""),
    ("code", """
by_region_sector = pd.crosstab(records["where"], records["sector"], margins=True,
                               margins_name="total")
by_region_sector
"""),
    ("md", """
`aggregate` gives the same counts for the mapped records only, in long form, with
the number of distinct organisations and the people reached per region and
sector:
"""),
    ("code", """
long = mali_map.aggregate(result)
names = result.boundaries.adm1.set_index("pcode")["name"]
long.assign(region=long["pcode"].map(names))
"""),
    ("code", """
per_sector = records.groupby(["sector", "organisation"]).size().unstack(fill_value=0)
ax = per_sector.sort_values(per_sector.columns.tolist()).plot.barh(
    stacked=True, figsize=(7, 4.5), title="Activities per sector and organisation")
ax.set_xlabel("activities")
ax.set_ylabel("")
plt.tight_layout()
"""),
    ("md", """
## Organisations per region

`unit_totals` returns every region (zero where nobody works) as a GeoDataFrame,
so the same table can be mapped with GeoPandas.
"""),
    ("code", """
totals = mali_map.unit_totals(result)
who = (result.mapped.groupby("pcode")["organisation"]
       .agg(lambda s: ", ".join(sorted(s.dropna().unique()))))
table = totals.assign(who=totals["pcode"].map(who).fillna(""))
table[["pcode", "name", "activities", "organisations", "reached", "who"]]
"""),
    ("code", """
fig, (bars, choropleth) = plt.subplots(1, 2, figsize=(11, 4.5))
table.sort_values("organisations").plot.barh(x="name", y="organisations", ax=bars,
                                             legend=False, title="Organisations per region")
bars.set_ylabel("")
table.plot(column="organisations", ax=choropleth, cmap="Blues", edgecolor="grey",
           legend=True, vmin=0)
choropleth.set_title("Organisations per region (map)")
choropleth.set_axis_off()
plt.tight_layout()
"""),
    ("md", """
## Coverage gaps: regions with no activity in a sector

For every sector present in the data, the regions where no mapped record
works in it. A record placed in several regions ("Gao, Kidal", "northern Mali")
counts in each. National-level records are not tied to a region, so a gap here
means "no activity *located* in this region", not necessarily "nobody works
there".
"""),
    ("code", """
regions = result.boundaries.adm1[["pcode", "name"]]
sectors = sorted(records["sector"].dropna().unique())
grid = regions.merge(pd.DataFrame({"sector": sectors}), how="cross")
present = long[["pcode", "sector"]].assign(covered=True)
coverage = grid.merge(present, on=["pcode", "sector"], how="left")
coverage["covered"] = coverage["covered"].fillna(False).astype(bool)
gaps = coverage[~coverage["covered"]][["name", "sector"]].reset_index(drop=True)
print(len(gaps), "region × sector pairs without any located activity")
gaps.groupby("sector")["name"].agg(lambda s: ", ".join(s)).to_frame("regions without activity")
"""),
    ("code", """
matrix = coverage.pivot(index="name", columns="sector", values="covered").astype(int)
fig, ax = plt.subplots(figsize=(9, 4))
ax.imshow(matrix.to_numpy(), cmap="Greens", vmin=0, vmax=1, aspect="auto")
ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=45, ha="right")
ax.set_yticks(range(matrix.shape[0]), matrix.index)
ax.set_title("Located activity by region and sector (green = at least one)")
plt.tight_layout()
"""),
    ("md", """
## Export the tables

Plain pandas: `to_csv` (with `utf-8-sig` so Excel keeps the accents) or
`to_excel`.
"""),
    ("code", """
from pathlib import Path

OUT = Path("output")
OUT.mkdir(exist_ok=True)
by_region_sector.to_csv(OUT / "activities-by-region-sector.csv", encoding="utf-8-sig")
gaps.to_csv(OUT / "coverage-gaps.csv", index=False, encoding="utf-8-sig")
sorted(p.name for p in OUT.glob("*.csv"))
"""),
]

OWN_DATA: list[tuple[str, str]] = [
    ("md", """
# 3. Your own data: a messy French 3W spreadsheet

`data/exemple-3w-fictif.csv` is a **fictional** example written for this
notebook: the activities, figures and the "Démo" organisations are invented. It
looks like many real exports: saved by a French Excel (Windows-1252 encoding,
`;` separators, decimal commas), a title line above the headers, an HXL hashtag
row, sectors in French and English, organisation and region spelling variants,
one row with latitude and longitude swapped, one row with only a cercle, one
national row and a few names that need help.
"""),
    ("code", """
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

import mali_map

pd.set_option("display.max_colwidth", 90)
EXAMPLE = Path("data/exemple-3w-fictif.csv")
OUT = Path("output")
OUT.mkdir(exist_ok=True)
# Real ADM2 (cercle) boundaries from geoBoundaries, if you have them beside the repository:
ADM2_FILE = Path("../../shared/data/geoboundaries-mli/geoBoundaries-MLI-ADM2_simplified.geojson")
"""),
    ("code", """
raw = EXAMPLE.read_bytes()
print(raw[:60])
print(*raw.decode("cp1252").splitlines()[:5], sep="\\n")
"""),
    ("md", """
## Load it as it is

`load_records` detects the encoding, the separator, the title line and the HXL
row, and maps the French headers. Coordinates, counts, dates and statuses are
parsed; sectors become canonical keys.
"""),
    ("code", """
records = mali_map.load_records(EXAMPLE)
records[["row", "organisation", "sector", "adm1_name", "adm2_name", "latitude",
         "longitude", "start_date", "status", "reached"]]
"""),
    ("md", """
Values that could not be used are not dropped silently: each row lists them in
`issues` (the cell is ignored or kept as written).
"""),
    ("code", """
records.loc[records["issues"].map(len) > 0, ["row", "issues"]]
"""),
    ("md", """
"Handicap International" and "HI" were already recognised as Humanity &
Inclusion, but the fictional "Association Démo Baobab" appears under three
spellings:
"""),
    ("code", """
records["organisation"].value_counts()
"""),
    ("md", """
## First join: regions only

With the embedded regions only, rows that give a cercle but no region cannot be
placed, and names the tool does not know stay unmatched. Misspellings close to a
known name ("Sikasoo") are matched by fuzzy score and flagged as warnings.
"""),
    ("code", """
first = mali_map.join(records, mali_map.load_boundaries())
print(mali_map.summarise(first))
first.report[first.report["status"] != "matched"][["row", "status", "method", "message"]]
"""),
    ("md", """
## ADM2 boundaries from a file

`load_boundaries(adm2=...)` adds second-level units (cercles) from any file GDAL
reads. Here we use the real geoBoundaries ADM2 file (CC BY 4.0, www.geoboundaries.org)
if it is available beside the repository. **If it is not, the next cell builds a
tiny demonstration file instead**: the embedded Mopti and Tombouctou regions each
cut in two by a meridian, two of the halves named after cercles of the example
(Bandiagara, Gourma-Rharous). Those shapes are a crude stand-in, not real cercle
boundaries.
"""),
    ("code", """
if ADM2_FILE.is_file():
    adm2_source = ADM2_FILE
else:
    regions = mali_map.load_boundaries().adm1.set_index("name")
    rows = []
    for region, meridian, west, east in [("Mopti", -3.9, "Mopti", "Bandiagara"),
                                         ("Tombouctou", -2.5, "Tombouctou", "Gourma-Rharous")]:
        shape, pcode = regions.loc[region, "geometry"], regions.loc[region, "pcode"]
        xmin, ymin, xmax, ymax = shape.bounds
        rows.append((f"{pcode}-W", west, pcode, shape & box(xmin, ymin, meridian, ymax)))
        rows.append((f"{pcode}-E", east, pcode, shape & box(meridian, ymin, xmax, ymax)))
    demo = gpd.GeoDataFrame(rows, columns=["ADM2_PCODE", "ADM2_FR", "ADM1_PCODE", "geometry"],
                            crs="EPSG:4326")
    adm2_source = OUT / "adm2-demo.geojson"
    demo.to_file(adm2_source, driver="GeoJSON")
    print("Real ADM2 file not found: using the demonstration file", adm2_source)

boundaries = mali_map.load_boundaries(adm2=adm2_source)
print(len(boundaries.adm2), "ADM2 units;", *boundaries.warnings, sep="\\n")
boundaries.adm2.head()
"""),
    ("code", """
second = mali_map.join(records, boundaries)
print(mali_map.summarise(second))
second.report[second.report["status"] != "matched"][["row", "status", "message"]]
"""),
    ("md", """
## Fix what is left with aliases

Aliases are plain dictionaries, *spelling as written → what it means*:

* organisations and sectors are normalised when loading (`load_records`);
* regions and cercles are matched when joining (`join`); the target is a P-code or a
  name of the boundary file.

"Adagh" is the Kel Adagh name for the Kidal area; "Rharous" is the usual short
name of the cercle of Gourma-Rharous.
"""),
    ("code", """
ORGANISATION_ALIASES = {"Asso. Démo Baobab": "Association Démo Baobab",
                        "ADB": "Association Démo Baobab"}
SECTOR_ALIASES = {"Moyens d'existence": "livelihoods"}
REGION_ALIASES = {"Adagh": "Kidal"}
ADM2_ALIASES = {"Rharous": "Gourma-Rharous"}

records = mali_map.load_records(EXAMPLE, organisation_aliases=ORGANISATION_ALIASES,
                                sector_aliases=SECTOR_ALIASES)
fixed = mali_map.join(records, boundaries, region_aliases=REGION_ALIASES,
                      adm2_aliases=ADM2_ALIASES)
fixed_counts = mali_map.summarise(fixed)
fixed_counts
"""),
    ("md", """
What is still not on the map is the national row (status `national`): it is about
the whole country, so it stays in the tables and in the report, but colours no region.
"""),
    ("code", """
still_unmatched = fixed.records[fixed.records["join_status"].isin(["unmatched", "national"])]
still_unmatched[["row", "organisation", "adm1_name", "precision", "message"]]
"""),
    ("code", """
fixable = still_unmatched[still_unmatched["precision"] != "national"]
print(len(fixable), "unmatched rows left that an alias could fix")
fixed.report[fixed.report["status"] == "warning"][["row", "method", "message"]]
"""),
    ("md", """
## Results by cercle

`adm2` holds the matched cercle's code; `unit_totals(level="adm2")` counts per
cercle (a GeoDataFrame: every cercle, zero where nobody works).
"""),
    ("code", """
cercle_names = boundaries.adm2.set_index("pcode")["name"]
fixed.records.assign(cercle=fixed.records["adm2"].map(cercle_names))[
    ["row", "organisation", "sector", "admin_name", "cercle", "method"]]
"""),
    ("code", """
by_cercle = mali_map.unit_totals(fixed, level="adm2")
by_cercle[by_cercle["activities"] > 0].sort_values("activities", ascending=False)[
    ["name", "parent_pcode", "activities", "organisations", "reached"]]
"""),
    ("code", """
ax = by_cercle.plot(column="activities", cmap="OrRd", edgecolor="grey", linewidth=0.3,
                    legend=True, figsize=(7, 6))
fixed.mapped.dropna(subset=["latitude"]).plot(ax=ax, color="black", markersize=8)
ax.set_title("Activities per cercle (fictional example data)")
ax.set_axis_off()
"""),
    ("md", """
The region pages of the interactive map show the cercles when ADM2 boundaries are
loaded:
"""),
    ("code", """
mopti = mali_map.interactive_map(fixed, region="Mopti", lang="fr",
                                 title="Mopti — données fictives d'exemple")
mopti.save(OUT / "exemple-mopti.html")
mopti
"""),
    ("code", """
mali_map.write_report(fixed, OUT / "exemple-join-report.csv")
"""),
]

FIGURES: list[tuple[str, str]] = [
    ("md", """
# 4. Figures for a report

`static_map` returns a matplotlib `Figure` laid out for print (A4 or A3,
landscape or portrait) with title, legend, scale bar, north arrow, sources and
the count of records not on the map. `export_map` writes one map as PNG, PDF or
SVG; `export_static` writes the overview, every region and every sector at once.

The default resolution is 300 dpi for print. To keep this notebook quick we use
at most 150 dpi here: drop the `dpi=` arguments for print quality.
"""),
    ("code", """
%matplotlib inline
from pathlib import Path

import matplotlib.image as mpimg
from IPython.display import display

import mali_map

OUT = Path("output") / "figures"
OUT.mkdir(parents=True, exist_ok=True)
result = mali_map.join_files()
mali_map.summarise(result)
"""),
    ("md", """
## The overview, A4 landscape

The figure is drawn at its print size (in inches); for the screen we show it at
a low resolution.
"""),
    ("code", """
fig = mali_map.static_map(result, title="Interventions in Mali (seed dataset)")
print("size in inches:", fig.get_size_inches().round(2))
fig.set_dpi(50)
display(fig)
"""),
    ("md", """
It is an ordinary matplotlib figure, so `fig.savefig` works, but `export_map`
also fixes the metadata (reproducible files) and keeps text as text in PDF and
SVG.
"""),
    ("code", """
png = mali_map.export_map(result, OUT / "overview-a4.png", dpi=150)
pdf = mali_map.export_map(result, OUT / "overview-a4.pdf")
height, width, _ = mpimg.imread(png).shape
print(png, f"{width} x {height} px at 150 dpi")
print(pdf, f"{pdf.stat().st_size / 1024:.0f} KiB")
"""),
    ("md", """
## A region in French, A3 portrait; one sector
"""),
    ("code", """
a3 = mali_map.static_map(result, region="Tombouctou", lang="fr", paper="A3",
                         orientation="portrait", metric="activities")
a3.set_dpi(35)
display(a3)
mali_map.export_map(result, OUT / "tombouctou-a3-fr.pdf", region="Tombouctou", lang="fr",
                    paper="A3", orientation="portrait")
"""),
    ("code", """
health = mali_map.export_map(result, OUT / "health-a4.svg", sector="health",
                             title="Health activities", map_id="FIG-02")
health
"""),
    ("md", """
## Everything at once

`export_static` writes `static/overview`, `static/regions/<region>` and
`static/sectors/<sector>` in each format asked for, with the same classes and
colours as the interactive maps.
"""),
    ("code", """
written = mali_map.export_static(result, OUT, formats=("png", "pdf"), dpi=100)
print(len(written), "files")
[str(p.resolve().relative_to(OUT.resolve())) for p in written]
"""),
]

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01-quickstart.ipynb": QUICKSTART,
    "02-sectors-and-organisations.ipynb": SECTORS,
    "03-your-own-data.ipynb": OWN_DATA,
    "04-figures-for-a-report.ipynb": FIGURES,
}


def example_bytes() -> bytes:
    """The example 3W file as a French-locale Excel would save it (cp1252, ``;``, CRLF)."""
    width = len(EXAMPLE_HEADER)
    lines = [";".join([EXAMPLE_TITLE] + [""] * (width - 1)), ";".join(EXAMPLE_HEADER),
             ";".join(EXAMPLE_HXL)]
    for row in EXAMPLE_ROWS:
        if len(row) != width or any(";" in cell for cell in row):
            raise ValueError(f"bad example row: {row}")
        lines.append(";".join(row))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """A notebook without outputs from ``(kind, source)`` pairs; kind is "md" or "code"."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for number, (kind, source) in enumerate(cells, start=1):
        text = source.strip("\n")
        cell = (nbformat.v4.new_markdown_cell(text) if kind == "md"
                else nbformat.v4.new_code_cell(text))
        cell["id"] = f"cell-{number:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main() -> None:
    """Write the example file and every notebook."""
    EXAMPLE_FILE.parent.mkdir(parents=True, exist_ok=True)
    EXAMPLE_FILE.write_bytes(example_bytes())
    print(f"wrote {EXAMPLE_FILE.relative_to(ROOT)}")
    for name, cells in NOTEBOOKS.items():
        path = NOTEBOOK_DIR / name
        nbformat.write(notebook(cells), path)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
