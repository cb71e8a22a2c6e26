"""Priority placement: ranked candidates take, one by one, the first fitting home.

The rule (``model/allocation/reference.py``, ``place_priority_reference``): each
candidate in rank order takes the first option on its list with a free home in
its region while the route's cap lasts; a refuser is offered that home and
refuses it; a region stops at its persons limit. Here the same sequence is
computed in phases, every region at once (``_Phases``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.allocation.options import Preferences
from model.allocation.vacancies import Vacancies
from model.base.codes import N_TYPES, NOBODY, SELF_CONTAINED


def place_priority(
    vacancies: Vacancies,
    *,
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
    candidates up to there are placed at once. (``reference.py``
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
