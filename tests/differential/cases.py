"""State machines without Lambda tasks, each with an input, run by both the harness and moto's ASL engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    """One definition and the inputs to run it with."""

    id: str
    definition: dict[str, Any]
    inputs: list[Any] = field(default_factory=lambda: [{}])


def machine(*states: tuple[str, dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A state machine of the given (name, state) pairs, starting at the first."""
    return {"StartAt": states[0][0], "States": dict(states), **extra}


def passing(**fields: Any) -> dict[str, Any]:
    """A Pass state that ends unless it has a Next."""
    return {"Type": "Pass", **fields} if "Next" in fields else {"Type": "Pass", **fields, "End": True}


def choice(*rules: dict[str, Any], default: str = "No") -> dict[str, Any]:
    """A machine whose Choice routes to Pass states "Yes" (first rule) or "No" (default)."""
    return machine(
        ("Route", {"Type": "Choice", "Choices": [{**rule, "Next": "Yes"} for rule in rules], "Default": default}),
        ("Yes", passing(Result={"route": "yes"})),
        ("No", passing(Result={"route": "no"})),
    )


def intrinsic(expression: str) -> dict[str, Any]:
    """A machine whose single Pass state returns {"value": <expression>}."""
    return machine(("Eval", passing(Parameters={"value.$": expression})))


def sub(*states: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """A branch or item processor of the given states."""
    return {"StartAt": states[0][0], "States": dict(states)}


ORDER = {"id": "o-1", "lines": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 1}], "customer": {"name": "Ann"}}

CASES: list[Case] = [
    # -- paths ----------------------------------------------------------------------------------------
    Case("input-output-path", machine(("P", passing(InputPath="$.customer", OutputPath="$.name"))), [ORDER]),
    Case("result-path-nested-new", machine(("P", passing(Result={"ok": True}, ResultPath="$.a.b.c"))), [ORDER]),
    Case("result-path-replace", machine(("P", passing(Result=[1, 2], ResultPath="$"))), [ORDER]),
    Case("result-path-null", machine(("P", passing(Result="gone", ResultPath=None))), [ORDER]),
    Case("input-path-null", machine(("P", passing(InputPath=None, ResultPath="$.seen"))), [ORDER]),
    Case("output-path-null", machine(("P", passing(OutputPath=None))), [ORDER]),
    Case(
        "parameters-nested",
        machine(
            (
                "P",
                passing(
                    Parameters={
                        "first.$": "$.lines[0].sku",
                        "last.$": "$.lines[-1:]",
                        "all.$": "$.lines[*].qty",
                        "static": {"list": [1, {"deep": None}], "flag": False},
                        "inner": {"name.$": "$.customer.name"},
                    }
                ),
            )
        ),
        [ORDER],
    ),
    Case(
        "parameters-filter",
        machine(("P", passing(Parameters={"big.$": "$.lines[?(@.qty > 1)].sku"}))),
        [ORDER],
    ),
    Case(
        "context-object",
        machine(
            (
                "P",
                passing(
                    Parameters={
                        "state.$": "$$.State.Name",
                        "machine.$": "$$.StateMachine.Name",
                        "execution.$": "$$.Execution.Name",
                        "input.$": "$$.Execution.Input.id",
                    }
                ),
            )
        ),
        [ORDER],
    ),
    Case(
        "pass-chain",
        machine(
            ("One", passing(Result=1, ResultPath="$.one", Next="Two")),
            ("Two", passing(Result=2, ResultPath="$.two", Next="Three")),
            ("Three", passing(InputPath="$.two", ResultPath="$.copy")),
        ),
        [{"start": True}],
    ),
    Case(
        "succeed-paths",
        machine(("Done", {"Type": "Succeed", "InputPath": "$.customer", "OutputPath": "$.name"})),
        [ORDER],
    ),
    Case("non-object-input", machine(("P", passing(ResultPath="$"))), [[1, 2, 3], 42, None]),
    Case("string-output", machine(("P", passing(Result="text"))), [{}]),
    # -- Choice ----------------------------------------------------------------------------------------
    Case(
        "choice-strings",
        choice({"Variable": "$.s", "StringEquals": "b"}),
        [{"s": "b"}, {"s": "B"}, {"s": 1}],
    ),
    Case(
        "choice-string-order",
        choice(
            {
                "And": [
                    {"Variable": "$.s", "StringGreaterThan": "apple"},
                    {"Variable": "$.s", "StringLessThanEquals": "melon"},
                ]
            }
        ),
        [{"s": "banana"}, {"s": "apple"}, {"s": "melon"}, {"s": "zebra"}],
    ),
    Case(
        "choice-string-matches",
        choice({"Variable": "$.file", "StringMatches": "log-*.txt"}),
        [{"file": "log-2025.txt"}, {"file": "log-.txt"}, {"file": "data.txt"}],
    ),
    Case(
        "choice-numbers",
        choice(
            {
                "Or": [
                    {"Variable": "$.n", "NumericEquals": 10},
                    {"Variable": "$.n", "NumericGreaterThan": 100},
                    {"Variable": "$.n", "NumericLessThanEquals": -1.5},
                ]
            }
        ),
        [{"n": 10}, {"n": 10.0}, {"n": 101}, {"n": 100}, {"n": -1.5}, {"n": -1}, {"n": "10"}],
    ),
    Case(
        "choice-path-comparators",
        choice(
            {
                "And": [
                    {"Variable": "$.a", "NumericLessThanPath": "$.b"},
                    {"Variable": "$.name", "StringEqualsPath": "$.expected"},
                ]
            }
        ),
        [{"a": 1, "b": 2, "name": "x", "expected": "x"}, {"a": 3, "b": 2, "name": "x", "expected": "x"}],
    ),
    Case(
        "choice-booleans",
        choice({"Variable": "$.flag", "BooleanEquals": True}),
        [{"flag": True}, {"flag": False}, {"flag": "true"}],
    ),
    Case(
        "choice-timestamps",
        choice(
            {
                "And": [
                    {"Variable": "$.at", "TimestampGreaterThanEquals": "2025-01-01T00:00:00Z"},
                    {"Variable": "$.at", "TimestampLessThan": "2026-01-01T00:00:00Z"},
                ]
            }
        ),
        [{"at": "2025-06-01T12:00:00Z"}, {"at": "2024-12-31T23:59:59Z"}, {"at": "2026-01-01T00:00:00Z"}],
    ),
    Case(
        "choice-type-tests",
        machine(
            (
                "Route",
                {
                    "Type": "Choice",
                    "Choices": [
                        {"Variable": "$.v", "IsNull": True, "Next": "Null"},
                        {"Variable": "$.v", "IsNumeric": True, "Next": "Number"},
                        {"Variable": "$.v", "IsString": True, "Next": "Text"},
                        {"Variable": "$.v", "IsBoolean": True, "Next": "Bool"},
                    ],
                    "Default": "Other",
                },
            ),
            ("Null", passing(Result={"type": "null"})),
            ("Number", passing(Result={"type": "number"})),
            ("Text", passing(Result={"type": "text"})),
            ("Bool", passing(Result={"type": "bool"})),
            ("Other", passing(Result={"type": "other"})),
        ),
        [{"v": None}, {"v": 1.5}, {"v": "s"}, {"v": False}, {"v": [1]}],
    ),
    Case(
        "choice-is-present-and-not",
        choice({"And": [{"Variable": "$.x", "IsPresent": True}, {"Not": {"Variable": "$.x", "StringEquals": "no"}}]}),
        [{"x": "yes"}, {"x": "no"}, {}],
    ),
    Case(
        "choice-is-timestamp",
        choice({"Variable": "$.at", "IsTimestamp": True}),
        [{"at": "2025-02-25T10:00:00Z"}, {"at": "yesterday"}],
    ),
    Case(
        "choice-output-path",
        machine(
            (
                "Route",
                {
                    "Type": "Choice",
                    "InputPath": "$.customer",
                    "OutputPath": "$.name",
                    "Choices": [{"Variable": "$.name", "StringEquals": "Ann", "Next": "Done"}],
                },
            ),
            ("Done", {"Type": "Succeed"}),
        ),
        [ORDER],
    ),
    # -- Fail, Retry and Catch on States.* and custom errors ------------------------------------------
    Case("fail", machine(("Stop", {"Type": "Fail", "Error": "Custom.Error", "Cause": "on purpose"}))),
    Case(
        "fail-paths",
        machine(("Stop", {"Type": "Fail", "ErrorPath": "$.code", "CausePath": "$.why"})),
        [{"code": "E1", "why": "bad"}],
    ),
    Case(
        "catch-in-parallel",
        machine(
            (
                "Try",
                {
                    "Type": "Parallel",
                    "Branches": [sub(("Boom", {"Type": "Fail", "Error": "Oops", "Cause": "broken"}))],
                    "Catch": [{"ErrorEquals": ["Oops"], "ResultPath": "$.caught", "Next": "After"}],
                    "Next": "After",
                },
            ),
            ("After", passing()),
        ),
        [{"keep": 1}],
    ),
    Case(
        "catch-all-default-result-path",
        machine(
            (
                "Try",
                {
                    "Type": "Parallel",
                    "Branches": [sub(("Boom", {"Type": "Fail", "Error": "Anything", "Cause": "c"}))],
                    "Catch": [
                        {"ErrorEquals": ["Other"], "Next": "Wrong"},
                        {"ErrorEquals": ["States.ALL"], "Next": "After"},
                    ],
                    "End": True,
                },
            ),
            ("Wrong", passing(Result={"wrong": True})),
            ("After", passing()),
        ),
    ),
    Case(
        "uncaught-error-fails",
        machine(
            (
                "Try",
                {
                    "Type": "Parallel",
                    "Branches": [sub(("Boom", {"Type": "Fail", "Error": "Unhandled", "Cause": "x"}))],
                    "Catch": [{"ErrorEquals": ["Other"], "Next": "After"}],
                    "End": True,
                },
            ),
            ("After", passing()),
        ),
    ),
    Case(
        "retry-then-catch",
        machine(
            (
                "Try",
                {
                    "Type": "Parallel",
                    "Branches": [sub(("Boom", {"Type": "Fail", "Error": "Flaky"}))],
                    "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "After"}],
                    "End": True,
                },
            ),
            ("After", passing()),
        ),
    ),
    Case(
        "catch-in-map",
        machine(
            (
                "Each",
                {
                    "Type": "Map",
                    "ItemProcessor": sub(("Boom", {"Type": "Fail", "Error": "ItemError", "Cause": "item"})),
                    "Catch": [{"ErrorEquals": ["ItemError"], "ResultPath": "$.failed", "Next": "After"}],
                    "ItemsPath": "$.items",
                    "End": True,
                },
            ),
            ("After", passing()),
        ),
        [{"items": [1, 2]}],
    ),
    Case(
        "catch-task-failed-wildcard",
        machine(
            (
                "Try",
                {
                    "Type": "Parallel",
                    "Branches": [sub(("Boom", {"Type": "Fail", "Error": "Custom"}))],
                    "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "After"}],
                    "End": True,
                },
            ),
            ("After", passing()),
        ),
    ),
    Case(
        "runtime-error-missing-path",
        machine(("P", passing(Parameters={"x.$": "$.missing"}))),
        [{"present": 1}],
    ),
    # -- Map ------------------------------------------------------------------------------------------
    Case(
        "map-items-path",
        machine(("Each", {"Type": "Map", "ItemsPath": "$.lines", "ItemProcessor": sub(("I", passing())), "End": True})),
        [ORDER],
    ),
    Case(
        "map-item-selector-context",
        machine(
            (
                "Each",
                {
                    "Type": "Map",
                    "ItemsPath": "$.lines",
                    "ItemSelector": {
                        "sku.$": "$$.Map.Item.Value.sku",
                        "index.$": "$$.Map.Item.Index",
                        "order.$": "$.id",
                    },
                    "ItemProcessor": sub(("I", passing())),
                    "End": True,
                },
            )
        ),
        [ORDER],
    ),
    Case(
        "map-legacy-iterator-parameters",
        machine(
            (
                "Each",
                {
                    "Type": "Map",
                    "Parameters": {"v.$": "$$.Map.Item.Value"},
                    "Iterator": sub(("I", passing(ResultPath="$.seen", Result=True))),
                    "End": True,
                },
            )
        ),
        [[10, 20, 30]],
    ),
    Case(
        "map-max-concurrency-result-path",
        machine(
            (
                "Each",
                {
                    "Type": "Map",
                    "MaxConcurrency": 1,
                    "ItemsPath": "$.xs",
                    "ItemProcessor": sub(("I", passing(Parameters={"double.$": "States.MathAdd($, $)"}))),
                    "ResultSelector": {"values.$": "$[*].double"},
                    "ResultPath": "$.result",
                    "End": True,
                },
            )
        ),
        [{"xs": [1, 2, 3]}],
    ),
    Case(
        "map-empty",
        machine(("Each", {"Type": "Map", "ItemProcessor": sub(("I", passing())), "End": True})),
        [[]],
    ),
    Case(
        "map-nested",
        machine(
            (
                "Outer",
                {
                    "Type": "Map",
                    "ItemProcessor": sub(
                        ("Inner", {"Type": "Map", "ItemProcessor": sub(("Leaf", passing())), "End": True})
                    ),
                    "End": True,
                },
            )
        ),
        [[[1, 2], [3], []]],
    ),
    Case(
        "map-with-choice",
        machine(
            (
                "Each",
                {
                    "Type": "Map",
                    "ItemProcessor": sub(
                        (
                            "Check",
                            {
                                "Type": "Choice",
                                "Choices": [{"Variable": "$", "NumericGreaterThan": 1, "Next": "Big"}],
                                "Default": "Small",
                            },
                        ),
                        ("Big", passing(Result={"size": "big"})),
                        ("Small", passing(Result={"size": "small"})),
                    ),
                    "End": True,
                },
            )
        ),
        [[0, 1, 2, 3]],
    ),
    # -- Parallel ---------------------------------------------------------------------------------------
    Case(
        "parallel-outputs",
        machine(
            (
                "Both",
                {
                    "Type": "Parallel",
                    "Branches": [
                        sub(("A", passing(InputPath="$.id"))),
                        sub(("B", passing(Result={"b": 1}))),
                        sub(("C", {"Type": "Succeed", "OutputPath": "$.customer"})),
                    ],
                    "End": True,
                },
            )
        ),
        [ORDER],
    ),
    Case(
        "parallel-parameters-selector-result-path",
        machine(
            (
                "Both",
                {
                    "Type": "Parallel",
                    "Parameters": {"n.$": "$.n"},
                    "Branches": [sub(("A", passing())), sub(("B", passing(Result=2)))],
                    "ResultSelector": {"first.$": "$[0].n", "second.$": "$[1]"},
                    "ResultPath": "$.out",
                    "End": True,
                },
            )
        ),
        [{"n": 7, "other": True}],
    ),
    Case(
        "parallel-nested",
        machine(
            (
                "Outer",
                {
                    "Type": "Parallel",
                    "Branches": [
                        sub(
                            (
                                "Inner",
                                {
                                    "Type": "Parallel",
                                    "Branches": [sub(("X", passing(Result=["x"]))), sub(("Y", passing(Result=["y"])))],
                                    "End": True,
                                },
                            )
                        ),
                        sub(("Z", passing(Result=["z"]))),
                    ],
                    "End": True,
                },
            )
        ),
    ),
    # -- Wait -------------------------------------------------------------------------------------------
    Case(
        "wait-seconds-and-past-timestamp",
        machine(
            ("Short", {"Type": "Wait", "Seconds": 1, "Next": "Past"}),
            ("Past", {"Type": "Wait", "TimestampPath": "$.at", "Next": "Done"}),
            ("Done", passing()),
        ),
        [{"at": "2020-01-01T00:00:00Z"}],
    ),
    # -- intrinsic functions ------------------------------------------------------------------------------
    Case("intrinsic-format", intrinsic("States.Format('Hello {}, order {}', $.customer.name, $.id)"), [ORDER]),
    Case("intrinsic-format-escapes", intrinsic("States.Format('\\{literal\\} and {}', $.id)"), [ORDER]),
    Case("intrinsic-json", intrinsic("States.StringToJson(States.JsonToString($.customer))"), [ORDER]),
    Case("intrinsic-array", intrinsic("States.Array($.id, 1, true, null)"), [ORDER]),
    Case("intrinsic-array-partition", intrinsic("States.ArrayPartition($.xs, 2)"), [{"xs": [1, 2, 3, 4, 5]}]),
    Case("intrinsic-array-contains", intrinsic("States.ArrayContains($.xs, 3)"), [{"xs": [1, 2, 3]}, {"xs": []}]),
    Case("intrinsic-array-range", intrinsic("States.ArrayRange(1, 9, 2)")),
    Case("intrinsic-array-get-item", intrinsic("States.ArrayGetItem($.xs, 1)"), [{"xs": ["a", "b", "c"]}]),
    Case("intrinsic-array-length", intrinsic("States.ArrayLength($.lines)"), [ORDER]),
    Case("intrinsic-array-unique", intrinsic("States.ArrayUnique($.xs)"), [{"xs": [1, 2, 2, 3, 1]}]),
    Case(
        "intrinsic-base64",
        intrinsic("States.Base64Decode(States.Base64Encode($.text))"),
        [{"text": "Data to encode ✓"}],
    ),
    Case("intrinsic-base64-encode", intrinsic("States.Base64Encode($.text)"), [{"text": "Data to encode"}]),
    Case("intrinsic-hash", intrinsic("States.Hash($.text, 'SHA-256')"), [{"text": "input data"}]),
    Case(
        "intrinsic-json-merge",
        intrinsic("States.JsonMerge($.a, $.b, false)"),
        [{"a": {"x": 1, "o": {"p": 1}}, "b": {"y": 2, "o": {"q": 2}}}],
    ),
    Case("intrinsic-math-add", intrinsic("States.MathAdd($.n, -3)"), [{"n": 10}]),
    Case("intrinsic-string-split", intrinsic("States.StringSplit($.csv, ',')"), [{"csv": "a,b,,c"}]),
    Case("intrinsic-uuid-shape", intrinsic("States.ArrayLength(States.StringSplit(States.UUID(), '-'))")),
    Case("intrinsic-failure", intrinsic("States.StringToJson($.text)"), [{"text": "{not json"}]),
]
