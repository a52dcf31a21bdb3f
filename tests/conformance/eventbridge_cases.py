"""EventBridge event patterns: matching, validation and TestEventPattern, from the EventBridge user guide."""

from __future__ import annotations

from typing import Any

from tests.conformance.corpus import DocumentedCase

GUIDE = "https://docs.aws.amazon.com/eventbridge/latest/userguide/"
PATTERNS = GUIDE + "eb-event-patterns.html"
OPERATORS = GUIDE + "eb-create-pattern-operators.html"  # "Content filtering" / comparison operators
ARRAYS = GUIDE + "eb-event-patterns-arrays.html"
NULLS = GUIDE + "eb-event-patterns-null-values.html"
PUT_RULE = "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html"
TEST_EVENT_PATTERN = "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html"

EC2_EVENT: dict[str, Any] = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "111122223333",
    "time": "2017-12-22T18:43:48Z",
    "region": "us-west-1",
    "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    "detail": {"instance-id": "i-1234567890abcdef0", "state": "terminated"},
}


def event(**detail: Any) -> dict[str, Any]:
    """The guide's EC2 example event with the given `detail` (keys with '_' spelled with '-')."""
    return {**EC2_EVENT, "detail": {key.replace("_", "-"): value for key, value in detail.items()}}


def _match(
    name: str, source: str, pattern: dict[str, Any], given_event: dict[str, Any], expected: bool
) -> DocumentedCase:
    return DocumentedCase("eventbridge.matching", name, source, {"pattern": pattern, "event": given_event}, expected)


def _refused(name: str, source: str, pattern: dict[str, Any], reason: str) -> DocumentedCase:
    return DocumentedCase("eventbridge.validation", name, source, {"pattern": pattern}, reason)


def _accepted(name: str, source: str, pattern: dict[str, Any]) -> DocumentedCase:
    return DocumentedCase("eventbridge.validation", name, source, {"pattern": pattern}, None)


ORDER_ITEMS = {"orderId": "o-1", "items": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}]}

MATCHING: list[DocumentedCase] = [
    # -- the event patterns page ------------------------------------------------------------------
    _match("ec2-termination", PATTERNS, {"source": ["aws.ec2"], "detail": {"state": ["terminated"]}}, EC2_EVENT, True),
    _match("field-values-are-or", PATTERNS, {"detail": {"state": ["stopped", "terminated"]}}, EC2_EVENT, True),
    _match("fields-are-and", PATTERNS, {"source": ["aws.ec2"], "detail": {"state": ["running"]}}, EC2_EVENT, False),
    _match("missing-field-does-not-match", PATTERNS, {"detail": {"reason": ["x"]}}, EC2_EVENT, False),
    _match("exact-is-case-sensitive", PATTERNS, {"detail": {"state": ["Terminated"]}}, EC2_EVENT, False),
    _match("extra-event-fields-ignored", PATTERNS, {"source": ["aws.ec2"]}, EC2_EVENT, True),
    _match("number-exact", PATTERNS, {"detail": {"count": [300]}}, event(count=300), True),
    _match("number-not-string", PATTERNS, {"detail": {"count": [300]}}, event(count="300"), False),
    _match("numbers-by-representation", PATTERNS, {"detail": {"count": [300]}}, event(count=300.0), False),
    _match("true-keyword", PATTERNS, {"detail": {"ok": [True]}}, event(ok=True), True),
    _match("true-not-string", PATTERNS, {"detail": {"ok": [True]}}, event(ok="true"), False),
    _match("nested-object-is-a-path", PATTERNS, {"detail": {"a": {"b": ["x"]}}}, event(a={"b": "x"}), True),
    _match("dotted-key-is-a-path", PATTERNS, {"detail": {"a.b": ["x"]}}, event(a={"b": "x"}), True),
    _match("pattern-leaf-on-object-misses", PATTERNS, {"detail": {"a": ["x"]}}, event(a={"b": "x"}), False),
    # -- null values and empty strings ------------------------------------------------------------
    _match(
        "empty-string", NULLS, {"detail": {"eventVersion": [""]}}, event(eventVersion="", responseElements=None), True
    ),
    _match(
        "null-value",
        NULLS,
        {"detail": {"responseElements": [None]}},
        event(eventVersion="", responseElements=None),
        True,
    ),
    _match(
        "empty-string-is-not-null", NULLS, {"detail": {"responseElements": [""]}}, event(responseElements=None), False
    ),
    _match("null-is-not-empty-string", NULLS, {"detail": {"eventVersion": [None]}}, event(eventVersion=""), False),
    _match("null-is-not-missing", NULLS, {"detail": {"responseElements": [None]}}, event(), False),
    # -- arrays ------------------------------------------------------------------------------------
    _match(
        "array-intersection",
        ARRAYS,
        {
            "resources": [
                "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
            ]
        },
        {
            **EC2_EVENT,
            "resources": [
                "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
            ],
        },
        True,
    ),
    _match("array-no-intersection", ARRAYS, {"resources": ["a", "b"]}, {**EC2_EVENT, "resources": ["c", "d"]}, False),
    _match("empty-event-array", ARRAYS, {"resources": ["a"]}, {**EC2_EVENT, "resources": []}, False),
    _match("array-of-objects-field", ARRAYS, {"detail": {"items": {"sku": ["A"]}}}, event(**ORDER_ITEMS), True),
    _match(
        "array-of-objects-second-element", ARRAYS, {"detail": {"items": {"sku": ["B"]}}}, event(**ORDER_ITEMS), True
    ),
    _match("array-of-objects-no-element", ARRAYS, {"detail": {"items": {"sku": ["C"]}}}, event(**ORDER_ITEMS), False),
    _match("array-of-objects-dotted-key", ARRAYS, {"detail": {"items.sku": ["A"]}}, event(**ORDER_ITEMS), True),
    _match("array-of-objects-dotted-from-top", ARRAYS, {"detail.items.sku": ["B"]}, event(**ORDER_ITEMS), True),
    _match(
        "array-of-objects-same-element",
        ARRAYS,
        {"detail": {"items": {"sku": ["A"], "qty": [1]}}},
        event(**ORDER_ITEMS),
        True,
    ),
    _match(
        "array-of-objects-fields-of-different-elements",
        ARRAYS,
        {"detail": {"items": {"sku": ["A"], "qty": [2]}}},
        event(**ORDER_ITEMS),
        False,
    ),
    _match(
        "array-of-objects-numeric",
        ARRAYS,
        {"detail": {"items": {"qty": [{"numeric": [">", 1]}]}}},
        event(**ORDER_ITEMS),
        True,
    ),
    _match("nested-arrays", ARRAYS, {"detail": {"m": [3]}}, event(m=[[1, 2], [3]]), True),
    # -- prefix / suffix ---------------------------------------------------------------------------
    _match("prefix", OPERATORS, {"time": [{"prefix": "2017-12-22"}]}, EC2_EVENT, True),
    _match("prefix-miss", OPERATORS, {"time": [{"prefix": "2017-10-02"}]}, EC2_EVENT, False),
    _match("prefix-only-strings", OPERATORS, {"detail": {"n": [{"prefix": "1"}]}}, event(n=123), False),
    _match(
        "prefix-ignore-case",
        OPERATORS,
        {"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}},
        event(service="eventbridge"),
        True,
    ),
    _match(
        "prefix-ignore-case-upper",
        OPERATORS,
        {"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}},
        event(service="EVENTBRIDGE"),
        True,
    ),
    _match("suffix", OPERATORS, {"detail": {"FileName": [{"suffix": ".png"}]}}, event(FileName="image.png"), True),
    _match(
        "suffix-is-case-sensitive",
        OPERATORS,
        {"detail": {"FileName": [{"suffix": ".png"}]}},
        event(FileName="image.PNG"),
        False,
    ),
    _match(
        "suffix-ignore-case",
        OPERATORS,
        {"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}},
        event(FileName="image.PNG"),
        True,
    ),
    # -- anything-but ------------------------------------------------------------------------------
    _match(
        "anything-but-string",
        OPERATORS,
        {"detail": {"state": [{"anything-but": "initializing"}]}},
        event(state="running"),
        True,
    ),
    _match(
        "anything-but-string-excluded",
        OPERATORS,
        {"detail": {"state": [{"anything-but": "initializing"}]}},
        event(state="initializing"),
        False,
    ),
    _match(
        "anything-but-number", OPERATORS, {"detail": {"x-limit": [{"anything-but": 123}]}}, event(x_limit=456), True
    ),
    _match(
        "anything-but-number-excluded",
        OPERATORS,
        {"detail": {"x-limit": [{"anything-but": 123}]}},
        event(x_limit=123),
        False,
    ),
    _match(
        "anything-but-list",
        OPERATORS,
        {"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}},
        event(state="overloaded"),
        False,
    ),
    _match(
        "anything-but-list-other",
        OPERATORS,
        {"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}},
        event(state="running"),
        True,
    ),
    _match(
        "anything-but-number-list",
        OPERATORS,
        {"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}},
        event(x_limit=200),
        False,
    ),
    _match(
        "anything-but-missing-field",
        OPERATORS,
        {"detail": {"state": [{"anything-but": "initializing"}]}},
        event(),
        False,
    ),
    _match(
        "anything-but-prefix",
        OPERATORS,
        {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}},
        event(state="initializing"),
        False,
    ),
    _match(
        "anything-but-prefix-other",
        OPERATORS,
        {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}},
        event(state="running"),
        True,
    ),
    _match(
        "anything-but-prefix-list",
        OPERATORS,
        {"detail": {"state": [{"anything-but": {"prefix": ["init", "stop"]}}]}},
        event(state="stopping"),
        False,
    ),
    _match(
        "anything-but-suffix",
        OPERATORS,
        {"detail": {"FileName": [{"anything-but": {"suffix": ".txt"}}]}},
        event(FileName="notes.txt"),
        False,
    ),
    _match(
        "anything-but-suffix-other",
        OPERATORS,
        {"detail": {"FileName": [{"anything-but": {"suffix": ".txt"}}]}},
        event(FileName="photo.png"),
        True,
    ),
    _match(
        "anything-but-ignore-case",
        OPERATORS,
        {"detail": {"state": [{"anything-but": {"equals-ignore-case": ["initializing", "stopped"]}}]}},
        event(state="STOPPED"),
        False,
    ),
    _match(
        "anything-but-ignore-case-other",
        OPERATORS,
        {"detail": {"state": [{"anything-but": {"equals-ignore-case": ["initializing", "stopped"]}}]}},
        event(state="running"),
        True,
    ),
    _match(
        "anything-but-wildcard",
        OPERATORS,
        {"detail": {"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}},
        event(FilePath="/usr/lib/x.so"),
        False,
    ),
    _match(
        "anything-but-wildcard-other",
        OPERATORS,
        {"detail": {"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}},
        event(FilePath="/usr/bin/x"),
        True,
    ),
    _match(
        "anything-but-array-value",
        OPERATORS,
        {"detail": {"state": [{"anything-but": "stopped"}]}},
        event(state=["stopped", "running"]),
        True,
    ),
    # -- numeric -----------------------------------------------------------------------------------
    _match(
        "numeric-guide-example",
        OPERATORS,
        {
            "detail": {
                "c-count": [{"numeric": [">", 0, "<=", 5]}],
                "d-count": [{"numeric": ["<", 10]}],
                "x-limit": [{"numeric": ["=", 3.018e2]}],
            }
        },
        event(c_count=5, d_count=7, x_limit=301.8),
        True,
    ),
    _match(
        "numeric-upper-bound-inclusive",
        OPERATORS,
        {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}},
        event(c_count=5.0),
        True,
    ),
    _match(
        "numeric-lower-bound-exclusive",
        OPERATORS,
        {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}},
        event(c_count=0),
        False,
    ),
    _match(
        "numeric-above-range",
        OPERATORS,
        {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}},
        event(c_count=6),
        False,
    ),
    _match("numeric-equals-by-value", OPERATORS, {"detail": {"x": [{"numeric": ["=", 300]}]}}, event(x=300.0), True),
    _match("numeric-only-numbers", OPERATORS, {"detail": {"x": [{"numeric": [">", 0]}]}}, event(x="5"), False),
    _match("numeric-ge", OPERATORS, {"detail": {"x": [{"numeric": [">=", 10]}]}}, event(x=10), True),
    # -- cidr --------------------------------------------------------------------------------------
    _match(
        "cidr-ipv4",
        OPERATORS,
        {"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}},
        event(sourceIPAddress="10.0.0.255"),
        True,
    ),
    _match(
        "cidr-ipv4-outside",
        OPERATORS,
        {"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}},
        event(sourceIPAddress="10.0.1.1"),
        False,
    ),
    _match(
        "cidr-ipv6",
        OPERATORS,
        {"detail": {"sourceIPAddress": [{"cidr": "2001:db8::/64"}]}},
        event(sourceIPAddress="2001:db8::ff00:42:8329"),
        True,
    ),
    _match(
        "cidr-not-an-address",
        OPERATORS,
        {"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}},
        event(sourceIPAddress="example.com"),
        False,
    ),
    # -- exists ------------------------------------------------------------------------------------
    _match("exists-true", OPERATORS, {"detail": {"state": [{"exists": True}]}}, EC2_EVENT, True),
    _match("exists-false-absent", OPERATORS, {"detail": {"reason": [{"exists": False}]}}, EC2_EVENT, True),
    _match("exists-false-present", OPERATORS, {"detail": {"state": [{"exists": False}]}}, EC2_EVENT, False),
    _match("exists-true-absent", OPERATORS, {"detail": {"reason": [{"exists": True}]}}, EC2_EVENT, False),
    _match("exists-true-empty-array", OPERATORS, {"detail": {"tags": [{"exists": True}]}}, event(tags=[]), False),
    _match("exists-false-empty-array", OPERATORS, {"detail": {"tags": [{"exists": False}]}}, event(tags=[]), True),
    _match("exists-leaf-only", OPERATORS, {"detail": [{"exists": True}]}, EC2_EVENT, False),
    _match("exists-true-null", OPERATORS, {"detail": {"r": [{"exists": True}]}}, event(r=None), True),
    _match(
        "exists-in-array-of-objects",
        OPERATORS,
        {"detail": {"items": {"qty": [{"exists": True}]}}},
        event(**ORDER_ITEMS),
        True,
    ),
    # -- equals-ignore-case ------------------------------------------------------------------------
    _match(
        "equals-ignore-case",
        OPERATORS,
        {"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]},
        EC2_EVENT,
        True,
    ),
    _match(
        "equals-ignore-case-miss",
        OPERATORS,
        {"detail-type": [{"equals-ignore-case": "ec2 instance"}]},
        EC2_EVENT,
        False,
    ),
    # -- wildcard ----------------------------------------------------------------------------------
    _match(
        "wildcard-guide-example",
        OPERATORS,
        {"detail": {"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}},
        event(EventBusArn="arn:aws:events:us-east-1:123456789012:event-bus/orders"),
        True,
    ),
    _match(
        "wildcard-miss",
        OPERATORS,
        {"detail": {"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}},
        event(EventBusArn="arn:aws:events:us-west-2:123456789012:event-bus/orders"),
        False,
    ),
    _match("wildcard-empty-run", OPERATORS, {"detail": {"f": [{"wildcard": "*.png"}]}}, event(f=".png"), True),
    _match("wildcard-middle", OPERATORS, {"detail": {"f": [{"wildcard": "*Title*"}]}}, event(f="The Title Page"), True),
    _match("wildcard-escaped-star", OPERATORS, {"detail": {"f": [{"wildcard": "a\\*b"}]}}, event(f="a*b"), True),
    _match(
        "wildcard-escaped-star-literal", OPERATORS, {"detail": {"f": [{"wildcard": "a\\*b"}]}}, event(f="axxb"), False
    ),
    _match(
        "wildcard-is-case-sensitive", OPERATORS, {"detail": {"f": [{"wildcard": "*.png"}]}}, event(f="a.PNG"), False
    ),
    # -- $or ---------------------------------------------------------------------------------------
    _match(
        "or-guide-example",
        OPERATORS,
        {
            "detail": {
                "$or": [
                    {"c-count": [{"numeric": [">", 0, "<=", 5]}]},
                    {"d-count": [{"numeric": ["<", 10]}]},
                    {"x-limit": [{"numeric": ["=", 3.018e2]}]},
                ]
            }
        },
        event(c_count=50, d_count=7),
        True,
    ),
    _match(
        "or-none",
        OPERATORS,
        {"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]}, {"d-count": [{"numeric": ["<", 10]}]}]}},
        event(c_count=50, d_count=70),
        False,
    ),
    _match(
        "or-top-level-with-and",
        OPERATORS,
        {"source": ["aws.ec2"], "$or": [{"detail-type": ["x"]}, {"detail": {"state": ["terminated"]}}]},
        EC2_EVENT,
        True,
    ),
    _match(
        "or-top-level-and-fails",
        OPERATORS,
        {"source": ["aws.s3"], "$or": [{"detail-type": ["x"]}, {"detail": {"state": ["terminated"]}}]},
        EC2_EVENT,
        False,
    ),
    _match(
        "mixed-operators-one-field",
        OPERATORS,
        {"detail": {"state": ["pending", {"prefix": "term"}]}},
        EC2_EVENT,
        True,
    ),
]

_ABN = "Value of anything-but must be an array or single string/number value."

VALIDATION: list[DocumentedCase] = [
    _refused("anything-but-null", OPERATORS, {"detail": {"s": [{"anything-but": None}]}}, _ABN),
    _refused("anything-but-true", OPERATORS, {"detail": {"s": [{"anything-but": True}]}}, _ABN),
    _refused(
        "anything-but-null-in-list",
        OPERATORS,
        {"detail": {"s": [{"anything-but": ["a", None]}]}},
        "start|null|boolean is not supported",
    ),
    _refused(
        "anything-but-mixed-list",
        OPERATORS,
        {"detail": {"s": [{"anything-but": ["a", 1]}]}},
        "mixed type is not supported",
    ),
    _refused(
        "anything-but-empty-prefix",
        OPERATORS,
        {"detail": {"s": [{"anything-but": {"prefix": ""}}]}},
        "Null prefix/suffix not allowed",
    ),
    _refused(
        "anything-but-empty-suffix",
        OPERATORS,
        {"detail": {"s": [{"anything-but": {"suffix": ""}}]}},
        "Null prefix/suffix not allowed",
    ),
    _refused(
        "anything-but-empty-prefix-in-list",
        OPERATORS,
        {"detail": {"s": [{"anything-but": {"prefix": ["a", ""]}}]}},
        "Null prefix/suffix not allowed",
    ),
    _refused(
        "anything-but-numeric",
        OPERATORS,
        {"detail": {"s": [{"anything-but": {"numeric": [">", 1]}}]}},
        "Unsupported anything-but pattern: numeric",
    ),
    _refused(
        "numeric-two-lower-bounds",
        OPERATORS,
        {"detail": {"n": [{"numeric": [">", 0, ">", 5]}]}},
        "Bad numeric range operator: >",
    ),
    _refused(
        "numeric-two-lower-bounds-ge",
        OPERATORS,
        {"detail": {"n": [{"numeric": [">=", 0, ">=", 5]}]}},
        "Bad numeric range operator: >=",
    ),
    _refused(
        "numeric-two-upper-bounds",
        OPERATORS,
        {"detail": {"n": [{"numeric": ["<", 10, "<", 5]}]}},
        "Too many elements in numeric expression",
    ),
    _refused(
        "numeric-upper-then-lower",
        OPERATORS,
        {"detail": {"n": [{"numeric": ["<=", 10, ">", 5]}]}},
        "Too many elements in numeric expression",
    ),
    _refused(
        "numeric-unknown-operator",
        OPERATORS,
        {"detail": {"n": [{"numeric": ["=>", 1]}]}},
        "Unrecognized numeric range operator: =>",
    ),
    _refused(
        "numeric-not-a-number", OPERATORS, {"detail": {"n": [{"numeric": [">", "1"]}]}}, "Value of > must be numeric"
    ),
    _refused(
        "numeric-not-an-array", OPERATORS, {"detail": {"n": [{"numeric": 5}]}}, "Value of numeric must be an array."
    ),
    _refused(
        "numeric-out-of-range", OPERATORS, {"detail": {"n": [{"numeric": [">", 6e9]}]}}, "between -5.0E9 and 5.0E9"
    ),
    _refused(
        "numeric-empty-range",
        OPERATORS,
        {"detail": {"n": [{"numeric": [">", 5, "<", 5]}]}},
        "Bottom must be less than top",
    ),
    _refused(
        "wildcard-consecutive",
        OPERATORS,
        {"detail": {"f": [{"wildcard": "abc**def"}]}},
        "Consecutive wildcard characters at pos 4",
    ),
    _refused(
        "wildcard-bad-escape",
        OPERATORS,
        {"detail": {"f": [{"wildcard": "a\\bc"}]}},
        "Invalid escape character at pos 2",
    ),
    _refused("wildcard-too-complex", OPERATORS, {"detail": {"f": [{"wildcard": "*a" * 60}]}}, "Rule is too complex"),
    _refused(
        "anything-but-wildcard-consecutive",
        OPERATORS,
        {"detail": {"f": [{"anything-but": {"wildcard": "a**"}}]}},
        "Consecutive wildcard characters",
    ),
    _refused(
        "exists-not-boolean",
        OPERATORS,
        {"detail": {"f": [{"exists": "yes"}]}},
        "exists match pattern must be either true or false.",
    ),
    _refused(
        "prefix-not-string", OPERATORS, {"detail": {"f": [{"prefix": 5}]}}, "prefix match pattern must be a string"
    ),
    _refused(
        "suffix-not-string", OPERATORS, {"detail": {"f": [{"suffix": None}]}}, "suffix match pattern must be a string"
    ),
    _refused(
        "prefix-unsupported-inner",
        OPERATORS,
        {"detail": {"f": [{"prefix": {"wildcard": "a"}}]}},
        "Unsupported prefix pattern: wildcard",
    ),
    _refused(
        "equals-ignore-case-not-string",
        OPERATORS,
        {"detail": {"f": [{"equals-ignore-case": 5}]}},
        "equals-ignore-case match pattern must be a string",
    ),
    _refused("cidr-malformed", OPERATORS, {"detail": {"ip": [{"cidr": "300.1.1.1/8"}]}}, "Nonstandard IP address"),
    _refused(
        "unknown-operator", OPERATORS, {"detail": {"f": [{"starts-with": "a"}]}}, "Unrecognized match type starts-with"
    ),
    _refused(
        "two-operators-one-object",
        OPERATORS,
        {"detail": {"f": [{"prefix": "a", "suffix": "b"}]}},
        "Only one key allowed in match expression",
    ),
    _refused("leaf-not-array", PATTERNS, {"source": "aws.ec2"}, '"source" must be an object or an array'),
    _refused("empty-array", PATTERNS, {"source": []}, "Empty arrays are not allowed"),
    _refused(
        "nested-array-value", PATTERNS, {"source": [["a"]]}, "Match value must be String, number, true, false, or null"
    ),
    _refused("or-single", OPERATORS, {"$or": [{"source": ["a"]}]}, "Or relationship must have at least two"),
    _refused("pattern-too-long", PUT_RULE, {"source": ["x" * 5000]}, "length less than or equal to 4096"),
    _accepted("prefix-empty-accepted", OPERATORS, {"source": [{"prefix": ""}]}),
    _accepted("numeric-range-accepted", OPERATORS, {"detail": {"n": [{"numeric": [">=", 0, "<", 5]}]}}),
    _accepted(
        "anything-but-list-of-prefixes-accepted",
        OPERATORS,
        {"detail": {"s": [{"anything-but": {"prefix": ["a", "b"]}}]}},
    ),
    _accepted("wildcard-several-stars-accepted", OPERATORS, {"detail": {"f": [{"wildcard": "*/lib/*.so*"}]}}),
    _accepted("null-value-accepted", NULLS, {"detail": {"r": [None, ""]}}),
]

TEST_EVENT: list[DocumentedCase] = [
    DocumentedCase(
        "eventbridge.test-event-pattern",
        "matching-event",
        TEST_EVENT_PATTERN,
        {"EventPattern": '{"source": ["aws.ec2"]}', "Event": EC2_EVENT},
        {"Result": True},
    ),
    DocumentedCase(
        "eventbridge.test-event-pattern",
        "other-event",
        TEST_EVENT_PATTERN,
        {"EventPattern": '{"source": ["aws.s3"]}', "Event": EC2_EVENT},
        {"Result": False},
    ),
    DocumentedCase(
        "eventbridge.test-event-pattern",
        "array-of-objects",
        TEST_EVENT_PATTERN,
        {"EventPattern": '{"detail": {"items": {"sku": ["B"]}}}', "Event": event(**ORDER_ITEMS)},
        {"Result": True},
    ),
    DocumentedCase(
        "eventbridge.test-event-pattern",
        "missing-mandatory-field",
        TEST_EVENT_PATTERN,
        {"EventPattern": '{"source": ["aws.ec2"]}', "Event": {k: v for k, v in EC2_EVENT.items() if k != "account"}},
        "ValidationException",
    ),
    DocumentedCase(
        "eventbridge.test-event-pattern",
        "invalid-pattern",
        TEST_EVENT_PATTERN,
        {"EventPattern": '{"source": [{"anything-but": null}]}', "Event": EC2_EVENT},
        "InvalidEventPatternException",
    ),
]
