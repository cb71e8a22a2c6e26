"""Scales for the tests.

Figures and the direction of effects are checked at validated scales (up to
1:20, ``model.inputs.parameters.COARSEST_VALIDATED_SCALE``). Tests of mechanisms
(a lever acts on its date, bad input is refused, a run pickles) may run
coarser for speed, and say so by opting in with ``COARSE``.
"""

COARSE = {"scale.allow_unvalidated": True}
