"""Demo scripts: each pattern's seed "Verify" steps, run against a harness and reported as checks.

A demo is `demo(harness, report)`. To add one, import it and add one line to `DEMOS`: its key (what
`demo NAME` accepts) and its title, which starts with "Pattern N:" so that `--pattern N` finds it too.
"""

from harness_cli.demos.agentic import demo_agentic
from harness_cli.demos.choreography import demo_choreography
from harness_cli.demos.data_lake import demo_data_lake
from harness_cli.demos.document_intelligence import demo_document_intelligence
from harness_cli.demos.event_sourcing import demo_event_sourcing
from harness_cli.demos.orchestration import demo_orchestration
from harness_cli.demos.rag import demo_rag
from harness_cli.demos.registry import pattern_number, resolve_pattern
from harness_cli.demos.report import Report
from harness_cli.demos.scheduled_automation import demo_scheduled_automation
from harness_cli.demos.stream_processing import demo_stream_processing

DEMOS = {
    "stream-processing": ("Pattern 7: stream processing", demo_stream_processing),
    "orchestration": ("Pattern 8: orchestration workflow", demo_orchestration),
    "choreography": ("Pattern 9: choreography with EventBridge", demo_choreography),
    "scheduled-automation": ("Pattern 10: scheduled automation", demo_scheduled_automation),
    "rag": ("Pattern 11: serverless RAG", demo_rag),
    "agentic": ("Pattern 12: agentic AI", demo_agentic),
    "document-intelligence": ("Pattern 13: document intelligence", demo_document_intelligence),
    "data-lake": ("Pattern 14: serverless ETL & data lake", demo_data_lake),
    "event-sourcing": ("Pattern 15: event sourcing & CQRS", demo_event_sourcing),
}

__all__ = ["DEMOS", "Report", "pattern_number", "resolve_pattern"]
