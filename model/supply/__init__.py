"""Supply: corporation dwellings by region and type, and their vacancies (``stock``).

Imports the base and the inputs.
"""
