"""Pattern 15, event sourcing and CQRS: EventStore -> stream -> BalanceProjection -> AccountBalance."""

from __future__ import annotations

from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.dynamodb import DynamoTable
from provisioning.stack import Stack, Trigger

EVENT_STORE = "EventStore"
BALANCES = "AccountBalance"


def event_sourcing_stack(event_store: str = EVENT_STORE, balances: str = BALANCES) -> Stack:
    """The seed's tables (stream NEW_AND_OLD_IMAGES), its four functions and the batch-10 trigger."""
    tables = {"EVENT_STORE_TABLE": event_store, "BALANCE_TABLE": balances}
    module = "handlers.event_sourcing"
    return Stack(
        "event-sourcing",
        resources=[
            DynamoTable(
                event_store,
                partition_key=("aggregateId", "S"),
                sort_key=("eventId", "S"),
                stream_view_type="NEW_AND_OLD_IMAGES",
            ),
            DynamoTable(balances, partition_key=("accountId", "S")),
        ],
        functions=[
            FunctionSpec("AccountCommand", f"{module}.account_command.lambda_handler", environment=tables),
            FunctionSpec("BalanceProjection", f"{module}.balance_projection.lambda_handler", environment=tables),
            FunctionSpec("AccountQuery", f"{module}.account_query.lambda_handler", environment=tables),
            FunctionSpec(
                "BalanceRebuilder", f"{module}.balance_rebuilder.lambda_handler", timeout=60, environment=tables
            ),
        ],
        triggers=[
            Trigger("BalanceProjection", event_store, MappingSettings(batch_size=10, starting_position="LATEST")),
        ],
    )
