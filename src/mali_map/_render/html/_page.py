"""Assemble one self-contained page: template, inlined assets, payload, CSP."""

from __future__ import annotations

import base64
import hashlib
import html
from pathlib import Path
from string import Template
from typing import Any

from ._assets import load_assets
from ._values import dump_json

_TEMPLATE = Template((Path(__file__).parent / "page.html").read_text("utf-8"))
#: The only remote host a page may contact, and only with ``tiles="osm"``.
OSM_TILES = "https://tile.openstreetmap.org"


def esc(value: object) -> str:
    """HTML-escape text for element content and quoted attributes."""
    return html.escape(str(value), quote=True)


def script_hash(source: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: tuple[str, ...], tiles: str) -> str:
    """A policy allowing only these inline scripts, inline styles and data: images."""
    img = "data:" + (f" {OSM_TILES}" if tiles == "osm" else "")
    hashes = " ".join(script_hash(s) for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            f"img-src {img}; connect-src 'none'; font-src 'none'; media-src 'none'; "
            "object-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
            "base-uri 'none'; form-action 'none'")


def render_page(
    payload: dict[str, Any],
    *,
    title: str,
    heading_html: str,
    meta_html: str,
    nav_html: str,
    content_html: str,
    footer_html: str,
    strings: dict[str, str],
) -> str:
    """The complete HTML of one page. ``*_html`` arguments must already be escaped."""
    assets = load_assets()
    scripts = assets.scripts
    return _TEMPLATE.substitute(
        lang=esc(payload["lang"]),
        csp=esc(content_security_policy(scripts, payload["tiles"])),
        title=esc(title),
        css=assets.css,
        heading=heading_html,
        meta=meta_html,
        nav=nav_html,
        map_label=esc(strings["map"]),
        no_script=esc(strings["no_script"]),
        content=content_html,
        footer=footer_html,
        data=dump_json(payload),
        scripts="\n".join(f"<script>{s}</script>" for s in scripts),
    )
