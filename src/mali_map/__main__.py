"""``python -m mali_map``: the same as the ``mali-map`` command."""

from ._cli import run

run()
