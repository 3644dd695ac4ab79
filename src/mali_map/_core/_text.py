"""Text normalisation shared by the loaders and the join."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: object) -> str:
    """Lower-case ``text``, strip accents and reduce punctuation to single spaces.

    >>> fold("  Ségou / Région ")
    'segou region'
    >>> fold(None)
    ''
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _fold_str(text if type(text) is str else str(text))


@functools.lru_cache(maxsize=65536)
def _fold_str(text: str) -> str:
    # Memoised: a build folds the same few thousand place names hundreds of thousands of times.
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


def slugify(text: object) -> str:
    """An ASCII, file-name-safe slug.

    >>> slugify("Ségou")
    'segou'
    >>> slugify("../Early recovery & social cohesion")
    'early-recovery-social-cohesion'
    """
    slug = fold(text).replace(" ", "-")
    return slug or "unnamed"


class Joined:
    """Text values joined by NUL and encoded as UTF-8 bytes, for vectorised checks.

    Byte-level tests (numpy, no Python loop per value) find the few values that
    need a closer look; :meth:`owners` maps byte positions back to value indices.

    >>> joined = Joined(["12", " 3", "x"])
    >>> joined.owners(joined.find(b" ")).tolist()
    [1]
    """

    def __init__(self, values: Sequence[str]) -> None:
        self.count = len(values)
        joined = "\x00".join(values)
        #: False when a value holds NUL itself: then every value is flagged.
        self.bytes = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        self.seps = np.flatnonzero(self.bytes == 0)
        self.exact = len(self.seps) == max(self.count - 1, 0)

    def find(self, members: bytes) -> np.ndarray:
        """Positions of the bytes that are in ``members``."""
        table = np.zeros(256, dtype=bool)
        table[list(members)] = True
        return np.flatnonzero(table[self.bytes])

    def before(self, positions: np.ndarray) -> np.ndarray:
        """The byte before each position (0 at the start)."""
        found = self.bytes[np.maximum(positions - 1, 0)]
        found[positions == 0] = 0
        return found

    def after(self, positions: np.ndarray, step: int = 1) -> np.ndarray:
        """The byte ``step`` after each position (0 past the end)."""
        ahead = positions + step
        past = ahead >= len(self.bytes)
        found = self.bytes[np.where(past, 0, ahead)]
        found[past] = 0
        return found

    def owners(self, positions: np.ndarray) -> np.ndarray:
        """Sorted indices of the values holding these byte positions."""
        if not self.exact:
            return np.arange(self.count)
        return np.unique(np.searchsorted(self.seps, positions))

    def lengths(self) -> np.ndarray:
        """Length in bytes of each value."""
        edges = np.concatenate(([-1], self.seps, [len(self.bytes)]))
        return np.diff(edges) - 1


_ASCII_SPACES = b" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
_LEADS = b"\xc2\xe1\xe2\xe3\xef"  # first bytes of non-ASCII spaces, zero-widths, BOM


def untidy(values: Sequence[str]) -> np.ndarray:
    """Indices of values with leading/trailing white space or a possible BOM or
    non-ASCII space (a superset: the caller strips those)."""
    joined = Joined(values)
    found = joined.find(_ASCII_SPACES + _LEADS)
    wide = np.isin(joined.bytes[found], np.frombuffer(_LEADS, dtype=np.uint8))
    spaces = found[~wide]
    edge = spaces[(joined.before(spaces) == 0) | (joined.after(spaces) == 0)]
    return joined.owners(np.concatenate((edge, wide_spaces(joined.bytes, found[wide]))))


def wide_spaces(data: np.ndarray, leads: np.ndarray) -> np.ndarray:
    """The positions in ``leads`` (of UTF-8 bytes ``data``) that start a non-ASCII
    space, a C1 control, a soft hyphen, a zero-width character or a BOM."""
    def at(step: int) -> np.ndarray:
        ahead = leads + step
        found = data[np.minimum(ahead, len(data) - 1)] if len(data) else ahead * 0
        return np.where(ahead < len(data), found, 0)

    second, third, lead = at(1), at(2), data[leads] if len(leads) else leads
    hit = ((lead == 0xC2) & (((second >= 0x80) & (second <= 0xA0)) | (second == 0xAD))
           | (lead == 0xE1) & (second == 0x9A)
           | (lead == 0xE2) & (((second == 0x80) & (((third >= 0x80) & (third <= 0x8F))
                                                   | ((third >= 0xA8) & (third <= 0xAF))))
                               | ((second == 0x81) & ((third == 0x9F) | (third == 0xA0))))
           | (lead == 0xE3) & (second == 0x80) & (third == 0x80)
           | (lead == 0xEF) & (second == 0xBB) & (third == 0xBF))
    return leads[hit]


def unclean(values: Sequence[str]) -> np.ndarray:
    """Indices of values that whitespace collapsing or control removal would change
    (a superset)."""
    joined = Joined(values)
    found = joined.find(bytes(range(1, 33)) + b"\x7f" + _LEADS)
    kind = joined.bytes[found]
    spaces = found[kind == 32]
    odd = spaces[(joined.before(spaces) == 0) | (joined.after(spaces) == 0)
                 | (joined.after(spaces) == 32)]
    controls = found[(kind < 32) | (kind == 127)]
    wide = wide_spaces(joined.bytes, found[kind > 127])
    return joined.owners(np.concatenate((controls, odd, wide)))


def starting_with_hash(values: Sequence[str]) -> np.ndarray:
    """Indices of values starting with ``#``."""
    joined = Joined(values)
    hashes = joined.find(b"#")
    return joined.owners(hashes[joined.before(hashes) == 0])


def not_plain_number(values: Sequence[str], signed: bool) -> np.ndarray:
    """Indices of non-empty values that are not plain ASCII decimals: digits, at most
    one ``.``, and (when ``signed``) a leading ``-``. ``float()`` reads the others."""
    joined = Joined(values)
    allowed = b"0123456789.-" if signed else b"0123456789"
    others = joined.find(bytes(b for b in range(1, 256) if b not in allowed))
    marks = joined.find(b".-") if signed else np.empty(0, dtype=np.int64)
    flagged = [others]
    if len(marks) and joined.exact:
        mark = joined.bytes[marks]
        flagged.append(marks[(mark == 45) & (joined.before(marks) != 0)])  # inner minus
        owner = np.searchsorted(joined.seps, marks)
        dots = np.bincount(owner[mark == 46], minlength=joined.count)
        short = joined.lengths() <= 2
        bad = np.flatnonzero((dots > 1) | (short & (np.bincount(owner, minlength=joined.count)
                                                    > 0)))
        return np.union1d(joined.owners(np.concatenate(flagged)), bad)
    return joined.owners(np.concatenate(flagged))


def is_missing(value: object) -> bool:
    """The one missing-value test: ``None``, ``pd.NA``, ``NaT`` or a float NaN (numpy's too).

    >>> import math, pandas as pd
    >>> [is_missing(v) for v in (None, pd.NA, math.nan, pd.NaT, "", 0)]
    [True, True, True, True, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def cell_text(value: object) -> str:
    """A cell as stripped text, ``""`` when missing (see :func:`is_missing`).

    >>> cell_text("  Gao "), cell_text(float("nan")), cell_text(3)
    ('Gao', '', '3')
    """
    return "" if is_missing(value) else str(value).strip()
