"""Allocation: who gets the month's vacancies, route by route.

Read ``reference.py`` first: it states the allocation rules plainly, as loops
over candidates and homes. The rest does the same with array operations for
every region at once, and ``tests/test_allocation.py`` checks on random
markets that both give exactly the same lettings:

* ``routes.py``: the month's routes in the order of ``allocation.route_order``
  (large-family pool, urgent placements, the quota, family priority, the
  advertised homes), each choosing its candidates and options under the
  policy in force; then the lettings are settled (``Allocation``);
* ``priority.py``: priority placement (a route's ranked candidates take the
  first fitting home, phase by phase);
* ``matching.py``: the quota's vacancy-first matching;
* ``advertised.py`` and ``ranking.py``: the advertised homes by registration
  time or lottery, on rankings only as deep as the homes reach;
* ``options.py``, ``vacancies.py``, ``log.py``: the routes' options, the
  month's vacancies and lettings, and the letting log.

Imports the base, the inputs, the supply, the households, the asylum side and
``agents``.
"""
