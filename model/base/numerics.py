"""Elementary functions whose results are the same bytes on every machine.

numpy chooses at run time the fastest code the processor offers for ``exp``,
``log``, ``log1p`` and ``power`` on float64 arrays: on a processor with AVX-512
its own vector code or Intel's SVML, elsewhere the C library's functions.
The two differ in the last bit for some inputs, and a figure computed from them
(a tightness factor, an expected number of decisions, an integration share)
then differs in its 16th digit between machines, so that the golden files
(``tests/test_golden.py``) would hold for one processor only.

The functions below always take the C library's result (Python's ``math``
module), element by element: slower than numpy's, so they serve the figures
computed from parameters and from small arrays (regions, dwelling types,
cohorts). A per-household draw that is only compared with a uniform number
(an exit budget, a registration lag) keeps numpy's fast functions: a last-bit
difference changes such a decision only when the draw lies within one part in
10^16 of its threshold. ``tests/test_numerics.py`` checks both: these
functions against ``math``, and that perturbing numpy's functions by a last
bit leaves the golden outputs unchanged.

Matrix products go through the BLAS library, whose summation order also
depends on the processor: the model sums products with ``np.sum`` instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def _elementwise(function: Callable[..., float], *args) -> np.ndarray | float:
    """``function`` applied element by element (broadcast); a float for scalar arguments."""
    if all(np.ndim(a) == 0 for a in args):
        return function(*(float(a) for a in args))
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in args))
    flat = [a.ravel() for a in arrays]
    out = np.fromiter(map(function, *flat), dtype=float, count=arrays[0].size)
    return out.reshape(arrays[0].shape)


def exp(x) -> np.ndarray | float:
    """e ** x."""
    return _elementwise(math.exp, x)


def log(x) -> np.ndarray | float:
    """The natural logarithm (x > 0)."""
    return _elementwise(math.log, x)


def log1p(x) -> np.ndarray | float:
    """log(1 + x), accurate for small x (x > -1)."""
    return _elementwise(math.log1p, x)


def power(x, y) -> np.ndarray | float:
    """x ** y (x >= 0 for a fractional y)."""
    return _elementwise(math.pow, x, y)
