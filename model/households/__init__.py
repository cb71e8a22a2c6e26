"""Households: the table of per-household state, who enters, waits and leaves.

``table`` holds every waiting household as a row of numpy columns;
``population`` draws new households (and the queue at the start) as pure
functions of their ids; ``queue`` owns the table and lets households enter,
lapse and leave, each class by its own rule (the Mesa agent classes in the
top-level ``agents`` package). Imports the base, the inputs, the supply and
``agents``.
"""
