"""Allocation: who gets the month's vacancies, route by route.

Read ``reference.py`` first: it states the allocation rules plainly, as loops
over candidates and homes. The fast code (``engine``, ``routes``) does the
same with array operations for every region at once, and the tests check on
random markets that both give the same lettings. Imports the base, the
inputs, the supply, the households, the asylum side and ``agents``.
"""
