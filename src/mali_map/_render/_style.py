"""How each sector is drawn: one colour and one marker shape, for every renderer.

Colours are the 8 Okabe & Ito colours (distinct for the common forms of colour
blindness); shapes are 5. A sector's style comes from its position: canonical
sectors by their place in the vocabulary (so Health looks the same on every page
and every map), other sectors after them in the order given. Position ``i`` takes
colour ``i mod 8`` and shape ``i mod 5``: as 8 and 5 have no common factor, the
first 40 positions all get different (colour, shape) pairs, and two sectors next
to each other in a legend always differ in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .._reference import SECTORS

#: Okabe & Ito's colour-blind-safe categorical colours (black replaced by dark grey).
SECTOR_COLOURS: tuple[str, ...] = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#555555",
)
#: Marker shapes; :data:`MATPLOTLIB_MARKERS` gives each one's matplotlib marker.
SECTOR_SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "triangle_down")
MATPLOTLIB_MARKERS: dict[str, str] = {"circle": "o", "square": "s", "triangle": "^",
                                      "diamond": "D", "triangle_down": "v"}
#: The style of records without a sector.
NO_SECTOR_COLOUR = "#FFFFFF"
_CANONICAL = {s.key: i for i, s in enumerate(SECTORS)}


@dataclass(frozen=True)
class SectorStyle:
    """A sector's colour (``#RRGGBB``) and marker shape (one of :data:`SECTOR_SHAPES`)."""

    colour: str
    shape: str

    @property
    def marker(self) -> str:
        """The matplotlib marker of :attr:`shape`."""
        return MATPLOTLIB_MARKERS[self.shape]


def style_at(position: int) -> SectorStyle:
    """The style of the sector at ``position`` (0-based).

    >>> style_at(0), style_at(8)
    (SectorStyle(colour='#E69F00', shape='circle'), SectorStyle(colour='#E69F00', shape='diamond'))
    """
    return SectorStyle(SECTOR_COLOURS[position % len(SECTOR_COLOURS)],
                       SECTOR_SHAPES[position % len(SECTOR_SHAPES)])


def sector_styles(keys: Iterable[str]) -> dict[str, SectorStyle]:
    """The style of each sector key; ``""`` (no sector) is a white circle.

    Canonical sectors keep their vocabulary position; other keys follow, in the
    order given (:func:`mali_map._render._pages.sector_order` gives them A–Z).

    >>> styles = sector_styles(["health", "wash", "Astrologie", ""])
    >>> styles["health"].shape, styles["wash"].shape, styles[""].colour
    ('circle', 'diamond', '#FFFFFF')
    >>> styles["Astrologie"] == style_at(len(SECTORS))
    True
    """
    out: dict[str, SectorStyle] = {}
    extra = len(SECTORS)
    for key in dict.fromkeys(keys):
        if key == "":
            out[key] = SectorStyle(NO_SECTOR_COLOUR, "circle")
        elif key in _CANONICAL:
            out[key] = style_at(_CANONICAL[key])
        else:
            out[key] = style_at(extra)
            extra += 1
    return out
