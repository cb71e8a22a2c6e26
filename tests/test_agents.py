"""Agents are Mesa agents, made on demand, and thin views on the household table."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scales import COARSE

from agents.households import RegularSeeker, StatusHolder, UrgentSeeker
from model.base.codes import GROUPS, Group, Situation
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
            assert agent.situation == "temporary_home"
    assert "reception" in seen


def test_urgency_lapses_on_its_expiry_date():
    m = HousingMarket("current-policy", rng=9, households_per_agent=500, parameters=COARSE)
    urgent = [a for a in m.agents_by_type[UrgentSeeker].to_list() if a.has_urgency]
    agent = min(urgent, key=lambda a: a.urgency_expiry_date)
    assert agent.has_urgency
    day = (agent.urgency_expiry_date - dt.date(1970, 1, 1)).days
    rows = np.array([m.households.row_of(agent.household_id)])
    assert len(UrgentSeeker.lapse_expired(m.rules(), rows, day - 1)) == 0
    assert agent.has_urgency
    assert len(UrgentSeeker.lapse_expired(m.rules(), rows, day)) == 1
    assert not agent.has_urgency


def test_behaviour_of_one_agent_matches_its_class(model):
    agents = model.agents_by_type[RegularSeeker].to_list()[:200]
    rows = np.array([model.households.row_of(a.household_id) for a in agents])
    reacts = RegularSeeker.reacts(model.rules(), rows)
    assert [a.reacts_this_month() for a in agents] == reacts.tolist()
    assert 0.3 < reacts.mean() < 0.95  # search activity about 0.7


def test_status_holders_in_reception_are_agents(model):
    table = model.households
    waiting = table.waiting()
    in_reception = np.sum(
        (table["group"][waiting] == 2) & (table["situation"][waiting] == Situation.RECEPTION)
    )
    assert in_reception <= len(model.agents_by_type[StatusHolder])


def _waiting_ids(model, cls):
    table = model.households
    waiting = table.waiting()
    return set(table["id"][waiting][table["group"][waiting] == cls.group].tolist())


def test_agents_are_made_on_demand_and_follow_the_table():
    """A run that never looks at agents makes none; asked for, every waiting household
    has one; households gone lose theirs."""
    m = HousingMarket("current-policy", rng=9, households_per_agent=200, parameters=COARSE)
    m.run(2)
    assert len(m._agents._of) == 0  # nobody asked
    for cls in (RegularSeeker, UrgentSeeker, StatusHolder):
        ids = {a.household_id for a in m.agents_by_type[cls]}
        assert ids == _waiting_ids(m, cls)
    m.run(3)  # some housed, some left, some new
    for cls in (RegularSeeker, UrgentSeeker, StatusHolder):
        ids = {a.household_id for a in m.agents_by_type[cls]}
        assert ids == _waiting_ids(m, cls)
    assert len(m.agents) == len(m.households.waiting()) + len(m.municipalities)


def test_agents_are_made_through_mesas_own_constructor():
    """Mesa's signals fire for every agent made and removed: no private path."""
    heard = []

    def hear(signal):
        heard.append(signal)

    m = HousingMarket("current-policy", rng=9, households_per_agent=500, parameters=COARSE)
    m.observe("agents", "agent_added", hear)
    n = len(m.agents_by_type[StatusHolder])
    assert n > 0 and len(heard) == len(m.households.waiting())
    agent = m.agent(int(m.households["id"][m.households.waiting()[0]]))
    assert agent.model is m and agent.unique_id is not None


def test_no_private_mesa_attribute_is_used():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for folder in ("model", "agents", "experiments"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text()
            for private in ("_all_agents", "_agents_by_type", "_HardKeyAgentSet"):
                assert private not in text, (path, private)


def test_a_rule_is_applied_class_by_class_unless_it_is_the_same_for_every_class(model, monkeypatch):
    """``by_class`` runs a rule shared by every class once over all rows, and still
    each class's own rule where a class overrides it."""
    import agents.households as ah

    rows = model.households.waiting()
    group = model.households["group"][rows]
    each = np.zeros(len(rows), bool)
    for g, cls in ah.AGENT_CLASSES.items():
        each[group == g] = cls.reacts(model.rules(), rows[group == g])
    np.testing.assert_array_equal(ah.by_class("reacts", model.rules(), rows, group), each)

    class Stubborn(UrgentSeeker):
        @classmethod
        def refuses(cls, rules, rows):
            return np.ones(len(rows), bool)

    monkeypatch.setitem(ah.AGENT_CLASSES, Group.URGENT, Stubborn)
    got = ah.by_class("refuses", model.rules(), rows, group)
    assert got[group == Group.URGENT].all()
    np.testing.assert_array_equal(
        got[group != Group.URGENT],
        RegularSeeker.refuses(model.rules(), rows[group != Group.URGENT]),
    )
