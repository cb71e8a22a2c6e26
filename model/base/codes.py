"""The codes the model stores in its numpy columns, with their names, defined once.

Each set of codes is a class of named integers (:class:`Codes`): its members are
the small integers held in the household table, the vacancy ledger and the
letting log (so ``table["group"] == Group.URGENT`` is an array comparison), and
its lower-case member names are what the results tables show (``GROUPS``,
``DWELLING_TYPES``, ...). A member's value fixes its code in every output:
append new members at the end.

They are plain ``int`` values, not ``enum.IntEnum`` members, on purpose: numpy
takes an ``IntEnum`` member for a 64-bit integer and converts a whole ``int8``
column to compare it (five times slower per comparison, about a tenth of a
month's time); a plain int it compares at the column's own width.

Adding a dwelling type starts with one member of :class:`DwellingType` and one
row of :data:`DWELLING_TYPE_INFO` here; its size limits and turnover go in
``model/inputs/data/defaults.toml``, and the rules of who may get it where they
act (the routes' options, the quota's size tiers, the advertised order:
docs/architecture.md lists them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np


class _CodesType(type):
    """Iterating a set of codes gives its members' values in order."""

    def __iter__(cls) -> Iterator[int]:
        return iter(cls._values)

    def __len__(cls) -> int:
        return len(cls._values)


class Codes(metaclass=_CodesType):
    """A set of named integer codes 0, 1, 2, ...: upper-case class attributes.

    ``len(Codes)``, ``for code in Codes`` and ``Codes.name(code)`` work as for an enum.
    """

    _values: tuple[int, ...] = ()
    _names: tuple[str, ...] = ()

    def __init_subclass__(cls) -> None:
        members = sorted(
            ((v, k) for k, v in vars(cls).items() if k.isupper() and isinstance(v, int)),
        )
        values = [v for v, _ in members]
        if values != list(range(len(values))):
            raise ValueError(f"{cls.__name__}: codes must be 0, 1, 2, ...; got {values}")
        cls._values = tuple(values)
        cls._names = tuple(k.lower() for _, k in members)

    @classmethod
    def name(cls, code: int) -> str:
        """A code's lower-case name."""
        return cls._names[code]


def names(codes: type[Codes]) -> tuple[str, ...]:
    """The lower-case names of a set of codes, in code order."""
    return codes._names


class Group(Codes):
    """The agent class a household entered as (it never changes)."""

    REGULAR = 0
    URGENT = 1
    STATUS_HOLDER = 2


class Situation(Codes):
    """Where a household lives while it waits (its "current situation")."""

    WITH_PARENTS = 0
    PRIVATE_RENT = 1
    DOUBLED_UP = 2
    SOCIAL_TENANT = 3  # a doorstromer: housing it frees a corporation home
    RECEPTION = 4
    TEMPORARY_HOME = 5  # a flex, start-up or shared home on a contract with an end date
    SHELTER = 6


class State(Codes):
    """A household row's life cycle."""

    WAITING = 0
    HOUSED = 1
    LEFT = 2


class ExitReason(Codes):
    """Why a household left the market without a social home."""

    PRIVATE_RENT = 0
    BUY = 1
    MOVE_AWAY = 2
    OTHER = 3


class UrgencyGround(Codes):
    """The ground of an urgency declaration."""

    MEDICAL = 0
    SOCIAL = 1
    LEAVING_SHELTER = 2
    DIVORCE_WITH_CHILDREN = 3
    URBAN_RENEWAL = 4
    OTHER = 5


class StatusHolderType(Codes):
    """A status-holder household's type."""

    SINGLE = 0
    SINGLE_WAITING_FOR_FAMILY = 1  # alleengaand: family abroad will follow
    FAMILY_WITH_CHILDREN = 2
    LARGE_FAMILY = 3  # six or more persons


class DwellingType(Codes):
    """The dwelling types, each with its own stock, turnover, eligibility and routes."""

    SMALL = 0
    MEDIUM = 1
    LARGE = 2
    ROOM = 3
    FLEX = 4
    STARTUP = 5
    SHARED = 6


@dataclass(frozen=True)
class DwellingTypeInfo:
    """What the model needs to know of a dwelling type.

    Attributes:
        label_nl: Its name in Dutch (the app, the figures).
        self_contained: Counted in CBS's "self-contained corporation homes let",
            and in the base of the priority routes' caps.
        permanent: Part of the permanent self-contained stock (new construction,
            tightness-dependent turnover, sales, demolition).
        step: A temporary home: its tenant holds a contract with an end date
            (``stock.{name}_contract_months``), keeps searching for a home of
            its own and returns to the queue when the contract ends; a letting
            of it is not "housed for good".
    """

    label_nl: str
    self_contained: bool
    permanent: bool = False
    step: bool = False


DWELLING_TYPE_INFO = {
    DwellingType.SMALL: DwellingTypeInfo("klein zelfstandig", True, permanent=True),
    DwellingType.MEDIUM: DwellingTypeInfo("middelgroot zelfstandig", True, permanent=True),
    DwellingType.LARGE: DwellingTypeInfo("groot zelfstandig (6+)", True, permanent=True),
    DwellingType.ROOM: DwellingTypeInfo("studenten- en campuskamer", False),
    DwellingType.FLEX: DwellingTypeInfo("flexwoning", True, step=True),
    DwellingType.STARTUP: DwellingTypeInfo("opstartwoning", False, step=True),
    DwellingType.SHARED: DwellingTypeInfo("plek in een deelwoning", False, step=True),
}


class Origin(Codes):
    """Where a vacancy came from."""

    TURNOVER = 0  # a background tenant left the social stock
    CHAIN = 1  # a housed or departed household freed its home
    NEW_CONSTRUCTION = 2
    FLEX_ADDITION = 3
    STARTUP_ADDITION = 4
    SHARED_CONVERSION = 5
    RECEPTION_CONVERSION = 6


# The origins of a place's first letting (a place added), against a re-letting.
FIRST_LETTING_ORIGINS = (
    Origin.NEW_CONSTRUCTION,
    Origin.FLEX_ADDITION,
    Origin.STARTUP_ADDITION,
    Origin.SHARED_CONVERSION,
    Origin.RECEPTION_CONVERSION,
)


class Route(Codes):
    """How a letting was made (recorded with every letting).

    The allocation runs *steps* in the order of the lever
    ``allocation.route_order`` (``large_pool``, ``urgent``, ``quota``,
    ``family``, ``advertised``); :data:`STEP_ROUTES` says which routes each
    step records.
    """

    URGENT = 0  # direct placement of urgent households
    QUOTA = 1  # municipalities placing linked status holders for the quota
    REGISTRATION = 2  # an advertised home, by registration time
    LOTTERY = 3  # an advertised home, by lottery
    FAMILY = 4  # generic priority for families with minor children
    LARGE_POOL = 5  # the national pool of large homes for households of six or more
    STATUS_HOLDER_PRIORITY = 6  # priority for status holders without the quota's obligation


STEP_ROUTES = {
    "large_pool": (Route.LARGE_POOL,),
    "urgent": (Route.URGENT,),
    "quota": (Route.QUOTA, Route.STATUS_HOLDER_PRIORITY),
    "family": (Route.FAMILY,),
    "advertised": (Route.REGISTRATION, Route.LOTTERY),
}

NOBODY = -1  # a vacancy reserved for no group
NO_GROUND = -1  # no urgency declaration
NO_SH_TYPE = -1  # not a status holder

GROUPS = names(Group)
SITUATIONS = names(Situation)
EXIT_REASONS = names(ExitReason)
URGENCY_GROUNDS = names(UrgencyGround)
SH_TYPES = names(StatusHolderType)
DWELLING_TYPES = names(DwellingType)
ORIGINS = names(Origin)
ROUTES = names(Route)

N_TYPES = len(DwellingType)
DWELLING_LABELS_NL = tuple(DWELLING_TYPE_INFO[t].label_nl for t in DwellingType)
PERMANENT_TYPES = tuple(t for t in DwellingType if DWELLING_TYPE_INFO[t].permanent)
STEP_TYPES = tuple(t for t in DwellingType if DWELLING_TYPE_INFO[t].step)
TEMPORARY_NAMES = tuple(DWELLING_TYPES[t] for t in STEP_TYPES)
# Per dwelling type code: a temporary home (a step, not a home for good)?
TEMPORARY = np.array([DWELLING_TYPE_INFO[t].step for t in DwellingType])
# Per dwelling type code: self-contained? Per origin code: a first letting?
SELF_CONTAINED = np.array([DWELLING_TYPE_INFO[t].self_contained for t in DwellingType])
FIRST_LETTING = np.array([o in FIRST_LETTING_ORIGINS for o in Origin])
