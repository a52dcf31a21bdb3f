"""Tool use for the local model: which tools a task needs, their inputs from the task, and the final answer.

The planner reads the task (the conversation's first user text) and the tools' names and descriptions,
calls the relevant tools one per turn in the order the task mentions them, fills each input from the
task according to the tool's `input_schema`, stops early when a result says the thing is unavailable,
and ends with a text that states what the results say.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from adapters.bedrock.conversation import Reply, blocks, text_of
from adapters.bedrock.text import STOPWORDS, content_terms, stem

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "a dozen": 12, "dozen": 12, "a pair of": 2, "a couple of": 2, "single": 1,
}  # fmt: skip
_PRICE_KEYS = ("total", "price", "cost", "amount", "subtotal", "unitPrice", "discount")
_UNAVAILABLE = re.compile(r"\b(out of stock|unavailable|not available|sold out|not found)\b", re.I)


@dataclass(frozen=True)
class Call:
    """One planned tool call."""

    tool: str
    input: dict[str, Any]


def tools_reply(body: dict[str, Any]) -> Reply:
    """The next turn of a conversation that offers tools."""
    messages = body["messages"]
    tools = [t for t in body.get("tools") or [] if isinstance(t.get("input_schema"), dict)]
    task = next((text_of(m["content"]) for m in messages if m["role"] == "user" and text_of(m["content"])), "")
    done = _calls_made(messages)
    for call, result in done:
        if result is not None and _unavailable(result):
            return Reply.text(_final_answer(done, stopped_by=call))
    plan = plan_calls(task, tools, _forced_tool(body))
    made = [(c.tool, json.dumps(c.input, sort_keys=True)) for c, _ in done]
    pending = [c for c in plan if (c.tool, json.dumps(c.input, sort_keys=True)) not in made]
    if pending:
        call = pending[0]
        preamble = f"I'll use {call.tool} with {_describe(call.input)}."
        return Reply(
            [{"type": "text", "text": preamble}, {"type": "tool_use", "name": call.tool, "input": call.input}],
            "tool_use",
        )
    if done:
        return Reply.text(_final_answer(done))
    missing = _unfillable(task, tools)
    if missing:
        return Reply.text(missing)
    names = ", ".join(t["name"] for t in tools)
    return Reply.text(f"None of the available tools ({names}) applies to this request, so I can't act on it.")


def _forced_tool(body: dict[str, Any]) -> str | None:
    choice = body.get("tool_choice") or {}
    return choice.get("name") if choice.get("type") == "tool" else None


def plan_calls(task: str, tools: list[dict[str, Any]], forced: str | None = None) -> list[Call]:
    """The tool calls a task asks for, in the order it mentions them; tools whose inputs it lacks are left out."""
    relevant = []
    for tool in tools:
        position = _relevance(task, tool, tools)
        if tool["name"] == forced:
            position = -1
        if position is None:
            continue
        tool_input = fill_input(task, tool, tools)
        if tool_input is not None:
            relevant.append((position, tool["name"], tool_input))
    relevant.sort(key=lambda item: item[0])
    return [Call(name, tool_input) for _, name, tool_input in relevant]


def _vocabulary(tool: dict[str, Any]) -> list[str]:
    name_words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_-]", " ", tool["name"])
    return content_terms(f"{name_words} {tool.get('description', '')}")


def _relevance(task: str, tool: dict[str, Any], tools: list[dict[str, Any]]) -> int | None:
    """Where the task first mentions something only this tool does (None if it never does)."""
    others = [set(_vocabulary(t)) for t in tools if t is not tool]
    shared = set.intersection(*others) if others else set()
    own = {t for t in _vocabulary(tool) if not (others and t in shared and all(t in o for o in others))}
    terms = content_terms(task)
    for position, term in enumerate(terms):
        if term in own:
            return position
    return None


def fill_input(task: str, tool: dict[str, Any], tools: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The tool's input filled from the task, valid against its schema; None if a required value is missing."""
    schema = tool["input_schema"]
    required = set(schema.get("required", []))
    filled: dict[str, Any] = {}
    for name, prop in (schema.get("properties") or {}).items():
        value = _value_for(task, name, prop, tools)
        if value is None:
            if name in required:
                return None
            continue
        filled[name] = value
    return filled


def _value_for(task: str, name: str, prop: dict[str, Any], tools: list[dict[str, Any]]) -> Any:
    kind = prop.get("type", "string")
    if kind in ("integer", "number"):
        number = _number_in(task)
        if number is None:
            return None
        low, high = prop.get("minimum"), prop.get("maximum")
        if (low is not None and number < low) or (high is not None and number > high):
            return None
        return int(number) if kind == "integer" else number
    if kind == "boolean":
        return None
    if kind != "string":
        return None
    candidates = _candidates(name, prop, tools)
    if candidates:
        return _mentioned(task, candidates)
    return _proper_noun(task)


def _candidates(name: str, prop: dict[str, Any], tools: list[dict[str, Any]]) -> list[str]:
    if prop.get("enum"):
        return [str(v) for v in prop["enum"]]
    listed = _listed(prop.get("description", ""))
    if listed:
        return listed
    for tool in tools:  # the same property may list its values in another tool
        other = (tool["input_schema"].get("properties") or {}).get(name) or {}
        listed = [str(v) for v in other.get("enum", [])] or _listed(other.get("description", ""))
        if listed:
            return listed
    return []


def _listed(description: str) -> list[str]:
    """Values a description enumerates after a colon: 'Product name: Widget, Gadget, Device, or Pro'."""
    if ":" not in description:
        return []
    tail = description.split(":", 1)[1]
    items = [re.sub(r"^\s*(?:or|and)\s+", "", part).strip(" .") for part in re.split(r",|\bor\b", tail)]
    return [i for i in items if i and len(i.split()) <= 3]


def _mentioned(task: str, candidates: list[str]) -> str | None:
    words = [stem(w) for w in re.findall(r"[A-Za-z0-9]+", task)]
    best: tuple[int, str] | None = None
    for candidate in candidates:
        key = [stem(w) for w in re.findall(r"[A-Za-z0-9]+", candidate)]
        for i in range(len(words) - len(key) + 1):
            if words[i : i + len(key)] == key:
                if best is None or i < best[0]:
                    best = (i, candidate)
                break
    return best[1] if best else None


def _proper_noun(task: str) -> str | None:
    for sentence in re.split(r"(?<=[.!?])\s+", task):
        words = re.findall(r"[A-Za-z][\w-]*", sentence)
        for word in words[1:]:
            if word[0].isupper() and word.lower() not in STOPWORDS:
                return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return None


def _number_in(task: str) -> float | None:
    found = []
    for match in re.finditer(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.]*\d)", task):
        found.append((match.start(), float(match.group(1))))
    lowered = task.lower()
    for words, value in _NUMBER_WORDS.items():
        for match in re.finditer(rf"\b{re.escape(words)}\b", lowered):
            found.append((match.start(), float(value)))
    if not found:
        return None
    return min(found)[1]


def _calls_made(messages: list[dict[str, Any]]) -> list[tuple[Call, Any]]:
    results: dict[str, Any] = {}
    for message in messages:
        if message["role"] == "user":
            for block in blocks(message["content"]):
                if block.get("type") == "tool_result":
                    results[block["tool_use_id"]] = _result_value(block)
    made = []
    for message in messages:
        if message["role"] == "assistant":
            for block in blocks(message["content"]):
                if block.get("type") == "tool_use":
                    made.append((Call(block["name"], block.get("input") or {}), results.get(block["id"])))
    return made


def _result_value(block: dict[str, Any]) -> Any:
    content = block.get("content", "")
    text = content if isinstance(content, str) else text_of(content)
    if block.get("is_error"):
        return {"error": text}
    try:
        return json.loads(text)
    except ValueError:
        return text


def _unavailable(result: Any) -> bool:
    if isinstance(result, dict) and "error" in result:
        return True
    return bool(_UNAVAILABLE.search(json.dumps(result) if not isinstance(result, str) else result))


def _describe(values: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in values.items()) or "no input"


def _final_answer(done: list[tuple[Call, Any]], stopped_by: Call | None = None) -> str:
    sentences = [_summary(call, result) for call, result in done if result is not None]
    if stopped_by is not None:
        sentences.append("I stopped there, before going any further with the request.")
    return " ".join(sentences)


def _money(value: Any) -> str:
    return f"${value:,.2f}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _summary(call: Call, result: Any) -> str:
    subject = " ".join(str(v) for v in call.input.values() if isinstance(v, str)) or call.tool
    if not isinstance(result, dict):
        return f"{call.tool} says: {result}"
    if "error" in result and len(result) == 1:
        return f"{call.tool} failed for {subject}: {result['error']}"
    if "status" in result:
        count = next((result[k] for k in ("stock", "quantity", "count", "available") if k in result), None)
        units = f" ({count} units)" if count is not None else ""
        return f"{subject} is {result['status']}{units}."
    price_key = next((k for k in ("total", "price", "cost", "amount") if k in result), None)
    if price_key is not None:
        numbers = {k: v for k, v in call.input.items() if isinstance(v, int | float) and not isinstance(v, bool)}
        count = " ".join(str(v) for v in numbers.values())
        what = f"{count} x {subject}" if count else subject
        details = [
            f"{_words(k)} {_money(result[k])}"
            for k in _PRICE_KEYS
            if k in result and k != price_key and result[k] not in (0, None)
        ]
        extra = f" ({', '.join(details)})" if details else ""
        return f"The {_words(price_key)} for {what} is {_money(result[price_key])}{extra}."
    listed = ", ".join(f"{_words(k)} {v}" for k, v in result.items())
    return f"{call.tool} for {subject}: {listed}."


def _words(key: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key).lower()


def _unfillable(task: str, tools: list[dict[str, Any]]) -> str | None:
    for tool in tools:
        if _relevance(task, tool, tools) is None:
            continue
        schema = tool["input_schema"]
        for name in schema.get("required", []):
            prop = (schema.get("properties") or {}).get(name, {})
            if _value_for(task, name, prop, tools) is None:
                hint = prop.get("description", name)
                return f"To use {tool['name']} I need the {name} ({hint}). Could you tell me?"
    return None
