"""The allocation order in force is respected, on random small markets (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.allocation.advertised import ADVERTISED_TYPE_ORDER, let_advertised
from model.allocation.options import (
    QUOTA_OPTIONS,
    QUOTA_OPTIONS_BANNED,
    URGENT_OPTIONS,
    preference_lists,
)
from model.allocation.priority import place_priority
from model.allocation.ranking import Ranking
from model.allocation.vacancies import Vacancies
from model.base.codes import N_TYPES, NOBODY, SELF_CONTAINED, DwellingType, Group, Route
from model.inputs.parameters import Parameters
from model.supply.stock import fit_table

FITS = fit_table(Parameters.from_overrides())
N_REGIONS = 3


@st.composite
def markets(draw):
    """A random small market: vacancies and candidates in three regions."""
    nv = draw(st.integers(0, 30))
    nc = draw(st.integers(0, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    vac = Vacancies(
        rng.integers(0, N_REGIONS, nv).astype(np.int8),
        rng.integers(0, N_TYPES, nv).astype(np.int8),
        np.where(rng.random(nv) < 0.2, Group.STATUS_HOLDER, NOBODY).astype(np.int8),
    )
    cand = {
        "region": rng.integers(0, N_REGIONS, nc).astype(np.int8),
        "size": rng.choice([1, 1, 1, 2, 3, 4, 5, 6, 8], nc).astype(np.int16),
        "group": rng.choice([Group.REGULAR, Group.URGENT, Group.STATUS_HOLDER], nc).astype(np.int8),
        "key": rng.permutation(nc).astype(float),
        "ticket": rng.random(nc),
        "refuses": rng.random(nc) < draw(st.sampled_from([0.0, 0.2, 0.5])),
        "room": rng.random(nc) < 0.5,
    }
    lottery = rng.random(nv) < draw(st.sampled_from([0.0, 0.3, 1.0]))
    cap = rng.integers(0, 6, N_REGIONS)
    limit = rng.integers(1, 15, N_REGIONS)
    return vac, cand, lottery, cap, limit


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


ROUTE_OPTIONS = {
    "urgent": (URGENT_OPTIONS, Group.URGENT),
    "quota": (QUOTA_OPTIONS, Group.STATUS_HOLDER),
    "quota_banned": (QUOTA_OPTIONS_BANNED, Group.STATUS_HOLDER),
}


@SETTINGS
@given(markets(), st.sampled_from(sorted(ROUTE_OPTIONS)), st.booleans())
def test_priority_route_respects_rank_fit_cap_and_reservation(market, route, with_limit):
    vac, c, _, cap, limit = market
    options, group = ROUTE_OPTIONS[route]
    order = np.argsort(c["key"])
    prefs = preference_lists(options, c["size"][order], c["room"][order], FITS)
    for p, room in zip(prefs, c["room"][order], strict=True):
        assert set(p) <= set(options)
        assert room or all(t != DwellingType.ROOM for t, _ in p)
    persons_limit = limit if with_limit else None
    before = vac.let.copy()
    v, housed, refused, left = place_priority(
        vac,
        region_of_candidate=c["region"][order],
        candidates=order,
        preferences=prefs,
        persons=c["size"][order],
        refuses=c["refuses"][order],
        cap=cap,
        persons_limit=persons_limit,
        reserved_group=group,
    )
    assert len(set(v.tolist())) == len(v) and not before[v].any() and vac.let[v].all()
    assert len(set(housed.tolist())) == len(housed)
    assert not c["refuses"][housed].any() and c["refuses"][refused].all()
    types, regions = vac.type[v], vac.region[v]
    # fits, in the candidate's own region, and only from its preference list
    assert FITS[types, c["size"][housed]].all()
    assert (regions == c["region"][housed]).all()
    # reserved homes only to the route's group
    reserved = vac.reserved_for[v]
    assert ((reserved == NOBODY) | (reserved == group)).all()
    # the cap counts open self-contained homes
    capped = SELF_CONTAINED[types] & (reserved == NOBODY)
    used = np.bincount(regions[capped], minlength=N_REGIONS)
    assert (used <= cap).all()  # no credit given: the cap holds
    assert (left == cap - used).all()
    # persons limit: reached at most by the last household placed in a region
    if with_limit:
        for r in range(N_REGIONS):
            sizes = c["size"][housed][regions == r]
            if len(sizes):
                assert sizes[:-1].sum() < limit[r]
    # rank order: nobody unplaced (and not refusing, not cut off by the persons
    # limit) ranks above a placed household of its region whose home it could take
    rank = np.empty(len(order), int)
    rank[order] = np.arange(len(order))
    placed = {
        h: (t, res)
        for h, t, res in zip(housed.tolist(), types.tolist(), reserved.tolist(), strict=True)
    }

    for j, (t, res) in placed.items():
        r = c["region"][j]
        for i in np.flatnonzero((c["region"] == r) & (rank < rank[j])):
            if i in placed or c["refuses"][i]:
                continue
            assert (t, res != NOBODY) not in prefs[rank[i]], (i, j, t)


def _check_advertised(vac, c, lottery, v, pos, routes, refusals):
    assert len(set(v.tolist())) == len(v) and len(set(pos.tolist())) == len(pos)
    assert not c["refuses"][pos].any()
    types = vac.type[v]
    assert FITS[types, np.minimum(c["size"][pos], FITS.shape[1] - 1)].all()
    assert (vac.region[v] == c["region"][pos]).all()
    assert (routes[lottery[v]] == Route.LOTTERY).all()
    assert (routes[~lottery[v]] == Route.REGISTRATION).all()
    assert (refusals >= 0).all() and refusals.sum() <= c["refuses"].sum()
    housed = np.zeros(len(c["key"]), bool)
    housed[pos] = True
    free = ~housed & ~c["refuses"]
    # A vacancy left unlet: nobody free in its region could take it.
    for i in np.flatnonzero(~vac.let):
        t, r = vac.type[i], vac.region[i]
        fitting = FITS[t, np.minimum(c["size"], FITS.shape[1] - 1)] & (c["region"] == r)
        if t == DwellingType.STARTUP:
            fitting &= c["group"] == Group.STATUS_HOLDER
        assert not (fitting & free).any(), i
    # Registration order: an open (unreserved) home of a type went to the best-ranked
    # free households that fit; nobody free and fitting ranks above a winner.
    for k, (vi, ci, route) in enumerate(zip(v, pos, routes, strict=True)):
        if vac.reserved_for[vi] != NOBODY:
            continue
        t, r = vac.type[vi], vac.region[vi]
        key = c["ticket"] if route == Route.LOTTERY else c["key"]
        fitting = FITS[t, np.minimum(c["size"], FITS.shape[1] - 1)] & (c["region"] == r) & free
        if t == DwellingType.STARTUP:
            fitting &= c["group"] == Group.STATUS_HOLDER
        if t == DwellingType.LARGE:  # six or more persons first
            big = c["size"] >= 6
            better = fitting & ((big & ~big[ci]) | ((big == big[ci]) & (key < key[ci])))
        else:
            better = fitting & (key < key[ci])
        assert not better.any(), (k, t, route)


@SETTINGS
@given(markets())
def test_advertised_route_lets_by_registration_time_and_lottery(market):
    vac, c, lottery, _, _ = market
    eligible = {DwellingType.STARTUP: c["group"] == Group.STATUS_HOLDER}
    v, pos, routes, refusals = let_advertised(vac, **_advert_args(c, c["key"], lottery, eligible))
    _check_advertised(vac, c, lottery, v, pos, routes, refusals)


def test_the_most_restrictive_type_is_let_first():
    """A room (singles only) and a small home (1-2 persons), a single ranked first and a
    couple second: both are housed only if the room is let before the small home."""
    vac = Vacancies(
        np.zeros(2, np.int8),
        np.array([DwellingType.SMALL, DwellingType.ROOM], np.int8),
        np.full(2, NOBODY, np.int8),
    )
    one = np.zeros(2, np.int8)
    v, pos, _, _ = let_advertised(
        vac, n_regions=1, cand_region=one, cand_size=np.array([1, 2], np.int16),
        cand_group=np.array([Group.REGULAR, Group.REGULAR], np.int8),
        registration_key=np.array([0.0, 1.0]), ticket=np.array([0.5, 0.5]),
        refuses=np.zeros(2, bool), lottery_vacancy=np.zeros(2, bool), fits=FITS,
    )  # fmt: skip
    assert sorted(pos.tolist()) == [0, 1]
    assert dict(zip(pos.tolist(), vac.type[v].tolist(), strict=True)) == {
        0: DwellingType.ROOM,
        1: DwellingType.SMALL,
    }
    assert set(ADVERTISED_TYPE_ORDER) == set(range(N_TYPES))  # every type is let


def test_route_order_in_force_decides_who_goes_first():
    """When both priority routes may take every vacancy, the one that goes first gets more.

    With caps of 1, urgent households waiting at the start could take nearly all of a
    month's vacancies; the quota route only gets what they leave, unless it goes first.
    """
    from model.market import HousingMarket

    def routes(order, **levers):
        quota_share = {} if levers else {"status_holders.quota_placement_max_share": 1.0}
        model = HousingMarket(
            households_per_agent=20,
            rng=2,
            parameters={
                **levers,
                **quota_share,  # (without the quota it would have no effect: refused)
                "allocation.route_order": order,
                "allocation.urgent_share_cap": 1.0,
                "urgent.initial_waiting": 60000,
            },
        )
        lettings = model.run(1).lettings
        return lettings.groupby("route", observed=False).size()

    default = routes(["large_pool", "urgent", "quota", "family", "advertised"])
    swapped = routes(["large_pool", "quota", "urgent", "family", "advertised"])
    assert swapped["quota"] > default["quota"]
    assert swapped["urgent"] < default["urgent"]
    without = routes(
        ["large_pool", "urgent", "quota", "family", "advertised"],
        **{"policy.quota_in_force": False},
    )
    assert without["quota"] == 0 and without["urgent"] > 0


# ------------------------------------------------- the fast versions are exact

from model.allocation.reference import (  # noqa: E402 - the loops the array code replaced
    let_advertised_reference,
    place_priority_reference,
)


def _advert_args(c: dict, key: np.ndarray, lottery: np.ndarray, eligible) -> dict:
    """The advertised route's arguments for the candidates ``c`` of a random market."""
    return dict(
        n_regions=N_REGIONS, cand_region=c["region"], cand_size=c["size"],
        cand_group=c["group"], registration_key=key, ticket=c["ticket"],
        refuses=c["refuses"], lottery_vacancy=lottery, fits=FITS, eligible=eligible,
    )  # fmt: skip


def _copy(vac: Vacancies) -> Vacancies:
    out = Vacancies(vac.region.copy(), vac.type.copy(), vac.reserved_for.copy())
    out.let[:] = vac.let
    return out


@SETTINGS
@given(markets(), st.sampled_from(sorted(ROUTE_OPTIONS)), st.booleans())
def test_priority_placement_equals_the_one_by_one_reference(market, route, with_limit):
    """The phased array version places, refuses and spends the cap exactly as the
    candidate-by-candidate loop it replaced."""
    vac, c, _, cap, limit = market
    options, group = ROUTE_OPTIONS[route]
    order = np.argsort(c["key"])
    prefs = preference_lists(options, c["size"][order], c["room"][order], FITS)
    args = dict(region_of_candidate=c["region"][order], candidates=order, preferences=prefs,
                persons=c["size"][order], refuses=c["refuses"][order], cap=cap,
                persons_limit=limit if with_limit else None, reserved_group=group)  # fmt: skip
    fast, slow = _copy(vac), _copy(vac)
    for a, b in zip(place_priority(fast, **args), place_priority_reference(slow, **args),
                    strict=True):  # fmt: skip
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(fast.let, slow.let)


@SETTINGS
@given(markets())
def test_advertised_letting_equals_the_region_by_region_reference(market):
    """All regions at once give the same lettings, in the same order, and the same
    refusals as region by region."""
    vac, c, lottery, _, _ = market
    startup_ok = c["group"] == Group.STATUS_HOLDER
    args = _advert_args(c, c["key"], lottery, {DwellingType.STARTUP: startup_ok})
    fast, slow = _copy(vac), _copy(vac)
    for a, b in zip(let_advertised(fast, **args), let_advertised_reference(slow, **args),
                    strict=True):  # fmt: skip
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(fast.let, slow.let)


@SETTINGS
@given(markets(), st.sampled_from([3, 40, 70_000]), st.integers(1, 50))
def test_ranking_by_registration_day_equals_the_full_sort(market, days, depth):
    """Held in registration-day order, a region's best candidates are ranked as a stable
    sort of day + ticket ranks them, at every width asked (and the whole way down)."""
    _, c, _, _, _ = market
    n = len(c["region"])
    day = (np.arange(n) * 7919 % days - days // 2).astype(np.int32)  # many ties when few days
    key = day + c["ticket"]
    depths = np.full(N_REGIONS, depth)
    fast = Ranking.by_registration(c["region"], day, key, depths, N_REGIONS)
    plain = Ranking.of(c["region"], key, depths, N_REGIONS)
    for width in (1, depth, 2 * depth + 3, n + 1):
        np.testing.assert_array_equal(fast.first(width), plain.first(width))
    for r in range(N_REGIONS):
        mine = np.flatnonzero(c["region"] == r)
        np.testing.assert_array_equal(fast.first(n + 1)[r, : len(mine)],
                                      mine[np.argsort(key[mine], kind="stable")])  # fmt: skip


@SETTINGS
@given(markets())
def test_advertised_letting_with_the_registration_day_ranking_equals_the_reference(market):
    """The route run on the month's ranking by registration day lets as the reference."""
    vac, c, lottery, _, _ = market
    n = len(c["region"])
    day = (np.arange(n) * 13 % 5).astype(np.int32)
    key = day + c["ticket"]
    homes = np.bincount(vac.region, minlength=N_REGIONS)
    rankings = {Route.REGISTRATION: Ranking.by_registration(c["region"], day, key, homes + 1,
                                                            N_REGIONS)}  # fmt: skip
    args = _advert_args(c, key, lottery, None)
    fast, slow = _copy(vac), _copy(vac)
    for a, b in zip(let_advertised(fast, **args, rankings=rankings),
                    let_advertised_reference(slow, **args), strict=True):  # fmt: skip
        np.testing.assert_array_equal(a, b)


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.integers(0, 3000), st.integers(1, 400))
def test_ranking_of_uniform_tickets_equals_the_full_sort(seed, n, depth):
    """With uniform keys (lottery tickets) the cut that saves a selection ranks as the
    full stable sort does, at every width, however deep the first ranking went."""
    rng = np.random.default_rng(seed)
    region = rng.integers(0, N_REGIONS, n).astype(np.int8)
    ticket = rng.random(n)
    depths = np.full(N_REGIONS, depth)
    fast = Ranking.of(region, ticket, depths, N_REGIONS, uniform=True)
    plain = Ranking.of(region, ticket, depths, N_REGIONS)
    for width in (1, depth, 3 * depth + 1, n + 1):
        np.testing.assert_array_equal(fast.first(width), plain.first(width))
