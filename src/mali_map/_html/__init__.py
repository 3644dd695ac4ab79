"""Self-contained, filterable interactive HTML maps (Leaflet inlined, no network)."""

from ._site import TILES, InteractiveMap, interactive_map, render_site

__all__ = ["TILES", "InteractiveMap", "interactive_map", "render_site"]
