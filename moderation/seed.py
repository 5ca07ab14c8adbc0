"""The eight published grounds for removing content, worded as on the municipality's page."""

from config.seedpage import INTRODUCTION, bullets, upsert
from moderation.models import Ground

BRB = "brottsbalken"
GROUNDS = [
    # code, legal basis, mandatory removal, rationale required, police report
    (
        "threat-incitement",
        f"Lag (1998:112) 5 §; 4 kap. 5 § {BRB} (olaga hot), 16 kap. 5 § {BRB} (uppvigling).",
        True,
        False,
        True,
    ),
    (
        "incitement-to-crime",
        f"Lag (1998:112) 5 §; 16 kap. 5 § {BRB} (uppvigling).",
        True,
        False,
        True,
    ),
    (
        "harassment",
        f"Lag (1998:112) 5 §; 4 kap. 6 c § {BRB} (olaga integritetsintrång), 16 kap. 8 § {BRB} "
        "(hets mot folkgrupp); kränkningar och förolämpningar enligt kommunens riktlinjer.",
        True,
        False,
        False,
    ),
    (
        "violence-pornography",
        f"Lag (1998:112) 5 §; 16 kap. 10 a § {BRB} (barnpornografibrott), 16 kap. 10 c § {BRB} "
        "(olaga våldsskildring).",
        True,
        False,
        True,
    ),
    (
        "copyright",
        "Lag (1998:112) 5 §; lag (1960:729) om upphovsrätt till litterära och konstnärliga verk.",
        True,
        False,
        False,
    ),
    (
        "sensitive-information",
        "Offentlighets- och sekretesslagen (2009:400); kommunens riktlinjer för sociala medier.",
        False,
        False,
        False,
    ),
    (
        "marketing",
        "Regeringsformen 1 kap. 9 § (saklighet och opartiskhet); kommunens riktlinjer.",
        False,
        True,
        False,
    ),
    (
        "political",
        "Regeringsformen 1 kap. 9 § (saklighet och opartiskhet); kommunens riktlinjer.",
        False,
        True,
        False,
    ),
]


def run() -> str:
    wordings = bullets(INTRODUCTION)
    if len(wordings) != len(GROUNDS):
        raise ValueError(f"The page lists {len(wordings)} rules, the seed knows {len(GROUNDS)}.")
    for order, (wording, (code, basis, mandatory, rationale, police)) in enumerate(
        zip(wordings, GROUNDS, strict=True), start=1
    ):
        upsert(
            Ground,
            {"code": code},
            {
                "order": order,
                "wording": wording,
                "legal_basis": basis,
                "mandatory_removal": mandatory,
                "requires_rationale": rationale,
                "police_report": police,
            },
        )
    return f"{len(GROUNDS)} grounds"
