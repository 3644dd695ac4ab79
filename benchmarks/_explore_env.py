"""The benchmark's own environment for ``explore()``: folium, pyarrow and the CDN files.

folium (and pyarrow, for the read floor) are installed with ``pip --target`` into
``benchmarks/.explore-lib`` (gitignored) and put at the *end* of ``sys.path`` of the child
processes that need them only, so mali-map never sees them and the main environment's
packages always win. The JavaScript and CSS that folium pages load from CDNs are packed
from the npm registry (``npm pack``) into ``benchmarks/.npm-cache`` (gitignored) and
served to Chromium in place of the CDN URLs; anything else stays blocked.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIB = HERE / ".explore-lib"
NPM_CACHE = HERE / ".npm-cache"
PIP_PACKAGES = ("folium", "pyarrow")

#: CDN URL patterns -> (npm name, version, path inside the package).
_JSDELIVR_NPM = re.compile(r"^https?://cdn\.jsdelivr\.net/npm/((?:@[^/@]+/)?[^/@]+)@([^/]+)/(.+)$")
_JQUERY = re.compile(r"^https?://code\.jquery\.com/jquery-(\d[\d.]*)(\.min)?\.js$")
_CDNJS = re.compile(r"^https?://cdnjs\.cloudflare\.com/ajax/libs/([^/]+)/([^/]+)/(.+)$")
_FOLIUM_GH = re.compile(
    r"^https?://cdn\.jsdelivr\.net/gh/python-visualization/folium/folium/templates/(.+)$")
#: cdnjs library names whose npm package has another name.
CDNJS_TO_NPM = {"Leaflet.awesome-markers": "drmonty-leaflet-awesome-markers"}


def ensure_lib(python: str = sys.executable) -> Path:
    """Install folium and pyarrow into :data:`LIB` once; returns the folder."""
    if not (LIB / "folium").is_dir():
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--target", str(LIB),
                        *PIP_PACKAGES], check=True)
    return LIB


def lib_versions() -> dict[str, str]:
    """Versions of the packages in :data:`LIB` (empty when not installed)."""
    from importlib.metadata import distributions

    wanted = set(PIP_PACKAGES)
    return {d.metadata["Name"].lower(): d.version for d in distributions(path=[str(LIB)])
            if d.metadata["Name"].lower() in wanted}


def npm_source(url: str) -> tuple[str, str, str] | None:
    """``(package, version, path)`` of the npm file that stands for a CDN ``url``.

    >>> npm_source("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css")
    ('@fortawesome/fontawesome-free', '6.2.0', 'css/all.min.css')
    >>> npm_source("https://code.jquery.com/jquery-3.7.1.min.js")
    ('jquery', '3.7.1', 'dist/jquery.min.js')
    """
    url = url.split("?")[0].split("#")[0]
    if m := _JSDELIVR_NPM.match(url):
        return m.group(1), m.group(2), m.group(3)
    if m := _JQUERY.match(url):
        return "jquery", m.group(1), f"dist/jquery{m.group(2) or ''}.js"
    if (m := _CDNJS.match(url)) and m.group(1) in CDNJS_TO_NPM:
        return CDNJS_TO_NPM[m.group(1)], m.group(2), m.group(3)
    return None


def _package_dir(name: str, version: str) -> Path:
    return NPM_CACHE / f"{name.replace('/', '__')}@{version}"


def ensure_npm(urls: list[str]) -> dict[str, str]:
    """``npm pack`` every package the ``urls`` need into :data:`NPM_CACHE`.

    Returns ``{"name@version": problem}`` for the packages that could not be had.
    """
    problems = {}
    wanted = {(s[0], s[1]) for s in map(npm_source, urls) if s}
    for name, version in sorted(wanted):
        target = _package_dir(name, version)
        if target.is_dir():
            continue
        NPM_CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "pack", "--silent", f"{name}@{version}",
                               "--pack-destination", str(NPM_CACHE)],
                              capture_output=True, text=True, cwd=NPM_CACHE)
        tgz = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        if done.returncode or not (NPM_CACHE / tgz).is_file():
            problems[f"{name}@{version}"] = (done.stderr.strip().splitlines() or ["?"])[-1]
            continue
        with tarfile.open(NPM_CACHE / tgz) as archive:
            archive.extractall(target, filter="data")
        (NPM_CACHE / tgz).unlink()
    return problems


def local_file(url: str, folium_dir: Path | None = None) -> Path | None:
    """The local copy that stands for a CDN ``url``, or None when there is none."""
    if (m := _FOLIUM_GH.match(url.split("?")[0])) and folium_dir is not None:
        path = folium_dir / "templates" / m.group(1)
        return path if path.is_file() else None
    source = npm_source(url)
    if source is None:
        return None
    root = _package_dir(source[0], source[1]) / "package"
    for candidate in (root / source[2], root / "dist" / source[2]):
        if candidate.is_file():
            return candidate
    found = sorted(root.rglob(Path(source[2]).name)) if root.is_dir() else []
    return found[0] if found else None
