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
        ("{", "not valid JSON"),
        ("42", "must be a JSON object, got int"),
        ({}, "is empty"),
        ({"source": "a"}, "'source' must be an array of values or an object"),
        ({"detail": {}}, "'detail' is an empty object"),
        ({"source": []}, "empty array"),
        ({"source": [["nested"]]}, "each entry must be a value or one comparison operator"),
        ({"source": [{"prefix": "a", "suffix": "b"}]}, "each entry must be a value or one comparison operator"),
        ({"source": [{"starts-with": "a"}]}, "unknown comparison operator 'starts-with'"),
        ({"detail": {"n": [{"numeric": ["=>", 1]}]}}, "numeric needs"),
        ({"detail": {"n": [{"numeric": [">", 1, "<"]}]}}, "numeric needs"),
        ({"detail": {"n": [{"numeric": [">", True]}]}}, "numeric needs"),
        ({"detail": {"n": [{"exists": "yes"}]}}, "exists needs true or false"),
        ({"detail": {"n": [{"cidr": "300.1.1.1/8"}]}}, "cidr needs an IP network"),
        ({"detail": {"n": [{"anything-but": []}]}}, "anything-but needs a non-empty list"),
        ({"detail": {"n": [{"anything-but": {"numeric": [">", 1]}}]}}, "anything-but needs a value"),
        ({"detail": {"n": [{"equals-ignore-case": 5}]}}, "equals-ignore-case needs a string"),
        ({"$or": [{"source": ["a"]}]}, "'$or' at top level must list at least two patterns"),
        ({"source": ["x" * 5000]}, "at most 4096"),
    ],
)
def test_malformed_patterns_are_refused_naming_the_rule_and_the_problem(pattern, problem):
    with pytest.raises(InvalidEventPattern) as raised:
        event_pattern_text(pattern, "rule PayOnOrder")
    assert str(raised.value).startswith("rule PayOnOrder: ")
    assert problem in str(raised.value)
