"""The intrinsic functions: AWS's documented examples, every function, escapes, syntax errors, failures."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest

from harness.states.errors import StatesError
from harness.states.intrinsics import (
    FUNCTION_NAMES,
    IntrinsicSyntaxError,
    evaluate_intrinsic,
    is_intrinsic,
    validate_intrinsic,
)

# Inputs and results of the examples on AWS's "Intrinsic functions" page.
DOCUMENTED_EXAMPLES: list[tuple[str, dict[str, Any], Any]] = [
    ("States.Format('Hello, my name is {}.', $.name)", {"name": "Arnav"}, "Hello, my name is Arnav."),
    (
        "States.Format($.template, $.name)",
        {"name": "Arnav", "template": "Hello, my name is {}."},
        "Hello, my name is Arnav.",
    ),
    ("States.StringToJson($.escapedJsonString)", {"escapedJsonString": '{"foo": "bar"}'}, {"foo": "bar"}),
    ("States.JsonToString($.unescapedJson)", {"unescapedJson": {"foo": "bar"}}, '{"foo":"bar"}'),
    ("States.Array($.Id)", {"Id": 123456}, [123456]),
    (
        "States.ArrayPartition($.inputArray,4)",
        {"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]},
        [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
    ),
    (
        "States.ArrayContains($.inputArray, $.lookingFor)",
        {"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5},
        True,
    ),
    ("States.ArrayRange(1, 9, 2)", {}, [1, 3, 5, 7, 9]),
    ("States.ArrayGetItem($.inputArray, $.index)", {"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "index": 5}, 6),
    ("States.ArrayLength($.inputArray)", {"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]}, 9),
    ("States.ArrayUnique($.inputArray)", {"inputArray": [1, 2, 3, 3, 3, 3, 3, 3, 4]}, [1, 2, 3, 4]),
    ("States.Base64Encode($.input)", {"input": "Data to encode"}, "RGF0YSB0byBlbmNvZGU="),
    ("States.Base64Decode($.base64)", {"base64": "RGF0YSB0byBlbmNvZGU="}, "Data to encode"),
    (
        "States.Hash($.Data, $.Algorithm)",
        {"Data": "input data", "Algorithm": "SHA-1"},
        hashlib.sha1(b"input data").hexdigest(),
    ),
    (
        "States.JsonMerge($.json1, $.json2, false)",
        {"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}},
        {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3},
    ),
    ("States.MathAdd($.value1, $.step)", {"value1": 111, "step": -1}, 110),
    (
        "States.StringSplit($.inputString, $.splitter)",
        {"inputString": "1,2,3,4,5", "splitter": ","},
        ["1", "2", "3", "4", "5"],
    ),
    (
        "States.StringSplit($.inputString, $.splitter)",
        {"inputString": "This.is+a,test=string", "splitter": ".+,="},
        ["This", "is", "a", "test", "string"],
    ),
]


@pytest.mark.parametrize(("expression", "data", "expected"), DOCUMENTED_EXAMPLES)
def test_the_documented_examples(expression: str, data: dict[str, Any], expected: Any) -> None:
    validate_intrinsic(expression)

    assert evaluate_intrinsic(expression, data) == expected


def test_every_function_of_the_specification_is_known() -> None:
    expected = {
        "States.Format", "States.StringToJson", "States.JsonToString", "States.Array", "States.ArrayPartition",
        "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem", "States.ArrayLength",
        "States.ArrayUnique", "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge",
        "States.MathRandom", "States.MathAdd", "States.StringSplit", "States.UUID",
    }  # fmt: skip

    assert expected == FUNCTION_NAMES


def test_nested_calls_as_in_the_documentation() -> None:
    data = {"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe.x/1.0.0"}}
    expression = (
        "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
        "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit("
        "States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))"
    )

    assert evaluate_intrinsic(expression, data) == "1.0"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("States.Format('plain')", "plain"),
        ("States.Format('{} + {} = {}', 1, 2.5, 3.5)", "1 + 2.5 = 3.5"),
        ("States.Format('{} {} {}', true, false, null)", "true false null"),
        ("States.Format('it\\'s {}', 'x')", "it's x"),
        ("States.Format('\\{\\} is literal, {} is not', 'this')", "{} is literal, this is not"),
        ("States.Format('back\\\\slash {}', 1)", "back\\slash 1"),
        ("States.Format('{}', $.obj)", "{a=1, b=[x, 2]}"),
        ("States.Format('{}', $.list)", "[1, two, {k=v}]"),
        ("States.Format('{}{}', $.name, $.name)", "AnaAna"),
        ("States.Format('id {}', $$.Execution.Id)", "id arn:exec"),
    ],
)
def test_format(expression: str, expected: str) -> None:
    data = {"obj": {"a": 1, "b": ["x", 2]}, "list": [1, "two", {"k": "v"}], "name": "Ana"}

    assert evaluate_intrinsic(expression, data, {"Execution": {"Id": "arn:exec"}}) == expected


def test_format_template_from_a_path_keeps_backslashes() -> None:
    assert evaluate_intrinsic("States.Format($.t, 'x')", {"t": "C:\\dir\\{}"}) == "C:\\dir\\x"


def test_format_with_a_template_from_a_path_checks_the_placeholders_at_run_time() -> None:
    with pytest.raises(StatesError) as caught:
        evaluate_intrinsic("States.Format($.t, 1)", {"t": "{} and {}"})

    assert caught.value.error == "States.IntrinsicFailure"
    assert "has 2 placeholders '{}' but 1 value was given" in caught.value.cause


def test_string_literals_take_the_four_escapes() -> None:
    assert evaluate_intrinsic("States.Array('a\\'b', '\\{\\}', '\\\\')", {}) == ["a'b", "{}", "\\"]


def test_literal_arguments() -> None:
    assert evaluate_intrinsic("States.Array(1, -2, 3.5, 1e3, true, false, null, 'x', '')", {}) == [
        1, -2, 3.5, 1000.0, True, False, None, "x", "",
    ]  # fmt: skip
    assert evaluate_intrinsic("States.Array()", {}) == []
    assert evaluate_intrinsic("  States.Array( 1 ,  2 )  ", {}) == [1, 2]


def test_path_arguments_may_use_the_full_jsonpath_syntax() -> None:
    data = {"items": [{"p": 5}, {"p": 15}], "odd key": {"v": 1}}

    assert evaluate_intrinsic("States.Array($.items[?(@.p > 10)].p, $['odd key'].v, $.['odd key'])", data) == [
        [15], 1, {"v": 1},
    ]  # fmt: skip
    assert evaluate_intrinsic("States.ArrayLength($.items[*])", data) == 2


def test_string_to_json_and_back() -> None:
    data = {"s": '{"b": [1, 2], "a": null}'}

    assert evaluate_intrinsic("States.JsonToString(States.StringToJson($.s))", data) == '{"b":[1,2],"a":null}'
    assert evaluate_intrinsic("States.StringToJson('42')", {}) == 42


def test_json_to_string_of_any_value() -> None:
    assert evaluate_intrinsic("States.JsonToString($.v)", {"v": "é"}) == '"é"'
    assert evaluate_intrinsic("States.JsonToString($)", {"a": [True, None]}) == '{"a":[true,null]}'


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("States.ArrayPartition($.a, 2)", [[1, 2], [3, 4], [5]]),
        ("States.ArrayPartition($.a, 5)", [[1, 2, 3, 4, 5]]),
        ("States.ArrayPartition($.a, 9)", [[1, 2, 3, 4, 5]]),
        ("States.ArrayPartition($.empty, 3)", []),
        ("States.ArrayPartition($.a, 1.6)", [[1, 2], [3, 4], [5]]),  # AWS rounds to the nearest integer
        ("States.ArrayContains($.objs, $.obj)", True),
        ("States.ArrayContains($.a, 6)", False),
        ("States.ArrayContains($.a, '1')", False),
        ("States.ArrayContains($.bools, 1)", False),  # true is not 1
        ("States.ArrayRange(0, 10, 5)", [0, 5, 10]),
        ("States.ArrayRange(5, 0, -2)", [5, 3, 1]),
        ("States.ArrayRange(1, 1, 1)", [1]),
        ("States.ArrayRange(5, 1, 1)", []),
        ("States.ArrayRange(1, 1000, 1)", list(range(1, 1001))),
        ("States.ArrayGetItem($.a, 0)", 1),
        ("States.ArrayGetItem($.a, 4)", 5),
        ("States.ArrayLength($.empty)", 0),
        ("States.ArrayUnique($.objs)", [{"x": 1, "y": 2}, {"x": 2}]),
        ("States.ArrayUnique($.flags)", [True, 1, "1", None]),
    ],
)
def test_array_functions(expression: str, expected: Any) -> None:
    data = {
        "a": [1, 2, 3, 4, 5],
        "empty": [],
        "objs": [{"x": 1, "y": 2}, {"x": 2}, {"y": 2, "x": 1}],
        "obj": {"y": 2, "x": 1},
        "flags": [True, 1, "1", None, True, None],
        "bools": [True],
    }

    assert evaluate_intrinsic(expression, data) == expected


def test_base64_round_trip_of_non_ascii_text() -> None:
    assert evaluate_intrinsic("States.Base64Decode(States.Base64Encode($.t))", {"t": "naïve ☕"}) == "naïve ☕"


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"])
def test_hash_algorithms(algorithm: str) -> None:
    expected = hashlib.new(algorithm.replace("-", "").lower(), b"input data").hexdigest()

    assert evaluate_intrinsic(f"States.Hash('input data', '{algorithm}')", {}) == expected


def test_math_add_rounds_non_integers_like_aws() -> None:
    assert evaluate_intrinsic("States.MathAdd(1.5, 1)", {}) == 3
    assert evaluate_intrinsic("States.MathAdd(-2147483648, 2147483647)", {}) == -1


def test_math_random_stays_in_its_range_and_repeats_with_a_seed() -> None:
    values = {evaluate_intrinsic("States.MathRandom(1, 4)", {}) for _ in range(200)}
    seeded = [evaluate_intrinsic("States.MathRandom(1, 1000, 42)", {}) for _ in range(3)]

    assert values == {1, 2, 3}  # start inclusive, end exclusive
    assert len(set(seeded)) == 1
    assert 1 <= seeded[0] < 1000


def test_string_split_drops_empty_pieces() -> None:
    assert evaluate_intrinsic("States.StringSplit('a,,b,', ',')", {}) == ["a", "b"]
    assert evaluate_intrinsic("States.StringSplit('abc', '')", {}) == ["abc"]


def test_uuid_is_a_random_version_4_uuid() -> None:
    first, second = (evaluate_intrinsic("States.UUID()", {}) for _ in range(2))

    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)
    assert first != second


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("States.ArrayGetItem($.a, 5)", "Invalid arguments in States.ArrayGetItem: the index 5 is out of bounds"),
        ("States.ArrayGetItem($.a, -1)", "the index -1 is out of bounds for an array of 5 items"),
        ("States.ArrayGetItem($.s, 0)", 'argument 1 must be an array, not a string ("text")'),
        ("States.ArrayLength($.o)", "argument 1 must be an array, not an object"),
        ("States.ArrayPartition($.a, 0)", "the chunk size must be a positive integer, not 0"),
        ("States.ArrayPartition($.a, 'two')", "argument 2 must be an integer, not a string"),
        ("States.ArrayRange(1, 5, 0)", "the step (argument 3) must not be 0"),
        ("States.ArrayRange(0, 1000, 1)", "the range would have 1001 items; at most 1000 are allowed"),
        ("States.ArrayRange(true, 5, 1)", "argument 1 must be an integer, not a boolean"),
        ("States.StringToJson('{bad')", "argument 1 is not valid JSON text"),
        ("States.StringToJson($.a)", "argument 1 must be a string, not an array"),
        ("States.Base64Encode($.long)", "argument 1 has 10001 characters; at most 10000 are allowed"),
        ("States.Base64Decode($.long)", "argument 1 has 10001 characters; at most 10000 are allowed"),
        ("States.Base64Decode('not base64!')", "argument 1 is not Base64 encoded text"),
        ("States.Hash($.long, 'MD5')", "argument 1 has 10001 characters"),
        ("States.Hash('x', 'SHA-2')", 'the algorithm "SHA-2" is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512'),
        ("States.Hash($.o, 'MD5')", "argument 1 must be a string, not an object"),
        ("States.JsonMerge($.o, $.o, true)", "only the shallow merge is supported: argument 3 must be false"),
        ("States.JsonMerge($.o, $.a, false)", "argument 2 must be a JSON object, not an array"),
        ("States.MathAdd(2147483648, 1)", "argument 1 (2147483648) is outside the range -2147483648 to 2147483647"),
        ("States.MathAdd('1', 1)", "argument 1 must be an integer, not a string"),
        ("States.MathRandom(5, 5)", "the start (5) must be less than the end (5)"),
        ("States.StringSplit($.a, ',')", "argument 1 must be a string, not an array"),
        ("States.Format($.a)", "argument 1 must be a string, not an array"),
    ],
)
def test_bad_arguments_fail_with_states_intrinsic_failure(expression: str, problem: str) -> None:
    data = {"a": [1, 2, 3, 4, 5], "s": "text", "o": {"k": 1}, "long": "x" * 10_001}

    validate_intrinsic(expression)
    with pytest.raises(StatesError) as caught:
        evaluate_intrinsic(expression, data)

    assert caught.value.error == "States.IntrinsicFailure"
    assert problem in caught.value.cause


def test_a_missing_path_argument_is_a_runtime_error_naming_the_path() -> None:
    with pytest.raises(StatesError) as caught:
        evaluate_intrinsic("States.Array($.missing)", {"present": 1})

    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == "The JSONPath '$.missing' could not be found in the input '{\"present\":1}'"


def test_evaluating_a_malformed_expression_is_an_intrinsic_failure() -> None:
    with pytest.raises(StatesError) as caught:
        evaluate_intrinsic("States.Nope()", {})

    assert caught.value.error == "States.IntrinsicFailure"
    assert "unknown function States.Nope" in caught.value.cause


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("States.Nope(1)", "unknown function States.Nope"),
        ("States.format('x')", "unknown function States.format"),
        ("Format('x')", "a function call such as States.Format(...) is expected at position 0"),
        ("States.Array", "a function call such as States.Format(...) is expected"),
        ("States.Array(1", "the parenthesis of States.Array is never closed"),
        ("States.Array(1))", "unexpected ')' after the closing ')'"),
        ("States.Array(1 2)", "',' or ')' expected at position 15, found '2'"),
        ("States.Array(1,)", "an argument is missing at position 15"),
        ("States.Array(,1)", "an argument is missing at position 13"),
        ("States.Array('abc)", "the string starting at position 13 is never closed"),
        ("States.Array('a\\nb')", "bad escape '\\n' at position 15"),
        ("States.Array('a\\')", "the string starting at position 13 is never closed"),
        ('States.Array("x")', "unexpected '\"' at position 13"),
        ("States.Array(abc)", "unexpected 'a' at position 13"),
        ("States.Array($.a b)", "Invalid path '$.a b'"),
        ("States.Array($.a[)", "Invalid path '$.a[)': '[' at position 3 is never closed"),
        ("States.UUID(1)", "States.UUID takes exactly 0 arguments, not 1"),
        ("States.Format()", "States.Format takes at least 1 argument, not 0"),
        ("States.ArrayRange(1, 2)", "States.ArrayRange takes exactly 3 arguments, not 2"),
        ("States.MathRandom(1)", "States.MathRandom takes 2 to 3 arguments, not 1"),
        ("States.JsonToString($.a, $.b)", "States.JsonToString takes exactly 1 argument, not 2"),
        ("States.Format('{} {}', 1)", "the template of States.Format has 2 placeholders '{}' but 1 value was given"),
        ("States.Format('none', 1)", "has 0 placeholders '{}' but 1 value was given"),
        ("States.Format(5)", "the first argument of States.Format must be a string"),
        (
            "States.Array(" * 11 + ")" * 11,
            "intrinsic functions may be nested at most 10 deep",
        ),
    ],
)
def test_malformed_intrinsics_are_refused_naming_the_expression_and_problem(expression: str, problem: str) -> None:
    with pytest.raises(IntrinsicSyntaxError) as caught:
        validate_intrinsic(expression)

    message = str(caught.value)
    assert message.startswith(f"Invalid intrinsic function '{expression}': ")
    assert problem in message


@pytest.mark.parametrize("expression", [5, None, ["States.UUID()"]])
def test_a_non_string_expression_is_refused(expression: Any) -> None:
    with pytest.raises(IntrinsicSyntaxError, match="An intrinsic function must be a string"):
        validate_intrinsic(expression)


def test_ten_levels_of_nesting_are_allowed() -> None:
    assert evaluate_intrinsic("States.Array(" * 10 + ")" * 10, {}) == [[[[[[[[[[]]]]]]]]]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.Format('x')", True),
        ("  States.UUID ()", True),
        ("States.Nope()", True),  # looks like a call; validate_intrinsic reports the unknown name
        ("$.path", False),
        ("States.Format", False),
        ("plain text", False),
        (5, False),
        (None, False),
    ],
)
def test_is_intrinsic(text: Any, expected: bool) -> None:
    assert is_intrinsic(text) is expected
