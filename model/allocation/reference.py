"""The allocation rules, stated plainly: read this first.

These two functions say, as loops over candidates and homes, how the month's
vacancies are let; they are the specification of the fast code.

* :func:`place_priority_reference`: a **priority route** (urgent households,
  generic family priority, the large-family pool) places ranked candidates one
  by one, each in the first free home of its option list that fits it, while
  the route's cap of open self-contained homes lasts and, for a persons target,
  until the region has housed that many persons.
* :func:`let_advertised_reference`: the **advertised route** lets every home
  left, region by region and dwelling type by dwelling type from the most to
  the least restrictive, to the best-ranked reacting candidate who fits it (by
  registration time, or by lottery ticket for the lottery share); a refuser
  ranked ahead of the last winner was offered a home and refused it.

The model runs the same rules with array operations for every region at once
(``priority.py``, ``advertised.py``, ``ranking.py``): a national month is too
large for these loops. ``tests/test_allocation.py`` checks on random markets
that both give exactly the same lettings, refusals and caps. The quota route's
vacancy-first matching (``matching.py``) is a plain loop already.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from model.allocation.advertised import ADVERTISED_TYPE_ORDER
from model.allocation.vacancies import Vacancies
from model.base.codes import NOBODY, SELF_CONTAINED, DwellingType, Route


def place_priority_reference(
    vacancies: Vacancies,
    *,
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

    Long on purpose: the rule written out as one loop, top to bottom, to be read.

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


def let_advertised_reference(
    vacancies: Vacancies,
    *,
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

    Long on purpose: the rule written out as loops, top to bottom, to be read.

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
        for route, use_lottery in ((Route.REGISTRATION, False), (Route.LOTTERY, True)):
            ranked = (by_ticket if use_lottery else by_registration)[bounds[r] : bounds[r + 1]]
            vac_here = open_here[lottery_vacancy[open_here] == use_lottery]
            for t in ADVERTISED_TYPE_ORDER:
                of_type = vac_here[vacancies.type[vac_here] == t]
                if len(of_type) == 0:
                    continue
                if t == DwellingType.LARGE:  # households of six or more first, then rank order
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
