"""Check the arguments of public functions against their type annotations, in one place.

:func:`checked` wraps a public function so that a call with an argument of the wrong
type raises :class:`~mali_map.ArgumentError` (a :class:`MaliMapError` and a
:class:`TypeError`) naming the function, the argument, what it expects and what it
got, instead of a ``KeyError`` or a numpy message from deep inside the pipeline.
Values (choices, bounds) are checked where the option is defined, not here.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import functools
import inspect
import numbers
import os
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ._errors import ArgumentError

F = TypeVar("F", bound=Callable[..., Any])

_NAMES: dict[type, str] = {
    str: "text", int: "a whole number", float: "a number", bool: "True or False",
    Path: "a path", dict: "a dict", dt.date: "a date",
}


def _describe(expected: Any) -> str:
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        parts = [_describe(a) for a in typing.get_args(expected) if a is not type(None)]
        text = " or ".join(dict.fromkeys(parts))
        return text + (" or None" if type(None) in typing.get_args(expected) else "")
    if origin is not None:
        args = typing.get_args(expected)
        if origin in (cabc.Mapping, dict):
            return (f"a mapping (keys: {_describe(args[0])}; values: {_describe(args[1])})"
                    if args else "a mapping")
        if origin in (cabc.Sequence, list, tuple):
            return f"a list (each item: {_describe(args[0])})" if args else "a list"
        return _describe(origin)
    if expected is type(None):
        return "None"
    if isinstance(expected, type):
        if expected in _NAMES:
            return _NAMES[expected]
        module = expected.__module__.split(".")[0]
        prefix = {"pandas": "a pandas ", "geopandas": "a geopandas "}.get(module, "a ")
        return prefix + expected.__name__
    return str(expected)


def matches(value: Any, expected: Any) -> bool:
    """Whether ``value`` fits the annotation ``expected`` (a practical subset of typing).

    ``int`` accepts any integer (numpy's too) but no ``bool``; ``float`` any real
    number; ``Path`` accepts ``str`` and ``os.PathLike``; a ``Sequence`` of text is not
    one string.

    >>> matches("a.csv", Path), matches(3, float), matches(True, int), matches("ab", list[str])
    (True, True, False, False)
    """
    if expected is Any or expected is object:
        return True
    if expected is type(None):
        return value is None
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        return any(matches(value, a) for a in typing.get_args(expected))
    if origin is not None:
        args = typing.get_args(expected)
        if origin in (cabc.Mapping, dict):
            return isinstance(value, cabc.Mapping) and all(
                matches(k, args[0]) and matches(v, args[1]) for k, v in value.items()
            ) if args else isinstance(value, cabc.Mapping)
        if origin in (cabc.Sequence, list, tuple, cabc.Iterable):
            if isinstance(value, (str, bytes)) or not isinstance(value, cabc.Iterable):
                return False
            if not args or args[0] is Any:
                return True
            return all(matches(v, args[0]) for v in value)
        return isinstance(value, origin)
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool)
    if expected is Path:
        return isinstance(value, (str, os.PathLike))
    if isinstance(expected, type):
        return isinstance(value, expected)
    return True


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'…' if len(text) > 60 else ''}"


def checked(function: F) -> F:
    """Decorate a public function so wrongly typed arguments raise :class:`ArgumentError`.

    >>> @checked
    ... def area(name: str, size: float = 1.0) -> float:
    ...     '''Doc.'''
    ...     return size
    >>> area("Gao", 2)
    2
    >>> area("Gao", size="big")
    Traceback (most recent call last):
    ...
    mali_map.ArgumentError: area(): argument 'size' expects a number, got str 'big'
    """
    signature = inspect.signature(function)
    hints: dict[str, Any] | None = None

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal hints
        if hints is None:
            hints = typing.get_type_hints(function)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise ArgumentError(f"{function.__name__}(): {exc}") from None
        for name, value in bound.arguments.items():
            expected = hints.get(name)
            if expected is not None and not matches(value, expected):
                raise ArgumentError(
                    f"{function.__name__}(): argument {name!r} expects "
                    f"{_describe(expected)}, got {_shown(value)}")
        return function(*args, **kwargs)

    return typing.cast(F, wrapper)
