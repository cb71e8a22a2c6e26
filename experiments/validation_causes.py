"""What is thought to cause each validation (or calibration) failure.

One entry per figure of model/data/targets.toml that fails in the validation
report, written after looking at the failure and only where a mechanism in the
model can be named (what the model does, and why that moves the figure the
way it is off). A failing figure without an entry is shown as "not known yet".
An entry never changes a verdict, and a tolerance is never changed to make a
figure pass.
"""

CAUSES: dict[str, str] = {}
