"""README "Troubleshooting your data" stays true to the code: every message it
quotes in a table of messages is written somewhere in the source."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Troubleshooting your data")
    return text[start:text.index("\n## ", start + 1)]


def _source() -> str:
    """All source text, with implicitly concatenated string literals joined and
    escaped quotes unescaped, so that a message split over lines reads whole."""
    text = "\n".join(p.read_text(encoding="utf-8")
                     for p in sorted((ROOT / "src" / "mali_map").rglob("*.py")))
    text = re.sub(r"\"\s*\n\s*(?:#[^\n]*\n\s*)*[rbf]*\"", "", text)
    return text.replace('\\"', '"')


def _quoted_messages() -> list[str]:
    """The backticked fragments in the first cell of each row of the tables whose
    first header is "message"."""
    fragments, in_table = [], False
    for line in _section().splitlines():
        if line.startswith("| message |"):
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        if in_table and not line.startswith("|---"):
            first = line.split(" | ")[0]
            fragments += re.findall(r"`([^`]+)`", first)
    return fragments


def test_the_section_quotes_many_messages():
    assert len(_quoted_messages()) >= 60


def test_every_documented_message_is_in_the_source():
    source = _source()
    missing = [m for m in _quoted_messages() if m not in source]
    assert not missing, f"documented but not in the code: {missing}"
