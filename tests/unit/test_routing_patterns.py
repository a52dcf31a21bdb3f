"""Event pattern checks made before a rule reaches the backend."""

from __future__ import annotations

import json

import pytest

from harness.routing.event_pattern import InvalidEventPattern, event_pattern_text


@pytest.mark.parametrize(
    "pattern",
    [
        {"source": ["ecommerce.orders"], "detail-type": ["OrderPlaced"]},
        {"detail": {"amount": [{"numeric": [">", 0, "<=", 100]}], "state": [{"anything-but": ["cancelled"]}]}},
        {"source": [{"prefix": "ecommerce."}], "detail": {"note": [{"suffix": {"equals-ignore-case": ".PDF"}}]}},
        {"detail": {"ip": [{"cidr": "10.0.0.0/24"}], "flag": [{"exists": False}], "c": [None, 1, True, "x"]}},
        {"detail": {"name": [{"wildcard": "order-*"}, {"equals-ignore-case": "ORDER"}]}},
        {"detail": {"s": [{"anything-but": {"prefix": "test-"}}]}},
        {"$or": [{"source": ["a"]}, {"detail-type": ["b"]}]},
    ],
)
def test_valid_patterns_come_back_as_compact_json(pattern):
    assert json.loads(event_pattern_text(pattern, "rule R")) == pattern
    assert " " not in event_pattern_text({"source": ["a"]}, "rule R")


def test_text_patterns_are_parsed():
    assert event_pattern_text('{"source": ["a"]}', "rule R") == '{"source":["a"]}'


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{", "Filter is not valid JSON"),
        ("42", "Filter is not an object"),
        ({}, "Empty event patterns are not allowed"),
        ({"source": "a"}, '"source" must be an object or an array'),
        ({"detail": {}}, "Empty objects are not allowed"),
        ({"source": []}, "Empty arrays are not allowed"),
        ({"source": [["nested"]]}, "Match value must be String, number, true, false, or null"),
        ({"source": [{"prefix": "a", "suffix": "b"}]}, "Only one key allowed in match expression"),
        ({"source": [{"starts-with": "a"}]}, "Unrecognized match type starts-with"),
        ({"detail": {"n": [{"numeric": ["=>", 1]}]}}, "Unrecognized numeric range operator: =>"),
        ({"detail": {"n": [{"numeric": [">", 1, "<"]}]}}, "Value of < must be numeric"),
        ({"detail": {"n": [{"numeric": [">", True]}]}}, "Value of > must be numeric"),
        ({"detail": {"n": [{"exists": "yes"}]}}, "exists match pattern must be either true or false"),
        ({"detail": {"n": [{"cidr": "300.1.1.1/8"}]}}, "Nonstandard IP address"),
        ({"detail": {"n": [{"anything-but": []}]}}, "mixed type is not supported"),
        ({"detail": {"n": [{"anything-but": {"numeric": [">", 1]}}]}}, "Unsupported anything-but pattern: numeric"),
        ({"detail": {"n": [{"equals-ignore-case": 5}]}}, "equals-ignore-case match pattern must be a string"),
        ({"$or": [{"source": ["a"]}]}, "Or relationship must have at least two sub-patterns"),
        ({"source": ["x" * 5000]}, "less than or equal to 4096"),
    ],
)
def test_malformed_patterns_are_refused_naming_the_rule_and_the_problem(pattern, problem):
    with pytest.raises(InvalidEventPattern) as raised:
        event_pattern_text(pattern, "rule PayOnOrder")
    assert str(raised.value).startswith("rule PayOnOrder: ")
    assert problem in str(raised.value)


# -- the engine's own parts -------------------------------------------------------------------------------
from harness.routing.event_pattern import InvalidTestEvent, matches, test_event_pattern, validate_pattern  # noqa: E402
from harness.routing.pattern_filter import RuleFilter, rule_filter  # noqa: E402
from harness.routing.pattern_matching import flatten_event, pattern_alternatives  # noqa: E402


def test_events_flatten_to_dotted_paths_with_their_array_elements():
    leaves = flatten_event({"a": {"b": [{"c": 1}, {"c": 2}]}, "d": None})
    assert [leaf.value for leaf in leaves["a.b.c"]] == [1, 2]
    assert leaves["a.b.c"][0].trail != leaves["a.b.c"][1].trail
    assert leaves["d"][0].value is None


def test_or_expands_into_alternatives_at_any_depth():
    pattern = {"source": ["s"], "detail": {"$or": [{"a": [1]}, {"b": [2]}]}}
    assert pattern_alternatives(pattern) == [
        {"source": ["s"], "detail.a": [1]},
        {"source": ["s"], "detail.b": [2]},
    ]


def test_a_field_named_both_dotted_and_nested_is_refused():
    with pytest.raises(InvalidEventPattern, match=r"Path `detail\.a\.b` cannot be allowed multiple times"):
        validate_pattern({"detail": {"a.b": ["xy"], "a": {"b": [{"prefix": "x"}]}}})


def test_a_field_in_the_pattern_and_in_an_or_alternative_must_meet_both():
    pattern = {"detail": {"a": [{"prefix": "x"}], "$or": [{"a": ["xy"]}, {"b": [1]}]}}
    assert matches(pattern, {"detail": {"a": "xy"}})
    assert matches(pattern, {"detail": {"a": "xz", "b": 1}})
    assert not matches(pattern, {"detail": {"a": "zz", "b": 1}})


def test_test_event_pattern_refuses_an_event_that_is_not_json():
    with pytest.raises(InvalidTestEvent, match="Parameter Event is not valid"):
        test_event_pattern({"EventPattern": '{"source": ["a"]}', "Event": "{"})


def test_rule_filters_are_built_once_per_pattern_text_and_none_for_schedules():
    assert rule_filter(None) is None
    text = '{"source": ["shop"]}'
    assert rule_filter(text) is rule_filter(text)
    assert rule_filter(text).admits({"source": "shop"})
    assert RuleFilter.of({"source": ["shop"]}) == RuleFilter({"source": ["shop"]})
    with pytest.raises(InvalidEventPattern):
        rule_filter('{"source": [{"anything-but": null}]}')
