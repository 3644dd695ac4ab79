"""Every figure, table and sentence of a 3W snapshot, computed from the join result.

Numbers come from the aggregates only: :func:`mali_map._aggregate.aggregate` and
:func:`~mali_map._aggregate.unit_totals` for units, and the metric registry
(:func:`mali_map._metrics.cube` / :func:`~mali_map._metrics.reduce_cube`) for
totals over all records (national-level ones included). The generated sentences
are built by rules from the numbers kept in :class:`SectorFacts` and
:class:`RegionFacts`, so a test can check each of them against the aggregates.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import pandas as pd

from .._aggregate import aggregate, unit_totals
from .._classify import SCHEMES
from .._export import ORIENTATIONS, PAPER_MM, unit_name
from .._i18n import attribution, check_language
from .._join import summarise
from .._metrics import cube, metric, reduce_cube, sum_columns
from .._model import METRICS, STATUSES, JoinResult
from .._pages import sector_order
from .._vocabulary import sector_label
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
        """These options checked, with ``paper`` upper-cased and ``produced`` a date."""
        check_language(self.lang)
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}; choose one of: "
                             f"{', '.join(METRICS)}")
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown scheme {self.scheme!r}; choose one of: "
                             f"{', '.join(sorted(SCHEMES))}")
        paper = str(self.paper).upper()
        if paper not in PAPER_MM:
            raise ValueError(f"unknown paper size {self.paper!r}; choose one of: "
                             f"{', '.join(PAPER_MM)}")
        if self.orientation not in ORIENTATIONS:
            raise ValueError(f"unknown orientation {self.orientation!r}; choose one of: "
                             f"{', '.join(ORIENTATIONS)}")
        return replace(self, paper=paper, produced=production_date(self.produced))


def production_date(value: date | str | None = None) -> date:
    """``value`` as a date; ``None``: the day of ``$SOURCE_DATE_EPOCH`` if set, else today.

    >>> production_date("2026-03-01")
    datetime.date(2026, 3, 1)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is not None:
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"production date {value!r} is not a date (use YYYY-MM-DD)"
                             ) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time") from None
    return date.today()


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
    """A national-level activity or a programme placed in several regions."""

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

    >>> from mali_map._pipeline import join_files
    >>> facts = build_facts(join_files(), SnapshotOptions(produced="2026-01-01"))
    >>> facts.key.activities == len(join_files().records)
    True
    """
    opts = (options or SnapshotOptions()).resolved()
    lang = opts.lang
    records = _plain(result.records)
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
        placed=int(records["pcode"].notna().sum()), period=data_period(records))

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
    facts.sectors = _sector_facts(records, by_unit_sector, sector_keys, order, facts)
    facts.regions = _region_facts(regions, by_unit_sector, sector_keys, facts)
    facts.who_where, facts.region_columns = _who_where(records, order, lang)
    facts.programmes = _programmes(records, facts)
    _quality(result, records, facts)
    return facts


def _sector_facts(records: pd.DataFrame, by_unit_sector: pd.DataFrame, keys: list[str],
                  order: list[str], facts: Facts) -> list[SectorFacts]:
    lang = facts.options.lang
    frame = records.assign(sector=records["sector"].map(_text))
    per_sector = totals(frame, ["sector"]).set_index("sector")
    out = []
    for key in keys:
        mine = by_unit_sector[(by_unit_sector["sector"].map(_text) == key)
                              & (by_unit_sector["activities"] > 0)]
        placed = set(mine["pcode"])
        numbers = per_sector.loc[key]
        not_placed = int(numbers["activities"]) - int(mine["activities"].sum())
        item = SectorFacts(
            key=key, label=_sector_name(key, lang), activities=int(numbers["activities"]),
            organisations=int(numbers["organisations"]), not_placed=not_placed,
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


def _who_where(records: pd.DataFrame, order: list[str],
               lang: str) -> tuple[pd.DataFrame, list[str]]:
    """Activities per organisation (rows) and region (columns), plus not placed and total."""
    frame = records.assign(
        organisation=records["organisation"].map(_text).replace("", word("no_organisation",
                                                                         lang)),
        _where=records["pcode"].map(_text))
    counts = totals(frame, ["organisation", "_where"])
    table = counts.pivot_table(index="organisation", columns="_where", values="activities",
                               aggfunc="sum", fill_value=0)
    present = [p for p in order if p in table.columns]
    present.sort(key=lambda p: -int(table[p].sum()))  # stable: boundary order breaks ties
    out = pd.DataFrame(index=table.index)
    for pcode in present:
        out[pcode] = table[pcode].astype(int)
    out["not_placed"] = table[""].astype(int) if "" in table.columns else 0
    out["total"] = out.sum(axis=1).astype(int)
    out = out.reset_index()
    out = out.assign(_fold=out["organisation"].str.casefold()).sort_values(
        ["total", "_fold"], ascending=[False, True], kind="stable").drop(columns="_fold")
    return out.reset_index(drop=True), present


def _programmes(records: pd.DataFrame, facts: Facts) -> list[Programme]:
    out = []
    national = records[is_national(records)]
    for rec in national.sort_values("row", kind="stable").itertuples(index=False):
        out.append(Programme("national", _text(rec.organisation), _text(rec.sector),
                             _text(rec.activity), (int(rec.row),)))
    placed = records[records["pcode"].notna()].assign(
        _org=lambda d: d["organisation"].map(_text), _act=lambda d: d["activity"].map(_text))
    placed = placed[placed["_act"] != ""]
    for (org, act), group in placed.groupby(["_org", "_act"], sort=True):
        units = set(group["pcode"])
        if len(units) < 2:
            continue
        sectors = sector_order(group["sector"])
        out.append(Programme(
            "multi_region", org, ", ".join(sectors), act,
            tuple(sorted(int(r) for r in group["row"])),
            tuple(p for p in facts.names if p in units)))
    # A record the join placed in several units ("Gao, Kidal", "northern Mali").
    several = records[records["join_status"] == "multi"] if "units" in records else records[:0]
    for rec in several.sort_values("row", kind="stable").itertuples(index=False):
        units = set(str(rec.units).split(";"))
        out.append(Programme("multi_region", _text(rec.organisation),
                             ", ".join(sector_order([rec.sector])), _text(rec.activity),
                             (int(rec.row),), tuple(p for p in facts.names if p in units)))
    return out


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
           "SnapshotOptions", "build_facts", "data_period", "is_national", "production_date",
           "region_sentence", "sector_sentence", "totals"]
