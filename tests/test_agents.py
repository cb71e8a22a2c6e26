"""Agents are Mesa agents and thin views on the household table; the fast registry is exact."""

from __future__ import annotations

import datetime as dt

import mesa
import numpy as np
import pytest
from scales import COARSE

from agents.households import RegularSeeker, StatusHolder, UrgentSeeker
from agents.registry import create_agents, remove_agents
from model.households import GROUPS, RECEPTION
from model.market import HousingMarket


@pytest.fixture(scope="module")
def model():
    m = HousingMarket("current-policy", rng=9, households_per_agent=200, parameters=COARSE)
    m.run(3)
    return m


def test_agents_are_views_on_their_rows(model):
    table = model.households
    for cls in (RegularSeeker, UrgentSeeker, StatusHolder):
        agents = model.agents_by_type[cls].to_list()
        assert agents
        for agent in agents[:50]:
            row = table.row_of(agent.household_id)
            assert agent.size == table["size"][row]
            assert GROUPS[table["group"][row]] == agent.group_name
            assert agent.registration_date <= model.date
            assert agent.describe()["household_id"] == agent.household_id


def test_status_holders_wait_in_reception_with_a_permit(model):
    """In reception (linked to a municipality while the quota exists), in a start-up
    home, or back in the queue from a home their arriving family outgrew."""
    seen = set()
    for agent in model.agents_by_type[StatusHolder].to_list():
        seen.add(agent.situation)
        assert agent.permit_date <= model.date
        assert agent.weeks_since_permit() >= 0
        if agent.situation == "reception":
            assert agent.linked_region is not None
        elif agent.situation == "social_tenant":
            assert agent.linked_region is None and agent.leaves_a_social_home
        else:
            assert agent.situation == "startup_home"
    assert "reception" in seen


def test_urgency_lapses_on_its_expiry_date():
    m = HousingMarket("current-policy", rng=9, households_per_agent=500, parameters=COARSE)
    urgent = m.agents_by_type[UrgentSeeker].to_list()
    agent = min(urgent, key=lambda a: a.urgency_expiry_date)
    assert agent.has_urgency
    day = (agent.urgency_expiry_date - dt.date(1970, 1, 1)).days
    rows = np.array([m.households.row_of(agent.household_id)])
    assert len(UrgentSeeker.lapse_expired(m, rows, day - 1)) == 0
    assert agent.has_urgency
    assert len(UrgentSeeker.lapse_expired(m, rows, day)) == 1
    assert not agent.has_urgency


def test_behaviour_of_one_agent_matches_its_class(model):
    agents = model.agents_by_type[RegularSeeker].to_list()[:200]
    rows = np.array([model.households.row_of(a.household_id) for a in agents])
    reacts = RegularSeeker.reacts(model, rows)
    assert [a.reacts_this_month() for a in agents] == reacts.tolist()
    assert 0.3 < reacts.mean() < 0.95  # search activity about 0.7


def test_status_holders_in_reception_are_agents(model):
    table = model.households
    waiting = table.waiting()
    in_reception = np.sum(
        (table["group"][waiting] == 2) & (table["situation"][waiting] == RECEPTION)
    )
    assert in_reception <= len(model.agents_by_type[StatusHolder])


class _Probe(mesa.Agent):
    def __init__(self, model, household_id):
        super().__init__(model)
        self.household_id = household_id


def _state(model):
    return (
        len(model.agents),
        sorted(a.unique_id for a in model.agents),
        {cls.__name__: len(s) for cls, s in model.agents_by_type.items()},
        model.agent_id_counter,
    )


def test_fast_registry_equals_mesas_own_path():
    fast, slow = mesa.Model(rng=1), mesa.Model(rng=1)
    a = create_agents(fast, _Probe, range(10))
    b = [_Probe(slow, hid) for hid in range(10)]
    assert _state(fast) == _state(slow)
    assert [x.household_id for x in a] == [x.household_id for x in b]
    assert all(x.model is fast and x.pos is None for x in a)
    remove_agents(fast, a[:4])
    for x in b[:4]:
        x.remove()
    assert _state(fast) == _state(slow)
    a[5].remove()  # a fast-created agent can still be removed the Mesa way
    b[5].remove()
    assert _state(fast) == _state(slow)


def test_registry_uses_mesas_path_when_someone_listens():
    class Listener:
        def __init__(self):
            self.heard = []

        def hear(self, signal):
            self.heard.append(signal)

    model = mesa.Model(rng=1)
    listener = Listener()
    model.observe("agents", "agent_added", listener.hear)
    create_agents(model, _Probe, range(3))
    assert len(listener.heard) == 3
