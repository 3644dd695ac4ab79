"""Regenerate docs/snapshot-page1.png: the cover of the seed dataset's 3W snapshot.

    python scripts/make_snapshot_image.py [--date 2026-11-23] [--dpi 70]

The page is rendered straight from the snapshot's first figure (no PDF rasteriser
needed), at a low resolution so the README image stays small.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mali_map._build._pipeline import join_files
from mali_map._render.static._export import save_figure
from mali_map._snapshot import SnapshotOptions, build_facts
from mali_map._snapshot._pdf import build_pages

OUT = Path(__file__).resolve().parents[1] / "docs" / "snapshot-page1.png"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default="2026-11-23", help="production date printed")
    parser.add_argument("--dpi", type=int, default=70)
    parser.add_argument("--lang", default="en", choices=("en", "fr"))
    args = parser.parse_args()
    result = join_files()
    options = SnapshotOptions(lang=args.lang, produced=args.date, producer="mali-map README",
                              map_id="MLI-3W-SEED")
    pages = build_pages(result, build_facts(result, options))
    path = save_figure(pages.figures[0], OUT, dpi=args.dpi)
    print(f"wrote {path} ({path.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
