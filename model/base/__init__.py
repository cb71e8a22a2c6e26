"""The base: what every other part of the model builds on, and nothing of the domain.

Calendar arithmetic on day numbers (``calendar``), tables of numpy columns
(``columns``), random streams with common random numbers (``streams``),
elementary functions that give the same bytes on every processor
(``numerics``), the codes of groups, dwelling types and routes (``codes``),
the one error for bad input (``errors``) and the safe reader of the TOML files
users give (``tomlfile``). Nothing here imports another part of the model.
"""
