"""Charts: SVG for the page, PNG (matplotlib) for export, from the same data.

A live run redraws its charts several times a second. Rendering four
matplotlib PNGs each time took about half a second and made the charts,
not the model, the bottleneck; an SVG line chart written as text from the
data takes about a millisecond and the browser draws it. Export (PNG) uses
matplotlib once, on request.

A :class:`Chart` is data only: a title, a unit, an x axis and lines (each with
an optional band). :func:`svg` and :func:`png` draw it.
"""

from __future__ import annotations

import dataclasses
import html
import io
import math

import numpy as np

from workshop.text import number

WIDTH, HEIGHT = 640, 290
MARK_ROW = 11  # height of a row of policy-moment labels above a plot
KEY_CHAR, KEY_PAD = 4.9, 22  # a key's width: per character of its label, and its disc and gap
FONT = "font-family:Roboto,Helvetica,Arial,sans-serif"


@dataclasses.dataclass(frozen=True)
class Line:
    """One line of a chart.

    Attributes:
        label: Its name in the legend.
        color: Its colour (the group's colour: one colour per group everywhere).
        y: Values, one per x (NaN: no value).
        dash: Dashed instead of solid.
        band: (low, high) arrays drawn as a shaded band behind the line.
    """

    label: str
    color: str
    y: np.ndarray
    dash: bool = False
    band: tuple[np.ndarray, np.ndarray] | None = None


@dataclasses.dataclass(frozen=True)
class Chart:
    """A chart as data.

    Attributes:
        key: A short name (the file name on export, an attribute in the SVG).
        title: Its title.
        unit: What the y axis counts.
        x: Positions on the x axis (for dates: years as decimals, 2026.5 is July 2026).
        ticks: (x, label) pairs on the x axis.
        lines: The lines.
        panels: Each line in a panel of its own, with its own scale.
        zero: Draw the zero line (for differences).
        message: Shown instead of the lines when there is nothing to draw yet.
        lang: The language of the numbers on the axes.
        marks: Policy moments as (x, label): a dashed vertical line each.
    """

    key: str
    title: str
    unit: str
    x: np.ndarray
    ticks: tuple[tuple[float, str], ...]
    lines: tuple[Line, ...]
    panels: bool = False
    zero: bool = False
    message: str = ""
    lang: str = "nl"
    marks: tuple[tuple[float, str], ...] = ()


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round numbers covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0]
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(n - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(lo / step) * step
    ticks, value = [], first
    while value < hi + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def decimals_for(step: float) -> int:
    """The decimals that write every multiple of ``step`` exactly: 2.5 needs one, 0.25 two."""
    for decimals in range(6):
        scaled = abs(step) * 10**decimals
        if abs(scaled - round(scaled)) < 1e-6 * max(1.0, scaled):
            return decimals
    return 6


def tick_text(value: float, step: float, lang: str) -> str:
    """A tick's label with as many decimals as the step between ticks needs (2,5 not 2)."""
    return number(value, lang, decimals_for(step))


def axis(chart: Chart, lines) -> tuple[float, float, list[float]]:
    """The y axis of a panel: its low and high end and its ticks (counts start at zero)."""
    lo, hi = _range(chart, lines)
    ticks = nice_ticks(lo, hi, 3 if chart.panels else 5)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    if hi == lo:
        hi = lo + 1
    return lo, hi, ticks


def _range(chart: Chart, lines) -> tuple[float, float]:
    values = []
    for line in lines:
        values.append(line.y)
        if line.band is not None:
            values.extend(line.band)
    if chart.zero:
        values.append(np.zeros(1))
    data = np.concatenate([np.asarray(v, float).ravel() for v in values]) if values else []
    data = data[np.isfinite(data)] if len(data) else data
    if not len(data):
        return 0.0, 1.0
    lo, hi = float(data.min()), float(data.max())
    if lo >= 0 and not chart.zero:
        lo = 0.0  # counts start at zero
    return lo, hi


def _path(xs: np.ndarray, ys: np.ndarray) -> str:
    """An SVG path through the finite points, broken where a value is missing."""
    parts, pen = [], "M"
    for x, y in zip(xs, ys, strict=True):
        if not (math.isfinite(x) and math.isfinite(y)):
            pen = "M"
            continue
        parts.append(f"{pen}{x:.1f},{y:.1f}")
        pen = "L"
    return " ".join(parts)


@dataclasses.dataclass(frozen=True)
class _Frame:
    """Where a chart's plot area lies and how the x axis maps onto it."""

    left: float
    top: float
    width: float
    height: float
    x_lo: float
    x_hi: float

    def sx(self, v) -> np.ndarray:
        return self.left + (np.asarray(v, float) - self.x_lo) / (self.x_hi - self.x_lo) * self.width


def svg(chart: Chart, width: int = WIDTH, height: int = HEIGHT) -> str:
    """The chart as an SVG element (scales to its box; text for screen readers in the title)."""
    left, right, top, bottom = 62, 14, 44, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [
        f'<svg class="chart" data-chart="{chart.key}" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" style="{FONT};max-height:{height}px" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{html.escape(chart.title)}</title>",
        f'<text x="4" y="17" font-size="15" font-weight="600">{html.escape(chart.title)}</text>',
        f'<text x="4" y="34" font-size="11.5" fill="#555">{html.escape(chart.unit)}</text>',
    ]
    x = np.asarray(chart.x, float)
    finite = x[np.isfinite(x)]
    has_data = any(np.isfinite(np.asarray(line.y, float)).any() for line in chart.lines)
    if chart.message or not len(finite) or not has_data:
        out.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
            f'font-size="14" fill="#777">{html.escape(chart.message)}</text></svg>'
        )
        return "".join(out)
    tick_x = [t for t, _ in chart.ticks]
    x_lo, x_hi = min([finite.min(), *tick_x]), max([finite.max(), *tick_x])
    if x_hi == x_lo:
        x_lo, x_hi = x_lo - 0.5, x_hi + 0.5
    frame = _Frame(left, top, plot_w, plot_h, float(x_lo), float(x_hi))
    marks = _mark_rows(chart, frame)
    if marks:  # the marks' labels sit in rows above the plot: it starts lower
        rows = 1 + max(row for _, _, row in marks)
        top += MARK_ROW * rows + 2
        plot_h -= MARK_ROW * rows + 2
        frame = _Frame(left, top, plot_w, plot_h, float(x_lo), float(x_hi))
    groups = [[line] for line in chart.lines] if chart.panels else [list(chart.lines)]
    gap = 10 if chart.panels else 0
    panel_h = (plot_h - gap * (len(groups) - 1)) / len(groups)
    for p, lines in enumerate(groups):
        out += _panel(chart, frame, lines, top + p * (panel_h + gap), panel_h)
    out += _marks(marks, frame)
    out += _x_axis(chart, frame)
    if not chart.panels:
        out += _legend(chart.lines, left, height)
    out.append("</svg>")
    return "".join(out)


def _panel(chart: Chart, frame: _Frame, lines, y0: float, panel_h: float) -> list[str]:
    """One panel: its y axis, grid, zero line, bands and lines."""
    out = []
    left, right = frame.left, frame.left + frame.width
    lo, hi, ticks = axis(chart, lines)

    def sy(v):
        return y0 + panel_h - (np.asarray(v, float) - lo) / (hi - lo) * panel_h

    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for tick in [ticks[0], ticks[-1]] if chart.panels else ticks:
        y = float(sy(tick))
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11.5" text-anchor="end" '
            f'fill="#444">{tick_text(tick, step, chart.lang)}</text>'
        )
    if chart.zero and lo < 0 < hi:
        y = float(sy(0))
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#333" stroke-width="1.2"/>'
        )
    x = np.asarray(chart.x, float)
    xs = frame.sx(x)
    for line in lines:
        if line.band is not None:
            out += _band(line, x, xs, sy)
        ys = sy(np.asarray(line.y, float))
        dash = ' stroke-dasharray="6 4"' if line.dash else ""
        out.append(
            f'<path d="{_path(xs, ys)}" fill="none" stroke="{line.color}" '
            f'stroke-width="2.2"{dash}/>'
        )
        points = np.flatnonzero(np.isfinite(ys) & np.isfinite(xs))
        if len(points) == 1:  # a line of one point: a dot
            i = points[0]
            out.append(f'<circle cx="{xs[i]:.1f}" cy="{ys[i]:.1f}" r="3.5" fill="{line.color}"/>')
        if chart.panels:
            values = np.asarray(line.y, float)
            values = values[np.isfinite(values)]
            value = number(values[-1], chart.lang) if len(values) else "–"
            out.append(
                f'<text x="{left + 6}" y="{y0 + 13:.1f}" font-size="12" fill="{line.color}" '
                f'font-weight="600">{html.escape(line.label)}: {value}</text>'
            )
    return out


def _band(line: Line, x: np.ndarray, xs: np.ndarray, sy) -> list[str]:
    low, high = (np.asarray(b, float) for b in line.band)
    ok = np.isfinite(low) & np.isfinite(high) & np.isfinite(x)
    if not ok.any():
        return []
    upper = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(xs[ok], sy(high[ok]), strict=True))
    lower = " ".join(
        f"{a:.1f},{b:.1f}" for a, b in zip(xs[ok][::-1], sy(low[ok])[::-1], strict=True)
    )
    return [
        f'<polygon class="band" points="{upper} {lower}" fill="{line.color}" '
        'fill-opacity="0.22" stroke="none"/>'
    ]


def _x_axis(chart: Chart, frame: _Frame) -> list[str]:
    axis_y = frame.top + frame.height
    out = [
        f'<line x1="{frame.left}" x2="{frame.left + frame.width}" y1="{axis_y}" y2="{axis_y}" '
        'stroke="#999"/>'
    ]
    for tick, label in chart.ticks:
        tx = float(frame.sx(tick))
        out.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{axis_y}" y2="{axis_y + 4}" stroke="#999"/>'
            f'<text x="{tx:.1f}" y="{axis_y + 16}" font-size="11.5" text-anchor="middle" '
            f'fill="#444">{html.escape(label)}</text>'
        )
    return out


def _mark_rows(chart: Chart, frame: _Frame) -> list[tuple[float, str, int]]:
    """The policy moments inside the axis: (x on screen, label, row of its key above the plot).

    Each moment is numbered on its line; the key (number and label) runs in a
    row above the plot, a second row when one is too narrow.
    """
    out, used = [], 0.0
    row = 0
    for x, label in chart.marks:
        if not frame.x_lo < x < frame.x_hi:
            continue
        width = KEY_PAD + KEY_CHAR * len(label)
        if used and used + width > frame.width:
            row, used = row + 1, 0.0
        out.append((float(frame.sx(x)), label, row))
        used += width
    return out


def _marks(marks: list[tuple[float, str, int]], frame: _Frame) -> list[str]:
    """The policy moments: a dashed numbered line through the plot each, the key above."""
    out = []
    rows = 1 + max((row for _, _, row in marks), default=0)
    kx, last_row = frame.left, 0
    for n, (tx, label, row) in enumerate(marks, start=1):
        if row != last_row:
            kx, last_row = frame.left, row
        ky = frame.top - 5 - MARK_ROW * (rows - 1 - row)
        out.append(
            f'<g class="mark"><line x1="{tx:.1f}" x2="{tx:.1f}" y1="{frame.top}" '
            f'y2="{frame.top + frame.height}" stroke="#8d6e63" stroke-width="1" '
            f'stroke-dasharray="3 3"/>{_badge(tx, frame.top + 7, n)}'
            f"{_badge(kx + 6, ky - 3.5, n)}"
            f'<text x="{kx + 14:.1f}" y="{ky:.1f}" font-size="10" fill="#6d4c41">'
            f"{html.escape(label)}</text></g>"
        )
        kx += KEY_PAD + KEY_CHAR * len(label)
    return out


def _badge(x: float, y: float, n: int) -> str:
    """A small numbered disc (a policy moment's number)."""
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#8d6e63"/>'
        f'<text x="{x:.1f}" y="{y + 3.3:.1f}" font-size="9" fill="white" '
        f'text-anchor="middle" font-weight="700">{n}</text>'
    )


def _legend(lines, left: float, height: float) -> list[str]:
    out, lx = [], left
    for line in lines:
        dash = ' stroke-dasharray="6 4"' if line.dash else ""
        out.append(
            f'<line x1="{lx}" x2="{lx + 18}" y1="{height - 9}" y2="{height - 9}" '
            f'stroke="{line.color}" stroke-width="3"{dash}/>'
            f'<text x="{lx + 22}" y="{height - 5}" font-size="12">{html.escape(line.label)}</text>'
        )
        lx += 30 + 6.6 * len(line.label)
    return out


def png(chart: Chart, dpi: int = 110) -> bytes:
    """The chart as a PNG image (matplotlib), for export: the same axes as on screen."""
    from matplotlib.figure import Figure

    x = np.asarray(chart.x, float)
    groups = [[line] for line in chart.lines] if chart.panels else [list(chart.lines)]
    fig = Figure(figsize=(7.2, 2.2 + 1.4 * len(groups) if chart.panels else 4.0), dpi=dpi)
    axes = fig.subplots(len(groups), 1, sharex=True, squeeze=False)[:, 0]
    fig.suptitle(chart.title, x=0.02, ha="left", fontsize=12, fontweight="bold")
    for ax, lines in zip(axes, groups, strict=True):
        _png_panel(chart, ax, x, lines)
    axes[0].set_title(chart.unit, fontsize=9, loc="left", color="#555")
    if chart.ticks:
        axes[-1].set_xticks([t for t, _ in chart.ticks], [label for _, label in chart.ticks])
    fig.subplots_adjust(left=0.11, right=0.98, top=0.86, bottom=0.1, hspace=0.15)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _png_panel(chart: Chart, ax, x: np.ndarray, lines) -> None:
    """One panel of the PNG: lines, bands, zero line, policy moments, the screen's y axis."""
    for line in lines:
        if line.band is not None:
            ax.fill_between(x, *line.band, color=line.color, alpha=0.22, lw=0)
        ax.plot(
            x,
            line.y,
            color=line.color,
            lw=1.8,
            ls="--" if line.dash else "-",
            label=line.label,
            marker="o" if len(x) == 1 else None,
        )
    if chart.zero:
        ax.axhline(0, color="#333", lw=0.9)
    for mark_x, label in chart.marks:
        ax.axvline(mark_x, color="#8d6e63", lw=0.8, ls=":")
        ax.annotate(label, (mark_x, 1), xycoords=("data", "axes fraction"), xytext=(2, -9),
                    textcoords="offset points", fontsize=7, color="#6d4c41")  # fmt: skip
    lo, hi, ticks = axis(chart, lines)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    ax.set_ylim(lo, hi)
    ax.set_yticks(ticks, [tick_text(v, step, chart.lang) for v in ticks])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
