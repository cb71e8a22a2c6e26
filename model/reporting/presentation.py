"""Labels and colours shared by the figures, the command line and the app.

One colour per group everywhere (house style), labels in Dutch first and
English second.
"""

from __future__ import annotations

from model.base.codes import DWELLING_LABELS_NL, DWELLING_TYPES, GROUPS, ROUTES

GROUP_COLORS = {
    "regular": "#1f77b4",  # blue
    "urgent": "#ff7f0e",  # orange
    "status_holder": "#2ca02c",  # green
}
GROUP_LABELS = {
    "nl": {
        "regular": "reguliere woningzoekenden",
        "urgent": "urgenten",
        "status_holder": "statushouders",
    },
    "en": {
        "regular": "regular seekers",
        "urgent": "urgent seekers",
        "status_holder": "status holders",
    },
}
ROUTE_LABELS = {
    "nl": {
        "urgent": "urgentie (directe bemiddeling)",
        "quota": "taakstelling (directe bemiddeling)",
        "registration": "inschrijfduur",
        "lottery": "loting",
        "family": "generieke voorrang gezinnen met kinderen",
        "large_pool": "landelijke pool grote gezinnen",
        "status_holder_priority": "voorrang statushouders zonder taakstelling",
    },
    "en": {
        "urgent": "urgency (direct placement)",
        "quota": "quota (direct placement)",
        "registration": "registration time",
        "lottery": "lottery",
        "family": "generic priority for families with children",
        "large_pool": "national pool for large families",
        "status_holder_priority": "status-holder priority without the quota",
    },
}
DWELLING_LABELS = {
    "nl": dict(zip(DWELLING_TYPES, DWELLING_LABELS_NL, strict=True)),
    "en": {
        "small": "small self-contained",
        "medium": "medium self-contained",
        "large": "large self-contained (6+)",
        "room": "student or campus room",
        "flex": "flex home",
        "startup": "start-up home",
        "shared": "place in a shared home",
    },
}

LABEL_SETS = {"groups": GROUPS, "routes": ROUTES, "dwelling types": DWELLING_TYPES}


def group_label(group: str, lang: str = "nl") -> str:
    """A group's name in Dutch (``nl``) or English (``en``)."""
    return GROUP_LABELS[lang][group]
