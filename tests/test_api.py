"""The public API: one sorted ``__all__``, everything in it importable and documented."""

from __future__ import annotations

import inspect

import mali_map


def test_public_names_are_sorted_and_exported():
    assert mali_map.__all__ == sorted(mali_map.__all__)
    public = {name for name in dir(mali_map) if not name.startswith("_")}
    assert set(mali_map.__all__) - {"__version__"} == public


def test_every_public_object_has_a_docstring():
    for name in mali_map.__all__:
        obj = getattr(mali_map, name)
        if callable(obj):
            assert inspect.getdoc(obj), name


def test_every_public_function_has_type_hints_and_a_runnable_example():
    for name in mali_map.__all__:
        obj = getattr(mali_map, name)
        if inspect.isfunction(obj):
            hints = inspect.get_annotations(obj)
            assert "return" in hints, f"{name} has no return annotation"
            assert ">>>" in (obj.__doc__ or ""), f"{name} has no doctest example"


def test_exception_tree_has_one_base():
    for name in ("InputError", "InputFileNotFound", "UnreadableFile", "MissingColumns",
                 "BadValue", "OutputError"):
        assert issubclass(getattr(mali_map, name), mali_map.MaliMapError)
    assert issubclass(mali_map.UnreadableFile, mali_map.InputError)
