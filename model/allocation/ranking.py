"""Candidates ranked within each region, only as deep as the month's homes reach."""

from __future__ import annotations

import numpy as np

# How deep to rank a region at first. Any depth gives the same ranking: a route that
# needs deeper ranks asks for them (``Ranking.first``), and the ranking grows, at least
# doubling; these numbers only decide how often that happens. A month's homes go to
# candidates near the top of a region's queue, past those who refuse or do not fit:
# about four candidates a home, and a margin for regions with few homes.
DEPTH_PER_HOME = 4
REGISTRATION_DEPTH_MARGIN = 512
LOTTERY_DEPTH_MARGIN = 128  # the lottery lets only its share of the homes
GROWTH = 4  # a deeper ranking asked for: at least this many times the ranks sorted so far

# Lottery tickets are uniform, so of a region's n tickets the number below x is
# Binomial(n, x). Below the cut (depth + CUT_SIGMAS * sqrt(depth) + CUT_SLACK) / n lie
# at least ``depth`` of them but for a chance under one in ten thousand; when they do
# not, the exact selection (a partition) runs instead, so the ranking is exact always.
CUT_SIGMAS = 4
CUT_SLACK = 16


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
            wide = max(width, 2 * self.block.shape[1])  # at least double the block
            block = np.full((len(self.groups), wide), -1, np.int64)
            for r in range(len(self.groups)):
                if len(self.sorted[r]) < wide and not self.complete[r]:
                    deeper = max(wide, GROWTH * len(self.sorted[r]), int(self.depth[r]))
                    self._deepen(r, deeper)
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
            cut = (depth + CUT_SIGMAS * np.sqrt(depth) + CUT_SLACK) / len(group)
            below = np.flatnonzero(keys < cut)
            chosen = below if len(below) >= depth else None
        if chosen is None:
            threshold = np.partition(keys, depth - 1)[depth - 1]
            chosen = np.flatnonzero(keys <= threshold)  # ties at the edge all in, index order
        self.sorted[r] = group[chosen[np.argsort(keys[chosen], kind="stable")]]
