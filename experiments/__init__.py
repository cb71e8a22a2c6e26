"""Command line, scenarios, sweeps and figures for the housing market model."""
