"""Example retention classes, clearly marked as examples: the municipality replaces them with
the classes and decisions of its own information management plan (informationshanteringsplan)."""

from core.seedpage import upsert
from records.choices import RegistrationBasis
from records.models import RetentionClass, RetentionDefault

EXAMPLE_DECISION = "EXEMPEL – ersätt med kommunens gallringsbeslut"
# (code, name, years or None for "bevaras")
EXAMPLES = [
    ("exempel-kommentarer", "EXEMPEL: Kommentarer och meddelanden av tillfällig betydelse", 2),
    ("exempel-egna-inlagg", "EXEMPEL: Kommunens egna inlägg", None),
    ("exempel-modererat", "EXEMPEL: Dolt eller borttaget innehåll", 10),
]
# The example class each registration basis gets on every channel, until registrars set their
# own defaults: so that every capture has a class from the first day.
EXAMPLE_DEFAULTS = [
    (RegistrationBasis.REGISTERED, "exempel-modererat"),
    (RegistrationBasis.KEPT_IN_ORDER, "exempel-kommentarer"),
    (RegistrationBasis.LITTLE_IMPORTANCE, "exempel-kommentarer"),
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
    for basis, code in EXAMPLE_DEFAULTS:
        if not RetentionDefault.objects.filter(channel=None, registration_basis=basis).exists():
            RetentionDefault.objects.create(
                channel=None,
                registration_basis=basis,
                retention_class=RetentionClass.objects.get(code=code),
            )
    return f"{len(EXAMPLES)} example retention classes, defaults for {len(EXAMPLE_DEFAULTS)} bases"
