"""AgentOrchestrator: asks Claude what to do, calls the tools it picks through Lambda, until it answers.

As the seed, with two additions: a tool that fails is reported to the model as an error result (the
seed would hand it Lambda's error payload as if it were a result), and the answer lists the tools used
even when the iteration limit is reached.
"""

import json
import os

import boto3

bedrock = boto3.client("bedrock-runtime")
lam = boto3.client("lambda")
MODEL_ID = os.environ.get("MODEL_ID", "anthropic.claude-3-haiku-20240307-v1:0")
MAX_ITERATIONS = 5  # safety limit

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


def call_tool(tool_name, tool_input):
    result = lam.invoke(FunctionName=tool_name, Payload=json.dumps(tool_input))
    return json.loads(result["Payload"].read()), "FunctionError" in result


def lambda_handler(event, context):
    task = event.get("task", "What is the price of 3 Gadgets?")
    messages = [{"role": "user", "content": task}]
    tool_calls_made = []

    # Agentic loop — continue until model stops calling tools
    for _ in range(MAX_ITERATIONS):
        resp = bedrock.invoke_model(
            modelId=MODEL_ID,
            body=json.dumps(
                {
                    "anthropic_version": "bedrock-2023-05-31",
                    "max_tokens": 1000,
                    "tools": TOOLS,
                    "messages": messages,
                }
            ),
            contentType="application/json",
        )
        result = json.loads(resp["body"].read())
        stop_reason = result.get("stop_reason")

        if stop_reason == "end_turn":
            # Model has finished — extract final text
            final = next((b["text"] for b in result["content"] if b["type"] == "text"), "")
            print(f"Agent complete. Tools used: {tool_calls_made}")
            return {"task": task, "answer": final, "toolsUsed": tool_calls_made}

        if stop_reason == "tool_use":
            # Model wants to call a tool
            messages.append({"role": "assistant", "content": result["content"]})
            tool_results = []
            for block in result["content"]:
                if block["type"] == "tool_use":
                    print(f"Agent calling {block['name']} with {block['input']}")
                    tool_output, failed = call_tool(block["name"], block["input"])
                    tool_calls_made.append(block["name"])
                    tool_result = {
                        "type": "tool_result",
                        "tool_use_id": block["id"],
                        "content": json.dumps(tool_output),
                    }
                    if failed:
                        tool_result["is_error"] = True
                    tool_results.append(tool_result)
            messages.append({"role": "user", "content": tool_results})
        else:
            print(f"Agent stopped: {stop_reason}")
            return {"task": task, "error": f"Model stopped with {stop_reason}", "toolsUsed": tool_calls_made}

    print(f"Agent gave up after {MAX_ITERATIONS} iterations. Tools used: {tool_calls_made}")
    return {"task": task, "error": "Max iterations reached", "toolsUsed": tool_calls_made}
