"""FunctionSpec validation: every refusal names the bad value and the function."""

from __future__ import annotations

import re

import pytest

from harness.functions.spec import FunctionSpec

HANDLER = "tests.handlers.probes.env_probe"


def test_a_valid_spec_splits_its_handler() -> None:
    spec = FunctionSpec("Probe-1_a", HANDLER, timeout=900, memory_size=10240, environment={"TABLE_NAME": "T"})

    assert spec.module == "tests.handlers.probes"
    assert spec.attribute == "env_probe"


def test_defaults_are_lambdas() -> None:
    spec = FunctionSpec("Probe", HANDLER)

    assert (spec.timeout, spec.memory_size, spec.runtime) == (3.0, 128, "python3.12")


@pytest.mark.parametrize("name", ["", "has space", "a/b", "x" * 65, "name.dot", "nämé"])
def test_bad_function_name_is_refused_naming_it(name: str) -> None:
    with pytest.raises(ValueError, match="must be 1-64 letters, digits") as info:
        FunctionSpec(name, HANDLER)

    assert f"function name {name!r}" in str(info.value)


def test_sixty_four_character_name_is_accepted() -> None:
    FunctionSpec("x" * 64, HANDLER)


@pytest.mark.parametrize("handler", ["lambda_handler", "module.", ".handler", "1pkg.handler", "pkg.mod.1fn", "a-b.c"])
def test_bad_handler_is_refused_naming_it_and_the_function(handler: str) -> None:
    with pytest.raises(ValueError, match=re.escape("must look like 'package.module.function'")) as info:
        FunctionSpec("Probe", handler)

    assert f"handler {handler!r} of Probe" in str(info.value)


@pytest.mark.parametrize("timeout", [0, 0.5, 901])
def test_timeout_outside_one_to_nine_hundred_is_refused(timeout: float) -> None:
    with pytest.raises(ValueError, match=rf"timeout {timeout} of Probe must be between 1 and 900 seconds"):
        FunctionSpec("Probe", HANDLER, timeout=timeout)


@pytest.mark.parametrize("memory", [127, 10241, 0])
def test_memory_outside_lambda_limits_is_refused(memory: int) -> None:
    with pytest.raises(ValueError, match=rf"memory size {memory} of Probe must be between 128 and 10240 MB"):
        FunctionSpec("Probe", HANDLER, memory_size=memory)


@pytest.mark.parametrize("key", ["1ABC", "WITH-DASH", "", "_LEADING", "HAS SPACE"])
def test_bad_environment_variable_names_are_refused_naming_them(key: str) -> None:
    with pytest.raises(ValueError, match="are not valid") as info:
        FunctionSpec("Probe", HANDLER, environment={"GOOD": "1", key: "x"})

    message = str(info.value)
    assert repr(key) in message
    assert "'GOOD'" not in message
    assert "of Probe" in message


def test_function_name_with_trailing_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="function name"):
        FunctionSpec("Probe\n", HANDLER)


def test_handler_with_trailing_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="handler"):
        FunctionSpec("Probe", HANDLER + "\n")


def test_environment_name_with_trailing_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="environment variable names"):
        FunctionSpec("Probe", HANDLER, environment={"TABLE_NAME\n": "T"})
