"""Static maps (PNG, PDF, SVG) for reports; needs ``mali-map[static]`` (matplotlib),
imported only when used.
"""

from ._export import (
    FORMATS,
    RC,
    draw_choropleth,
    export_map,
    export_static,
    legend_labels,
    paper_size,
    save_figure,
    static_map,
)

__all__ = [
    "FORMATS",
    "RC",
    "draw_choropleth",
    "export_map",
    "export_static",
    "legend_labels",
    "paper_size",
    "save_figure",
    "static_map",
]
