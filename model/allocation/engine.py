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
from functools import lru_cache

import numpy as np

from model.base.codes import N_TYPES, NOBODY, SELF_CONTAINED, DwellingType, Route
from model.households.table import is_large_family

# Order in which the advertised route lets dwelling types: most restrictive first.
ADVERTISED_TYPE_ORDER = (
    DwellingType.LARGE,
    DwellingType.SHARED,
    DwellingType.ROOM,
    DwellingType.SMALL,
    DwellingType.FLEX,
    DwellingType.STARTUP,
    DwellingType.MEDIUM,
)


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
# the route's group). DwellingType.ROOM options apply only to candidates who may get a room.
URGENT_OPTIONS = (
    (DwellingType.SMALL, False),
    (DwellingType.MEDIUM, False),
    (DwellingType.LARGE, False),
    (DwellingType.FLEX, False),
)
FAMILY_OPTIONS = URGENT_OPTIONS
QUOTA_OPTIONS = (
    (DwellingType.STARTUP, False),
    (DwellingType.FLEX, True),
    (DwellingType.ROOM, False),
    (DwellingType.SMALL, False),
    (DwellingType.MEDIUM, False),
    (DwellingType.LARGE, False),
    (DwellingType.FLEX, False),
)
# While priority for status holders is banned the quota can still be met with
# start-up homes, flex homes reserved for status holders (SFT) and, under the
# singles exception, rooms.
QUOTA_OPTIONS_BANNED = (
    (DwellingType.STARTUP, False),
    (DwellingType.FLEX, True),
    (DwellingType.ROOM, False),
)
# Places in shared homes made for single status holders come first for them,
# while that rule holds (policy.shared_homes_for_status_holders).
SHARED_OPTION = ((DwellingType.SHARED, False),)


@dataclass(frozen=True)
class Preferences:
    """Each candidate's ordered options, as a few distinct lists and an index per candidate.

    ``prefs[k]`` is candidate k's tuple of (dwelling type, reserved?) options.

    Attributes:
        lists: The distinct option lists.
        of: Per candidate, the index of its list.
    """

    lists: tuple[tuple[tuple[int, bool], ...], ...]
    of: np.ndarray

    def __getitem__(self, k: int) -> tuple[tuple[int, bool], ...]:
        return self.lists[int(self.of[k])]

    def __len__(self) -> int:
        return len(self.of)

    def __iter__(self):
        return (self.lists[i] for i in self.of.tolist())


def preference_lists(
    options: Sequence[tuple[int, bool]],
    sizes: np.ndarray,
    room_ok: np.ndarray,
    fits: np.ndarray,
) -> Preferences:
    """Each candidate's ordered options: the route's options that fit its size.

    Args:
        options: The route's (dwelling type, reserved?) options in order.
        sizes: Household sizes of the candidates.
        room_ok: Whether each candidate may be placed in a room.
        fits: ``fits[type, size]``.
    """
    top = fits.shape[1] - 1
    key = np.minimum(np.asarray(sizes, np.int64), top) * 2 + np.asarray(room_ok, bool)
    # The distinct keys, and each candidate's index among them (np.unique by counting:
    # the keys are a few small numbers).
    present = np.bincount(key, minlength=2 * (top + 1)) > 0
    keys = np.flatnonzero(present)
    of = (np.cumsum(present) - 1)[key]
    fit = np.asarray(fits, bool)
    lists = _option_lists(tuple(options), tuple(keys.tolist()), fit.tobytes(), fit.shape)
    return Preferences(lists, of.ravel().astype(np.int64))


@lru_cache(maxsize=256)
def _option_lists(
    options: tuple[tuple[int, bool], ...], keys: tuple[int, ...], fits: bytes, shape: tuple
) -> tuple[tuple[tuple[int, bool], ...], ...]:
    """The option list of each size key (size * 2 + may get a room), for ``fits`` given as
    bytes (bool, ``shape``): the same few lists every month, so made once."""
    fit = np.frombuffer(fits, bool).reshape(shape).tolist()
    return tuple(
        tuple(
            (t, res) for t, res in options if fit[t][k // 2] and (t != DwellingType.ROOM or k % 2)
        )
        for k in keys
    )


def place_priority(
    vacancies: Vacancies,
    region_of_candidate: np.ndarray,
    candidates: np.ndarray,
    preferences: Preferences,
    persons: np.ndarray,
    refuses: np.ndarray,
    cap: np.ndarray,
    persons_limit: np.ndarray | None,
    reserved_group: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Place ranked candidates in fitting vacancies, one by one in rank order.

    Each candidate, in rank order, takes the first option on its list that
    has a free vacancy in its region and, for an open self-contained home,
    while the region's cap lasts; a refusing candidate is offered that home
    and refuses it. A region is done once its persons limit is reached (the
    last household may overshoot it) or nothing it could still place is free.

    The sequence is computed in phases per region: while no option runs out,
    every candidate's choice is fixed, so a cumulative count finds the next
    candidate at which a stock, the cap or the persons limit runs out; the
    candidates up to there are placed at once. (tests/reference_allocation.py
    holds the candidate-by-candidate version; tests check they agree.)

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
    cap = np.array(cap, np.int64)
    room = None if persons_limit is None else np.array(persons_limit, np.int64)
    options = sorted({o for lst in preferences.lists for o in lst})
    code = {o: i for i, o in enumerate(options)}
    lists = [[code[o] for o in lst] for lst in preferences.lists]
    capped_opt = np.array([bool(SELF_CONTAINED[t]) and not res for t, res in options], bool)
    stack, stack_start, free = _stacks(vacancies, options, reserved_group, n_regions)
    region = np.asarray(region_of_candidate, np.int64)
    order = np.argsort(region, kind="stable")  # rank order within each region
    bounds = np.searchsorted(region[order], np.arange(n_regions + 1))
    phases = _Phases(
        rk=region[order],
        list_of=preferences.of[order],
        persons=np.asarray(persons, np.int64)[order],
        refuses=np.asarray(refuses, bool)[order],
        lists=lists,
        capped_opt=capped_opt,
        free=free,
        start=stack_start,
        cap=cap,
        room=room,
        pos=bounds[:-1].copy(),
        stop=bounds[1:],
    )
    placed, taken_v, refused = phases.run()
    k_all = order[placed]
    v_all = stack[taken_v]
    by_rank = np.argsort(k_all, kind="stable")
    let_v = v_all[by_rank]
    vacancies.let[let_v] = True
    cand = np.asarray(candidates, np.int64)
    return let_v, cand[k_all[by_rank]], cand[np.sort(order[refused])], phases.cap


def _stacks(
    vacancies: Vacancies, options: list, reserved_group: int, n_regions: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The free vacancies per region and option, oldest (lowest index) first: as one
    array of vacancy indices, where each (region, option) starts in it, and how many."""
    n_opt = len(options)
    # Each vacancy's option: (type, reserved for the route's group?), or none.
    table = np.full((N_TYPES, 2), n_opt, np.int64)
    for o, (t, res) in enumerate(options):
        table[t, int(res)] = o
    reserved = vacancies.reserved_for
    mine = ~vacancies.let & ((reserved == NOBODY) | (reserved == reserved_group))
    idx = np.flatnonzero(mine)
    code = table[vacancies.type[idx], (reserved[idx] != NOBODY).astype(np.int64)]
    cell = vacancies.region[idx].astype(np.int64) * (n_opt + 1) + code
    idx = idx[np.argsort(cell, kind="stable")]  # by cell, oldest first within
    bounds = np.searchsorted(np.sort(cell), np.arange(n_regions * (n_opt + 1) + 1))
    start = bounds[:-1].reshape(n_regions, n_opt + 1)[:, :n_opt]
    count = np.diff(bounds).reshape(n_regions, n_opt + 1)[:, :n_opt]
    return idx, start, count


@dataclass
class _Phases:
    """The priority placement of every region at once, phase by phase.

    Within a phase every candidate's choice is fixed (the first option on its
    list with a free home, while the cap lasts); a phase ends just after the
    candidate who takes a stock's last home or the cap's last unit, or reaches
    the persons limit (the region is then done). Regions run their phases side
    by side, each on its own window of candidates, so a month takes as many
    rounds of array operations as the busiest region has phases.

    Attributes:
        rk, list_of, persons, refuses: Per candidate, in region order (rank order
            within a region): region, option list, persons, refuses this month.
        lists: The option lists (option codes, in order).
        capped_opt: Per option, whether it counts against the cap.
        free: Per region and option, the free homes at the start.
        start: Per region and option, where its homes begin in the stacks.
        cap: Per region, the cap left (updated).
        room: Per region, the persons left to house (None: no limit; updated).
        pos, stop: Per region, its next candidate and the end of its candidates.
    """

    rk: np.ndarray
    list_of: np.ndarray
    persons: np.ndarray
    refuses: np.ndarray
    lists: list[list[int]]
    capped_opt: np.ndarray
    free: np.ndarray
    start: np.ndarray
    cap: np.ndarray
    room: np.ndarray | None
    pos: np.ndarray
    stop: np.ndarray

    def run(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Place until no region can place more. Returns (placed candidates, the index
        of each one's home in the stacks, candidates that refused), as positions in
        region order."""
        used = np.zeros_like(self.free)
        active = self.pos < self.stop
        if self.room is not None:
            active &= self.room > 0
        placed, homes, refused = [], [], []
        while True:
            avail = (used < self.free) & (~self.capped_opt[None, :] | (self.cap[:, None] > 0))
            active &= avail.any(axis=1)
            if not active.any():
                break
            p, h, ref = self._phase(avail, used, active)
            placed += p
            homes += h
            refused.append(ref)
        cat = np.concatenate
        empty = np.zeros(0, np.int64)
        return (cat(placed) if placed else empty, cat(homes) if homes else empty,
                cat(refused) if refused else empty)  # fmt: skip

    def _phase(self, avail: np.ndarray, used: np.ndarray, active: np.ndarray):
        """One phase of every active region (updates used, cap, room, pos, active)."""
        n_regions, n_opt = self.free.shape
        rk = self.rk
        idx = np.arange(len(rk))
        # Each region's first free option of each list.
        first = np.full((n_regions, len(self.lists)), -1, np.int64)
        for li, lst in enumerate(self.lists):
            for o in reversed(lst):
                first[:, li] = np.where(avail[:, o], o, first[:, li])
        live = active[rk] & (idx >= self.pos[rk])  # candidates in this phase's windows
        choice = np.where(live, first[rk, self.list_of], -1)
        takes = (choice >= 0) & ~self.refuses
        end = self.stop.copy()  # where each region's phase ends (exclusive)
        done = np.zeros(n_regions, bool)

        def upto(flags_or_amounts: np.ndarray, limit: np.ndarray) -> np.ndarray:
            """Per region, the first candidate at which the running total from its window
            start reaches ``limit`` (len(rk) where it does not), and the running totals."""
            total = np.concatenate([[0], np.cumsum(flags_or_amounts)])
            base = total[self.pos]
            reached = active & (total[self.stop] - base >= limit)
            at = np.full(n_regions, len(rk))
            at[reached] = np.searchsorted(total[1:], (base + limit)[reached])
            return at, total, base

        runs_out = {}
        for o in range(n_opt):  # a stock runs out
            mine = takes & (choice == o)
            at, total, base = upto(mine, np.maximum(self.free[:, o] - used[:, o], 1))
            end = np.minimum(end, at + 1)
            runs_out[o] = (mine, total, base)
        capped = takes & self.capped_opt[np.maximum(choice, 0)]
        at, _, _ = upto(capped, np.maximum(self.cap, 1))
        end = np.minimum(end, at + 1)
        if self.room is not None:  # the persons limit: the region is done
            at, _, _ = upto(np.where(takes, self.persons, 0), self.room)
            done = at + 1 <= end
            end = np.where(done, at + 1, end)
        window = live & (idx < end[rk])
        placed, homes = [], []
        for o, (mine, total, base) in runs_out.items():
            who = np.flatnonzero(mine & window)
            if len(who) == 0:
                continue
            r = rk[who]
            nth = total[who + 1] - base[r] - 1  # the home each takes, oldest first
            placed.append(who)
            homes.append(self.start[r, o] + used[r, o] + nth)
            used[:, o] += np.bincount(r, minlength=n_regions)
        self.cap -= np.bincount(rk[capped & window], minlength=n_regions)
        if self.room is not None:
            got = takes & window
            self.room -= np.bincount(
                rk[got], weights=self.persons[got], minlength=n_regions
            ).astype(np.int64)
        self.pos = np.where(active, end, self.pos)
        active &= ~done & (self.pos < self.stop)
        return placed, homes, np.flatnonzero(window & (choice >= 0) & ~takes)


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
    excluded: np.ndarray | None = None,
    rankings: Mapping[int, Ranking] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Let every remaining vacancy to reacting candidates, by registration time or lottery.

    In each region, the vacancies let by registration time go to the
    best-ranked reacting candidates that fit, type by type from the most to
    the least restrictive (large homes to households of six or more first;
    a reserved vacancy to its group first); then the lottery vacancies, by
    ticket. A refuser ranked ahead of the last winner of a type was offered
    a home and refused it. Regions are independent, so each step runs for
    all regions at once on a prefix of each region's ranking, grown until
    it holds enough winners. (tests/reference_allocation.py holds the
    region-by-region version; tests check they agree.)

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
        excluded: Optional: candidates that take no part (housed already this
            month), as if they were not in the arrays.
        rankings: Optional rankings of these candidates to reuse, by route
            (``Ranking.of`` on their region and the route's key).

    Returns:
        (vacancy indices let, candidate positions housed, route per letting,
        number of refusals per region). Candidate positions index the
        candidate arrays. Lettings come region by region, in the order made.
    """
    sizes = np.minimum(cand_size, fits.shape[1] - 1)
    if excluded is not None:
        refuses = refuses & ~excluded
    state = _Advert(
        vacancies=vacancies,
        n_regions=n_regions,
        cand_region=np.asarray(cand_region, np.int64),
        # refusers are out for this month (and the excluded take no part)
        taken=refuses.copy() if excluded is None else refuses | excluded,
        counted=np.zeros(len(refuses), bool),  # refusals already counted
        refuses=refuses,
    )
    large_household = is_large_family(sizes)
    for route, use_lottery, key in (
        (Route.REGISTRATION, False, registration_key),
        (Route.LOTTERY, True, ticket),
    ):
        pool = ~vacancies.let & (lottery_vacancy == use_lottery)
        if not pool.any():
            continue
        if rankings is not None and route in rankings:
            state.ranking = rankings[route]
        else:
            homes = np.bincount(vacancies.region[pool], minlength=n_regions)
            state.ranking = Ranking.of(state.cand_region, key, 2 * homes + 256, n_regions)
        for t in ADVERTISED_TYPE_ORDER:
            of_type = pool & (vacancies.type == t)
            if not of_type.any():
                continue
            fits_t = fits[t]
            only = None if eligible is None else eligible.get(t)

            def fitting(pos, fits_t=fits_t, only=only):
                """Who of the candidates at ``pos`` may get this type."""
                ok = fits_t[sizes[pos]]
                return ok if only is None else ok & only[pos]

            def few(also: np.ndarray | None = None, fits_t=fits_t, only=only) -> np.ndarray:
                """The candidates who may get this type (and meet ``also``): a small set."""
                ok = fits_t[sizes]
                if only is not None:
                    ok &= only
                return np.flatnonzero(ok if also is None else ok & also)

            if t == DwellingType.LARGE:  # households of six or more first, then rank order
                state.take_among(of_type & ~vacancies.let, route, few(large_household), key)
            # Vacancies reserved for a group go to that group first; what the
            # group leaves this month is open to everybody.
            reserved = vacancies.reserved_for
            held = reserved[of_type & ~vacancies.let & (reserved != NOBODY)]
            for group in np.flatnonzero(np.bincount(held)).tolist():  # (the groups, sorted)
                mine = of_type & ~vacancies.let & (reserved == group)
                state.take_among(mine, route, few(cand_group == group), key)
            if only is not None:  # a type few may get (start-up homes): rank just them
                state.take_among(of_type & ~vacancies.let, route, few(), key)
            else:
                state.take(of_type & ~vacancies.let, route, fitting)
    return state.result()


class Ranking:
    """Candidates ranked by a key within each region, computed only as deep as asked.

    ``first(width)`` gives, per region, the ``width`` best-ranked candidates
    (ties in index order, as a stable sort would): every candidate whose key is
    at or below the width-th key is sorted, and deeper ranks only when a later
    call asks for them. A month's homes go to the top of each region's queue,
    so sorting the whole queue (400,000 households at one agent per household)
    would be mostly wasted.

    With a coarse key (``by_registration``: the registration day under a key of
    day plus ticket), each region's group is held in coarse order, so the best
    ``depth`` candidates are a prefix of it (to the end of the last day they
    reach) and ranking them is a sort of nearly sorted keys.

    Args:
        by_region: Candidate positions grouped by region (index order within, or
            coarse order within if ``coarse`` is given).
        bounds: Where each region's group starts and ends in ``by_region``.
        key: Rank key per candidate (lower is better).
        depth: Per region, how deep to rank at first (about the ranks the month's
            homes will reach), so that most regions are ranked once.
        coarse: Optional coarse key per candidate, non-decreasing within each group,
            such that a lower coarse key always means a lower key.
        uniform: Whether the keys are independent uniform numbers in [0, 1) (lottery
            tickets): the best ``depth`` of ``n`` are then nearly always below
            about ``depth / n``, which saves finding the depth-th key exactly.
    """

    def __init__(
        self,
        by_region: np.ndarray,
        bounds: np.ndarray,
        key: np.ndarray,
        depth: np.ndarray,
        coarse: np.ndarray | None = None,
        uniform: bool = False,
    ):
        self.key = key
        self.uniform = uniform
        self.depth = np.asarray(depth, np.int64)
        self.groups = [by_region[bounds[r] : bounds[r + 1]] for r in range(len(bounds) - 1)]
        self.coarse = None if coarse is None else [coarse[g] for g in self.groups]
        self.sorted: list[np.ndarray] = [np.zeros(0, np.int64)] * len(self.groups)
        self.complete = [len(g) == 0 for g in self.groups]
        self.length = np.array([len(g) for g in self.groups], np.int64)
        self.block = np.full((len(self.groups), 0), -1, np.int64)

    @staticmethod
    def _grouped(region: np.ndarray, n_regions: int, within: np.ndarray | None = None):
        """Positions grouped by region, stably (``within``: an order to keep inside each
        group, else index order), and where each group starts and ends."""
        small = region.astype(np.uint8) if n_regions <= 256 else region  # a radix sort
        if within is None:
            by_region = np.argsort(small, kind="stable")
        else:
            by_region = within[np.argsort(small[within], kind="stable")]
        bounds = np.searchsorted(region[by_region], np.arange(n_regions + 1))
        return by_region, bounds

    @classmethod
    def of(
        cls,
        region: np.ndarray,
        key: np.ndarray,
        depth: np.ndarray,
        n_regions: int,
        uniform: bool = False,
    ) -> Ranking:
        """Rank candidates (their region and key) within each region (``uniform``: the
        keys are uniform numbers in [0, 1))."""
        by_region, bounds = cls._grouped(region, n_regions)
        return cls(by_region, bounds, np.asarray(key), depth, uniform=uniform)

    @classmethod
    def by_registration(
        cls,
        region: np.ndarray,
        day: np.ndarray,
        key: np.ndarray,
        depth: np.ndarray,
        n_regions: int,
    ) -> Ranking:
        """Rank candidates within each region by ``key``: their registration ``day`` plus
        a tie-breaking ticket in [0, 1) (so a lower day always ranks first)."""
        day = np.asarray(day)
        low = int(day.min()) if len(day) else 0
        span = int(day.max()) - low if len(day) else 0
        # by day, ties in index order (a radix sort when the days span under 65,536)
        by_day = np.argsort((day - low).astype(np.uint16) if span < 1 << 16 else day, kind="stable")
        by_region, bounds = cls._grouped(region, n_regions, within=by_day)
        return cls(by_region, bounds, np.asarray(key), depth, coarse=day)

    @classmethod
    def complete(
        cls, positions: np.ndarray, region: np.ndarray, key: np.ndarray, n_regions: int
    ) -> Ranking:
        """All of a few candidates (``positions``, increasing), ranked fully."""
        order = np.lexsort((key, region))  # ties in index order, as a stable sort
        bounds = np.searchsorted(region[order], np.arange(n_regions + 1))
        ranking = cls(order, bounds, key, np.zeros(n_regions, np.int64))
        ranking.sorted = [positions[g] for g in ranking.groups]
        ranking.groups = ranking.sorted
        ranking.complete = [True] * n_regions
        return ranking

    def first(self, width: int) -> np.ndarray:
        """Per region, the ``width`` best-ranked candidates (-1 where a region has fewer)."""
        if width > self.block.shape[1]:
            wide = max(width, 2 * self.block.shape[1])
            block = np.full((len(self.groups), wide), -1, np.int64)
            for r in range(len(self.groups)):
                if len(self.sorted[r]) < wide and not self.complete[r]:
                    self._deepen(r, max(wide, 4 * len(self.sorted[r]), int(self.depth[r])))
                head = self.sorted[r][:wide]
                block[r, : len(head)] = head
            self.block = block
        return self.block[:, :width]

    def _deepen(self, r: int, depth: int) -> None:
        group = self.groups[r]
        if self.coarse is not None:
            # The best ``depth`` are within the prefix to the end of the day of the
            # depth-th in day order: rank that prefix (all of it is in order).
            days = self.coarse[r]
            end = len(group)
            if depth < end:
                end = int(np.searchsorted(days, days[depth - 1], side="right"))
            self.complete[r] = end == len(group)
            prefix = group[:end]
            self.sorted[r] = prefix[np.argsort(self.key[prefix], kind="stable")]
            return
        keys = self.key[group]
        chosen = None
        if 2 * depth >= len(group):  # most of it: sort it all at once
            chosen = np.arange(len(group))
            self.complete[r] = True
        elif self.uniform:
            # Every key below a cut is a top part of the ranking. With uniform keys a
            # cut 4 standard deviations above depth / n holds ``depth`` of them but for
            # a rare chance (then the search below runs instead).
            below = np.flatnonzero(keys < (depth + 4 * np.sqrt(depth) + 16) / len(group))
            chosen = below if len(below) >= depth else None
        if chosen is None:
            threshold = np.partition(keys, depth - 1)[depth - 1]
            chosen = np.flatnonzero(keys <= threshold)  # ties at the edge all in, index order
        self.sorted[r] = group[chosen[np.argsort(keys[chosen], kind="stable")]]


@dataclass
class _Advert:
    """The advertised route's state while it lets a month's vacancies."""

    vacancies: Vacancies
    n_regions: int
    cand_region: np.ndarray
    taken: np.ndarray
    counted: np.ndarray
    refuses: np.ndarray
    ranking: Ranking | None = None
    pieces: list = field(default_factory=list)
    steps: int = 0

    def take_among(
        self, vac_mask: np.ndarray, route: int, among: np.ndarray, key: np.ndarray
    ) -> None:
        """Like ``take``, for vacancies only a few candidates (``among``) may get: rank just
        those, fully, rather than search the whole ranking for them."""
        if not vac_mask.any() or len(among) == 0:
            return
        everyone = self.ranking
        self.ranking = Ranking.complete(among, self.cand_region[among], key[among], self.n_regions)
        try:
            self.take(vac_mask, route, lambda pos: np.ones(pos.shape, bool))
        finally:
            self.ranking = everyone

    def take(self, vac_mask: np.ndarray, route: int, fitting) -> None:
        """Let the vacancies of ``vac_mask`` to the best-ranked free candidates that fit,
        in every region at once.

        Args:
            vac_mask: The vacancies to let (one dwelling type).
            route: The route code recorded with the lettings.
            fitting: ``fitting(positions)``: who of those candidates may get them.
        """
        vac = np.flatnonzero(vac_mask)
        ranking = self.ranking
        if len(vac) == 0 or ranking.length.sum() == 0:
            return
        self.steps += 1
        v_region = self.vacancies.region[vac]
        small = v_region.astype(np.uint8) if self.n_regions <= 256 else v_region  # a radix sort
        vac = vac[np.argsort(small, kind="stable")]  # by region, oldest first
        need = np.bincount(v_region, minlength=self.n_regions)
        length = ranking.length
        width = 4 * int(need.max()) + 64
        while True:  # a prefix of each region's ranking, grown until it has the winners
            width = min(width, max(int(length.max()), 1))
            block = ranking.first(width)
            pos = np.maximum(block, 0)
            fit = fitting(pos) & (block >= 0)
            ok = fit & ~self.taken[pos]
            found = np.cumsum(ok, axis=1)
            if ((found[:, -1] >= need) | (length <= width)).all():
                break
            width *= 4
        got = np.minimum(found[:, -1], need)
        # The last winner of each region; beyond the deepest of them nothing happens.
        last = np.where(got > 0, np.argmax(found >= np.maximum(got, 1)[:, None], axis=1), -1)
        deep = int(last.max()) + 1
        pos, fit = pos[:, :deep], fit[:, :deep]
        win = ok[:, :deep] & (found[:, :deep] <= need[:, None])
        before_last = np.arange(deep)[None, :] < last[:, None]
        offered = fit & self.refuses[pos] & ~self.counted[pos] & before_last
        self.counted[pos[offered]] = True
        refusals = offered.sum(axis=1)
        winners = pos[win]  # region by region, in rank order
        self.taken[winners] = True
        # each region's first ``got`` vacancies (they start at the sum of the needs before)
        starts = np.repeat(np.cumsum(need) - need - (np.cumsum(got) - got), got)
        used = vac[starts + np.arange(len(starts))]
        self.vacancies.let[used] = True
        region = np.repeat(np.arange(self.n_regions), got)
        self.pieces.append((used, winners, route, region, self.steps, refusals))

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        refusals = np.zeros(self.n_regions, np.int64)
        if not self.pieces:
            empty = np.zeros(0, np.int64)
            return empty, empty, np.zeros(0, np.int8), refusals
        v = np.concatenate([p[0] for p in self.pieces])
        c = np.concatenate([p[1] for p in self.pieces])
        routes = np.concatenate([np.full(len(p[0]), p[2], np.int8) for p in self.pieces])
        region = np.concatenate([p[3] for p in self.pieces])
        step = np.concatenate([np.full(len(p[0]), p[4]) for p in self.pieces])
        for p in self.pieces:
            refusals += p[5]
        order = np.lexsort((np.arange(len(v)), step, region))  # region by region, as made
        return v[order], c[order], routes[order], refusals


# The quota route matches each vacancy a municipality takes to the linked status
# holder household that fits it best (model/allocation/routes.py ``quota``): per dwelling
# type, the household sizes it is matched to, best fit first ("6" stands for six
# or more persons). Within a tier, the household longest since its permit comes
# first. A family home (medium) goes to a household of two or more: municipalities
# place by household size (assumption, documented in docs/assumptions.md), so single
# status holders wait for a place in a shared home, a small home, a room, a flex or a
# start-up home.
QUOTA_TIERS: dict[int, tuple[tuple[int, ...], ...]] = {
    DwellingType.SHARED: ((1,),),
    DwellingType.STARTUP: ((1, 2, 3, 4),),
    DwellingType.FLEX: ((1, 2),),
    DwellingType.ROOM: ((1,),),
    DwellingType.SMALL: ((1, 2),),
    DwellingType.MEDIUM: ((3, 4, 5), (2,)),
    DwellingType.LARGE: ((6,), (5,), (4,)),
}
SIZE_CLASSES = 6  # 1, 2, ..., 5, and 6 or more persons


def match_vacancies(
    vacancies: Vacancies,
    order: np.ndarray,
    region_of_candidate: np.ndarray,
    candidates: np.ndarray,
    persons: np.ndarray,
    room_ok: np.ndarray,
    fits: np.ndarray,
    options: Sequence[tuple[int, bool]],
    cap: np.ndarray,
    persons_limit: np.ndarray | None,
    reserved_group: int,
    capped_types: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vacancy first: each vacancy in ``order`` goes to the best-fitting candidate.

    Per region, the route takes the free vacancies of its options one by one:
    those dedicated to the route's group first (reserved for it, start-up homes,
    places in shared homes), then rooms, then the rest in ``order``. A
    vacancy goes to the first candidate (in rank order) of the first tier of
    ``QUOTA_TIERS`` that has one left (rooms only to candidates who may get a
    room; a household must fit the type, ``fits``); a vacancy nobody fits is
    left for other routes. Open self-contained vacancies count against the
    region's ``cap``; the region stops once its ``persons_limit`` is reached
    (the last household may overshoot it).

    Args:
        vacancies: This month's vacancies; ``let`` is updated in place.
        order: A permutation of the vacancy indices: the order they come free in.
        region_of_candidate: Region of each candidate.
        candidates: Candidate ids (household rows), already in rank order.
        persons: Persons per candidate.
        room_ok: Whether each candidate may be placed in a room.
        fits: ``fits[type, size]``.
        options: The route's (dwelling type, reserved?) options.
        cap: Per region, open self-contained vacancies the route may take.
        persons_limit: Per region, persons the route aims to house this month (None:
            no persons target, only the cap).
        reserved_group: The group whose reserved vacancies the route may take.
        capped_types: Per dwelling type, whether an open (not reserved) vacancy of it
            counts against the cap (default: the self-contained types).

    Returns:
        (vacancy indices let, candidate ids housed in the same order, cap left per region).
    """
    n_regions = len(cap)
    cap = np.array(cap, np.int64)
    no_limit = np.full(n_regions, np.iinfo(np.int64).max // 2)
    room = no_limit if persons_limit is None else np.array(persons_limit, np.int64)
    counted = SELF_CONTAINED if capped_types is None else np.asarray(capped_types, bool)
    persons = np.asarray(persons, np.int64)
    cls = np.minimum(persons, SIZE_CLASSES)
    region = np.asarray(region_of_candidate, np.int64)
    allowed = np.zeros((N_TYPES, 2), bool)
    for t, r in options:
        allowed[t, int(r)] = True
    res = vacancies.reserved_for
    types, reserved = vacancies.type, res != NOBODY
    free = ~vacancies.let & ((res == NOBODY) | (res == reserved_group))
    ok = free & allowed[types, reserved.astype(np.int64)]
    idx = np.asarray(order, np.int64)[ok[order]]
    dedicated = (
        reserved[idx] | (types[idx] == DwellingType.STARTUP) | (types[idx] == DwellingType.SHARED)
    )
    # Dedicated homes first, then rooms, then the open self-contained homes in order.
    stage = np.where(dedicated, 0, np.where(types[idx] == DwellingType.ROOM, 1, 2))
    idx = idx[np.lexsort((np.arange(len(idx)), stage, vacancies.region[idx]))]
    bounds = np.searchsorted(vacancies.region[idx], np.arange(n_regions + 1))
    # The loop below is sequential (each home changes who is left): on Python lists,
    # whose items are read several times faster than numpy's.
    taken = [False] * len(candidates)
    sizes, fit_list = persons.tolist(), fits.tolist()
    type_of, reserved_of, counted_of = types.tolist(), reserved.tolist(), counted.tolist()
    cap_left, room_left = cap.tolist(), room.tolist()
    got_k: list[int] = []
    got_v: list[int] = []
    for r in range(n_regions):
        mine = np.flatnonzero(region == r)
        if len(mine) == 0 or room_left[r] <= 0:
            continue
        pools = {c: mine[cls[mine] == c].tolist() for c in range(1, SIZE_CLASSES + 1)}
        pools[0] = mine[(persons[mine] == 1) & room_ok[mine]].tolist()  # singles for a room
        heads = dict.fromkeys(pools, 0)
        nobody_for = set()  # types no candidate left fits (it stays so: pools only shrink)
        for v in idx[bounds[r] : bounds[r + 1]].tolist():
            t = type_of[v]
            capped = counted_of[t] and not reserved_of[v]
            if (capped and cap_left[r] <= 0) or t in nobody_for:
                continue
            k = _best_fit(t, pools, heads, taken, sizes, fit_list)
            if k < 0:
                nobody_for.add(t)
                continue
            taken[k] = True
            got_k.append(k)
            got_v.append(v)
            cap_left[r] -= capped
            room_left[r] -= sizes[k]
            if room_left[r] <= 0:
                break
    let_v = np.asarray(got_v, np.int64)
    vacancies.let[let_v] = True
    housed = np.asarray(candidates, np.int64)[np.asarray(got_k, np.int64)]
    return let_v, housed, np.array(cap_left, np.int64)


def _best_fit(
    dtype: int,
    pools: dict[int, list[int]],
    heads: dict[int, int],
    taken: list[bool],
    persons: list[int],
    fits: list[list[bool]],
) -> int:
    """The candidate a vacancy of ``dtype`` goes to: the earliest-ranked of its first tier
    with one left (-1: nobody fits). ``heads`` move past candidates already housed.
    (Python lists: ``fits[type][size]``.)"""
    top = len(fits[0]) - 1
    fits = fits[dtype]
    for tier in QUOTA_TIERS[dtype]:
        best = -1
        for c in tier if dtype != DwellingType.ROOM else (0,):
            pool, h = pools[c], heads[c]
            while h < len(pool) and taken[pool[h]]:
                h += 1
            heads[c] = h
            while h < len(pool) and (taken[pool[h]] or not fits[min(persons[pool[h]], top)]):
                h += 1  # too large for this type (a household beyond a large home's maximum)
            if h < len(pool) and (best < 0 or pool[h] < best):
                best = pool[h]
        if best >= 0:
            return best
    return -1
