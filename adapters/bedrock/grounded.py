"""Answers from a prompt's own context: the passage that holds the answer, cited, or the prompt's refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.bedrock.text import content_terms, sentences

REFUSAL = "I don't have that information in my knowledge base."
# Share of the question's meaning-bearing words a passage must contain to count as holding the answer.
COVERAGE = 0.6
_CONTEXT = re.compile(r"(?:^|\n)[ \t]*Context:(.*?)(?=\n[ \t]*Question:|\Z)", re.S | re.I)
_TAGGED = re.compile(r"<(?:context|documents?|search_results)>(.*?)</(?:context|documents?|search_results)>", re.S)
_QUESTION = re.compile(r"(?:^|\n)\s*Question:\s*(.*?)(?=\n\s*Answer:|\Z)", re.S | re.I)
_REFUSAL = re.compile(r"""\bsay[:,]?\s*["“]([^"”]+)["”]""", re.I)
_TITLED = re.compile(r"^\s*\[([^\]]+)\]\s*:?\s*(.*)$")
# Words that ask rather than mean: they never decide whether a passage answers.
_ASKING = {"explain", "describe", "happen", "work", "handl", "tell", "wonder", "mean", "defin", "kind", "type"}


@dataclass(frozen=True)
class Passage:
    """One piece of context, with the title it was given (if any)."""

    title: str
    text: str


@dataclass(frozen=True)
class GroundedPrompt:
    """A prompt that gives context and asks a question about it."""

    passages: list[Passage]
    question: str
    refusal: str


def grounded_prompt(prompt: str, question: str | None = None) -> GroundedPrompt | None:
    """The context, question and refusal sentence of a RAG prompt; None if the prompt gives no context.

    `question` is asked about the context when the prompt itself (a system prompt) holds no question.
    """
    context = _CONTEXT.search(prompt) or _TAGGED.search(prompt)
    if context is None:
        return None
    question_match = _QUESTION.search(prompt)
    if question_match:
        question = question_match.group(1).strip()
    elif question is None:
        after = prompt[context.end() :].strip()
        question = after or prompt[: context.start()].strip()
    refusal_match = _REFUSAL.search(prompt)
    refusal = refusal_match.group(1).strip() if refusal_match else REFUSAL
    return GroundedPrompt(passages(context.group(1)), question, refusal)


def passages(context: str) -> list[Passage]:
    """`[Title]: text` lines, or else blank-line separated paragraphs."""
    lines = [line for line in context.strip().splitlines() if line.strip()]
    if lines and all(_TITLED.match(line) for line in lines):
        return [Passage(*_TITLED.match(line).groups()) for line in lines]  # type: ignore[union-attr]
    found: list[Passage] = []
    for paragraph in re.split(r"\n\s*\n", context.strip()):
        titled = _TITLED.match(paragraph)
        found.append(Passage(*titled.groups()) if titled else Passage("", paragraph.strip()))
    return [p for p in found if p.text]


def answer(prompt: GroundedPrompt) -> str:
    """The sentences of the best passage that answer the question, with its title cited; else the refusal."""
    asked = {t for t in content_terms(prompt.question) if t not in _ASKING}
    if not asked:
        return prompt.refusal
    best: tuple[float, int, Passage] | None = None
    for order, passage in enumerate(prompt.passages):
        held = set(content_terms(f"{passage.title} {passage.text}"))
        coverage = len(asked & held) / len(asked)
        if best is None or coverage > best[0]:
            best = (coverage, -order, passage)
    if best is None or best[0] < COVERAGE:
        return prompt.refusal
    passage = best[2]
    chosen = _answering_sentences(passage, asked)
    citation = f" [Source: {passage.title}]" if passage.title else ""
    return " ".join(chosen) + citation


def _answering_sentences(passage: Passage, asked: set[str]) -> list[str]:
    parts = sentences(passage.text)
    title_terms = set(content_terms(passage.title))
    chosen = [i for i, s in enumerate(parts) if asked & (set(content_terms(s)) - (title_terms - asked))]
    if not chosen:
        chosen = [0]
    # A sentence that starts with a pronoun needs the one that names its subject.
    if chosen[0] > 0 and re.match(r"^(It|They|This|These|Its)\b", parts[chosen[0]]):
        chosen.insert(0, 0)
    return [parts[i] for i in chosen]
