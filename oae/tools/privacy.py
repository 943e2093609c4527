"""A person's tool results for the data-protection tools: copied whole, and deleted on erasure
(a result is the client's own business plan: nothing in it is a statistic). Registered with the
privacy registry by `ToolsConfig.ready`."""

from oae.privacy.registry import as_row
from oae.tools.models import ToolResult

PERSONAL_MODELS = (ToolResult,)


def person_tool_data(person) -> dict[str, list[dict]]:
    return {"tool_results": [as_row(r) for r in ToolResult.objects.filter(person=person)]}


def results_of(person):
    """The person's results (audit rows name them by their title)."""
    return ToolResult.objects.filter(person=person)


def person_tool_erase(person) -> None:
    ToolResult.objects.filter(person=person).delete()
