"""The advertised route: every remaining vacancy, by registration time or lottery.

The rule (``model/allocation/reference.py``, ``let_advertised_reference``):
in each region, dwelling types are let from the most to the least restrictive;
each home goes to the best-ranked reacting candidate who fits it and does not
refuse; a refuser ranked ahead of the last winner was offered a home and
refused it. Here every region is let at once, on a prefix of each region's
ranking (``model.allocation.ranking``) grown until it holds the winners.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from model.allocation.ranking import DEPTH_PER_HOME, GROWTH, REGISTRATION_DEPTH_MARGIN, Ranking
from model.allocation.vacancies import Vacancies
from model.base.codes import NOBODY, DwellingType, Route
from model.households.table import is_large_family

WIDTH_MARGIN = 64  # candidates beyond the homes' reach in a route's first prefix

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


def let_advertised(
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
    it holds enough winners. (``reference.py`` holds the region-by-region
    version; tests check they agree.)

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
            depth = DEPTH_PER_HOME * homes + REGISTRATION_DEPTH_MARGIN
            state.ranking = Ranking.of(state.cand_region, key, depth, n_regions)
        for t in ADVERTISED_TYPE_ORDER:
            of_type = pool & (vacancies.type == t)
            if of_type.any():
                only = None if eligible is None else eligible.get(t)
                who = _Who(fits[t], sizes, only, cand_group, large_household)
                _let_type(state, t, of_type, route, key, who)
    return state.result()


@dataclass(frozen=True)
class _Who:
    """Who of the candidates may get a dwelling type."""

    fits: np.ndarray  # per household size
    sizes: np.ndarray
    only: np.ndarray | None  # an access rule beyond size (None: none)
    group: np.ndarray
    large_household: np.ndarray

    def fitting(self, pos: np.ndarray) -> np.ndarray:
        """Who of the candidates at ``pos`` may get this type."""
        ok = self.fits[self.sizes[pos]]
        return ok if self.only is None else ok & self.only[pos]

    def few(self, also: np.ndarray | None = None) -> np.ndarray:
        """The candidates who may get this type (and meet ``also``): a small set."""
        ok = self.fits[self.sizes]
        if self.only is not None:
            ok &= self.only
        return np.flatnonzero(ok if also is None else ok & also)


def _let_type(
    state: _Advert, t: int, of_type: np.ndarray, route: int, key: np.ndarray, who: _Who
) -> None:
    """Let this route's vacancies of one dwelling type: large homes to households of six or
    more first; homes reserved for a group to that group first (what it leaves this month
    is open to everybody); a type few may get (start-up homes) among just them."""
    vacancies = state.vacancies
    if t == DwellingType.LARGE:
        state.take_among(of_type & ~vacancies.let, route, who.few(who.large_household), key)
    reserved = vacancies.reserved_for
    held = reserved[of_type & ~vacancies.let & (reserved != NOBODY)]
    for group in np.flatnonzero(np.bincount(held)).tolist():  # (the groups, sorted)
        mine = of_type & ~vacancies.let & (reserved == group)
        state.take_among(mine, route, who.few(who.group == group), key)
    if who.only is not None:
        state.take_among(of_type & ~vacancies.let, route, who.few(), key)
    else:
        state.take(of_type & ~vacancies.let, route, who.fitting)


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
        # A first prefix about as deep as the homes reach (a guess: it grows if short).
        width = DEPTH_PER_HOME * int(need.max()) + WIDTH_MARGIN
        while True:  # a prefix of each region's ranking, grown until it has the winners
            width = min(width, max(int(length.max()), 1))
            block = ranking.first(width)
            pos = np.maximum(block, 0)
            fit = fitting(pos) & (block >= 0)
            ok = fit & ~self.taken[pos]
            found = np.cumsum(ok, axis=1)
            if ((found[:, -1] >= need) | (length <= width)).all():
                break
            width *= GROWTH
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
