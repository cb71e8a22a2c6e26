"""The month's figures use their own quantiles and counter-based draws for speed; they
must be the very numbers numpy's general routines give (bit for bit)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.base.streams import Streams
from model.reporting.results import quantiles_by_group, sorted_median, sorted_quantile

VALUES = st.lists(
    st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False),
        st.integers(0, 400).map(lambda d: d / 7.0),  # weeks, as the model has them
        st.integers(0, 9000).map(lambda d: d / 365.25),  # years
    ),
    min_size=0,
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from([0.5, 0.9, 0.1, 0.25, 0.333, 0.99, 0.0, 1.0]))
def test_quantile_and_median_equal_numpys(values, q):
    v = np.array(values, float)
    ranked = np.sort(v)
    if len(v) == 0:
        assert np.isnan(sorted_quantile(ranked, q)) and np.isnan(sorted_median(ranked))
        return
    assert sorted_quantile(ranked, q) == float(np.quantile(v, q))
    assert sorted_median(ranked) == float(np.median(v))


@settings(max_examples=200, deadline=None)
@given(VALUES, st.integers(0, 2**32 - 1))
def test_quantiles_by_group_equal_numpys_group_by_group(values, seed):
    v = np.array(values, float)
    groups = np.random.default_rng(seed).integers(0, 3, len(v)).astype(np.int8)
    got = quantiles_by_group(v, groups, (0.5, 0.9))
    for i, q in enumerate((0.5, 0.9)):
        for g in range(3):
            mine = v[groups == g]
            want = float(np.quantile(mine, q)) if len(mine) else float("nan")
            assert got[i][g] == want or (np.isnan(want) and np.isnan(got[i][g]))


def _splitmix_uniform(key: int, purpose_key: int, ids, month: int) -> np.ndarray:
    """The counter-based draw written out in Python integers (the definition)."""
    mask = (1 << 64) - 1

    def mix(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    salt = key ^ purpose_key ^ (((month + 1) * 0xD1B54A32D192ED03) & mask)
    out = []
    for i in np.asarray(ids).ravel().tolist():
        z = mix(((i & mask) * 0x9E3779B97F4A7C15 + salt) & mask)
        z = mix((z + 0x9E3779B97F4A7C15) & mask)
        out.append((z >> 11) * (1.0 / 9007199254740992.0))
    return np.array(out, float).reshape(np.shape(ids))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 2**40),
    st.lists(st.integers(-(2**40), 2**62), max_size=30),
    st.integers(-1, 600),
    st.sampled_from(["active", "refuse", "ticket", "carry:x"]),
)
def test_counter_based_draw_is_splitmix64_of_seed_purpose_id_and_month(seed, ids, month, purpose):
    from model.base.streams import purpose_key

    streams = Streams(seed)
    ids = np.array(ids, np.int64)
    got = streams.uniform(purpose, ids, month)
    want = _splitmix_uniform(int(streams.key), int(purpose_key(purpose)), ids, month)
    np.testing.assert_array_equal(got, want)
    assert got.shape == ids.shape
    one = streams.uniform(purpose, np.int64(5), month)
    assert np.shape(one) == () and one == _splitmix_uniform(
        int(streams.key), int(purpose_key(purpose)), np.int64(5), month
    )


def test_draws_made_together_are_the_draws_made_one_by_one():
    """``Population.drawing`` batches an entrant's draws; every column comes out the same
    as with each draw made on its own (purposes missing from the batch included)."""
    from model.households.population import REGULAR_DRAWS, Population, household_ids
    from model.inputs.parameters import Parameters

    params = Parameters.from_overrides()
    population = Population(params, Streams(3), scale=10)
    ids, region = household_ids(4, 0, np.full(len(params.regions), 40))
    entry = np.full(len(ids), 700, np.int32)
    background = np.full((len(params.regions), 7), 1000.0)
    alone = population.regular(ids, region, entry, entry - 30, background, mobile=True)
    with population.drawing(ids, REGULAR_DRAWS[:4]):  # some listed, some not
        together = population.regular(ids, region, entry, entry - 30, background, mobile=True)
    assert alone.keys() == together.keys()
    for name in alone:
        np.testing.assert_array_equal(alone[name], together[name], err_msg=name)
