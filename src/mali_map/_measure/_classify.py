"""Choropleth classes shared by the interactive and the static maps.

One :func:`classify` facade over the classification schemes, and one colour-blind-safe
sequential palette (ColorBrewer YlGnBu, light to dark), so that every page and
every export of the same data shows the same classes in the same colours.

Quantiles and equal intervals are computed here with numpy; the other schemes come
from mapclassify, an optional dependency (``pip install 'mali-map[schemes]'``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._core import check_choice, check_int, number

#: Colour-blind-safe sequential palette (ColorBrewer YlGnBu, 7 classes).
PALETTE: tuple[str, ...] = (
    "#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84",
)
#: The same palette in 9 classes, used when more than 7 classes are asked for.
PALETTE_9: tuple[str, ...] = (
    "#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494",
    "#081d58",
)
#: Most classes a map can show.
MAX_CLASSES = len(PALETTE_9)
CLASSES_RANGE = (1, MAX_CLASSES)
#: Fill of units with no data (zero or missing).
NO_DATA_COLOUR = "#f0f0f0"

SCHEMES: dict[str, str] = {
    "quantiles": "Quantiles",
    "equal_interval": "EqualInterval",
    "natural_breaks": "NaturalBreaks",
    "fisher_jenks": "FisherJenks",
    "jenks_caspall": "JenksCaspall",
    "max_breaks": "MaximumBreaks",
    "head_tail": "HeadTailBreaks",
}
#: Schemes computed without mapclassify.
BUILT_IN_SCHEMES: tuple[str, ...] = ("quantiles", "equal_interval")


@dataclass(frozen=True)
class Classes:
    """Upper bounds of each class and their colours; class i covers (bounds[i-1], bounds[i]]."""

    bounds: tuple[float, ...]
    colours: tuple[str, ...]
    scheme: str
    minimum: float = 0.0
    integer: bool = False

    def colour_for(self, value: float | None) -> str:
        """The fill colour of ``value``; zero or missing gets :data:`NO_DATA_COLOUR`."""
        if value is None or not np.isfinite(value) or value <= 0:
            return NO_DATA_COLOUR
        for bound, colour in zip(self.bounds, self.colours, strict=True):
            if value <= bound:
                return colour
        return self.colours[-1]

    def labels(self) -> list[str]:
        """Human-readable class ranges, e.g. ``['1–2', '3–5']`` for counts.

        >>> classify([1, 2, 3, 4, 5, 6], scheme="equal_interval", k=3).labels()
        ['1–2', '3–4', '5–6']
        """
        out, low = [], self.minimum
        for bound in self.bounds:
            lo, hi = _fmt(low), _fmt(bound)
            out.append(hi if lo == hi else f"{lo}–{hi}")
            low = bound + 1 if self.integer else bound
        return out


def check_classes(value: object, option: str = "classes") -> int:
    """A number of choropleth classes, 1–9.

    >>> check_classes(9)
    9
    """
    return check_int(option, value, *CLASSES_RANGE)


def check_scheme(value: object, option: str = "scheme") -> str:
    """A classification scheme of :data:`SCHEMES`, any case, as spelled there; else
    :class:`~mali_map.OptionError` naming the choices (the rule of every option).

    >>> check_scheme("Quantiles")
    'quantiles'
    """
    return check_choice(option, value, tuple(SCHEMES))


def _fmt(value: float) -> str:
    return number(value, "en", None)  # English separators: callers translate with digits()


def classify(values: Sequence[float], scheme: str = "quantiles", k: int = 5) -> Classes:
    """Classes for the positive values of ``values`` with ``scheme`` (at most 9 classes).

    >>> c = classify([0, 1, 2, 3, 10], scheme="equal_interval", k=3)
    >>> c.bounds
    (4.0, 7.0, 10.0)
    >>> c.colour_for(0) == NO_DATA_COLOUR
    True
    """
    scheme = check_scheme(scheme)
    k = check_classes(k, "k")  # 1-9, refused as by every renderer (fewer values: fewer classes)
    data = np.asarray([v for v in values if v is not None and np.isfinite(v) and v > 0],
                      dtype=float)
    if data.size == 0:
        return Classes((1.0,), (PALETTE[3],), scheme, 1.0, True)
    distinct = np.unique(data)
    k = max(1, min(k, len(distinct), MAX_CLASSES))
    if k == 1:
        return Classes((float(distinct[-1]),), (PALETTE[3],), scheme, float(distinct[0]),
                       bool(distinct[0] == round(distinct[0])))
    bins = _bins(data, scheme, k)
    integer = bool(np.all(data == np.round(data)))
    if integer:  # counts: whole-number class bounds, the last one the maximum
        bins = np.append(np.floor(bins[:-1]), distinct[-1])
    bounds = tuple(float(b) for b in np.unique(np.round(bins, 6)))
    colours = _spread(len(bounds))
    return Classes(bounds, colours, scheme, float(distinct[0]), integer)


def require_scheme(scheme: str) -> None:
    """Raise :class:`~mali_map.MissingExtra` if ``scheme`` needs mapclassify and it
    is not installed (quantiles and equal intervals never do).

    >>> require_scheme("Quantiles")
    """
    scheme = check_scheme(scheme)
    if scheme in BUILT_IN_SCHEMES:
        return
    try:
        import mapclassify  # noqa: F401
    except ImportError:
        from .._core import MissingExtra

        raise MissingExtra(f"the {scheme!r} classification scheme", "schemes") from None


def _bins(data: np.ndarray, scheme: str, k: int) -> np.ndarray:
    """Upper class bounds of ``data`` (positive, at least ``k`` distinct values)."""
    if scheme == "quantiles":  # the value at each k-th percentile, linear interpolation
        return np.unique(np.percentile(data, np.linspace(0, 100, k + 1)[1:]))
    if scheme == "equal_interval":  # k equal steps from the minimum; the last is the maximum
        low, high = float(data.min()), float(data.max())
        bins = low + (high - low) / k * np.arange(1, k + 1)
        bins[-1] = high
        return bins
    require_scheme(scheme)
    import mapclassify

    klass = getattr(mapclassify, SCHEMES[scheme])
    kwargs = {} if scheme == "head_tail" else {"k": k}
    with warnings.catch_warnings():  # "not enough unique values": k is capped above anyway
        warnings.simplefilter("ignore")
        return np.asarray(klass(data, **kwargs).bins, dtype=float)


def _spread(n: int) -> tuple[str, ...]:
    """``n`` colours spread evenly over :data:`PALETTE` (:data:`PALETTE_9` above 7)."""
    if n == 1:
        return (PALETTE[3],)
    palette = PALETTE if n <= len(PALETTE) else PALETTE_9
    idx = np.linspace(0, len(palette) - 1, n).round().astype(int)
    return tuple(palette[i] for i in idx)
