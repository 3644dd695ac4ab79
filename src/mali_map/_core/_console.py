"""Everything mali-map prints to a terminal goes through :func:`echo`.

Text from users' files (unit names, organisations, messages quoting cells) is
untrusted: an escape sequence in a cell could recolour, retitle or rewrite the
user's terminal. :func:`printable` shows control characters as ``\\xNN`` escapes
and keeps everything else, so a message still names the value as written.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

# C0 controls except tab and newline, DEL, C1 controls, and the bidirectional
# overrides/isolates that can make text read differently from what it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: No-break spaces (French typography) as plain spaces, for consoles without them.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def printable(text: object) -> str:
    """``text`` with terminal control characters shown as escapes.

    >>> printable("Gao\\x1b[2J\\x07 ok")
    'Gao\\\\x1b[2J\\\\x07 ok'
    >>> printable("Ségou\\tML04")
    'Ségou\\tML04'
    """
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100
                       else f"\\u{ord(m.group(0)):04x}", str(text))


def echo(text: object, stream: TextIO | None = None) -> None:
    """Print one line of ``text`` (made :func:`printable`) to ``stream`` (stdout).

    On a console that cannot show every character (an ASCII or cp437 terminal), no-break
    spaces become spaces and other characters escapes, rather than a traceback.
    """
    out = stream or sys.stdout
    line = printable(text)
    try:
        print(line, file=out)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "ascii"
        plain = line.translate(_SPACES).encode(encoding, "backslashreplace").decode(encoding)
        print(plain, file=out)
