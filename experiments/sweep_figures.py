"""Figures of a sweep: outcomes per policy with 5-95% bands over seeds and uncertainties.

Every band is the 5th to 95th percentile over all runs of a scenario (every
design point and seed): the spread the uncertainties and the model's noise
together give, not a confidence interval of a mean.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

SCENARIO_COLORS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3")


def scenario_colors(scenarios) -> dict[str, str]:
    """One colour per scenario, in the order given."""
    return {s: SCENARIO_COLORS[k % len(SCENARIO_COLORS)] for k, s in enumerate(scenarios)}


def band_over_time(series: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per scenario and date: the 5th, 50th and 95th percentile over every run."""
    mine = series[series["outcome"] == outcome]
    grouped = mine.groupby(["scenario", "date"], sort=False)["value"]
    return grouped.quantile([0.05, 0.5, 0.95]).unstack().reset_index()


def scalar_panel(ax, runs: pd.DataFrame, outcome: str, colors: dict[str, str]) -> None:
    """Each scenario's runs as dots, with the median and the 5-95% band."""
    from experiments.outcomes import OUTCOMES

    rng = np.random.default_rng(0)  # jitter only: the same picture every time
    for k, (scenario, color) in enumerate(colors.items()):
        x = runs.loc[runs["scenario"] == scenario, outcome].dropna()
        if not len(x):
            continue
        ax.scatter(k + rng.uniform(-0.15, 0.15, len(x)), x, s=6, color=color, alpha=0.35, lw=0)
        lo, mid, hi = np.quantile(x, [0.05, 0.5, 0.95])
        ax.errorbar(k + 0.3, mid, yerr=[[mid - lo], [hi - mid]], fmt="o", color=color, capsize=4)
    ax.set_xticks(range(len(colors)), list(colors), rotation=15, ha="right", fontsize=8)
    o = OUTCOMES[outcome]
    ax.set_title(o.label["en"], fontsize=9)
    ax.set_ylabel(o.unit)
    ax.grid(alpha=0.3, axis="y")


def sweep_figure(out: Path, path: Path, outcomes: list[str] | None = None) -> Path:
    """The sweep's figure: up to six scalar outcomes per scenario, and the monthly series.

    Args:
        out: The sweep's results folder.
        path: Where to write the PNG.
        outcomes: Scalar outcomes to show (default: the first six of the spec's).
    """
    from experiments.outcomes import OUTCOMES
    from experiments.sweep import load_manifest, load_series, load_sweep

    manifest = load_manifest(out)
    runs = load_sweep(out)
    colors = scenario_colors([s.rsplit("/", 1)[-1].removesuffix(".toml")
                              for s in manifest["scenarios"]])  # fmt: skip
    shown = outcomes or manifest["outcomes"][:6]
    series_names = manifest["series"][:3]
    n_panels = len(shown) + len(series_names)
    cols = 3
    rows = max(1, -(-n_panels // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), constrained_layout=True)
    axes = np.atleast_1d(axes).ravel()
    for ax, name in zip(axes, shown, strict=False):
        scalar_panel(ax, runs, name, colors)
    if series_names:
        series = load_series(out)
        for ax, name in zip(axes[len(shown) :], series_names, strict=False):
            band = band_over_time(series, name)
            for scenario, color in colors.items():
                b = band[band["scenario"] == scenario]
                ax.plot(b["date"], b[0.5], color=color, label=scenario)
                ax.fill_between(b["date"], b[0.05], b[0.95], color=color, alpha=0.2, lw=0)
            ax.set_title(OUTCOMES[name].label["en"], fontsize=9)
            ax.set_ylabel(OUTCOMES[name].unit)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
            locator = mdates.AutoDateLocator(maxticks=7)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.tick_params(axis="x", labelsize=7)
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    points, seeds = manifest["points"], len(manifest["seeds"])
    fig.suptitle(
        f"{manifest['title']}: {points} points x {seeds} seeds per scenario, "
        f"1:{manifest['households_per_agent']}, {manifest['months']} months; "
        "median and 5-95% over all runs",
        fontsize=10,
    )
    fig.savefig(path, dpi=100, format="png")
    plt.close(fig)
    return path
