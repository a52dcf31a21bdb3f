"""One stack per pattern, with the seed's names and settings."""

from provisioning.stacks.event_sourcing import event_sourcing_stack
from provisioning.stacks.stream_processing import stream_processing_stack

STACKS = {
    "stream-processing": stream_processing_stack,
    "event-sourcing": event_sourcing_stack,
}

__all__ = ["STACKS", "event_sourcing_stack", "stream_processing_stack"]
