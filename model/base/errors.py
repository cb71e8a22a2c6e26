"""The model's one error for bad input: :class:`ParameterError`."""

from __future__ import annotations


class ParameterError(ValueError):
    """A parameter value is out of range, of the wrong type, or inconsistent.

    The message names the parameter, the value and what is allowed; the
    command line prints it as one line and exits with status 2.
    """
