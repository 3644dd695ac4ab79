"""Every figure, table and sentence of a 3W snapshot, computed from the join result.

Numbers come from the aggregates only: :func:`mali_map._measure._aggregate.aggregate` and
:func:`~mali_map._measure._aggregate.unit_totals` for units, and the metric registry
(:func:`mali_map._measure._metrics.cube` / :func:`~mali_map._measure._metrics.reduce_cube`) for
totals over all records (national-level ones included). Where a record is placed
comes from :func:`mali_map._measure._aggregate.placed_records`, so a record the join placed
in several units (status ``multi``) counts in each of them, as on every map, and
once in every total. The generated sentences
are built by rules from the numbers kept in :class:`SectorFacts` and
:class:`RegionFacts`, so a test can check each of them against the aggregates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from .._core import (
    MAP_ID_LIMIT,
    ORIENTATIONS,
    PAPERS,
    TITLE_LIMIT,
    attribution,
    check_choice,
    check_language,
    check_text,
    production_date,
)
from .._join import STATUSES, JoinResult, summarise
from .._measure import (
    METRICS,
    SCHEMES,
    aggregate,
    check_classes,
    cube,
    metric,
    placed_records,
    reduce_cube,
    sum_columns,
    unit_totals,
)
from .._reference import sector_label, unit_name
from .._render import sector_order
from ._words import counted, join_list, pair, word

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ALL = "_all"


@dataclass(frozen=True)
class SnapshotOptions:
    """How a snapshot is made; one object, so a recipe file can fill it.

    ``produced`` is the production date printed on the report; ``None`` means the
    day of ``$SOURCE_DATE_EPOCH`` when set (reproducible builds), else today.

    >>> SnapshotOptions(lang="fr", paper="A3").resolved().paper
    'A3'
    """

    lang: str = "en"
    metric: str = "activities"
    scheme: str = "quantiles"
    k: int = 5
    paper: str = "A4"
    orientation: str = "portrait"
    produced: date | str | None = None
    producer: str | None = None
    map_id: str | None = None
    title: str | None = None

    def resolved(self) -> SnapshotOptions:
        """These options checked by the checks of :mod:`mali_map._build._options` (one bound, one
        place), normalised (``lang`` lower-case, ``paper`` upper-case, ``produced`` a date).

        A bad value raises :class:`~mali_map.OptionError` naming the option.

        >>> SnapshotOptions(lang="FR", paper="a3", produced="2026-01-31").resolved().produced
        datetime.date(2026, 1, 31)
        """
        return replace(
            self, lang=check_language(self.lang),
            metric=check_choice("metric", self.metric, METRICS),
            scheme=check_choice("scheme", self.scheme, tuple(SCHEMES)),
            k=check_classes(self.k, "k"), paper=check_choice("paper", self.paper, PAPERS),
            orientation=check_choice("orientation", self.orientation, ORIENTATIONS),
            produced=production_date(self.produced, "produced"),
            producer=check_text("producer", self.producer, TITLE_LIMIT),
            map_id=check_text("map_id", self.map_id, MAP_ID_LIMIT),
            title=check_text("title", self.title, TITLE_LIMIT))


@dataclass(frozen=True)
class KeyFigures:
    """The cover's figures; ``reached`` is ``None`` when no record states it."""

    activities: int
    organisations: int
    regions: int
    regions_total: int
    cercles: int | None
    cercles_total: int | None
    reached: float | None
    reached_stated: int
    placed: int
    period: tuple[str, str] | None
    national: int = 0          # national-level records (on no map)
    several: int = 0           # records placed in several regions (status ``multi``)


@dataclass(frozen=True)
class SectorFacts:
    """One sector: its numbers (all records) and where it is and is not placed."""

    key: str
    label: str
    activities: int
    organisations: int
    not_placed: int
    regions: tuple[str, ...]   # P-codes of the units with at least one activity
    gaps: tuple[str, ...]      # P-codes of the units with none
    text: str = ""


@dataclass(frozen=True)
class RegionFacts:
    """One first-level unit: its numbers and the sectors present and absent."""

    pcode: str
    name: str
    activities: int
    organisations: int
    sectors: tuple[str, ...]   # sector keys with at least one activity here
    gaps: tuple[str, ...]      # sector keys in the data with none here
    text: str = ""


@dataclass(frozen=True)
class Programme:
    """A national-level activity, or a programme placed in several regions: one record
    the join placed in several units, or records of one organisation with the same
    activity name in different units."""

    scope: str                 # "national" or "multi_region"
    organisation: str
    sector: str
    activity: str
    rows: tuple[int, ...]
    regions: tuple[str, ...] = ()


@dataclass
class Facts:
    """Everything a snapshot shows, in the report's language."""

    options: SnapshotOptions
    key: KeyFigures
    who_where: pd.DataFrame      # organisations x region columns, not placed, total
    region_columns: list[str]    # P-codes of the who-where region columns, in order
    sectors: list[SectorFacts]
    regions: list[RegionFacts]
    programmes: list[Programme]
    statuses: list[tuple[str, int]]
    national_rows: int
    attention: pd.DataFrame      # row, status, organisation, activity, message
    record_sources: list[tuple[str, int]]
    data_file: str
    attribution: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)  # P-code -> display name

    def region_name(self, pcode: str) -> str:
        return self.names.get(pcode, pcode)


# --------------------------------------------------------------------------- helpers


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _plain(records: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(records.drop(columns="geometry", errors="ignore"))


def totals(records: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Every registered metric per group of ``by`` (all records in one group when empty).

    >>> recs = pd.DataFrame({"organisation": ["HI", "HI", "MSF"], "reached": [5, None, 2]})
    >>> row = totals(recs).iloc[0]
    >>> int(row["activities"]), int(row["organisations"]), float(row["reached"])
    (3, 2, 7.0)
    """
    by = list(by or [])
    frame = records.assign(**{_ALL: 0}) if not by else records
    keys = by or [_ALL]
    return reduce_cube(cube(frame, keys), keys)


def is_national(records: pd.DataFrame) -> pd.Series:
    """Records on no map because they are national-level (``national`` status or precision).

    Handles both a ``national`` join status and the ``unmatched`` status with
    ``precision == "national"``.
    """
    status = records["join_status"].astype(str)
    precision = records["precision"].astype(str) if "precision" in records else ""
    not_placed = records["pcode"].isna()
    return not_placed & ((status == "national")
                         | ((status == "unmatched") & (precision == "national")))


def placements(result: JoinResult) -> pd.DataFrame:
    """``row``, ``pcode``, ``organisation``, ``sector``, ``activity``: one line per record and
    first-level unit it is placed in (several lines for a record placed in several units).

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> from mali_map._join._join import join
    >>> recs = pd.DataFrame({"adm1_name": ["Gao, Kidal", "Mopti"]})
    >>> placements(join(recs, load_boundaries()))[["row", "pcode"]].values.tolist()
    [[2, 'ML07'], [2, 'ML08'], [3, 'ML05']]
    """
    placed = placed_records(result)
    return pd.DataFrame({
        "row": placed["row"].astype(int).to_numpy(), "pcode": placed["unit"].astype(str),
        **{c: placed[c].to_numpy() for c in ("organisation", "sector", "activity")}}
    ).sort_values("row", kind="stable", ignore_index=True)


def data_period(records: pd.DataFrame) -> tuple[str, str] | None:
    """Earliest and latest ISO date of the records (start or end), or ``None``.

    >>> data_period(pd.DataFrame({"start_date": ["2016-03", None], "end_date": [None, "2020"]}))
    ('2016-03', '2020')
    """
    dates = []
    for column in ("start_date", "end_date"):
        if column in records:
            dates += [t for t in map(_text, records[column]) if _ISO_DATE.match(t)]
    if not dates:
        return None
    return min(dates), max(dates)


def _sector_name(key: str, lang: str) -> str:
    return sector_label(key, lang) if key else word("no_sector", lang)


# --------------------------------------------------------------------------- facts


def build_facts(result: JoinResult, options: SnapshotOptions | None = None) -> Facts:
    """All the figures, tables and sentences of a snapshot of ``result``.

    >>> from mali_map._build._pipeline import join_files
    >>> facts = build_facts(join_files(), SnapshotOptions(produced="2026-01-01"))
    >>> facts.key.activities == len(join_files().records)
    True
    """
    opts = (options or SnapshotOptions()).resolved()
    lang = opts.lang
    records = _plain(result.records)
    placed = placements(result)
    adm1 = result.boundaries.adm1
    names = {str(row["pcode"]): unit_name(row, lang) for _, row in adm1.iterrows()}
    order = list(names)

    everything = totals(records).iloc[0]
    regions = unit_totals(result)
    regions_with = regions[regions["activities"] > 0]
    cercles = cercles_total = None
    if result.boundaries.adm2 is not None:
        adm2 = unit_totals(result, level="adm2")
        cercles, cercles_total = int((adm2["activities"] > 0).sum()), len(adm2)
    stated = cube(records.assign(**{_ALL: 0}), [_ALL])[sum_columns(metric("reached"))[1]].sum()
    reached = everything["reached"]
    key = KeyFigures(
        activities=int(everything["activities"]),
        organisations=int(everything["organisations"]),
        regions=len(regions_with), regions_total=len(regions), cercles=cercles,
        cercles_total=cercles_total,
        reached=None if pd.isna(reached) else float(reached), reached_stated=int(stated),
        placed=int(placed["row"].nunique()), period=data_period(records),
        national=int(is_national(records).sum()),
        several=int(placed.groupby("row")["pcode"].nunique().gt(1).sum()))

    sector_keys = sector_order(records["sector"])
    if (records["sector"].map(_text) == "").any():
        sector_keys.append("")
    by_unit_sector = aggregate(result)
    facts = Facts(
        options=opts, key=key, who_where=pd.DataFrame(), region_columns=[], sectors=[],
        regions=[], programmes=[], statuses=[], national_rows=0, attention=pd.DataFrame(),
        record_sources=[], data_file=_text(result.source),
        attribution=tuple(attribution(a, opts.lang) for a in result.boundaries.attribution),
        names=names)
    off_map = records[~records["row"].isin(placed["row"])]
    facts.sectors = _sector_facts(records, off_map, by_unit_sector, sector_keys, order, facts)
    facts.regions = _region_facts(regions, by_unit_sector, sector_keys, facts)
    facts.who_where, facts.region_columns = _who_where(records, placed, off_map, order, lang)
    facts.programmes = _programmes(records, placed, facts)
    _quality(result, records, facts)
    return facts


def _sector_facts(records: pd.DataFrame, off_map: pd.DataFrame, by_unit_sector: pd.DataFrame,
                  keys: list[str], order: list[str], facts: Facts) -> list[SectorFacts]:
    lang = facts.options.lang
    frame = records.assign(sector=records["sector"].map(_text))
    per_sector = totals(frame, ["sector"]).set_index("sector")
    not_placed = off_map["sector"].map(_text).value_counts()
    out = []
    for key in keys:
        mine = by_unit_sector[(by_unit_sector["sector"].map(_text) == key)
                              & (by_unit_sector["activities"] > 0)]
        placed = set(mine["pcode"])
        numbers = per_sector.loc[key]
        item = SectorFacts(
            key=key, label=_sector_name(key, lang), activities=int(numbers["activities"]),
            organisations=int(numbers["organisations"]),
            not_placed=int(not_placed.get(key, 0)),
            regions=tuple(p for p in order if p in placed),
            gaps=tuple(p for p in order if p not in placed))
        out.append(replace(item, text=sector_sentence(item, facts)))
    return out


def sector_sentence(item: SectorFacts, facts: Facts) -> str:
    """The generated sentence about one sector, from its numbers only."""
    lang = facts.options.lang
    parts = [word("sector.head", lang).format(
        activities=counted(item.activities, "activities", lang),
        organisations=counted(item.organisations, "organisations", lang))]
    if not item.regions:
        parts.append(word("sector.no_region", lang))
        return _sentence(item.label, parts, lang)
    parts.append(word("sector.regions", lang).format(
        regions=counted(len(item.regions), "regions", lang),
        names=", ".join(facts.region_name(p) for p in item.regions)))
    if item.not_placed:
        parts.append(word("sector.not_placed", lang).format(
            activities=counted(item.not_placed, "activities", lang)))
    if item.gaps:
        parts.append(word("sector.gaps", lang).format(
            names=", ".join(facts.region_name(p) for p in item.gaps)))
    return _sentence(item.label, parts, lang)


def _sentence(subject: str, parts: list[str], lang: str) -> str:
    return f"{pair(subject, join_list(parts, lang), lang)}."


def _region_facts(regions: pd.DataFrame, by_unit_sector: pd.DataFrame, keys: list[str],
                  facts: Facts) -> list[RegionFacts]:
    out = []
    for unit in regions.itertuples(index=False):
        mine = by_unit_sector[(by_unit_sector["pcode"] == unit.pcode)
                              & (by_unit_sector["activities"] > 0)]
        present = set(mine["sector"].map(_text))
        item = RegionFacts(
            pcode=str(unit.pcode), name=facts.region_name(str(unit.pcode)),
            activities=int(unit.activities), organisations=int(unit.organisations),
            sectors=tuple(k for k in keys if k in present),
            gaps=tuple(k for k in keys if k not in present))
        out.append(replace(item, text=region_sentence(item, facts)))
    return out


def region_sentence(item: RegionFacts, facts: Facts) -> str:
    """The generated sentence about one region, from its numbers only."""
    lang = facts.options.lang
    if not item.activities:
        parts = [word("region.none", lang)]
    else:
        parts = [word("region.head", lang).format(
            activities=counted(item.activities, "activities", lang),
            organisations=counted(item.organisations, "organisations", lang),
            sectors=counted(len(item.sectors), "sectors", lang),
            names=", ".join(_sector_name(k, lang) for k in item.sectors))]
        if item.gaps:
            parts.append(word("region.gaps", lang).format(
                names=", ".join(_sector_name(k, lang) for k in item.gaps)))
    return _sentence(item.name, parts, lang)


def _who_where(records: pd.DataFrame, placed: pd.DataFrame, off_map: pd.DataFrame,
               order: list[str], lang: str) -> tuple[pd.DataFrame, list[str]]:
    """Activities per organisation (rows) and region (columns), plus not placed and total.

    A record placed in several regions counts in each of them and once in the total.
    """
    nobody = word("no_organisation", lang)

    def per_organisation(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
        named = frame.assign(organisation=frame["organisation"].map(_text).replace("", nobody))
        return totals(named, ["organisation", *by])

    table = per_organisation(placed, ["pcode"]).pivot_table(
        index="organisation", columns="pcode", values="activities", aggfunc="sum",
        fill_value=0)
    everything = per_organisation(records, []).set_index("organisation")["activities"]
    nowhere = per_organisation(off_map, []).set_index("organisation")["activities"]
    present = [p for p in order if p in table.columns]
    present.sort(key=lambda p: -int(table[p].sum()))  # stable: boundary order breaks ties
    out = pd.DataFrame(index=everything.index)
    for pcode in present:
        out[pcode] = table[pcode].reindex(out.index, fill_value=0).astype(int)
    out["not_placed"] = nowhere.reindex(out.index, fill_value=0).astype(int)
    out["total"] = everything.astype(int)
    out = out.rename_axis("organisation").reset_index()
    out = out.assign(_fold=out["organisation"].str.casefold()).sort_values(
        ["total", "_fold"], ascending=[False, True], kind="stable").drop(columns="_fold")
    return out.reset_index(drop=True), present


def _programmes(records: pd.DataFrame, placed: pd.DataFrame, facts: Facts) -> list[Programme]:
    """National-level records, then programmes placed in several regions.

    A programme is the records of one organisation with the same activity name, or one
    record without an activity name; it is listed when its records are placed in two
    regions or more (one record the join placed in several units is enough).
    """
    out = []
    national = records[is_national(records)]
    for rec in national.sort_values("row", kind="stable").itertuples(index=False):
        out.append(Programme("national", _text(rec.organisation), _text(rec.sector),
                             _text(rec.activity), (int(rec.row),)))
    named = placed.assign(_org=placed["organisation"].map(_text),
                          _act=placed["activity"].map(_text))
    named = named.assign(_solo=named["row"].where(named["_act"] == "", -1))
    found = []
    for (org, _, _), group in named.groupby(["_org", "_act", "_solo"], sort=False):
        units = set(group["pcode"])
        if len(units) < 2:
            continue
        rows = tuple(sorted({int(r) for r in group["row"]}))
        found.append(Programme(
            "multi_region", org, ", ".join(sector_order(group["sector"])),
            group["_act"].iloc[0], rows, tuple(p for p in facts.names if p in units)))
    found.sort(key=lambda p: (p.organisation, p.activity, p.rows))
    return out + found


def _quality(result: JoinResult, records: pd.DataFrame, facts: Facts) -> None:
    counts = summarise(result)
    statuses = [(s, int(counts.get(s, 0))) for s in STATUSES]
    others = sorted(set(result.report["status"].astype(str)) - set(STATUSES))
    statuses += [(s, int((result.report["status"] == s).sum())) for s in others]
    facts.statuses = statuses
    national = is_national(records).to_numpy()
    facts.national_rows = int(national.sum())
    report = result.report.reset_index(drop=True)
    needs = (~report["status"].isin(["matched", "multi"])).to_numpy() & ~national
    rows = report[needs]
    facts.attention = pd.DataFrame({
        "row": rows["row"].to_numpy(),
        "status": rows["status"].astype(str).to_numpy(),
        "organisation": records.loc[needs, "organisation"].map(_text).to_numpy(),
        "activity": records.loc[needs, "activity"].map(_text).to_numpy(),
        "message": rows["message"].map(_text).to_numpy(),
    })
    sources = records["source"].map(_text) if "source" in records else pd.Series(dtype=str)
    counted_sources = sources[sources != ""].value_counts()
    facts.record_sources = sorted(((str(k), int(v)) for k, v in counted_sources.items()),
                                  key=lambda kv: (-kv[1], kv[0].casefold()))


__all__ = ["Facts", "KeyFigures", "Programme", "RegionFacts", "SectorFacts",
           "SnapshotOptions", "build_facts", "data_period", "is_national", "placements",
           "production_date", "region_sentence", "sector_sentence", "totals"]
