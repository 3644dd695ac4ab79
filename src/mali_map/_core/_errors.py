"""Exceptions raised by mali-map.

Every message is one line that names the file and, where they apply, the row,
the column and the offending value, so that a user can fix the input without a
traceback.

    MaliMapError
    ├── InputError              unusable input (CLI exit code 2)
    │   ├── InputFileNotFound   the path does not exist
    │   ├── UnreadableFile      the format or encoding cannot be read
    │   ├── MissingColumns      no recognisable column for a required field
    │   └── BadValue            one cell holds a value that cannot be used
    ├── OutputError             an output cannot be written where asked
    ├── ArgumentError           a public function was called with a wrongly typed argument
    │                           (also a TypeError)
    ├── OptionError             an option or argument is out of bounds (also a ValueError)
    └── MissingExtra            an optional dependency is not installed (names the extra)
"""

from __future__ import annotations

from pathlib import Path


class MaliMapError(Exception):
    """Base class of every error mali-map raises on purpose."""


def _locate(
    file: str | Path | None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
) -> str:
    parts = []
    if file is not None:
        parts.append(str(file))
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    if value is not None:
        parts.append(f"value {str(value)[:80]!r}")
    return ", ".join(parts)


class InputError(MaliMapError):
    """An input file cannot be used at all."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.value = value
        where = _locate(file, row, column, value)
        text = f"{where}: {message}" if where else message
        super().__init__(" ".join(text.split()))


class InputFileNotFound(InputError):
    """The input path does not exist."""


class UnreadableFile(InputError):
    """The file exists but its format or encoding cannot be read."""


class MissingColumns(InputError):
    """No column could be recognised for a required field."""


class BadValue(InputError):
    """A single cell holds a value that cannot be used."""


class OutputError(MaliMapError):
    """An output cannot be written where it was asked for."""


class ArgumentError(MaliMapError, TypeError):
    """A public function was called with an argument of the wrong type or shape."""


class OptionError(MaliMapError, ValueError):
    """An option (command line, recipe or Python argument) has an unusable value."""

    def __init__(self, option: str, expected: str, value: object) -> None:
        self.option = option
        self.expected = expected
        self.value = value
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(" ".join(f"{option}: expected {expected}, got {shown}".split()))


class MissingExtra(MaliMapError, ImportError):
    """A feature needs an optional dependency that is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        self.feature = feature
        self.extra = extra
        super().__init__(f"{feature} needs the optional dependencies of mali-map[{extra}]: "
                         f"pip install 'mali-map[{extra}]'")


# Shown (in tracebacks and reprs) under the public name users import them by.
for _error in (MaliMapError, InputError, InputFileNotFound, UnreadableFile, MissingColumns,
               BadValue, OutputError, ArgumentError, OptionError, MissingExtra):
    _error.__module__ = "mali_map"
