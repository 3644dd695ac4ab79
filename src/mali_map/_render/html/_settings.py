"""What every page of one build shares: the checked options, the pages' links, the
shared build and the site's page list."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote

from ..._core import (
    OptionError,
    check_language,
)
from ..._join import JoinResult
from ..._measure import METRIC_KEYS, SCHEMES, check_classes
from .._pages import SitePage, site_pages
from ._build import Build, prepare
from ._strings import ui

__all__ = ["TILES", "Site", "SiteOptions", "make_site", "relative_href",
           "report_link", "site_options"]

TILES: tuple[str, ...] = ("none", "osm")


@dataclass(frozen=True)
class SiteOptions:
    lang: str
    metric: str
    scheme: str
    k: int
    tiles: str
    title: str


def site_options(lang: str, metric: str, scheme: str, k: int, tiles: str,
             title: str | None) -> SiteOptions:
    check_language(lang)
    if metric not in METRIC_KEYS:
        raise ValueError(f"unknown metric {metric!r}; choose one of: {', '.join(METRIC_KEYS)}")
    if scheme not in SCHEMES:
        known = ", ".join(sorted(SCHEMES))
        raise ValueError(f"unknown classification scheme {scheme!r}; choose one of: {known}")
    if tiles not in TILES:
        raise ValueError(f"unknown tiles {tiles!r}; choose one of: {', '.join(TILES)}")
    k = check_classes(k, "k")  # the one bound every renderer shares
    return SiteOptions(lang, metric, scheme, int(k), tiles, title or ui("title", lang))


def relative_href(name: str | None, depth: int, what: str) -> str | None:
    """A relative link to ``name`` from a page ``depth`` folders below the site root."""
    if not name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or ":" in name or "\\" in name:
        raise OptionError(what, "a relative path inside the output folder (no scheme, "
                          "'..' or backslash)", name)
    return "../" * depth + quote(str(path))


def report_link(report_name: str | None, depth: int) -> str | None:
    return relative_href(report_name, depth, "report_name")


@dataclass
class Site:
    """What every page of one build shares."""

    result: JoinResult
    opts: SiteOptions
    build: Build
    report_name: str | None
    records_name: str | None = None
    pages: list[SitePage] = field(default_factory=list)     # the build's pages
    regions: dict[str, str] = field(default_factory=dict)   # pcode -> slug
    sectors: dict[str, str] = field(default_factory=dict)   # key -> slug
    generated: str = field(default_factory=lambda: _dt.date.today().isoformat())
    standalone: bool = False   # one page on its own: no links to other pages
    meta: str | None = None    # the header line, computed once


def make_site(result: JoinResult, opts: SiteOptions, report_name: str | None,
          records_name: str | None = None) -> Site:
    site = Site(result, opts, prepare(result, opts.scheme, opts.k), report_name, records_name)
    site.pages = site_pages(result)
    site.regions = {p.key or "": p.slug for p in site.pages if p.kind == "region"}
    site.sectors = {p.key or "": p.slug for p in site.pages if p.kind == "sector"}
    return site
