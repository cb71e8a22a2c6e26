"""Figures of a run: lettings by group, waiting times, reception.

Every axis names its unit and every figure is in real households or persons.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

from model.base.codes import GROUPS

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from model.reporting.presentation import GROUP_COLORS, group_label


def rolling_year(series: pd.Series) -> pd.Series:
    """Twelve-month moving sum (flows per year)."""
    return series.rolling(12, min_periods=12).sum()


def run_figure(monthly: pd.DataFrame, title: str, path: Path, lang: str = "en") -> Path:
    """Four panels: lettings per group, registration time at letting, queues, reception.

    Args:
        monthly: The run's monthly DataFrame (first row: the start state).
        title: Figure title (the scenario).
        path: Where to write the PNG.
        lang: Label language, ``en`` or ``nl``.

    Returns:
        The path written.
    """
    # Long on purpose: one figure drawn panel by panel, top to bottom.
    m = monthly.iloc[1:].set_index("date")
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)
    ax = axes[0, 0]
    for g in GROUPS:
        ax.plot(
            m.index,
            m[f"lettings_{g}_households"] * 12,
            color=GROUP_COLORS[g],
            alpha=0.25,
            lw=0.8,
        )
        ax.plot(
            m.index,
            rolling_year(m[f"lettings_{g}_households"]),
            color=GROUP_COLORS[g],
            label=group_label(g, lang),
        )
    ax.set_title("Lettings per group" if lang == "en" else "Toewijzingen per groep")
    ax.set_ylabel("households per year (12-month sum; faint: month x 12)")
    ax.legend()

    ax = axes[0, 1]
    for g in GROUPS:
        col = f"registration_years_at_letting_median_{g}"
        ax.plot(m.index, m[col].rolling(3, min_periods=1).mean(), color=GROUP_COLORS[g])
        ax.plot(
            m.index,
            m[f"registration_years_at_letting_p90_{g}"].rolling(3, min_periods=1).mean(),
            color=GROUP_COLORS[g],
            ls="--",
            lw=0.8,
        )
    ax.set_title(
        "Registration time at letting (median; dashed: 90th percentile)"
        if lang == "en"
        else "Inschrijfduur bij toewijzing (mediaan; gestreept: 90e percentiel)"
    )
    ax.set_ylabel("years (status holders: since the permit)")

    ax = axes[1, 0]
    for g in GROUPS:
        ax.plot(m.index, m[f"waiting_{g}_households"], color=GROUP_COLORS[g])
    ax.set_yscale("log")
    ax.set_title("Households waiting" if lang == "en" else "Wachtende huishoudens")
    ax.set_ylabel("households (log scale)")

    ax = axes[1, 1]
    sh = GROUP_COLORS["status_holder"]
    ax.plot(m.index, m["status_holders_in_reception_persons"], color=sh, label="in reception")
    ax.plot(
        m.index, m["reception_backlog_persons"], color=sh, ls="--", label="past the 14-week norm"
    )
    ax.plot(m.index, m["quota_backlog_persons"], color="grey", ls=":", label="quota backlog")
    ax.set_title("Status holders in reception" if lang == "en" else "Statushouders in de opvang")
    ax.set_ylabel("persons")
    ax.legend()
    for ax in axes.flat:
        ax.set_ylim(bottom=0) if ax.get_yscale() == "linear" else None
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def compare_figure(result: dict, path: Path) -> Path:
    """Differences B - A per group with their 5-95% bands over seeds."""
    # Long on purpose: one figure drawn panel by panel, top to bottom.
    d = result["differences"]
    a, b = result["a"], result["b"]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)

    def yearly(measure, group):
        sel = d[
            (d["measure"] == measure) & (d["group"] == group) & d["period"].str.startswith("year")
        ]
        years = sel["period"].str.slice(5).astype(int)
        return sel.assign(year=years).sort_values("year")

    def bands(ax, measure):
        """Per group, the mean difference per simulated year and its 5-95% band."""
        for g in GROUPS:
            sel = yearly(measure, g)
            ax.plot(sel["year"], sel["difference_mean"], marker="o", color=GROUP_COLORS[g],
                    label=group_label(g, "en"))  # fmt: skip
            ax.fill_between(sel["year"], sel["difference_p5"], sel["difference_p95"],
                            color=GROUP_COLORS[g], alpha=0.2)  # fmt: skip
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xlabel("simulated year")

    ax = axes[0, 0]
    bands(ax, "lettings_households")
    ax.set_title("Lettings per group: difference per simulated year")
    ax.set_ylabel("households per year (B - A)")
    ax.legend()

    ax = axes[0, 1]
    bands(ax, "time_to_housing_years_median")
    ax.set_title("Median time from entry to a home: difference")
    ax.set_ylabel("years (B - A)")

    ax = axes[1, 0]
    m = result["monthly"]
    col = "status_holders_in_reception_persons"
    sh = GROUP_COLORS["status_holder"]
    ax.plot(m.index, m[("difference_mean", col)], color=sh, label="in reception")
    ax.fill_between(m.index, m[("difference_p5", col)], m[("difference_p95", col)],
                    color=sh, alpha=0.2)  # fmt: skip
    col = "reception_backlog_persons"
    ax.plot(m.index, m[("difference_mean", col)], color=sh, ls="--", label="past 14 weeks")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_title("Status holders in reception: difference")
    ax.set_ylabel("persons (B - A)")
    ax.legend()

    _equal_playing_field_panel(axes[1, 1], result["equal_playing_field"], a, b)
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    fig.suptitle(f"{b} minus {a}: mean over {result['seeds']} seeds, band 5-95%")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _equal_playing_field_panel(ax, epf: pd.DataFrame | None, a: str, b: str) -> None:
    """Housed within N years for comparable households, A and B side by side per group."""
    if epf is None:  # the run is too short for it (compare's note says so)
        ax.text(0.5, 0.5, "Housed within N years:\nthe run is too short", ha="center",
                va="center", transform=ax.transAxes)  # fmt: skip
        ax.set_axis_off()
        return
    width = 0.38
    for k, (name, shade) in enumerate(((a, 0.45), (b, 1.0))):
        sel = epf[epf["scenario"] == name].set_index("group").reindex(list(GROUPS))
        x = np.arange(len(GROUPS)) + (k - 0.5) * width
        ax.bar(x, sel["share_housed_standardised"], width,
               color=[GROUP_COLORS[g] for g in GROUPS], alpha=shade, label=name)  # fmt: skip
    ax.set_xticks(np.arange(len(GROUPS)), [group_label(g, "en") for g in GROUPS])
    years = epf["years"].iloc[0] if len(epf) else 2
    ax.set_title(f"Housed within {years:g} years (comparable households)")
    ax.set_ylabel("share (standardised to regular seekers' mix)")
    ax.legend()


def reception_figure(results, title: str, path: Path) -> Path:
    """Reception by place type, its cost, time from permit to housing, integration."""
    # Long on purpose: one figure drawn panel by panel, top to bottom.
    m = results.monthly.iloc[1:].set_index("date")
    sh = GROUP_COLORS["status_holder"]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)
    ax = axes[0, 0]
    parts = [
        ("regular", "in regular places (azc)", "#8c8c8c"),
        ("emergency_locations", "emergency locations (noodopvang, tgo)", "#ff7f0e"),
        ("emergency_ships", "emergency: ships", "#d62728"),
        ("emergency_hotels", "emergency: hotels", "#9467bd"),
    ]
    ax.stackplot(m.index, *[m[f"reception_occupancy_{t}_persons"] for t, _, _ in parts],
                 labels=[lab for _, lab, _ in parts], colors=[col for _, _, col in parts],
                 alpha=0.8)  # fmt: skip
    ax.plot(m.index, m["reception_places_regular_persons"], color="black", lw=1,
            label="regular places")  # fmt: skip
    ax.plot(m.index, m["status_holders_in_reception_persons"], color=sh, lw=2,
            label="of whom status holders")  # fmt: skip
    ax.set_title("Reception occupancy by place type")
    ax.set_ylabel("persons")
    ax.legend(loc="upper right", fontsize=8)

    ax = axes[0, 1]
    ax.stackplot(
        m.index,
        *(m[f"reception_cost_{t}_eur"] * 12 / 1e9 for t, _, _ in parts),
        labels=[t.replace("_", " ") for t, _, _ in parts],
        colors=[c for _, _, c in parts],
    )
    ax.set_title("Reception cost (annual rate)")
    ax.set_ylabel("billion euro per year")
    ax.legend(loc="upper right", fontsize=8)

    ax = axes[1, 0]
    ax.plot(m.index, m["permit_to_housing_weeks_median"].rolling(3, min_periods=1).mean(),
            color=sh, label="median")  # fmt: skip
    ax.plot(m.index, m["permit_to_housing_weeks_p90"].rolling(3, min_periods=1).mean(),
            color=sh, ls="--", label="90th percentile")  # fmt: skip
    ax.axhline(14, color="black", lw=0.8, ls=":", label="14-week norm")
    ax.set_title("Time from permit to leaving reception (those housed that month)")
    ax.set_ylabel("weeks")
    ax.legend(fontsize=8)

    ax = axes[1, 1]
    integ = results.integration.set_index("date")
    for col, label, style in (
        ("work_share_18_months_share", "in work, 18 months after the permit", "-"),
        ("work_share_36_months_share", "in work, 36 months after", "-."),
        ("benefit_share_24_months_share", "on benefits, 24 months after", "--"),
        ("benefit_share_60_months_share", "on benefits, 60 months after", ":"),
    ):
        ax.plot(integ.index, integ[col], color=sh, ls=style, label=label)
    ax.set_ylim(0, 1)
    ax.set_title("Integration of permit cohorts (from their start in the run)")
    ax.set_ylabel("share of persons")
    ax.legend(fontsize=8)
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
