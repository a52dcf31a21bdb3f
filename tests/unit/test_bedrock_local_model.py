"""The local messages model: answers grounded in the prompt's context, tool use, scripted replies.

Tool use on Bedrock: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-tool-use.html
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from adapters.bedrock import LocalBedrock, Reply, tool_use

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
REFUSAL = "I don't have that information in my knowledge base."
DOCUMENTS = {
    "Lambda Basics": "AWS Lambda runs code without provisioning servers. It scales automatically from zero to "
    "thousands of concurrent executions. You pay only for the compute time consumed — there is no charge when "
    "code is not running.",
    "DynamoDB": "Amazon DynamoDB is a fully managed serverless NoSQL database. It delivers single-digit millisecond "
    "performance at any scale and supports both key-value and document data models.",
    "API Gateway": "Amazon API Gateway creates, publishes, maintains, monitors, and secures APIs at any scale.",
    "EventBridge": "Amazon EventBridge is a serverless event bus that makes it easy to connect applications.",
}
TOOLS = [
    {
        "name": "PriceCalculator",
        "description": "Calculate the total price for a product and quantity, including bulk discounts.",
        "input_schema": {
            "type": "object",
            "properties": {
                "product": {"type": "string", "description": "Product name: Widget, Gadget, Device, or Pro"},
                "quantity": {"type": "integer", "description": "Number of units"},
            },
            "required": ["product", "quantity"],
        },
    },
    {
        "name": "InventoryChecker",
        "description": "Check current inventory levels for a product.",
        "input_schema": {
            "type": "object",
            "properties": {"product": {"type": "string", "description": "Product name to check"}},
            "required": ["product"],
        },
    },
]
PRICES = {"Widget": 9.99, "Gadget": 49.99, "Device": 199.99, "Pro": 399.99}
STOCK = {"Widget": 150, "Gadget": 23, "Device": 8, "Pro": 0}


def rag_prompt(question: str, documents: dict[str, str] = DOCUMENTS) -> str:
    """The seed's RAGQuery prompt."""
    context = "\n".join(f"[{title}]: {text}" for title, text in documents.items())
    return f"""Using ONLY the context below, answer the question concisely.
If the answer is not in the context, say "I don't have that information in my knowledge base."

Context:
{context}

Question: {question}
Answer:"""


def ask(bedrock: LocalBedrock, text: str, **extra) -> dict:
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 500,
        "messages": [{"role": "user", "content": text}],
    }
    return bedrock.create_message(HAIKU, {**body, **extra})


def run_tool(name: str, tool_input: dict) -> dict:
    """The seed's PriceCalculator and InventoryChecker."""
    product = tool_input["product"]
    if name == "InventoryChecker":
        stock = STOCK.get(product, 0)
        status = "in stock" if stock > 10 else ("low stock" if stock > 0 else "out of stock")
        return {"product": product, "stock": stock, "status": status}
    qty = int(tool_input["quantity"])
    total = round(PRICES.get(product, 0) * qty, 2)
    discount = round(total * 0.1, 2) if qty >= 5 else 0
    return {
        "product": product,
        "quantity": qty,
        "subtotal": total,
        "discount": discount,
        "total": round(total - discount, 2),
    }


def agent(bedrock: LocalBedrock, task: str) -> tuple[str, list[tuple[str, dict]]]:
    """The seed's AgentOrchestrator loop, in process; returns the answer and the tool calls made."""
    messages = [{"role": "user", "content": task}]
    calls = []
    for _ in range(5):
        body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1000, "tools": TOOLS, "messages": messages}
        result = bedrock.create_message(HAIKU, body)
        if result["stop_reason"] == "end_turn":
            return next(b["text"] for b in result["content"] if b["type"] == "text"), calls
        assert result["stop_reason"] == "tool_use"
        messages.append({"role": "assistant", "content": result["content"]})
        results = []
        for block in result["content"]:
            if block["type"] == "tool_use":
                schema = next(t["input_schema"] for t in TOOLS if t["name"] == block["name"])
                jsonschema.validate(block["input"], schema)
                calls.append((block["name"], block["input"]))
                output = run_tool(block["name"], block["input"])
                results.append({"type": "tool_result", "tool_use_id": block["id"], "content": json.dumps(output)})
        messages.append({"role": "user", "content": results})
    raise AssertionError("the agent never finished")


def test_lambda_scaling_is_answered_from_the_lambda_passage_and_cited():
    text = ask(LocalBedrock(), rag_prompt("How does Lambda handle scaling?"))["content"][0]["text"]

    assert "scales automatically from zero to thousands of concurrent executions" in text
    assert text.endswith("[Source: Lambda Basics]")


def test_millisecond_performance_is_answered_from_the_dynamodb_passage():
    text = ask(LocalBedrock(), rag_prompt("What database would you use for millisecond performance?"))["content"][0][
        "text"
    ]

    assert "single-digit millisecond performance" in text
    assert "[Source: DynamoDB]" in text


def test_a_question_the_context_does_not_answer_gets_the_prompt_s_exact_refusal():
    response = ask(LocalBedrock(), rag_prompt("What is the capital of France?"))

    assert response["content"] == [{"type": "text", "text": REFUSAL}]
    assert response["stop_reason"] == "end_turn"


def test_the_refusal_is_the_one_the_prompt_asks_for():
    prompt = rag_prompt("Who won the 1998 World Cup?").replace(REFUSAL, "No idea, sorry.")

    assert ask(LocalBedrock(), prompt)["content"][0]["text"] == "No idea, sorry."


def test_an_empty_context_always_refuses():
    assert ask(LocalBedrock(), rag_prompt("How does Lambda scale?", {}))["content"][0]["text"] == REFUSAL


def test_context_in_the_system_prompt_and_plain_paragraphs_work_too():
    system = "Context:\nThe Widget weighs 3 kilograms.\n\nThe Gadget is blue."
    text = ask(LocalBedrock(), "Which gadget is blue?", system=system)

    assert text["content"][0]["text"] == "The Gadget is blue."


def test_the_same_request_gets_the_same_answer_and_id():
    first, second = ask(LocalBedrock(), "hello"), ask(LocalBedrock(), "hello")

    assert first == second


def test_five_gadgets_are_priced_with_the_bulk_discount():
    answer, calls = agent(LocalBedrock(), "I need to buy 5 Gadgets. What will the total cost be?")

    assert calls == [("PriceCalculator", {"product": "Gadget", "quantity": 5})]
    assert "$224.95" in answer


def test_devices_are_checked_then_priced_for_two_units():
    answer, calls = agent(LocalBedrock(), "Check if Devices are available and tell me the price for 2 units.")

    assert calls == [
        ("InventoryChecker", {"product": "Device"}),
        ("PriceCalculator", {"product": "Device", "quantity": 2}),
    ]
    assert "low stock (8 units)" in answer and "$399.98" in answer


def test_pros_are_reported_out_of_stock_and_never_priced():
    answer, calls = agent(LocalBedrock(), "I want to order some Pros but first check if they're in stock.")

    assert calls == [("InventoryChecker", {"product": "Pro"})]
    assert "Pro is out of stock" in answer and "$" not in answer


def test_a_tool_whose_required_input_the_task_lacks_is_asked_about_instead():
    answer, calls = agent(LocalBedrock(), "What would Gadgets cost me?")

    assert calls == []
    assert "quantity" in answer


def test_a_task_no_tool_fits_is_answered_without_calls():
    answer, calls = agent(LocalBedrock(), "Write me a poem about the sea.")

    assert calls == [] and "None of the available tools" in answer


def test_a_tool_error_stops_the_agent_and_is_reported():
    bedrock = LocalBedrock()
    first = ask(bedrock, "I need 3 Widgets, what is the price?", tools=TOOLS)
    use = next(b for b in first["content"] if b["type"] == "tool_use")
    error = {"type": "tool_result", "tool_use_id": use["id"], "content": "service down", "is_error": True}
    messages = [
        {"role": "user", "content": "I need 3 Widgets, what is the price?"},
        {"role": "assistant", "content": first["content"]},
        {"role": "user", "content": [error]},
    ]

    final = bedrock.create_message(
        HAIKU, {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 500, "tools": TOOLS, "messages": messages}
    )

    assert final["stop_reason"] == "end_turn"
    assert "PriceCalculator failed for Widget: service down" in final["content"][0]["text"]


def test_tool_use_ids_are_well_formed_and_the_turn_stops_for_tool_use():
    response = ask(LocalBedrock(), "How much are 2 Widgets?", tools=TOOLS)

    use = next(b for b in response["content"] if b["type"] == "tool_use")
    assert use["id"].startswith("toolu_bdrk_")
    assert response["stop_reason"] == "tool_use"


def test_scripted_replies_come_first_in_order_and_record_the_requests():
    bedrock = LocalBedrock()
    bedrock.script([tool_use("InventoryChecker", {"product": "Widget"})], "All done.")

    first = ask(bedrock, "anything", tools=TOOLS)
    second = ask(bedrock, "anything else")
    third = ask(bedrock, rag_prompt("What is the capital of France?"))

    assert first["stop_reason"] == "tool_use" and first["content"][0]["name"] == "InventoryChecker"
    assert second["content"] == [{"type": "text", "text": "All done."}]
    assert third["content"][0]["text"] == REFUSAL  # the script ran out: the local model answers again
    assert [r["messages"][0]["content"] for r in bedrock.scripted.requests] == ["anything", "anything else"]


def test_a_repeating_script_answers_forever_and_a_callable_sees_the_request():
    bedrock = LocalBedrock()
    bedrock.script(lambda body: Reply.text(f"{len(body['messages'])} message(s)"), repeat=True)

    assert [ask(bedrock, "x")["content"][0]["text"] for _ in range(3)] == ["1 message(s)"] * 3


def test_a_scripted_value_of_the_wrong_kind_is_refused_clearly():
    bedrock = LocalBedrock()
    bedrock.script(42)

    with pytest.raises(TypeError, match="a scripted reply must be"):
        ask(bedrock, "x")
