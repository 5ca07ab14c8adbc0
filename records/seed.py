"""Example retention classes, clearly marked as examples: the municipality replaces them with
the classes and decisions of its own information management plan (informationshanteringsplan)."""

from config.seedpage import upsert
from records.models import RetentionClass

EXAMPLE_DECISION = "EXEMPEL – ersätt med kommunens gallringsbeslut"
# (code, name, years or None for "bevaras")
EXAMPLES = [
    ("exempel-kommentarer", "EXEMPEL: Kommentarer och meddelanden av tillfällig betydelse", 2),
    ("exempel-egna-inlagg", "EXEMPEL: Kommunens egna inlägg", None),
    ("exempel-modererat", "EXEMPEL: Dolt eller borttaget innehåll", 10),
]


def run() -> str:
    for code, name, years in EXAMPLES:
        upsert(
            RetentionClass,
            {"code": code},
            {
                "name": name,
                "retention_years": years,
                "decision_reference": EXAMPLE_DECISION,
                "is_example": True,
            },
        )
    return f"{len(EXAMPLES)} example retention classes"
