"""Sensitivity indices of a finished sweep: which uncertainty drives which outcome.

``python -m experiments sensitivity DIR`` picks the method the design was made
for and prints the indices with 95% confidence intervals:

* **Sobol** (design ``sobol``, SALib): first-order ``S1`` and total ``ST``
  indices, the share of an outcome's variance a parameter explains alone and
  with its interactions;
* **Morris** (design ``morris``, SALib): ``mu_star``, the mean absolute
  elementary effect (in the outcome's unit), and ``sigma``, its spread
  (non-linearity and interactions);
* **rank regression** (``latin_hypercube`` or ``full_factorial``): standardised
  rank regression coefficients (SRRC, between -1 and 1; the sign says the
  direction), with bootstrap intervals, and the R² of the rank regression: when
  R² is high, SRRC² is the share of the rank variance each parameter explains.

Indices are per scenario: a policy can change what matters. Where a point ran
on several seeds, the outcome is the mean over its seeds, and the seed-noise
share is reported: the within-point over the total sum of squares (between
0 and 1), the share of the outcome's spread that is the model's own noise. Warnings say when
the budget is too small for the intervals to mean much.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.naming import column_of
from experiments.sweep import SpecError, load_design, load_manifest, load_sweep
from experiments.sweep.fields import SAMPLED

METHOD_OF_DESIGN = {
    "sobol": "sobol",
    "morris": "morris",
    "latin_hypercube": "regression",
    "full_factorial": "regression",
}
BOOTSTRAP = 500


def _columns(manifest: dict) -> list[str]:
    """The varied parameters' columns in the sweep's files."""
    return [column_of(v["name"]) for v in manifest["varied"]]


def _problem(manifest: dict) -> dict:
    varied = manifest["varied"]
    return {
        "num_vars": len(varied),
        "names": [v["name"] for v in varied],
        "bounds": [[v["low"], v["high"]] for v in varied],
    }


def point_means(runs: pd.DataFrame, outcome: str) -> tuple[pd.Series, float]:
    """Per point, the outcome's mean over seeds; and the seed-noise share of its variance.

    The share is the within-point sum of squares over the total sum of squares
    (one-way analysis of variance with the point as the factor):
    sum over runs of (y - its point's mean)² / sum over runs of (y - the mean of
    all runs)². It lies between 0 (seeds agree at every point) and 1 (the
    points' means are all the same: every difference is noise). NaN when no
    point ran on two or more seeds, or every run gave the same value.
    """
    y = runs[outcome].astype(float)
    per_point = y.groupby(runs["point"])
    means = per_point.mean()
    noise = float("nan")
    if per_point.size().max() > 1:
        within = float(((y - per_point.transform("mean")) ** 2).sum())
        total = float(((y - y.mean()) ** 2).sum())
        noise = within / total if total > 0 else float("nan")
    return means, noise


def _ranks(x: np.ndarray) -> np.ndarray:
    return pd.DataFrame(x).rank().to_numpy()


def srrc(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Standardised rank regression coefficients of y on the columns of x, and R²."""
    rx, ry = _ranks(x), _ranks(y.reshape(-1, 1))[:, 0]
    sx, sy = rx.std(axis=0), ry.std()
    if sy == 0 or np.any(sx == 0):
        return np.full(x.shape[1], np.nan), float("nan")
    zx, zy = (rx - rx.mean(axis=0)) / sx, (ry - ry.mean()) / sy
    coef, *_ = np.linalg.lstsq(zx, zy, rcond=None)
    fitted = zx @ coef
    r2 = 1 - ((zy - fitted) ** 2).sum() / (zy**2).sum()
    return coef, float(r2)


def _regression(x, y, names, seed=0):
    coef, r2 = srrc(x, y)
    rng = np.random.default_rng(seed)
    boots = []
    for _ in range(BOOTSTRAP):
        k = rng.integers(0, len(y), len(y))
        boots.append(srrc(x[k], y[k])[0])
    lo, hi = np.nanquantile(np.array(boots), [0.025, 0.975], axis=0)
    rows = [
        dict(parameter=n, index="SRRC", value=c, conf_low=a, conf_high=b)
        for n, c, a, b in zip(names, coef, lo, hi, strict=True)
    ]
    rows.append(dict(parameter="(all)", index="R2", value=r2, conf_low=np.nan, conf_high=np.nan))
    return rows


def analyse(
    sweep: str | Path, outcomes: list[str] | None = None, method: str = "auto"
) -> tuple[pd.DataFrame, list[str]]:
    """Sensitivity indices per scenario and outcome.

    Args:
        sweep: A sweep's results folder (every run finished).
        outcomes: The outcomes (default: all of the sweep's).
        method: ``auto`` (the design's), ``sobol``, ``morris`` or ``regression``.

    Returns:
        (indices: scenario, outcome, method, parameter, index, value, conf_low,
        conf_high, seed_noise_share; warnings).

    Raises:
        SpecError: The sweep is unfinished, or the method does not fit its design.
    """
    sweep = Path(sweep)
    manifest = load_manifest(sweep)
    method = _method(manifest, method, sweep)
    outcomes = _outcomes(manifest, outcomes, sweep)
    runs, design = _finished(manifest, sweep)
    warnings: list[str] = []
    rows = []
    for scenario, mine in runs.groupby("scenario", sort=False):
        for outcome in outcomes:
            rows += _indices(scenario, outcome, mine, design, manifest, method, warnings)
    names = manifest["varied"]
    if method == "regression" and len(design) < 10 * len(names):
        warnings.append(
            f"{len(design)} points for {len(names)} parameters: fewer than 10 per parameter, so "
            "the intervals are wide; raise design.points"
        )
    return pd.DataFrame(rows), warnings


def _method(manifest: dict, method: str, sweep: Path) -> str:
    kind = manifest["design"]["kind"]
    method = METHOD_OF_DESIGN[kind] if method == "auto" else method
    if method in ("sobol", "morris") and kind != method:
        raise SpecError(
            f"--method {method} needs a {method} design; sweep '{sweep}' is a {kind} design; "
            f"allowed: --method {METHOD_OF_DESIGN[kind]}"
        )
    return method


def _outcomes(manifest: dict, outcomes: list[str] | None, sweep: Path) -> list[str]:
    outcomes = outcomes or manifest["outcomes"]
    unknown = [o for o in outcomes if o not in manifest["outcomes"]]
    if unknown:
        raise SpecError(
            f"outcome '{unknown[0]}' is not in sweep '{sweep}'; "
            f"allowed: {', '.join(manifest['outcomes'])}"
        )
    if not manifest["varied"]:
        raise SpecError(f"sweep '{sweep}' varies no parameter; allowed: a sweep with [parameters]")
    return outcomes


def _finished(manifest: dict, sweep: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs and the design of a finished sweep."""
    runs = load_sweep(sweep)
    if len(runs) < manifest["runs"]:
        raise SpecError(
            f"sweep '{sweep}' has {len(runs)} of its {manifest['runs']} runs; allowed: a finished "
            "sweep (python -m experiments sweep SPEC --resume; failed runs are in errors/)"
        )
    return runs, load_design(sweep)


def _indices(scenario, outcome, runs, design, manifest, method, warnings) -> list[dict]:
    """One scenario's indices for one outcome (none, with a warning, if there is nothing
    to explain)."""
    means, noise = point_means(runs, outcome)
    y = means.reindex(range(len(design))).to_numpy(float)
    tag = f"{scenario}, {outcome}"
    if np.isnan(y).any():
        warnings.append(f"{tag}: {int(np.isnan(y).sum())} points have no value; skipped")
        return []
    if np.nanstd(y) == 0:
        warnings.append(f"{tag}: the same value at every point; no indices")
        return []
    if not np.isnan(noise) and noise > 0.2:
        warnings.append(
            f"{tag}: {noise:.0%} of the outcome's spread (sum of squares) is between seeds at "
            "the same point (the model's noise); more seeds or a larger scale would sharpen "
            "the indices"
        )
    problem = _problem(manifest)
    if method == "sobol":
        got = _sobol(problem, y, manifest, tag, warnings)
    elif method == "morris":
        got = _morris(problem, design, y, manifest, tag, warnings)
    else:
        got = _regression(design[_columns(manifest)].to_numpy(float), y, problem["names"])
        r2 = got[-1]["value"]
        if r2 < 0.7:
            warnings.append(
                f"{tag}: the rank regression explains only {r2:.0%} of the variance "
                "(interactions, non-monotone effects or noise): read SRRC as a rough ordering"
            )
    base = {"scenario": scenario, "outcome": outcome, "method": method}
    return [{**base, **r, "seed_noise_share": noise} for r in got]


def _sobol(problem, y, manifest, tag, warnings) -> list[dict]:
    from SALib.analyze import sobol

    second = manifest["design"].get("second_order", False)
    n = manifest["design"]["points"]
    res = sobol.analyze(problem, y, calc_second_order=second, conf_level=0.95, seed=1)
    rows = []
    for k, name in enumerate(problem["names"]):
        for index in ("S1", "ST"):
            v, c = float(res[index][k]), float(res[f"{index}_conf"][k])
            rows.append(dict(parameter=name, index=index, value=v, conf_low=v - c, conf_high=v + c))
    widest = float(np.max(res["ST_conf"]))
    if widest > 0.1 or n < 256:
        warnings.append(
            f"{tag}: Sobol intervals up to ±{widest:.2f} with N = {n} base samples; the budget "
            "is too small for firm indices (N of 512 or more is usual)"
        )
    return rows


def _morris(problem, design, y, manifest, tag, warnings) -> list[dict]:
    from SALib.analyze import morris

    names = problem["names"]
    columns = [column_of(n) for n in names]
    x = design[[c + SAMPLED if c + SAMPLED in design else c for c in columns]]
    res = morris.analyze(
        problem,
        x.to_numpy(float),
        y,
        conf_level=0.95,
        num_levels=manifest["design"]["levels"],
        seed=1,
    )
    rows = []
    for k, name in enumerate(names):
        m, c = float(res["mu_star"][k]), float(res["mu_star_conf"][k])
        rows.append(dict(parameter=name, index="mu_star", value=m, conf_low=m - c, conf_high=m + c))
        rows.append(
            dict(
                parameter=name,
                index="sigma",
                value=float(res["sigma"][k]),
                conf_low=np.nan,
                conf_high=np.nan,
            )
        )
    trajectories = manifest["design"]["points"]
    top = int(np.argmax(res["mu_star"]))
    if trajectories < 10 or res["mu_star_conf"][top] > 0.5 * res["mu_star"][top]:
        warnings.append(
            f"{tag}: {trajectories} Morris trajectories; the interval of the largest mu_star is "
            f"±{res['mu_star_conf'][top]:.3g} against {res['mu_star'][top]:.3g}: too few "
            "trajectories to rank the parameters firmly (10 to 50 are usual)"
        )
    return rows


def format_indices(table: pd.DataFrame) -> str:
    """The indices as text: one line per scenario, outcome and parameter."""
    if table.empty:
        return "(no indices)"
    lines = []
    for (scenario, outcome), mine in table.groupby(["scenario", "outcome"], sort=False):
        lines.append(f"\n{scenario} — {outcome} ({mine['method'].iloc[0]})")
        for _, r in mine.iterrows():
            fmt = "{:.3g}" if r["index"] in ("mu_star", "sigma") else "{:.3f}"
            ci = ""
            if pd.notna(r["conf_low"]):
                ci = f"  [{fmt.format(r['conf_low'])}, {fmt.format(r['conf_high'])}]"
            lines.append(
                f"  {r['parameter']:45s} {r['index']:8s} {fmt.format(r['value']):>10s}{ci}"
            )
        noise = mine["seed_noise_share"].iloc[0]
        if pd.notna(noise):
            lines.append(f"  seed noise: {noise:.0%} of the sum of squares (within points)")
    return "\n".join(lines)


def figure(
    table: pd.DataFrame, path: Path, title: str = "", scenarios: list[str] | None = None
) -> Path:
    """One panel per outcome: each parameter's main index per scenario, with its interval."""
    from experiments.outcomes import OUTCOMES
    from experiments.sweep_figures import scenario_colors

    main = {"sobol": "ST", "morris": "mu_star", "regression": "SRRC"}
    outcomes = list(dict.fromkeys(table["outcome"]))[:9]
    cols = min(3, max(len(outcomes), 1))
    rows = max(1, -(-len(outcomes) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 3.6 * rows), constrained_layout=True,
                             squeeze=False)  # fmt: skip
    colors = scenario_colors(scenarios or list(dict.fromkeys(table["scenario"])))
    for ax, outcome in zip(axes.ravel(), outcomes, strict=False):
        mine = table[(table["outcome"] == outcome)]
        method = mine["method"].iloc[0]
        mine = mine[mine["index"] == main[method]]
        params = list(dict.fromkeys(mine["parameter"]))
        width = 0.8 / max(len(colors), 1)
        for k, (scenario, color) in enumerate(colors.items()):
            s = mine[mine["scenario"] == scenario].set_index("parameter").reindex(params)
            y = np.arange(len(params)) + (k - (len(colors) - 1) / 2) * width
            err = np.array([s["value"] - s["conf_low"], s["conf_high"] - s["value"]])
            ax.barh(y, s["value"], height=width, color=color, label=scenario,
                    xerr=np.nan_to_num(err), capsize=2)  # fmt: skip
        ax.set_yticks(range(len(params)), [p.split(".", 1)[1] for p in params], fontsize=8)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_title(f"{OUTCOMES[outcome].label['en']}\n{main[method]}", fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    axes.ravel()[0].legend(fontsize=7)
    for ax in axes.ravel()[len(outcomes) :]:
        ax.set_visible(False)
    fig.suptitle(title or "Sensitivity (95% intervals)", fontsize=10)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def write(table: pd.DataFrame, sweep: Path, out: Path) -> list[Path]:
    """``sensitivity.csv`` and ``sensitivity.png`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "sensitivity.csv", index=False)
    manifest = load_manifest(sweep)
    title = f"{manifest['title']}: sensitivity (95% intervals)"
    order = [Path(s).stem if s.endswith(".toml") else s for s in manifest["scenarios"]]
    figure(table, out / "sensitivity.png", title, order)
    return [out / "sensitivity.csv", out / "sensitivity.png"]
