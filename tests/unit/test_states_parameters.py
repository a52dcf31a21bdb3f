"""Payload templates (Parameters, ResultSelector, ItemSelector): rendering and validation."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from harness.states.errors import InvalidDefinition, StatesError
from harness.states.parameters import render_template, validate_template

CONTEXT = {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:M:e1"}, "Map": {"Item": {"Index": 3}}}


def test_the_documented_parameters_example() -> None:
    # AWS's "InputPath, Parameters and ResultSelector" page.
    data = {"comment": "Example for Parameters.", "product": {"details": {"color": "blue", "size": "small"}}}
    template = {
        "comment": "Selecting what I care about.",
        "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo"},
    }
    data["product"]["availability"] = "in stock"

    assert render_template(template, data) == {
        "comment": "Selecting what I care about.",
        "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"},
    }


def test_the_documented_result_selector_example() -> None:
    result = {
        "resourceType": "elasticmapreduce",
        "resource": "createCluster.sync",
        "output": {"SdkHttpMetadata": {"HttpStatusCode": 200}, "ClusterId": "j-1A2B3C4D5E6F"},
    }
    template = {"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"}

    assert render_template(template, result) == {
        "ClusterId": "j-1A2B3C4D5E6F",
        "ResourceType": "elasticmapreduce",
    }


def test_templates_reach_into_nested_objects_and_arrays() -> None:
    template = {"outer": {"list": [{"id.$": "$.id"}, "literal", [{"deep.$": "$.n"}], 7]}}

    assert render_template(template, {"id": "x", "n": 1}) == {
        "outer": {"list": [{"id": "x"}, "literal", [{"deep": 1}], 7]}
    }


def test_context_paths_and_intrinsics() -> None:
    template = {
        "execution.$": "$$.Execution.Id",
        "index.$": "$$.Map.Item.Index",
        "greeting.$": "States.Format('Hello {}', $.name)",
        "all.$": "$",
        "missing": None,
    }

    assert render_template(template, {"name": "Ana"}, CONTEXT) == {
        "execution": "arn:aws:states:us-east-1:123456789012:execution:M:e1",
        "index": 3,
        "greeting": "Hello Ana",
        "all": {"name": "Ana"},
        "missing": None,
    }


def test_indefinite_paths_give_lists() -> None:
    data = {"items": [{"price": 5}, {"price": 15}]}

    assert render_template({"expensive.$": "$.items[?(@.price > 10)]"}, data) == {"expensive": [{"price": 15}]}


def test_static_values_are_copied() -> None:
    static = {"nested": {"list": [1, 2]}}

    rendered = render_template(static, {})
    rendered["nested"]["list"].append(3)

    assert static == {"nested": {"list": [1, 2]}}


def test_a_non_object_template_is_copied_as_it_is() -> None:
    assert render_template("text", {"a": 1}) == "text"
    assert render_template([1, {"a.$": "$.a"}], {"a": 2}) == [1, {"a": 2}]


def test_rendering_leaves_the_data_untouched() -> None:
    data = {"order": {"items": [1]}}
    before = copy.deepcopy(data)

    rendered = render_template({"o.$": "$.order"}, data)
    rendered["o"]["items"].append(2)

    assert data == before


def test_a_path_that_matches_nothing_is_a_runtime_error_naming_the_field_and_path() -> None:
    with pytest.raises(StatesError) as caught:
        render_template({"outer": {"value.$": "$.missing"}}, {"present": True})

    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == (
        "The JSONPath '$.missing' specified for the field 'value.$' could not be found"
        " in the input '{\"present\":true}'"
    )


def test_a_missing_context_path_names_the_context() -> None:
    with pytest.raises(StatesError) as caught:
        render_template({"token.$": "$$.Task.Token"}, {}, CONTEXT)

    assert "The JSONPath '$$.Task.Token' specified for the field 'token.$'" in caught.value.cause
    assert '"Execution"' in caught.value.cause


def test_a_failing_intrinsic_fails_the_rendering() -> None:
    with pytest.raises(StatesError) as caught:
        render_template({"item.$": "States.ArrayGetItem($.list, 5)"}, {"list": []})

    assert caught.value.error == "States.IntrinsicFailure"


def test_a_non_string_dynamic_value_is_a_runtime_error_when_not_validated() -> None:
    with pytest.raises(StatesError, match=r"'count\.\$' must be a STRING"):
        render_template({"count.$": 5}, {})


WHERE = "State 'Prepare' field 'Parameters'"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            {"a.$": 5},
            "the value of the field 'a.$' must be a string holding a JSONPath or an intrinsic function, not 5",
        ),
        ({"a.$": None}, "the value of the field 'a.$' must be a string"),
        ({"a.$": "$.x y"}, "the value of the field 'a.$' must be a valid JSONPath or intrinsic function: Invalid path"),
        ({"a.$": "x.y"}, "the value of the field 'a.$' must be a valid JSONPath or intrinsic function"),
        ({"a.$": "States.Format('{}')"}, "has 1 placeholder '{}' but 0 values were given"),
        ({"a.$": "States.Nope()"}, "unknown function States.Nope"),
        ({"outer": {"inner.$": "$["}}, "the value of the field 'inner.$' (in outer) must be"),
        ({"list": [{"ok.$": "$"}, {"bad.$": 1}]}, "the value of the field 'bad.$' (in list[1]) must be a string"),
        ({"a": 1, "a.$": "$.a"}, "the fields 'a' and 'a.$' would both set 'a'"),
        ({".$": "$"}, "the field '.$' has no name before '.$'"),
    ],
)
def test_validation_names_the_state_field_and_key(template: Any, message: str) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        validate_template(template, WHERE)

    assert str(caught.value).startswith(f"{WHERE}: ")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "template",
    [
        {"a.$": "$", "b.$": "$$.Execution.Id", "c.$": "States.UUID()", "d": {"e.$": "$.items[*].id"}, "f": [1]},
        {"literal": "$.not.dynamic", "n": 5},
        "scalar",
        [{"a.$": "$.a"}],
    ],
)
def test_valid_templates_pass(template: Any) -> None:
    validate_template(template, WHERE)
