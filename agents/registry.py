"""Creating and removing many household agents at once.

A national run at one agent per household creates and removes about three
million agents in ten years. Mesa registers each agent through a signal
wrapper (``Model.register_agent``), about 10 microseconds per agent and as
much again to deregister: half a minute of a run spent on bookkeeping.

``create_agents`` and ``remove_agents`` do the same bookkeeping for a whole
batch: every agent gets a unique id from the model's counter and is put in
``model.agents`` and ``model.agents_by_type[cls]`` exactly as
``Agent.__init__`` would. They take this fast path only when nothing can
notice the difference: no one subscribes to the model's agent signals and no
agent dataset is registered; otherwise they call Mesa's own constructor and
``Agent.remove``. ``tests/test_agents.py`` checks that both paths leave the
model in the same state.
"""

from __future__ import annotations

from collections.abc import Iterable

import mesa
from mesa.agentset import _HardKeyAgentSet


def _fast_path_ok(model: mesa.Model, cls: type[mesa.Agent]) -> bool:
    subscribers = getattr(model, "subscribers", None)
    watched = subscribers is None or any(
        key[0] == "agents" and refs for key, refs in subscribers.items()
    )
    return (
        not watched
        and not cls._datasets
        and isinstance(getattr(model, "_all_agents", None), _HardKeyAgentSet)
    )


def create_agents(model: mesa.Model, cls: type[mesa.Agent], household_ids: Iterable[int]) -> list:
    """Create one agent of ``cls`` per household id and register them with ``model``.

    The class's ``__init__`` must take ``(model, household_id)`` and only set
    ``household_id`` beyond what ``mesa.Agent.__init__`` sets.
    """
    household_ids = list(household_ids)
    if not _fast_path_ok(model, cls):
        return [cls(model, hid) for hid in household_ids]
    first = model.agent_id_counter
    agents = []
    new = object.__new__
    for k, hid in enumerate(household_ids):
        agent = new(cls)
        agent.model = model
        agent.unique_id = first + k
        agent.pos = None
        agent.household_id = hid
        agents.append(agent)
    model.agent_id_counter = first + len(agents)
    model._all_agents._agents.update(dict.fromkeys(agents))
    by_type = model._agents_by_type
    if cls in by_type:
        by_type[cls]._agents.update(dict.fromkeys(agents))
    elif agents:
        by_type[cls] = _HardKeyAgentSet(agents, random=model.random)
    return agents


def remove_agents(model: mesa.Model, agents: list[mesa.Agent]) -> None:
    """Remove agents from ``model`` (as ``Agent.remove`` does, for a batch)."""
    if not agents:
        return
    if not all(_fast_path_ok(model, type(a)) for a in {type(a): a for a in agents}.values()):
        for agent in agents:
            agent.remove()
        return
    everyone = model._all_agents._agents
    by_type = model._agents_by_type
    for agent in agents:
        del everyone[agent]
        del by_type[type(agent)]._agents[agent]
