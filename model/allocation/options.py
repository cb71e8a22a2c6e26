"""What a priority route offers: its ordered options, and each candidate's list of them.

An option is a (dwelling type, reserved?) pair: a home of that type, either
open to everybody or reserved for the route's group. A candidate's list is the
route's options that fit its household size (passend toewijzen), rooms only
for those who may get one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from model.base.codes import DwellingType

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
