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
