"""Pattern 8, orchestration: the OrderPipeline state machine over CheckInventory, ProcessPayment, ShipOrder."""

from __future__ import annotations

from harness.functions.spec import FunctionSpec
from provisioning.builders.iam import Role
from provisioning.builders.stepfunctions import STATES_TRUST_POLICY, StateMachine
from provisioning.stack import Stack

STATE_MACHINE = "OrderPipeline"
# The role the console would create for it ("Create new role").
ROLE = "StepFunctions-OrderPipeline-role"

# The seed's definition, unchanged: the builder fills in REGION and ACCOUNT for the account.
ORDER_PIPELINE_DEFINITION = """{
  "Comment": "Order Processing Pipeline",
  "StartAt": "CheckInventory",
  "States": {
    "CheckInventory": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:REGION:ACCOUNT:function:CheckInventory",
      "Retry": [{
        "ErrorEquals": ["States.TaskFailed"],
        "MaxAttempts": 1
      }],
      "Catch": [{
        "ErrorEquals": ["States.ALL"],
        "Next": "OrderFailed",
        "ResultPath": "$.error"
      }],
      "Next": "ProcessPayment"
    },
    "ProcessPayment": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:REGION:ACCOUNT:function:ProcessPayment",
      "Next": "ShipOrder"
    },
    "ShipOrder": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:REGION:ACCOUNT:function:ShipOrder",
      "Next": "OrderComplete"
    },
    "OrderComplete": {
      "Type": "Succeed"
    },
    "OrderFailed": {
      "Type": "Fail",
      "Error": "OutOfStock",
      "Cause": "Item unavailable at time of order"
    }
  }
}
"""


def orchestration_stack(definition: str = ORDER_PIPELINE_DEFINITION) -> Stack:
    """The seed's three workers and the OrderPipeline state machine (Standard), with the role it runs as."""
    return Stack(
        "orchestration",
        resources=[
            Role(ROLE, trust_policy=STATES_TRUST_POLICY),
            StateMachine(STATE_MACHINE, definition, role=ROLE),
        ],
        functions=[
            FunctionSpec("CheckInventory", "handlers.orchestration.check_inventory.lambda_handler"),
            FunctionSpec("ProcessPayment", "handlers.orchestration.process_payment.lambda_handler"),
            FunctionSpec("ShipOrder", "handlers.orchestration.ship_order.lambda_handler"),
        ],
    )
