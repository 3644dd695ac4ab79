"""Untrusted text printed to a terminal never carries control sequences."""

from __future__ import annotations

import io

import pytest

from mali_map._core._console import echo, printable


@pytest.mark.parametrize("hostile", ["\x1b]0;owned\x07", "\x1b[2J", "\x9b31m", "\u202etxt.exe",
                                     "a\rb", "\x00", "\x7f"])
def test_control_characters_are_escaped(hostile):
    shown = printable(f"Gao {hostile} ok")
    assert shown.startswith("Gao ") and shown.endswith(" ok")
    assert all(ch == "\n" or ch == "\t" or (ord(ch) >= 32 and not 0x7f <= ord(ch) <= 0x9f)
               for ch in shown)
    assert "\u202e" not in shown


def test_ordinary_text_is_unchanged_and_echo_writes_one_line():
    stream = io.StringIO()
    echo("Ségou : 12 activités\tML04", stream)
    assert stream.getvalue() == "Ségou : 12 activités\tML04\n"
