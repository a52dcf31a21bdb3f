"""The local messages model: scripted replies first, then tool use, then answers grounded in the prompt."""

from __future__ import annotations

from typing import Any

from adapters.bedrock.conversation import Reply, blocks, system_text, text_of
from adapters.bedrock.grounded import answer, grounded_prompt
from adapters.bedrock.scripted import ScriptedReplies
from adapters.bedrock.text import squeeze
from adapters.bedrock.tool_planner import tools_reply


class LocalMessageModel:
    """Decides each turn deterministically from the request alone (the same request, the same reply)."""

    def __init__(self, scripted: ScriptedReplies | None = None) -> None:
        self.scripted = scripted or ScriptedReplies()

    def reply(self, body: dict[str, Any]) -> Reply:
        """The model's next turn for an Anthropic Messages request body."""
        scripted = self.scripted.next(body)
        if scripted is not None:
            return scripted
        messages = body["messages"]
        has_results = any(
            b.get("type") == "tool_result" for m in messages if m["role"] == "user" for b in blocks(m["content"])
        )
        if body.get("tools") or has_results:
            return tools_reply(body)
        last = text_of(messages[-1]["content"]) if messages[-1]["role"] == "user" else ""
        system = system_text(body)
        grounded = grounded_prompt(last) or (grounded_prompt(system, question=last) if system else None)
        if grounded is not None:
            return Reply.text(answer(grounded))
        return Reply.text(_plain_reply(last))


def _plain_reply(prompt: str) -> str:
    shown = squeeze(prompt)
    if len(shown) > 200:
        shown = shown[:197] + "..."
    return (
        "This is the harness's local model: it answers questions from context given in the prompt and "
        f"uses the tools it is given. It has no general knowledge to answer: {shown}"
    )
