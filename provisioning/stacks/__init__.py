"""One stack per pattern, with the seed's names and settings."""

from provisioning.stacks.agentic import agentic_stack
from provisioning.stacks.choreography import choreography_stack
from provisioning.stacks.data_lake import data_lake_stack
from provisioning.stacks.document_intelligence import document_intelligence_stack
from provisioning.stacks.event_sourcing import event_sourcing_stack
from provisioning.stacks.orchestration import orchestration_stack
from provisioning.stacks.rag import rag_stack
from provisioning.stacks.scheduled_automation import scheduled_automation_stack
from provisioning.stacks.stream_processing import stream_processing_stack

STACKS = {
    "stream-processing": stream_processing_stack,
    "orchestration": orchestration_stack,
    "choreography": choreography_stack,
    "scheduled-automation": scheduled_automation_stack,
    "rag": rag_stack,
    "agentic": agentic_stack,
    "document-intelligence": document_intelligence_stack,
    "data-lake": data_lake_stack,
    "event-sourcing": event_sourcing_stack,
}

__all__ = [
    "STACKS",
    "agentic_stack",
    "choreography_stack",
    "data_lake_stack",
    "document_intelligence_stack",
    "event_sourcing_stack",
    "orchestration_stack",
    "rag_stack",
    "scheduled_automation_stack",
    "stream_processing_stack",
]
