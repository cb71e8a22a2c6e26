"""The Model tab: the live run's figures and charts."""

from __future__ import annotations

import html

import solara
import solara.lab

from model.presentation import GROUP_COLORS, GROUP_LABELS
from workshop import columns as col
from workshop.charts import svg
from workshop.live import Frame
from workshop.session import Session
from workshop.text import money, number, t
from workshop.ui import ErrorBox, Live, T, lang


def kpi(title: str, value: str, note: str = "", color: str = "#444") -> str:
    """A figure in a small card: what it is (in the group's colour), the number, a note."""
    return (
        f"<div class='ws-kpi'><div class='ws-small' style='color:{color};font-weight:600'>"
        f"{html.escape(title)}</div><b>{html.escape(value)}</b>"
        f"<div class='ws-small'>{html.escape(note)}</div></div>"
    )


def kpis_html(frame: Frame, language_code: str) -> str:
    """Last month's figures per group, reception and its cost, as a row of cards."""
    if frame.error:
        return ""
    s, lc = frame.stats, language_code
    cards = []
    for g in col.GROUPS:
        housed = s.get(col.lettings(g)) if frame.month else None
        cards.append(
            kpi(
                GROUP_LABELS[lc][g],
                number(housed, lc),
                f"{t('housed_last_month', lc)}; {number(s.get(col.waiting(g)), lc)} "
                f"{t('waiting_now', lc)}",
                GROUP_COLORS[g],
            )
        )
    cards.append(
        kpi(
            t("in_reception", lc),
            number(s.get(col.IN_RECEPTION), lc),
            f"{t('persons', lc)}; {number(s.get(col.OVER_NORM), lc)} "
            f"> {frame.norm_weeks} {t('weeks', lc)}",
            GROUP_COLORS["status_holder"],
        )
    )
    cost = s.get(col.RECEPTION_COST, float("nan")) * 12
    cards.append(kpi(t("reception_cost", lc), money(cost, lc), t("per_year_now", lc)))
    return "<div style='display:flex;gap:6px;margin:2px 0 4px 0'>" + "".join(cards) + "</div>"


@solara.component
def ModelTab(session: Session):
    frame = session.frame.value
    about = solara.use_reactive(False)
    if frame is None:
        return
    if frame.error:
        ErrorBox(frame.error)
    title = frame.title.get(lang(), frame.config.scenario) if frame.title else ""
    with solara.Row(gap="12px", style={"align-items": "baseline"}):
        solara.HTML(
            tag="div", unsafe_innerHTML=f"<b style='font-size:17px'>{html.escape(title)}</b>"
        )
        if frame.description:
            solara.Button(
                ("▾ " if about.value else "▸ ") + T("about_scenario"),
                text=True,
                small=True,
                on_click=lambda: about.set(not about.value),
            )
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(T("scale_note", k=frame.scale)),
            classes=["ws-small"],
        )
    if frame.description and about.value:
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(frame.description[lang()]),
            style={"font-size": "14px", "max-width": "960px"},
        )
    Live(session, lambda f: kpis_html(f, lang()))
    with solara.GridFixed(columns=2):
        for build in session.charts:
            Live(
                session,
                lambda f, build=build: svg(build(f, lang()), 480, 262),
                classes=["ws-chart"],
            )
