"""Random streams with common random numbers.

A paired comparison of two policies shows policy and not noise only if the
same household meets the same luck under both. Every draw of the model is
therefore counter-based, keyed by the seed and by what the draw is for
(its *purpose*), never taken from a shared generator whose position other
draws would move:

* :meth:`Streams.uniform` is a counter-based draw: a uniform number that is a
  pure function of (seed, purpose, household id, month). Whether a household
  reacts this month, refuses an offer or holds a winning lottery ticket is
  therefore the same under every policy, however many other households there
  are. It is a splitmix64 hash, vectorised over numpy ``uint64``.
* :meth:`Streams.carry` turns a real-valued flow (households entering a
  region in a month, tenants leaving, homes built, a route's cap) into whole
  agents with a carried remainder, so that the running total never differs
  from the expected total by one agent or more. Small flows at a coarse
  scale (households_per_agent) then neither drift (rounding up, or
  integrating Poisson noise month after month) nor lose their effect. The
  remainder starts at a uniform number drawn from the seed, so the mean over
  seeds is the expected value exactly.
"""

from __future__ import annotations

import hashlib
from functools import cache

import numpy as np


@cache
def purpose_key(purpose: str) -> np.uint64:
    """A stable 64-bit constant for a purpose name (the same on every machine)."""
    digest = hashlib.blake2b(purpose.encode(), digest_size=8).digest()
    return np.uint64(int.from_bytes(digest, "little"))


_MASK = (1 << 64) - 1
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MONTH = 0xD1B54A32D192ED03
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def _mix(z: np.ndarray) -> None:
    """splitmix64's finaliser, in place (array arithmetic wraps modulo 2**64 silently)."""
    t = z >> 30
    z ^= t
    z *= _M1
    np.right_shift(z, 27, out=t)
    z ^= t
    z *= _M2
    np.right_shift(z, 31, out=t)
    z ^= t


class Streams:
    """The model's random streams, all derived from one seed.

    Args:
        seed: The run's seed (a non-negative integer).

    Attributes:
        seed: The seed.
        key: A 64-bit key derived from the seed for counter-based draws.
    """

    def __init__(self, seed: int):
        self.seed = int(seed)
        root = np.random.SeedSequence(self.seed)
        self.key = np.uint64(root.generate_state(1, dtype=np.uint64)[0])
        self._carried: dict[str, np.ndarray] = {}

    def uniform(self, purpose: str, ids: np.ndarray, month: int) -> np.ndarray:
        """Uniform [0, 1) numbers that depend only on (seed, purpose, id, month).

        Args:
            purpose: What the draw is for (any name; each name is its own stream).
            ids: Household (or dwelling) ids, any integer array.
            month: The month index (or any other small integer counter).

        Returns:
            A float64 array shaped like ``ids``.
        """
        return self.uniforms((purpose,), ids, month)[purpose]

    def uniforms(self, purposes: tuple[str, ...], ids: np.ndarray, month: int) -> dict:
        """``uniform`` for several purposes on the same ids, computed together (the same
        numbers; one pass of array operations instead of one per purpose).

        Returns:
            Per purpose, a read-only float64 array shaped like ``ids``.
        """
        ids = np.asarray(ids)
        # The salts in Python integers (modulo 2**64): numpy's scalar arithmetic is slow
        # and warns on the intended wrap-around.
        common = int(self.key) ^ ((month + 1) * _MONTH)
        salts = np.array([(common ^ int(purpose_key(p))) & _MASK for p in purposes], np.uint64)
        z = ids.astype(np.uint64).reshape(1, -1)
        z *= _GOLDEN
        if len(purposes) == 1:
            z += salts[0]
        else:
            z = z + salts[:, None]  # one row per purpose, mixed in place
        _mix(z)
        z += _GOLDEN
        _mix(z)
        z >>= 11
        out = z.astype(np.float64)
        out *= _TO_UNIT
        out.flags.writeable = False
        return {p: out[i].reshape(ids.shape) for i, p in enumerate(purposes)}

    def carry(self, flow: str, amounts: np.ndarray) -> np.ndarray:
        """Whole agents for a real-valued flow, carrying the remainder to the next call.

        Args:
            flow: The flow's name; each name keeps its own remainders, one per
                cell of ``amounts`` (its shape must stay the same).
            amounts: Non-negative expected amounts this month (agent units).

        Returns:
            An int64 array shaped like ``amounts``: over any run of months its
            sum differs from the sum of ``amounts`` by less than one per cell.
        """
        amounts = np.asarray(amounts, dtype=float)
        left = self._carried.get(flow)
        if left is None:
            cells = np.arange(amounts.size, dtype=np.uint64)
            left = self.uniform(f"carry:{flow}", cells, 0).reshape(amounts.shape)
        total = left + np.maximum(amounts, 0.0)
        whole = np.floor(total)
        self._carried[flow] = total - whole
        return whole.astype(np.int64)

    def round(self, amounts: np.ndarray, month: int, salt: int = 0) -> np.ndarray:
        """Stochastic rounding that keeps expected values: 2.3 -> 2 or 3 (30%).

        Counter-based, so the same amount in the same month rounds the same way
        under every policy.

        Args:
            amounts: Non-negative real amounts (agent units).
            month: The month index.
            salt: Distinguishes several roundings in one month.

        Returns:
            An int64 array of the same shape.
        """
        amounts = np.asarray(amounts, dtype=float)
        base = np.floor(amounts)
        ids = np.arange(amounts.size, dtype=np.uint64) + np.uint64(salt) * np.uint64(1 << 20)
        u = self.uniform("rounding", ids, month).reshape(amounts.shape)
        return (base + (u < amounts - base)).astype(np.int64)
