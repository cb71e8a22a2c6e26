"""Allocation of one month's vacancies, route by route.

Each region is its own market. In each region the routes in force run in the
policy's order (default: urgent placements, quota placements, advertised
homes). Two kinds of route exist:

* a **priority route** places ranked candidates one by one (oldest urgency
  declaration first, oldest permit first, ...) in the first available
  dwelling on their preference list that fits their household size, up to a
  cap on how many regular self-contained vacancies the route may take and,
  for the quota, on how many persons the municipality still has to house
  (the caps count open self-contained vacancies: rooms, start-up homes and
  homes reserved for the route's group are not capped);
* the **advertised route** lets every remaining vacancy to the households
  that react this month: a ``lottery_share`` of them by lottery ticket, the
  rest by registration time (oldest registration first). Dwelling types are
  let from the most to the least restrictive (large homes first, with
  households of six or more ranked before smaller ones, as in passend
  toewijzen), so that no type takes the households another type needs.

Refusals: a candidate who refuses is skipped; an urgent household that
refuses a suitable direct offer loses its urgency. Status holders placed for
the quota accept (assumption: refusing ends their reception entitlement).

Every function here is pure: it takes arrays and returns the lettings, so the
allocation order can be tested on random small markets (tests/).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from model.stock import FLEX, LARGE, MEDIUM, NOBODY, ROOM, SELF_CONTAINED, SMALL, STARTUP

# Route codes recorded with every letting (append new ones at the end).
ROUTES = ("urgent", "quota", "registration", "lottery", "family", "large_pool")
(URGENT_ROUTE, QUOTA_ROUTE, REGISTRATION_ROUTE, LOTTERY_ROUTE, FAMILY_ROUTE, LARGE_POOL_ROUTE) = (
    range(6)
)

# Order in which the advertised route lets dwelling types: most restrictive first.
ADVERTISED_TYPE_ORDER = (LARGE, ROOM, SMALL, FLEX, STARTUP, MEDIUM)


@dataclass
class Vacancies:
    """The vacancies on offer in one month (all regions).

    Attributes:
        region: Region of each vacancy.
        type: Dwelling type of each vacancy.
        reserved_for: Group the vacancy is reserved for, or NOBODY.
        let: True once the vacancy has been let this month.
    """

    region: np.ndarray
    type: np.ndarray
    reserved_for: np.ndarray
    let: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.let = np.zeros(len(self.region), bool)

    def capped_count(self, n_regions: int) -> np.ndarray:
        """Open self-contained vacancies per region: the base of the priority routes' caps."""
        capped = SELF_CONTAINED[self.type] & (self.reserved_for == NOBODY)
        return np.bincount(self.region[capped], minlength=n_regions)


@dataclass
class Lettings:
    """Lettings made this month: parallel arrays."""

    vacancy: list[np.ndarray] = field(default_factory=list)
    household: list[np.ndarray] = field(default_factory=list)
    route: list[np.ndarray] = field(default_factory=list)

    def add(self, vacancy: np.ndarray, household: np.ndarray, route: int) -> None:
        """Record lettings of ``vacancy[i]`` to ``household[i]`` by ``route``."""
        if len(vacancy):
            self.vacancy.append(np.asarray(vacancy, np.int64))
            self.household.append(np.asarray(household, np.int64))
            self.route.append(np.full(len(vacancy), route, np.int8))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vacancy indices, household rows, route codes)."""
        if not self.vacancy:
            empty = np.zeros(0, np.int64)
            return empty, empty, np.zeros(0, np.int8)
        return (
            np.concatenate(self.vacancy),
            np.concatenate(self.household),
            np.concatenate(self.route),
        )


# Options of the priority routes: ordered (dwelling type, take one reserved for
# the route's group). ROOM options apply only to candidates who may get a room.
URGENT_OPTIONS = ((SMALL, False), (MEDIUM, False), (LARGE, False), (FLEX, False))
FAMILY_OPTIONS = URGENT_OPTIONS
QUOTA_OPTIONS = (
    (STARTUP, False),
    (FLEX, True),
    (ROOM, False),
    (SMALL, False),
    (MEDIUM, False),
    (LARGE, False),
    (FLEX, False),
)
# While priority for status holders is banned the quota can still be met with
# start-up homes, flex homes reserved for status holders (SFT) and, under the
# singles exception, rooms.
QUOTA_OPTIONS_BANNED = ((STARTUP, False), (FLEX, True), (ROOM, False))


def preference_lists(
    options: Sequence[tuple[int, bool]],
    sizes: np.ndarray,
    room_ok: np.ndarray,
    fits: np.ndarray,
) -> list[tuple[tuple[int, bool], ...]]:
    """Each candidate's ordered options: the route's options that fit its size.

    Args:
        options: The route's (dwelling type, reserved?) options in order.
        sizes: Household sizes of the candidates.
        room_ok: Whether each candidate may be placed in a room.
        fits: ``fits[type, size]``.

    Returns:
        One tuple per candidate.
    """
    cache: dict[tuple[int, bool], tuple] = {}
    out = []
    top = fits.shape[1] - 1
    for size, room in zip(sizes.tolist(), room_ok.tolist(), strict=True):
        key = (size, room)
        if key not in cache:
            cache[key] = tuple(
                (t, res) for t, res in options if fits[t, min(size, top)] and (t != ROOM or room)
            )
        out.append(cache[key])
    return out


def place_priority(
    vacancies: Vacancies,
    region_of_candidate: np.ndarray,
    candidates: np.ndarray,
    preferences: Sequence[tuple[tuple[int, bool], ...]],
    persons: np.ndarray,
    refuses: np.ndarray,
    cap: np.ndarray,
    persons_limit: np.ndarray | None,
    reserved_group: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Place ranked candidates in fitting vacancies, one by one.

    Args:
        vacancies: This month's vacancies; ``let`` is updated in place.
        region_of_candidate: Region of each candidate.
        candidates: Candidate ids (household rows), already in rank order.
        preferences: Per candidate, ordered (type, reserved?) options.
        persons: Persons per candidate (for the quota's persons limit).
        refuses: Whether each candidate refuses the offer this month.
        cap: Per region, how many open (not reserved) self-contained vacancies
            the route may take this month.
        persons_limit: Per region, how many persons the route aims to house this
            month (None: no limit); the last household placed may overshoot it.
        reserved_group: The group whose reserved vacancies these candidates may take.

    Returns:
        (vacancy indices let, candidate ids housed, candidate ids that refused,
        cap left per region).
    """
    n_regions = len(cap)
    cap = np.asarray(cap, np.int64).tolist()
    room_left = None if persons_limit is None else np.asarray(persons_limit, np.int64).tolist()
    # One stack of vacancy indices per (region, type, reserved?), oldest on top.
    open_idx = np.flatnonzero(~vacancies.let)
    res = vacancies.reserved_for[open_idx]
    open_idx = open_idx[(res == NOBODY) | (res == reserved_group)]
    is_reserved = vacancies.reserved_for[open_idx] != NOBODY
    keys = np.stack([vacancies.region[open_idx], vacancies.type[open_idx], is_reserved], axis=1)
    free: dict[tuple[int, int, bool], list[int]] = {}
    uncapped = [0] * n_regions  # free vacancies per region the cap does not limit
    if len(open_idx):
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        for j, (r, t, reserved) in enumerate(uniq.tolist()):
            stack = open_idx[inverse.ravel() == j][::-1].tolist()
            free[(r, t, bool(reserved))] = stack
            if bool(reserved) or not SELF_CONTAINED[t]:
                uncapped[r] += len(stack)
    open_regions = n_regions if room_left is None else sum(x > 0 for x in room_left)
    done = [room_left is not None and room_left[r] <= 0 for r in range(n_regions)]
    let_v: list[int] = []
    let_c: list[int] = []
    refused: list[int] = []
    regions = region_of_candidate.tolist()
    sizes = persons.tolist()
    refusing = refuses.tolist()
    for k, r in enumerate(regions):
        if done[r]:
            continue
        for t, reserved in preferences[k]:
            capped = SELF_CONTAINED[t] and not reserved
            if capped and cap[r] <= 0:
                continue
            stack = free.get((r, t, reserved))
            if not stack:
                continue
            if refusing[k]:
                refused.append(int(candidates[k]))
                break
            v = stack.pop()
            let_v.append(v)
            let_c.append(int(candidates[k]))
            if capped:
                cap[r] -= 1
            else:
                uncapped[r] -= 1
            if room_left is not None:
                room_left[r] -= sizes[k]
                done[r] = room_left[r] <= 0
            break
        # A region is done once its cap is spent and nothing uncapped is left.
        if not done[r] and cap[r] <= 0 and uncapped[r] <= 0:
            done[r] = True
        if done[r]:
            open_regions -= 1
            if open_regions <= 0:
                break
    let_v_arr = np.asarray(let_v, np.int64)
    vacancies.let[let_v_arr] = True
    return (
        let_v_arr,
        np.asarray(let_c, np.int64),
        np.asarray(refused, np.int64),
        np.asarray(cap, np.int64),
    )


def let_advertised(
    vacancies: Vacancies,
    n_regions: int,
    cand_region: np.ndarray,
    cand_size: np.ndarray,
    cand_group: np.ndarray,
    registration_key: np.ndarray,
    ticket: np.ndarray,
    refuses: np.ndarray,
    lottery_vacancy: np.ndarray,
    fits: np.ndarray,
    eligible: Mapping[int, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Let every remaining vacancy to reacting candidates, by registration time or lottery.

    Args:
        vacancies: This month's vacancies; ``let`` is updated in place.
        n_regions: Number of regions.
        cand_region, cand_size, cand_group: Per reacting candidate.
        registration_key: Rank key, lower is better (registration day, ties broken).
        ticket: Lottery ticket per candidate (lower wins).
        refuses: Whether each candidate refuses an offer this month.
        lottery_vacancy: Per vacancy, whether it is let by lottery.
        fits: ``fits[type, size]``.
        eligible: Optional per dwelling type, which candidates may get it at all
            (start-up homes: status holders leaving reception).

    Returns:
        (vacancy indices let, candidate positions housed, route per letting,
        number of refusals per region). Candidate positions index the
        candidate arrays.
    """
    sizes = np.minimum(cand_size, fits.shape[1] - 1)
    taken = refuses.copy()  # refusers are out for this month
    counted = np.zeros(len(refuses), bool)  # refusals already counted
    out_v: list[np.ndarray] = []
    out_c: list[np.ndarray] = []
    out_r: list[np.ndarray] = []
    refusals = np.zeros(n_regions, np.int64)
    # One sort per ranking: by region, then by registration key or lottery ticket.
    by_registration = np.lexsort((registration_key, cand_region))
    by_ticket = np.lexsort((ticket, cand_region))
    bounds = np.searchsorted(cand_region[by_registration], np.arange(n_regions + 1))

    def take(
        vac: np.ndarray,
        order: np.ndarray,
        t: int,
        group: int,
        route: int,
        r: int,
        only: np.ndarray | None = None,
    ) -> None:
        """Let ``vac`` (type t) to the best-ranked free households of ``order`` that fit
        (and belong to ``group``, and are selected by ``only``, when given).

        Only a prefix of the ranked list is scanned, grown until it holds
        enough winners: the homes of a month go to the top of the queue.
        """
        n = len(vac)
        if n == 0:
            return
        m = 4 * n + 64
        while True:
            seg = order[:m]
            fitting = fits[t, sizes[seg]]
            if eligible is not None and t in eligible:
                fitting &= eligible[t][seg]
            if group != NOBODY:
                fitting &= cand_group[seg] == group
            if only is not None:
                fitting &= only[seg]
            ok = fitting & ~taken[seg]
            hits = np.flatnonzero(ok)
            if len(hits) >= n or m >= len(order):
                break
            m *= 4
        if len(hits) == 0:
            return
        hits = hits[:n]
        winners = seg[hits]
        # Refusers ranked ahead of the last winner were offered a home and refused.
        ahead = seg[: hits[-1]]
        offered = ahead[fitting[: hits[-1]] & refuses[ahead] & ~counted[ahead]]
        counted[offered] = True
        refusals[r] += len(offered)
        taken[winners] = True
        used = vac[: len(winners)]
        vacancies.let[used] = True
        out_v.append(used)
        out_c.append(winners)
        out_r.append(np.full(len(winners), route, np.int8))

    large_household = sizes >= 6
    open_all = ~vacancies.let
    for r in range(n_regions):
        open_here = np.flatnonzero(open_all & (vacancies.region == r))
        if len(open_here) == 0 or bounds[r] == bounds[r + 1]:
            continue
        for route, use_lottery in ((REGISTRATION_ROUTE, False), (LOTTERY_ROUTE, True)):
            ranked = (by_ticket if use_lottery else by_registration)[bounds[r] : bounds[r + 1]]
            vac_here = open_here[lottery_vacancy[open_here] == use_lottery]
            for t in ADVERTISED_TYPE_ORDER:
                of_type = vac_here[vacancies.type[vac_here] == t]
                if len(of_type) == 0:
                    continue
                if t == LARGE:  # households of six or more first, then rank order
                    take(of_type, ranked, t, NOBODY, route, r, only=large_household)
                    of_type = of_type[~vacancies.let[of_type]]
                # Vacancies reserved for a group go to that group first; what
                # the group leaves this month is open to everybody.
                reserved = vacancies.reserved_for[of_type]
                if (reserved != NOBODY).any():
                    for group in np.unique(reserved[reserved != NOBODY]).tolist():
                        take(of_type[reserved == group], ranked, t, group, route, r)
                    of_type = of_type[~vacancies.let[of_type]]
                take(of_type, ranked, t, NOBODY, route, r)
    if not out_v:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.int8), refusals
    return np.concatenate(out_v), np.concatenate(out_c), np.concatenate(out_r), refusals
