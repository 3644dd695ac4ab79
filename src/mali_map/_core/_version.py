"""The installed version of mali-map, read once from the package metadata."""

from importlib import metadata

try:
    __version__ = metadata.version("mali-map")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
