"""The Model tab: the live run's name, what happens in it, its figures and charts."""

from __future__ import annotations

import html

import numpy as np
import solara

from model.reporting.presentation import GROUP_COLORS, GROUP_LABELS
from workshop import columns as col
from workshop import story
from workshop.charts import svg
from workshop.live import Frame
from workshop.session import Session
from workshop.text import money, number, rounded, t
from workshop.ui import ErrorBox, Live, T, lang


def kpi(title: str, value: str, note: str = "", color: str = "#444", key: str = "") -> str:
    """A figure in a small card: what it is (in the group's colour), the number, a note."""
    return (
        f"<div class='ws-kpi' data-kpi='{key}'><div class='ws-kpi-title' style='color:{color}'>"
        f"{html.escape(title)}</div><b>{html.escape(value)}</b> "
        f"<span class='ws-small'>{html.escape(note)}</span></div>"
    )


def _homes_a_year(frame: Frame, group: str) -> float:
    """Homes let to a group over the last twelve months (or the months so far, a year's worth)."""
    flows = np.asarray(frame.series.get(col.lettings(group), np.zeros(1)), float)[1:]
    recent = flows[-12:]
    return float(np.nansum(recent) * 12 / len(recent)) if len(recent) else float("nan")


def kpis_html(frame: Frame, lc: str) -> str:
    """Per group, homes a year and households waiting; status holders in reception; its cost.

    Homes are counted over the last twelve months: a single month of a small
    group (status holders) is too noisy to read. The cost of reception is the
    state's, for every resident of a COA location (asylum seekers too), so it
    stands apart from the groups, in grey.
    """
    if frame.error:
        return ""
    s = frame.stats
    if frame.month >= 12:
        period = t("last_12", lc)
    else:
        period = t("first_months", lc, n=frame.month) if frame.month else ""
    head = f"{t('homes_year', lc)}" + (f" ({period})" if period else "")
    cards = []
    for g in col.GROUPS:
        homes = rounded(_homes_a_year(frame, g), lc) if frame.month else "–"
        waiting = f"· {number(s.get(col.waiting(g)), lc)} {t('waiting_now', lc)}"
        cards.append(kpi(GROUP_LABELS[lc][g], homes, waiting, GROUP_COLORS[g], g))
    cards.append(
        kpi(
            t("in_reception", lc),
            number(s.get(col.IN_RECEPTION), lc),
            f"{t('persons', lc)} · {number(s.get(col.OVER_NORM), lc)} "
            f"> {frame.norm_weeks} {t('weeks', lc)}",
            GROUP_COLORS["status_holder"],
            "reception",
        )
    )
    cost = s.get(col.RECEPTION_COST, float("nan")) * 12
    cards.append(kpi(t("head_cost_short", lc), money(cost, lc), t("cost_note", lc), "#555",
                     "cost"))  # fmt: skip
    return (
        f"<div class='ws-small ws-kpi-head'>{html.escape(head)}</div>"
        "<div class='ws-kpis'>" + "".join(cards) + "</div>"
    )


def story_html(frame: Frame, lc: str) -> str:
    """What happens in the run, in a few sentences from its own figures."""
    sentences = story.story(frame, lc)
    if not sentences:
        return f"<div class='ws-story ws-small'>{html.escape(t('press_start', lc))}</div>"
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    return f"<div class='ws-story'><ul>{items}</ul></div>"


@solara.component
def ModelTab(session: Session):
    frame = session.frame.value
    show_story = solara.use_reactive(False)
    if frame is None:
        return
    if frame.error:
        ErrorBox(frame.error)
    title = frame.title.get(lang(), frame.config.scenario)
    with solara.Row(gap="4px 12px", style={"align-items": "baseline", "flex-wrap": "wrap"}):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=f"<b style='font-size:17px'>{html.escape(title)}</b>",
            classes=["ws-run-title"],
        )
        if session.dirty:
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(T("not_started")),
                        classes=["ws-small"], style={"color": "#b26a00"})  # fmt: skip
        solara.Button(
            ("▾ " if show_story.value else "▸ ") + T("story_title"),
            text=True,
            small=True,
            on_click=lambda: show_story.set(not show_story.value),
            classes=["ws-story-button"],
        )
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(T("scale_note", k=frame.scale)),
            classes=["ws-small"],
        )
    if show_story.value:
        Live(session, lambda f: story_html(f, lang()))
    Live(session, lambda f: kpis_html(f, lang()))
    with solara.Div(classes=["ws-charts"]):
        for build in session.charts:
            Live(
                session,
                lambda f, build=build: svg(build(f, lang()), 480, 250),
                classes=["ws-chart"],
            )
