"""SNS filter policies decided by the harness's engine, from the SNS guide's message filtering pages.

https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html
"""

from __future__ import annotations

import json

import pytest

from harness.routing.filter_policy import attribute_values, filter_policy_matches

ATTRIBUTES = {
    "store": {"Type": "String", "Value": "example_corp"},
    "event": {"Type": "String", "Value": "order_placed"},
    "customer_interests": {"Type": "String.Array", "Value": '["soccer", "rugby", "hockey"]'},
    "price_usd": {"Type": "Number", "Value": "210.75"},
    "encrypted": {"Type": "Binary", "Value": "AQID"},
}


def test_attributes_become_strings_numbers_and_arrays():
    assert attribute_values(ATTRIBUTES) == {
        "store": "example_corp",
        "event": "order_placed",
        "customer_interests": ["soccer", "rugby", "hockey"],
        "price_usd": 210.75,
    }


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ({"store": ["example_corp"]}, True),
        ({"store": ["other_corp"]}, False),
        ({"customer_interests": ["rugby", "football", "baseball"]}, True),
        ({"price_usd": [{"numeric": [">=", 100]}]}, True),
        ({"price_usd": [{"numeric": ["<", 100]}]}, False),
        ({"event": [{"prefix": "order-"}]}, False),
        ({"event": [{"anything-but": "order_cancelled"}]}, True),
        ({"store": [{"exists": True}], "missing": [{"exists": False}]}, True),
        ({"encrypted": [{"exists": True}]}, False),
        ({"$or": [{"store": ["nope"]}, {"event": ["order_placed"]}]}, True),
        ({"store": ["example_corp"], "event": ["order_cancelled"]}, False),
    ],
)
def test_message_attribute_policies(policy, expected):
    assert filter_policy_matches(policy, "hello", ATTRIBUTES) is expected


def test_payload_policies_apply_to_the_json_body():
    body = json.dumps({"order": {"status": "shipped", "lines": [{"sku": "A"}]}})
    assert filter_policy_matches({"order": {"status": ["shipped"]}}, body, {}, "MessageBody")
    assert filter_policy_matches({"order": {"lines": {"sku": ["A"]}}}, body, {}, "MessageBody")
    assert not filter_policy_matches({"order": {"status": ["pending"]}}, body, {}, "MessageBody")
    assert not filter_policy_matches({"order": {"status": ["shipped"]}}, "not json", {}, "MessageBody")


def test_an_empty_policy_accepts_everything_and_a_bad_scope_is_refused():
    assert filter_policy_matches({}, "x", {})
    with pytest.raises(ValueError, match="MessageAttributes, MessageBody"):
        filter_policy_matches({"a": ["b"]}, "x", {}, "Body")
