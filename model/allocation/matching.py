"""The quota route's matching: vacancy first, each home to the linked household that
fits it best (a sequential loop on Python lists: each home changes who is left)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from model.allocation.vacancies import Vacancies
from model.base.codes import N_TYPES, NOBODY, SELF_CONTAINED, DwellingType

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
    *,
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
    fit_persons: np.ndarray | None = None,
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
        fit_persons: Persons a candidate's home must fit, if not ``persons`` (a household
            housed for the family still to join it); ``persons_limit`` counts ``persons``.

    Returns:
        (vacancy indices let, candidate ids housed in the same order, cap left per region).
    """
    n_regions = len(cap)
    cap = np.array(cap, np.int64)
    no_limit = np.full(n_regions, np.iinfo(np.int64).max // 2)
    room = no_limit if persons_limit is None else np.array(persons_limit, np.int64)
    counted = SELF_CONTAINED if capped_types is None else np.asarray(capped_types, bool)
    persons = np.asarray(persons, np.int64)
    fit = persons if fit_persons is None else np.asarray(fit_persons, np.int64)
    cls = np.minimum(fit, SIZE_CLASSES)
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
    # Dedicated homes first, then rooms, then large homes (the hardest to find for a
    # large family), then the other open homes in order.
    t = types[idx]
    stage = np.select([dedicated, t == DwellingType.ROOM, t == DwellingType.LARGE], [0, 1, 2], 3)
    idx = idx[np.lexsort((np.arange(len(idx)), stage, vacancies.region[idx]))]
    bounds = np.searchsorted(vacancies.region[idx], np.arange(n_regions + 1))
    # The loop below is sequential (each home changes who is left): on Python lists,
    # whose items are read several times faster than numpy's.
    taken = [False] * len(candidates)
    sizes, fit_sizes, fit_list = persons.tolist(), fit.tolist(), fits.tolist()
    type_of, reserved_of, counted_of = types.tolist(), reserved.tolist(), counted.tolist()
    cap_left, room_left = cap.tolist(), room.tolist()
    got_k: list[int] = []
    got_v: list[int] = []
    for r in range(n_regions):
        mine = np.flatnonzero(region == r)
        if len(mine) == 0 or room_left[r] <= 0:
            continue
        pools = {c: mine[cls[mine] == c].tolist() for c in range(1, SIZE_CLASSES + 1)}
        pools[0] = mine[(fit[mine] == 1) & room_ok[mine]].tolist()  # singles for a room
        heads = dict.fromkeys(pools, 0)
        nobody_for = set()  # types no candidate left fits (it stays so: pools only shrink)
        for v in idx[bounds[r] : bounds[r + 1]].tolist():
            t = type_of[v]
            capped = counted_of[t] and not reserved_of[v]
            if (capped and cap_left[r] <= 0) or t in nobody_for:
                continue
            k = _best_fit(t, pools, heads, taken, fit_sizes, fit_list)
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
