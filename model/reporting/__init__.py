"""Reporting: the month's figures in real households and persons, and the results.

``accounts`` turns each sub-model's record of its month into one row of
figures (the one place where agent units become real households, persons,
dwellings and euro); ``results`` builds the tidy tables of a run;
``displacement`` the three displacement measures; ``presentation`` the labels
and colours shared by figures, the command line and the app. Imports every
layer below it.
"""
