"""Inputs: what a run is told, checked once.

Every default number with its source (``data/defaults.toml``, read by
``parameters``), named scenarios and lever schedules over time (``policy``),
observed inputs and documented start states for a run that starts in the
past (``history``, ``data/history.toml``), and the check of a run's settings
(``settings``). Imports only the base.
"""
