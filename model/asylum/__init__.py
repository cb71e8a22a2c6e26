"""Asylum and reception: from application to permit, waiting in reception, the quota.

``pipeline``: applications, IND decisions and permits; ``reception``: COA's
places by tier, occupancy and cost; ``quota``: the municipalities' half-year
targets and backlog; ``reunification``: family members abroad joining status
holders; ``integration``: work and benefit shares of permit cohorts. Imports
the base, the inputs, the supply and the households.
"""
