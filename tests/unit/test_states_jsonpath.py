"""JsonPath as ASL uses it: definite and indefinite reads, the context object, ResultPath writes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from harness.states.jsonpath import PathError, PathNotFound, is_definite, read_path, validate_path, write_path

STORE: dict[str, Any] = {
    "store": {
        "book": [
            {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
            {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
            {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "price": 8.99},
            {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "price": 22.99},
        ],
        "bicycle": {"color": "red", "price": 19.95},
    },
    "limit": 10,
    "a.b": "dotted key",
    "with space": {"inner": 1},
    "ключ": "unicode key",
    "nothing": None,
    "empty": [],
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$", STORE),
        ("$.limit", 10),
        ("$.nothing", None),
        ("$.store.bicycle.color", "red"),
        ("$.store.book[0].title", "Sayings of the Century"),
        ("$.store.book[-1].author", "J. R. R. Tolkien"),
        ("$['store']['bicycle']['price']", 19.95),
        ('$["store"]["bicycle"]', {"color": "red", "price": 19.95}),
        ("$['a.b']", "dotted key"),
        ("$['with space'].inner", 1),
        ("$.['with space'].inner", 1),  # the form AWS's intrinsic-function page uses
        ("$.ключ", "unicode key"),
        ("$.empty", []),
    ],
)
def test_a_definite_path_reads_one_value(path: str, expected: Any) -> None:
    assert read_path(path, STORE) == expected
    assert is_definite(path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.store.book[*].author", ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]),
        ("$.store.book[?(@.price > 10)].title", ["Sword of Honour", "The Lord of the Rings"]),
        ("$.store.book[?(@.price < $.limit)].price", [8.95, 8.99]),
        ("$.store.book[?(@.category == 'reference')].author", ["Nigel Rees"]),
        (
            "$.store.book[?(@.price > 10 && @.category == 'fiction')].title",
            ["Sword of Honour", "The Lord of the Rings"],
        ),
        ("$.store.book[?(@.isbn)]", []),
        ("$.store.book[1:3].title", ["Sword of Honour", "Moby Dick"]),
        ("$.store.book[:2].price", [8.95, 12.99]),
        ("$.store.book[-2:].price", [8.99, 22.99]),
        ("$.store.book[::2].price", [8.95, 8.99]),
        ("$.store.book[0,2].price", [8.95, 8.99]),
        ("$..price", [8.95, 12.99, 8.99, 22.99, 19.95]),
        ("$.store.*.color", ["red"]),
        ("$.empty[*]", []),
        ("$.store.book[*].isbn", []),
    ],
)
def test_an_indefinite_path_reads_the_list_of_its_matches(path: str, expected: list[Any]) -> None:
    assert read_path(path, STORE) == expected
    assert not is_definite(path)


def test_a_union_of_names_at_the_end_reads_one_object_as_jayway_does() -> None:
    assert read_path("$.store.bicycle['color','size']", STORE) == {"color": "red"}
    assert is_definite("$['a','b']")


def test_a_double_dollar_path_reads_the_context_object() -> None:
    context = {"Execution": {"Id": "arn:exec", "Input": {"x": 1}}, "Map": {"Item": {"Index": 2, "Value": "v"}}}

    assert read_path("$$.Execution.Id", {"Execution": "not this"}, context) == "arn:exec"
    assert read_path("$$.Map.Item.Value", {}, context) == "v"
    assert read_path("$$", {}, context) == context


def test_a_read_value_shares_nothing_with_the_data() -> None:
    data = {"order": {"items": [1, 2]}}

    value = read_path("$.order", data)
    value["items"].append(3)

    assert data == {"order": {"items": [1, 2]}}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("$.missing", "Invalid path '$.missing' : No results for path: $['missing']"),
        (
            "$.store.bicycle.size",
            "Invalid path '$.store.bicycle.size' : No results for path: $['store']['bicycle']['size']",
        ),
        ("$.missing.deeper", "Invalid path '$.missing.deeper' : Missing property in path $['missing']"),
        ("$.store.book[9]", "Invalid path '$.store.book[9]' : No results for path: $['store']['book'][9]"),
        ("$.limit.value", "Invalid path '$.limit.value' : No results for path: $['limit']['value']"),
        ("$.nothing.value", "No results for path: $['nothing']['value']"),
    ],
)
def test_a_path_that_matches_nothing_raises_path_not_found_naming_the_path(path: str, message: str) -> None:
    with pytest.raises(PathNotFound) as caught:
        read_path(path, STORE)

    assert message in str(caught.value)
    assert caught.value.path == path


def test_a_missing_context_field_is_not_found() -> None:
    with pytest.raises(PathNotFound, match=r"\$\$\.Task\.Token"):
        read_path("$$.Task.Token", {}, {"Execution": {}})


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("", "must start with '$'"),
        ("store.book", "must start with '$'"),
        ("$.", "a name is missing"),
        ("$..", "'..' at position 1 must be followed"),
        ("$.a..", "must be followed"),
        ("$.a[", "never closed"),
        ("$.a[0", "never closed"),
        ("$.a['b'", "never closed"),
        ("$.a['b']x", "unexpected 'x'"),
        ("$.a[x]", "[x] is neither a quoted name"),
        ("$.a[1:2:3:4]", "is neither a quoted name"),
        ("$.a[::0]", "step of 0"),
        ("$.a b", "unexpected ' '"),
        ("$.a.length()", "functions such as 'length()' are not supported"),
        ("$.a[?(@.x > 1]", "never closed with ')]'"),
        ("$.a[?@.x > 1]", "must be written [?(...)]"),
        ("$.a[?(@.x in [1, 2])]", "is not supported"),
        ("$a", "unexpected 'a'"),
    ],
)
def test_a_malformed_path_is_refused_naming_the_problem(path: str, problem: str) -> None:
    with pytest.raises(PathError) as caught:
        validate_path(path)

    assert problem in str(caught.value)
    assert not isinstance(caught.value, PathNotFound)


@pytest.mark.parametrize(("path", "kind"), [(5, "int"), (["$"], "list"), (None, "NoneType")])
def test_a_non_string_path_is_refused(path: Any, kind: str) -> None:
    with pytest.raises(PathError, match=f"A path must be a string, not {kind}"):
        validate_path(path)
    with pytest.raises(PathError, match=f"A path must be a string, not {kind}"):
        read_path(path, {})


@pytest.mark.parametrize("path", ["$", "$.a", "$.a.b[0]", "$['a b'].c", "$$.Execution.Input.x", "$.a[-1]"])
def test_a_reference_path_uses_only_names_and_single_indexes(path: str) -> None:
    validate_path(path, reference=True)


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("$.a[*]", "the wildcard [*]"),
        ("$.a.*", "the wildcard .*"),
        ("$..a", "the deep scan ..a"),
        ("$.a[1:2]", "the slice [1:2]"),
        ("$.a[?(@.b)]", "the filter [?(@.b)]"),
        ("$.a[0,1]", "the union [0,1]"),
        ("$['a','b']", "the union ['a','b']"),
    ],
)
def test_a_reference_path_refuses_wildcards_filters_slices_and_unions(path: str, what: str) -> None:
    validate_path(path)  # a valid path...
    with pytest.raises(PathError) as caught:
        validate_path(path, reference=True)  # ...but not a reference path

    assert f"Invalid reference path '{path}': {what} is not allowed" in str(caught.value)


def test_write_dollar_replaces_the_whole_input() -> None:
    assert write_path("$", {"a": 1}, {"result": True}) == {"result": True}


def test_write_adds_a_field_and_leaves_the_input_untouched() -> None:
    data = {"orderId": "ORD-1", "nested": {"keep": 1}}
    before = copy.deepcopy(data)

    written = write_path("$.error", data, {"Error": "OutOfStock"})

    assert written == {"orderId": "ORD-1", "nested": {"keep": 1}, "error": {"Error": "OutOfStock"}}
    assert data == before
    written["nested"]["keep"] = 2
    assert data["nested"]["keep"] == 1


def test_write_creates_missing_objects_along_the_path() -> None:
    assert write_path("$.a.b.c", {"x": 1}, 5) == {"x": 1, "a": {"b": {"c": 5}}}


def test_write_overwrites_an_existing_field() -> None:
    assert write_path("$.a.b", {"a": {"b": 1, "c": 2}}, 9) == {"a": {"b": 9, "c": 2}}


def test_write_into_an_array_element() -> None:
    assert write_path("$.items[1].done", {"items": [{}, {}]}, True) == {"items": [{}, {"done": True}]}
    assert write_path("$.items[0]", {"items": [1, 2]}, 7) == {"items": [7, 2]}


def test_the_written_value_is_a_copy() -> None:
    value = {"list": [1]}

    written = write_path("$.v", {}, value)
    value["list"].append(2)

    assert written == {"v": {"list": [1]}}


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("$.a.b", {"a": 5}, 'Unable to apply ReferencePath $.a.b to input {"a":5}'),
        ("$.a", "text", 'Unable to apply ReferencePath $.a to input "text"'),
        ("$.a", [1, 2], "Unable to apply ReferencePath $.a to input [1,2]"),
        ("$.items[5]", {"items": []}, "Unable to apply ReferencePath $.items[5]"),
        ("$.items[0].x", {}, "Unable to apply ReferencePath $.items[0].x"),
    ],
)
def test_write_through_a_non_object_is_refused(path: str, data: Any, message: str) -> None:
    with pytest.raises(PathError) as caught:
        write_path(path, data, 1)

    assert message in str(caught.value)


def test_write_refuses_a_non_reference_path_and_the_context_object() -> None:
    with pytest.raises(PathError, match="the wildcard"):
        write_path("$.a[*]", {"a": [1]}, 1)
    with pytest.raises(PathError, match="context object"):
        write_path("$$.Execution", {}, 1)


@pytest.mark.parametrize("path", ["$.missing[*]", "$.missing[1:]", "$.a.missing[1:5].b", "$.missing..x"])
def test_an_indefinite_path_over_a_missing_field_reads_an_empty_list(path: str) -> None:
    # Step Functions answers [] where the field an indefinite path goes through is missing.
    assert read_path(path, {"a": {}}) == []
