"""Self-contained, filterable interactive HTML maps (Leaflet inlined, no network)."""

from ._page import esc
from ._settings import TILES
from ._site import InteractiveMap, interactive_map, render_site

__all__ = ["TILES", "esc", "InteractiveMap", "interactive_map", "render_site"]
