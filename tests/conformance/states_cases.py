"""Step Functions: state machines with their documented outcome, from the ASL specification and the guide.

Each case runs one definition on one input; `expected` is the outcome DescribeExecution reports: the
status with the output, or the error with (part of) its cause. A case whose definition AWS refuses
expects `{"refused": "<part of the message>"}`.
"""

from __future__ import annotations

from typing import Any

from tests.conformance.corpus import DocumentedCase

SPEC = "https://states-language.net/spec.html"
GUIDE = "https://docs.aws.amazon.com/step-functions/latest/dg/"
PATHS = GUIDE + "amazon-states-language-paths.html"
INPUT_OUTPUT = GUIDE + "concepts-input-output-filtering.html"
INTRINSICS = GUIDE + "intrinsic-functions.html"
MAP = GUIDE + "state-map-inline.html"
MAP_STATE = GUIDE + "state-map.html"
ERRORS = GUIDE + "concepts-error-handling.html"
QUOTAS = GUIDE + "service-quotas.html"
CONTEXT = GUIDE + "input-output-contextobject.html"
WAIT = GUIDE + "state-wait.html"

KIB = 1024
ITEMS = {"items": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}, {"sku": "C", "qty": 3}]}


def single(state: dict[str, Any]) -> dict[str, Any]:
    """A machine of one state named S that ends (Fail, Succeed and Choice end without saying so)."""
    ends = {} if state["Type"] in ("Fail", "Succeed", "Choice") else {"End": True}
    return {"StartAt": "S", "States": {"S": {**state, **ends}}}


def selects(expression: str) -> dict[str, Any]:
    """A machine whose Pass state answers {"v": <what the path or intrinsic selects>}."""
    return single({"Type": "Pass", "Parameters": {"v.$": expression}})


def branch(*states: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """A sub-state-machine of the given states, starting at the first."""
    return {"StartAt": states[0][0], "States": dict(states)}


def case(family: str, name: str, source: str, definition: dict[str, Any], given: Any, expected: Any) -> DocumentedCase:
    """One documented case."""
    return DocumentedCase(f"states.{family}", name, source, {"definition": definition, "input": given}, expected)


def ok(output: Any) -> dict[str, Any]:
    """A succeeded outcome with this output."""
    return {"status": "SUCCEEDED", "output": output}


def failed(error: str, cause: str | None = None) -> dict[str, Any]:
    """A failed outcome with this error (and a cause containing `cause`)."""
    return {"status": "FAILED", "error": error, "cause": cause}


PATH_CASES = [
    case("paths", "wildcard-over-missing-field", PATHS, selects("$.items[*]"), {}, ok({"v": []})),
    case("paths", "slice-over-missing-field", PATHS, selects("$.items[1:]"), {}, ok({"v": []})),
    case("paths", "nested-slice-over-missing-field", PATHS, selects("$.a.items[1:5].b"), {}, ok({"v": []})),
    case("paths", "wildcard-field", PATHS, selects("$.items[*].sku"), ITEMS, ok({"v": ["A", "B", "C"]})),
    case("paths", "slice", PATHS, selects("$.items[1:].sku"), ITEMS, ok({"v": ["B", "C"]})),
    case("paths", "filter", PATHS, selects("$.items[?(@.qty > 1)].sku"), ITEMS, ok({"v": ["B", "C"]})),
    case("paths", "index", PATHS, selects("$.items[0].sku"), ITEMS, ok({"v": "A"})),
    case("paths", "last-index", PATHS, selects("$.items[-1:].sku"), ITEMS, ok({"v": ["C"]})),
    case(
        "paths",
        "definite-path-over-missing-field",
        PATHS,
        selects("$.missing"),
        {},
        failed("States.Runtime", "The JSONPath '$.missing' specified for the field 'v.$' could not be found"),
    ),
    case("paths", "bracket-name-with-space", PATHS, selects("$['order id']"), {"order id": 7}, ok({"v": 7})),
    case("paths", "bracket-escaped-single-quote", PATHS, selects("$['it\\'s']"), {"it's": 1}, ok({"v": 1})),
    case("paths", "bracket-escaped-double-quote", PATHS, selects('$["say \\"hi\\""]'), {'say "hi"': 2}, ok({"v": 2})),
    case("paths", "bracket-double-quote-in-single", PATHS, selects("$['say \"hi\"']"), {'say "hi"': 3}, ok({"v": 3})),
    case("paths", "dot-before-bracket", PATHS, selects("$.a.['b c']"), {"a": {"b c": 4}}, ok({"v": 4})),
    case(
        "paths",
        "input-path-null-gives-empty-object",
        INPUT_OUTPUT,
        single({"Type": "Pass", "InputPath": None}),
        {"a": 1},
        ok({}),
    ),
    case(
        "paths",
        "result-path-null-keeps-input",
        INPUT_OUTPUT,
        single({"Type": "Pass", "Result": "x", "ResultPath": None}),
        {"a": 1},
        ok({"a": 1}),
    ),
    case(
        "paths",
        "result-path-creates-fields",
        INPUT_OUTPUT,
        single({"Type": "Pass", "Result": 1, "ResultPath": "$.a.b"}),
        {"k": 0},
        ok({"k": 0, "a": {"b": 1}}),
    ),
    case(
        "paths",
        "output-path-null-gives-empty-object",
        INPUT_OUTPUT,
        single({"Type": "Pass", "OutputPath": None}),
        {"a": 1},
        ok({}),
    ),
    case(
        "paths",
        "reference-path-refuses-wildcard",
        SPEC,
        single({"Type": "Pass", "ResultPath": "$.a[*]"}),
        {},
        {"refused": "reference path"},
    ),
]

INTRINSIC_CASES = [
    case(
        "intrinsics",
        "string-to-json-empty",
        INTRINSICS,
        selects("States.StringToJson($.s)"),
        {"s": ""},
        ok({"v": None}),
    ),
    case(
        "intrinsics",
        "string-to-json-blank",
        INTRINSICS,
        selects("States.StringToJson($.s)"),
        {"s": "  "},
        ok({"v": None}),
    ),
    case(
        "intrinsics",
        "string-to-json-guide-example",
        INTRINSICS,
        selects("States.StringToJson($.escapedJsonString)"),
        {"escapedJsonString": '{"foo": "bar"}'},
        ok({"v": {"foo": "bar"}}),
    ),
    case(
        "intrinsics",
        "json-to-string-guide-example",
        INTRINSICS,
        selects("States.JsonToString($.unescapedJson)"),
        {"unescapedJson": {"foo": "bar"}},
        ok({"v": '{"foo":"bar"}'}),
    ),
    case(
        "intrinsics",
        "format-guide-example",
        INTRINSICS,
        selects("States.Format('Hello, my name is {}.', $.name)"),
        {"name": "Arnav"},
        ok({"v": "Hello, my name is Arnav."}),
    ),
    case(
        "intrinsics", "array-range", INTRINSICS, selects("States.ArrayRange(1, 9, 2)"), {}, ok({"v": [1, 3, 5, 7, 9]})
    ),
    case(
        "intrinsics",
        "array-partition",
        INTRINSICS,
        selects("States.ArrayPartition($.a, 4)"),
        {"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]},
        ok({"v": [[1, 2, 3, 4], [5, 6, 7, 8], [9]]}),
    ),
    case(
        "intrinsics",
        "array-unique",
        INTRINSICS,
        selects("States.ArrayUnique($.a)"),
        {"a": [1, 2, 3, 3, 3, 3, 3, 3, 4]},
        ok({"v": [1, 2, 3, 4]}),
    ),
    case(
        "intrinsics",
        "array-get-item",
        INTRINSICS,
        selects("States.ArrayGetItem($.a, $.i)"),
        {"a": [1, 2, 3, 4, 5, 6, 7, 8, 9], "i": 5},
        ok({"v": 6}),
    ),
    case("intrinsics", "math-add", INTRINSICS, selects("States.MathAdd($.v, -1)"), {"v": 111}, ok({"v": 110})),
    case(
        "intrinsics",
        "string-split",
        INTRINSICS,
        selects("States.StringSplit($.s, ',')"),
        {"s": "1,2,3,4,5"},
        ok({"v": ["1", "2", "3", "4", "5"]}),
    ),
    case(
        "intrinsics",
        "base64-encode",
        INTRINSICS,
        selects("States.Base64Encode($.s)"),
        {"s": "Data to encode"},
        ok({"v": "RGF0YSB0byBlbmNvZGU="}),
    ),
    case(
        "intrinsics",
        "json-merge-shallow",
        INTRINSICS,
        selects("States.JsonMerge($.j1, $.j2, false)"),
        {"j1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "j2": {"a": {"a3": 1, "a4": 2}, "c": 3}},
        ok({"v": {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}}),
    ),
    case(
        "intrinsics",
        "string-to-json-not-json",
        INTRINSICS,
        selects("States.StringToJson($.s)"),
        {"s": "{not json"},
        failed("States.IntrinsicFailure"),
    ),
]

_ITERATION = branch(("P", {"Type": "Pass", "End": True}))
_FAILING_ITERATION = branch(
    (
        "Check",
        {
            "Type": "Choice",
            "Choices": [{"Variable": "$", "NumericGreaterThan": 1, "Next": "Bad"}],
            "Default": "Good",
        },
    ),
    ("Bad", {"Type": "Fail", "Error": "TooBig", "Cause": "over one"}),
    ("Good", {"Type": "Pass", "End": True}),
)


def _map(**fields: Any) -> dict[str, Any]:
    return single({"Type": "Map", "ItemsPath": "$.xs", "ItemProcessor": _ITERATION, **fields})


MAP_CASES = [
    case(
        "map",
        "iterator-with-processor-config",
        MAP_STATE,
        single(
            {
                "Type": "Map",
                "ItemsPath": "$.xs",
                "Iterator": {**_ITERATION, "ProcessorConfig": {"Mode": "INLINE"}},
            }
        ),
        {"xs": [1, 2]},
        ok([1, 2]),
    ),
    case(
        "map",
        "item-selector-context",
        MAP,
        _map(ItemSelector={"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tag.$": "$.tag"}),
        {"xs": ["a", "b"], "tag": "t"},
        ok([{"index": 0, "value": "a", "tag": "t"}, {"index": 1, "value": "b", "tag": "t"}]),
    ),
    case("map", "empty-items", MAP, _map(), {"xs": []}, ok([])),
    case(
        "map",
        "items-path-not-an-array",
        MAP,
        _map(),
        {"xs": {"a": 1}},
        failed("States.Runtime"),
    ),
    case(
        "map",
        "failure-fails-the-map",
        MAP,
        _map(ItemProcessor=_FAILING_ITERATION),
        {"xs": [1, 2]},
        failed("TooBig", "over one"),
    ),
    case(
        "map",
        "tolerated-failure-count",
        MAP_STATE,
        _map(ItemProcessor=_FAILING_ITERATION, ToleratedFailureCount=1),
        {"xs": [1, 2]},
        {"status": "SUCCEEDED"},
    ),
    case(
        "map",
        "tolerated-failure-count-exceeded",
        MAP_STATE,
        _map(ItemProcessor=_FAILING_ITERATION, ToleratedFailureCount=1),
        {"xs": [2, 3]},
        failed("States.ExceedToleratedFailureThreshold"),
    ),
    case(
        "map",
        "tolerated-failure-percentage",
        MAP_STATE,
        _map(ItemProcessor=_FAILING_ITERATION, ToleratedFailurePercentage=50),
        {"xs": [1, 2]},
        {"status": "SUCCEEDED"},
    ),
    case(
        "map",
        "max-concurrency-path-not-integer",
        MAP_STATE,
        _map(MaxConcurrencyPath="$.mc"),
        {"xs": [1], "mc": "two"},
        failed(
            "States.Runtime", 'The MaxConcurrencyPath field refers to value "two" which is not a valid integer: $.mc'
        ),
    ),
    case(
        "map",
        "max-concurrency-path-negative",
        MAP_STATE,
        _map(MaxConcurrencyPath="$.mc"),
        {"xs": [1], "mc": -1},
        failed("States.Runtime", "Expected non-negative integer for MaxConcurrency, got '-1' instead."),
    ),
    case(
        "map",
        "tolerated-failure-count-path-not-integer",
        MAP_STATE,
        _map(ToleratedFailureCountPath="$.n"),
        {"xs": [1], "n": 1.5},
        failed(
            "States.Runtime",
            'The ToleratedFailureCountPath field refers to value "1.5" which is not a valid integer: $.n',
        ),
    ),
    case(
        "map",
        "tolerated-failure-count-path-negative",
        MAP_STATE,
        _map(ToleratedFailureCountPath="$.n"),
        {"xs": [1], "n": -2},
        failed("States.Runtime", "ToleratedFailureCount cannot be negative."),
    ),
    case(
        "map",
        "tolerated-failure-percentage-path-not-number",
        MAP_STATE,
        _map(ToleratedFailurePercentagePath="$.p"),
        {"xs": [1], "p": "half"},
        failed(
            "States.Runtime",
            'The ToleratedFailurePercentagePath field refers to value "half" which is not a valid float: $.p',
        ),
    ),
    case(
        "map",
        "tolerated-failure-percentage-path-over-100",
        MAP_STATE,
        _map(ToleratedFailurePercentagePath="$.p"),
        {"xs": [1], "p": 150},
        failed("States.Runtime", "ToleratedFailurePercentage must be between 0 and 100."),
    ),
]

_BIG = "x" * (257 * KIB)


def _parallel(branch_machine: dict[str, Any], **fields: Any) -> dict[str, Any]:
    machine = single({"Type": "Parallel", "Branches": [branch_machine], **fields})
    machine["States"]["Caught"] = {"Type": "Pass", "Result": "caught", "End": True}
    return machine


_FAIL_BRANCH = branch(("F", {"Type": "Fail", "Error": "Custom", "Cause": "why"}))
_BIG_BRANCH = branch(("B", {"Type": "Pass", "Result": _BIG, "End": True}))
_RUNTIME_BRANCH = branch(("R", {"Type": "Pass", "InputPath": "$.missing", "End": True}))

ERROR_CASES = [
    case("errors", "fail-state", SPEC, single({"Type": "Fail", "Error": "E", "Cause": "C"}), {}, failed("E", "C")),
    case(
        "errors",
        "fail-state-error-path",
        ERRORS,
        single({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}),
        {"e": "Dynamic", "c": "from input"},
        failed("Dynamic", "from input"),
    ),
    case(
        "errors",
        "catch-all-catches-a-custom-error",
        ERRORS,
        _parallel(_FAIL_BRANCH, Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]),
        {},
        ok("caught"),
    ),
    case(
        "errors",
        "catch-result-path-holds-error-output",
        ERRORS,
        {
            "StartAt": "S",
            "States": {
                "S": {
                    "Type": "Parallel",
                    "Branches": [_FAIL_BRANCH],
                    "Catch": [{"ErrorEquals": ["Custom"], "ResultPath": "$.error", "Next": "Done"}],
                    "End": True,
                },
                "Done": {"Type": "Succeed"},
            },
        },
        {"k": 1},
        ok({"k": 1, "error": {"Error": "Custom", "Cause": "why"}}),
    ),
    case(
        "errors",
        "catch-all-does-not-catch-runtime",
        ERRORS,
        _parallel(_RUNTIME_BRANCH, Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]),
        {},
        failed("States.Runtime"),
    ),
    case(
        "errors",
        "catch-all-does-not-catch-data-limit",
        ERRORS,
        _parallel(_BIG_BRANCH, Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]),
        {},
        failed("States.DataLimitExceeded"),
    ),
    case(
        "errors",
        "data-limit-caught-by-name",
        ERRORS,
        _parallel(_BIG_BRANCH, Catch=[{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "Caught"}]),
        {},
        ok("caught"),
    ),
    case(
        "errors",
        "task-failed-catches-custom-error",
        ERRORS,
        _parallel(_FAIL_BRANCH, Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}]),
        {},
        ok("caught"),
    ),
    case(
        "errors",
        "retry-then-fail",
        ERRORS,
        single(
            {"Type": "Parallel", "Branches": [_FAIL_BRANCH], "Retry": [{"ErrorEquals": ["Custom"], "MaxAttempts": 2}]}
        ),
        {},
        failed("Custom", "why"),
    ),
]

CONTEXT_CASES = [
    case(
        "context",
        "pass-state-has-no-retry-count",
        CONTEXT,
        selects("$$.State"),
        {},
        {"status": "SUCCEEDED", "keys": ["EnteredTime", "Name"]},
    ),
    case(
        "context",
        "parallel-state-has-retry-count",
        CONTEXT,
        single(
            {
                "Type": "Parallel",
                "Parameters": {"retries.$": "$$.State.RetryCount", "name.$": "$$.State.Name"},
                "Branches": [branch(("P", {"Type": "Pass", "End": True}))],
            }
        ),
        {},
        ok([{"retries": 0, "name": "S"}]),
    ),
    case(
        "context",
        "execution-and-machine-names",
        CONTEXT,
        single(
            {
                "Type": "Pass",
                "Parameters": {"execution.$": "$$.Execution.Name", "machine.$": "$$.StateMachine.Name"},
            }
        ),
        {},
        ok({"execution": "run", "machine": "Conformance"}),
    ),
    case(
        "context",
        "execution-input",
        CONTEXT,
        selects("$$.Execution.Input"),
        {"order": 7},
        ok({"v": {"order": 7}}),
    ),
]

QUOTA_CASES = [
    case(
        "quotas",
        "state-result-over-256-kib",
        QUOTAS,
        single({"Type": "Pass", "Result": _BIG}),
        {},
        failed("States.DataLimitExceeded", "returned a result with a size exceeding the maximum number of bytes"),
    ),
    case(
        "quotas",
        "state-result-under-256-kib",
        QUOTAS,
        {
            "StartAt": "S",
            "States": {
                "S": {"Type": "Pass", "Result": "y" * (200 * KIB), "Next": "T"},
                "T": {"Type": "Pass", "Result": "ok", "End": True},
            },
        },
        {},
        ok("ok"),
    ),
    case(
        "quotas",
        "parallel-output-over-256-kib",
        QUOTAS,
        single(
            {
                "Type": "Parallel",
                "Branches": [
                    branch(("A", {"Type": "Pass", "Result": "a" * (150 * KIB), "End": True})),
                    branch(("B", {"Type": "Pass", "Result": "b" * (150 * KIB), "End": True})),
                ],
            }
        ),
        {},
        failed("States.DataLimitExceeded"),
    ),
    case(
        "quotas",
        "task-input-over-256-kib",
        QUOTAS,
        {
            "StartAt": "Make",
            "States": {
                "Make": {"Type": "Pass", "Result": "z" * (150 * KIB), "ResultPath": "$.half", "Next": "Call"},
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "Anything", "Payload": {"a.$": "$.half", "b.$": "$.half"}},
                    "End": True,
                },
            },
        },
        {},
        failed("States.DataLimitExceeded", "has an input with a size exceeding the maximum number of bytes"),
    ),
]

WAIT_CASES = [
    case(
        "wait",
        "timestamp-path-with-space",
        WAIT,
        single({"Type": "Wait", "TimestampPath": "$.t"}),
        {"t": "2016-03-14 01:59:00Z"},
        failed(
            "States.Runtime",
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format "
            "string: $.t == 2016-03-14 01:59:00Z",
        ),
    ),
    case(
        "wait",
        "timestamp-path-in-the-past",
        WAIT,
        single({"Type": "Wait", "TimestampPath": "$.t"}),
        {"t": "2016-03-14T01:59:00Z"},
        ok({"t": "2016-03-14T01:59:00Z"}),
    ),
    case(
        "wait",
        "timestamp-path-with-offset",
        WAIT,
        single({"Type": "Wait", "TimestampPath": "$.t"}),
        {"t": "2016-03-14T01:59:00+02:00"},
        ok({"t": "2016-03-14T01:59:00+02:00"}),
    ),
    case(
        "wait",
        "seconds-path-not-integer",
        WAIT,
        single({"Type": "Wait", "SecondsPath": "$.s"}),
        {"s": "ten"},
        failed("States.Runtime", "The SecondsPath parameter cannot be parsed as a long value: $.s == ten"),
    ),
    case(
        "wait",
        "seconds-path-negative",
        WAIT,
        single({"Type": "Wait", "SecondsPath": "$.s"}),
        {"s": -5},
        failed("States.Runtime", "The SecondsPath parameter references a negative value: $.s == -5"),
    ),
    case("wait", "seconds-path", WAIT, single({"Type": "Wait", "SecondsPath": "$.s"}), {"s": 10}, ok({"s": 10})),
]

CASES: list[DocumentedCase] = [
    *PATH_CASES,
    *INTRINSIC_CASES,
    *MAP_CASES,
    *ERROR_CASES,
    *CONTEXT_CASES,
    *QUOTA_CASES,
    *WAIT_CASES,
]
