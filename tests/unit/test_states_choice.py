"""Choice rules: every comparison operator, And / Or / Not, missing variables and rule validation."""

from __future__ import annotations

from typing import Any

import pytest

from harness.states.choice import (
    COMPARISON_OPERATORS,
    evaluate_choice_rule,
    parse_timestamp,
    string_matches,
    validate_choice_rule,
)
from harness.states.errors import InvalidDefinition, StatesError

DATA: dict[str, Any] = {
    "text": "mango",
    "number": 42,
    "float": 2.5,
    "flag": True,
    "off": False,
    "nothing": None,
    "when": "2024-03-14T01:59:00Z",
    "when_offset": "2024-03-14T03:59:00+02:00",  # the same instant as `when`
    "when_fraction": "2024-03-14T01:59:00.250Z",
    "list": [1, 2],
    "object": {"k": "v"},
    "other": {"text": "mango", "number": 42, "bigger": 50, "flag": True, "when": "2025-01-01T00:00:00Z"},
    "file": "report*.csv",
}


def holds(operator: str, value: Any, variable: str) -> bool:
    return evaluate_choice_rule({"Variable": variable, operator: value, "Next": "X"}, DATA)


@pytest.mark.parametrize(
    ("operator", "variable", "value", "expected"),
    [
        ("StringEquals", "$.text", "mango", True),
        ("StringEquals", "$.text", "Mango", False),
        ("StringLessThan", "$.text", "pear", True),
        ("StringLessThan", "$.text", "mango", False),
        ("StringGreaterThan", "$.text", "apple", True),
        ("StringGreaterThan", "$.text", "zebra", False),
        ("StringLessThanEquals", "$.text", "mango", True),
        ("StringLessThanEquals", "$.text", "lemon", False),
        ("StringGreaterThanEquals", "$.text", "mango", True),
        ("StringGreaterThanEquals", "$.text", "papaya", False),
        ("NumericEquals", "$.number", 42, True),
        ("NumericEquals", "$.number", 42.0, True),
        ("NumericEquals", "$.float", 2.5, True),
        ("NumericLessThan", "$.number", 43, True),
        ("NumericLessThan", "$.number", 42, False),
        ("NumericGreaterThan", "$.float", 2, True),
        ("NumericGreaterThan", "$.number", 42, False),
        ("NumericLessThanEquals", "$.number", 42, True),
        ("NumericLessThanEquals", "$.number", 41.9, False),
        ("NumericGreaterThanEquals", "$.number", 42, True),
        ("NumericGreaterThanEquals", "$.number", 42.1, False),
        ("BooleanEquals", "$.flag", True, True),
        ("BooleanEquals", "$.off", True, False),
        ("BooleanEquals", "$.off", False, True),
        ("TimestampEquals", "$.when", "2024-03-14T01:59:00Z", True),
        ("TimestampEquals", "$.when_offset", "2024-03-14T01:59:00Z", True),
        ("TimestampLessThan", "$.when", "2024-03-14T01:59:00.001Z", True),
        ("TimestampLessThan", "$.when_fraction", "2024-03-14T01:59:00Z", False),
        ("TimestampGreaterThan", "$.when_fraction", "2024-03-14T01:59:00Z", True),
        ("TimestampGreaterThan", "$.when", "2025-01-01T00:00:00Z", False),
        ("TimestampLessThanEquals", "$.when", "2024-03-14T01:59:00Z", True),
        ("TimestampGreaterThanEquals", "$.when", "2024-03-14T02:00:00Z", False),
        ("StringEquals", "$.when", "2024-03-14T01:59:00Z", True),  # timestamps are strings too
    ],
)
def test_comparison_operators(operator: str, variable: str, value: Any, expected: bool) -> None:
    assert holds(operator, value, variable) is expected


@pytest.mark.parametrize(
    ("operator", "variable", "path", "expected"),
    [
        ("StringEqualsPath", "$.text", "$.other.text", True),
        ("StringLessThanPath", "$.text", "$.other.text", False),
        ("StringGreaterThanPath", "$.text", "$.other.text", False),
        ("StringLessThanEqualsPath", "$.text", "$.other.text", True),
        ("StringGreaterThanEqualsPath", "$.text", "$.other.text", True),
        ("NumericEqualsPath", "$.number", "$.other.number", True),
        ("NumericLessThanPath", "$.number", "$.other.bigger", True),
        ("NumericGreaterThanPath", "$.number", "$.other.bigger", False),
        ("NumericLessThanEqualsPath", "$.number", "$.other.number", True),
        ("NumericGreaterThanEqualsPath", "$.other.bigger", "$.number", True),
        ("BooleanEqualsPath", "$.flag", "$.other.flag", True),
        ("BooleanEqualsPath", "$.off", "$.other.flag", False),
        ("TimestampEqualsPath", "$.when", "$.when_offset", True),
        ("TimestampLessThanPath", "$.when", "$.other.when", True),
        ("TimestampGreaterThanPath", "$.when", "$.other.when", False),
        ("TimestampLessThanEqualsPath", "$.when", "$.when_offset", True),
        ("TimestampGreaterThanEqualsPath", "$.other.when", "$.when", True),
        ("NumericEqualsPath", "$.number", "$.text", False),  # the other side has the wrong type
    ],
)
def test_path_comparison_operators(operator: str, variable: str, path: str, expected: bool) -> None:
    assert holds(operator, path, variable) is expected


@pytest.mark.parametrize(
    ("operator", "variable", "value"),
    [
        ("StringEquals", "$.number", "42"),
        ("StringLessThan", "$.number", "z"),
        ("NumericEquals", "$.text", 42),
        ("NumericEquals", "$.flag", 1),  # a boolean is not a number
        ("NumericGreaterThan", "$.nothing", 0),
        ("BooleanEquals", "$.number", True),
        ("TimestampEquals", "$.text", "2024-03-14T01:59:00Z"),
        ("TimestampLessThan", "$.number", "2024-03-14T01:59:00Z"),
        ("StringEquals", "$.list", "[1, 2]"),
        ("StringMatches", "$.number", "*"),
    ],
)
def test_a_variable_of_another_type_compares_false(operator: str, variable: str, value: Any) -> None:
    assert holds(operator, value, variable) is False
    assert evaluate_choice_rule({"Not": {"Variable": variable, operator: value}}, DATA) is True


@pytest.mark.parametrize(
    ("operator", "variable", "expected"),
    [
        ("IsNull", "$.nothing", True),
        ("IsNull", "$.off", False),
        ("IsPresent", "$.nothing", True),
        ("IsPresent", "$.absent", False),
        ("IsPresent", "$.object.k", True),
        ("IsPresent", "$.object.absent", False),
        ("IsNumeric", "$.number", True),
        ("IsNumeric", "$.float", True),
        ("IsNumeric", "$.flag", False),
        ("IsNumeric", "$.text", False),
        ("IsString", "$.text", True),
        ("IsString", "$.nothing", False),
        ("IsBoolean", "$.off", True),
        ("IsBoolean", "$.number", False),
        ("IsTimestamp", "$.when", True),
        ("IsTimestamp", "$.when_offset", True),
        ("IsTimestamp", "$.text", False),
        ("IsTimestamp", "$.number", False),
    ],
)
def test_type_tests(operator: str, variable: str, expected: bool) -> None:
    assert holds(operator, True, variable) is expected
    assert holds(operator, False, variable) is (not expected)


@pytest.mark.parametrize(
    ("value", "pattern", "expected"),
    [
        ("log-2024.txt", "log-*.txt", True),
        ("log-2024.csv", "log-*.txt", False),
        ("anything", "*", True),
        ("", "*", True),
        ("abc", "a*b*c", True),
        ("abc", "abc", True),
        ("abcd", "abc", False),
        ("report*.csv", "report\\*.csv", True),  # \* is a literal star
        ("report1.csv", "report\\*.csv", False),
        ("back\\slash", "back\\\\slash", True),  # \\ is a literal backslash
        ("a.b", "a.b", True),  # regex characters are literal
        ("axb", "a.b", False),
        ("multi\nline", "multi*", True),
    ],
)
def test_string_matches(value: str, pattern: str, expected: bool) -> None:
    assert string_matches(value, pattern) is expected


def test_string_matches_operator() -> None:
    assert holds("StringMatches", "report\\*.csv", "$.file") is True
    assert holds("StringMatches", "man*", "$.text") is True
    assert holds("StringMatches", "*go", "$.text") is True
    assert holds("StringMatches", "*pear*", "$.text") is False


def test_the_documented_and_or_not_example() -> None:
    # From the Choice state page of the ASL specification.
    rule = {
        "And": [
            {"Not": {"Variable": "$.type", "StringEquals": "Private"}},
            {"Variable": "$.value", "IsPresent": True},
            {"Or": [{"Variable": "$.value", "NumericEquals": 0}, {"Variable": "$.value", "NumericGreaterThan": 20}]},
        ],
        "Next": "Public",
    }

    assert evaluate_choice_rule(rule, {"type": "Public", "value": 25}) is True
    assert evaluate_choice_rule(rule, {"type": "Public", "value": 0}) is True
    assert evaluate_choice_rule(rule, {"type": "Public", "value": 10}) is False
    assert evaluate_choice_rule(rule, {"type": "Private", "value": 25}) is False


def test_and_stops_at_the_first_false_and_or_at_the_first_true() -> None:
    missing = {"Variable": "$.absent", "NumericEquals": 1}  # would raise if evaluated

    assert evaluate_choice_rule({"And": [{"Variable": "$.number", "NumericEquals": 0}, missing]}, DATA) is False
    assert evaluate_choice_rule({"Or": [{"Variable": "$.number", "NumericEquals": 42}, missing]}, DATA) is True


def test_the_context_object_can_be_compared() -> None:
    context = {"Execution": {"Name": "nightly-run"}}

    assert evaluate_choice_rule({"Variable": "$$.Execution.Name", "StringMatches": "nightly-*"}, {}, context) is True


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ({"Variable": "$.absent", "StringEquals": "x"}, "$.absent"),
        ({"Variable": "$.absent", "IsNull": True}, "$.absent"),
        ({"Variable": "$.absent", "IsString": False}, "$.absent"),
        ({"Variable": "$.text", "StringEqualsPath": "$.absent"}, "$.absent"),
        ({"Not": {"Variable": "$.object.absent", "NumericEquals": 1}}, "$.object.absent"),
    ],
)
def test_a_missing_variable_is_a_runtime_error(rule: dict[str, Any], path: str) -> None:
    with pytest.raises(StatesError) as caught:
        evaluate_choice_rule(rule, DATA)

    assert caught.value.error == "States.Runtime"
    assert (
        caught.value.cause == f"Invalid path '{path}': The choice state's condition path references an invalid value."
    )


def test_a_malformed_variable_that_escaped_validation_is_a_runtime_error() -> None:
    for rule in ({"Variable": "$.a[", "IsNull": True}, {"Variable": "$.a[", "IsPresent": True}):
        with pytest.raises(StatesError) as caught:
            evaluate_choice_rule(rule, DATA)

        assert caught.value.error == "States.Runtime"
        assert "Invalid path '$.a['" in caught.value.cause


def test_every_operator_of_the_specification_is_known() -> None:
    comparisons = {
        f"{kind}{ordering}{suffix}"
        for kind in ("String", "Numeric", "Timestamp")
        for ordering in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
        for suffix in ("", "Path")
    }
    others = {"BooleanEquals", "BooleanEqualsPath", "StringMatches"}
    type_tests = {"IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"}

    assert comparisons | others | type_tests == COMPARISON_OPERATORS


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2016-03-14T01:59:00Z", True),
        ("2016-03-14T01:59:00.123Z", True),
        ("2016-03-14T01:59:00.123456789Z", True),
        ("2016-03-14T01:59:00+01:00", True),
        ("2016-03-14t01:59:00Z", False),  # an uppercase T
        ("2016-03-14T01:59:00z", False),  # an uppercase Z
        ("2016-03-14 01:59:00Z", False),
        ("2016-03-14T01:59:00", False),  # an offset or Z is needed
        ("2016-03-14", False),
        ("2016-13-14T01:59:00Z", False),
        ("2016-02-30T01:59:00Z", False),
        ("yesterday", False),
    ],
)
def test_timestamps_follow_the_rfc3339_profile(text: str, valid: bool) -> None:
    assert (parse_timestamp(text) is not None) is valid


# -- validation -----------------------------------------------------------------------------------------------

WHERE = "State 'Route' field 'Choices[0]'"


@pytest.mark.parametrize(
    "rule",
    [
        {"Variable": "$.a", "StringEquals": "x", "Next": "S"},
        {"Variable": "$$.Execution.Name", "StringMatches": "a*", "Next": "S"},
        {"Variable": "$.a[0].b", "NumericLessThanPath": "$.c", "Next": "S", "Comment": "why"},
        {"Variable": "$.t", "TimestampEquals": "2016-03-14T01:59:00Z", "Next": "S"},
        {"Variable": "$.a", "IsPresent": False, "Next": "S"},
        {
            "And": [{"Variable": "$.a", "IsNull": True}, {"Not": {"Variable": "$.b", "BooleanEquals": False}}],
            "Next": "S",
        },
        {"Or": [{"Variable": "$.a", "NumericEquals": 1.5}], "Next": "S"},
    ],
)
def test_valid_rules_pass(rule: dict[str, Any]) -> None:
    validate_choice_rule(rule, WHERE, top_level=True)


@pytest.mark.parametrize(
    ("rule", "top_level", "message"),
    [
        ({"Variable": "$.a", "StringEquals": "x"}, True, "a choice rule in Choices needs the field 'Next'"),
        ({"Variable": "$.a", "StringEquals": "x", "Next": 3}, True, "the field 'Next' must name a state, not 3"),
        ({"Variable": "$.a", "StringEquals": "x", "Next": "S"}, False, "'Next' is only allowed on a rule directly in"),
        ({"Variable": "$.a", "Next": "S"}, True, "needs exactly one of And, Or, Not or a comparison operator"),
        (
            {"Variable": "$.a", "StringEquals": "x", "NumericEquals": 1, "Next": "S"},
            True,
            "not 2 (StringEquals, NumericEquals)",
        ),
        ({"And": [], "Not": {}, "Next": "S"}, True, "not 2 (And, Not)"),
        ({"StringEquals": "x", "Next": "S"}, True, "the comparison StringEquals needs the field 'Variable'"),
        (
            {"Variable": "$.a", "StringEqual": "x", "Next": "S"},
            True,
            "'StringEqual' is not a comparison operator or a field of a choice rule (did you mean 'StringEquals'?)",
        ),
        ({"Variable": "$.a", "IsNull": True, "Extra": 1, "Next": "S"}, True, "'Extra' is not a comparison operator"),
        ({"And": [{"Variable": "$.a", "IsNull": True}], "Variable": "$.a", "Next": "S"}, True, "'Variable' is not"),
        ({"Variable": "$.a[*]", "IsNull": True, "Next": "S"}, True, "'Variable' is not a valid reference path"),
        ({"Variable": "a", "IsNull": True, "Next": "S"}, True, "must start with '$'"),
        ({"Variable": 5, "IsNull": True, "Next": "S"}, True, "'Variable' must be a path string, not 5"),
        ({"Variable": "$.a", "StringEqualsPath": "$..b", "Next": "S"}, True, "'StringEqualsPath' is not a valid"),
        ({"Variable": "$.a", "StringEquals": 5, "Next": "S"}, True, "the value of 'StringEquals' must be a string"),
        ({"Variable": "$.a", "NumericEquals": "5", "Next": "S"}, True, "'NumericEquals' must be a number, not \"5\""),
        ({"Variable": "$.a", "NumericEquals": True, "Next": "S"}, True, "'NumericEquals' must be a number, not true"),
        ({"Variable": "$.a", "BooleanEquals": "true", "Next": "S"}, True, "'BooleanEquals' must be true or false"),
        ({"Variable": "$.a", "TimestampEquals": "today", "Next": "S"}, True, "must be a timestamp such as"),
        ({"Variable": "$.a", "IsNull": "yes", "Next": "S"}, True, "the value of 'IsNull' must be true or false"),
        ({"Variable": "$.a", "StringMatches": 1, "Next": "S"}, True, "'StringMatches' must be a string"),
        ({"And": [], "Next": "S"}, True, "the field 'And' must be a non-empty array of choice rules"),
        ({"Or": {"Variable": "$.a", "IsNull": True}, "Next": "S"}, True, "the field 'Or' must be a non-empty array"),
        ("StringEquals", True, "a choice rule must be an object"),
    ],
)
def test_invalid_rules_are_refused_naming_where_and_what(rule: Any, top_level: bool, message: str) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        validate_choice_rule(rule, WHERE, top_level=top_level)

    assert str(caught.value).startswith(WHERE)
    assert message in str(caught.value)


def test_errors_in_nested_rules_name_their_position() -> None:
    rule = {
        "And": [{"Variable": "$.a", "IsNull": True}, {"Not": {"Variable": "$.b", "NumericEquals": "x"}}],
        "Next": "S",
    }

    with pytest.raises(InvalidDefinition) as caught:
        validate_choice_rule(rule, WHERE, top_level=True)

    assert str(caught.value).startswith("State 'Route' field 'Choices[0].And[1].Not': the value of 'NumericEquals'")


def test_a_nested_rule_with_next_is_refused() -> None:
    rule = {"Or": [{"Variable": "$.a", "IsNull": True, "Next": "S"}], "Next": "S"}

    with pytest.raises(InvalidDefinition, match=r"Choices\[0\]\.Or\[0\]': the field 'Next' is only allowed"):
        validate_choice_rule(rule, WHERE, top_level=True)
