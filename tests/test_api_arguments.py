"""Every public function rejects a wrongly typed argument with one clear ``MaliMapError``."""

from __future__ import annotations

import inspect
import types
import typing

import pandas as pd
import pytest

import mali_map
from mali_map._core._arguments import matches


class Strange:
    """A value no public function accepts for any argument."""

    def __repr__(self) -> str:
        return "Strange()"


def _sample(expected, seed_result, embedded):
    """A value of the annotated type (only its type matters: the check comes first)."""
    union = typing.get_origin(expected) in (typing.Union, types.UnionType)
    options = typing.get_args(expected) if union else (expected,)
    for option in options:
        if option is type(None):
            continue
        origin = typing.get_origin(option) or option
        if origin is mali_map.JoinResult:
            return seed_result
        if origin is mali_map.Boundaries:
            return embedded
        if origin in (pd.DataFrame,):
            return pd.DataFrame({"adm1_name": ["Gao"]})
        if origin is str:
            return "x"
        if origin is float:
            return 1.0
        if origin is int:
            return 1
    for option in options:
        if matches("x.csv", option):
            return "x.csv"
        if matches([1.0], option):
            return [1.0]
        if matches({}, option):
            return {}
    return None


def _public_functions():
    return [(name, getattr(mali_map, name)) for name in mali_map.__all__
            if inspect.isfunction(getattr(mali_map, name))]


CASES = [(name, parameter) for name, function in _public_functions()
         for parameter, spec in inspect.signature(function).parameters.items()
         if spec.kind is not inspect.Parameter.VAR_KEYWORD]  # **changes: checked by options


@pytest.mark.parametrize(("name", "parameter"), CASES)
def test_wrong_type_raises_argument_error_naming_the_argument(name, parameter, seed_result,
                                                              embedded):
    function = getattr(mali_map, name)
    hints = typing.get_type_hints(inspect.unwrap(function))
    signature = inspect.signature(function)
    kwargs = {}
    for other, spec in signature.parameters.items():
        if other == parameter:
            value = Strange()
        elif spec.default is inspect.Parameter.empty:
            value = _sample(hints[other], seed_result, embedded)
        else:
            continue
        kwargs[other] = value
    with pytest.raises(mali_map.ArgumentError) as caught:
        function(**kwargs)
    message = str(caught.value)
    assert f"{name}(): argument {parameter!r} expects" in message
    assert "Strange()" in message and "\n" not in message
    assert isinstance(caught.value, mali_map.MaliMapError)


def test_unknown_keyword_is_an_argument_error():
    with pytest.raises(mali_map.ArgumentError, match="unexpected keyword"):
        mali_map.aggregate(mali_map.join_files(), levle="adm2")


def test_right_types_still_work_including_numpy_numbers(seed_result):
    import numpy as np

    classes = mali_map.classify(np.array([1.0, 2.0, 3.0]), k=np.int64(2))
    assert len(classes.bounds) == 2
    assert mali_map.summarise(seed_result)["rows"] == len(seed_result.records)
