"""The Aannames tab: the key assumptions and every parameter with its source."""

from __future__ import annotations

import html

import solara
import solara.lab
from solara.alias import rv

from workshop import assumptions as asm
from workshop.session import Session
from workshop.ui import T, lang


@solara.component
def AssumptionsTab(session: Session):
    show = solara.use_reactive("all")
    session.frame.value  # noqa: B018 (a new run may have other values)
    values = session.parameter_values()
    counts = asm.counts()
    points = "".join(f"<li>{html.escape(p[lang() == 'en'])}</li>" for p in asm.KEY_POINTS)
    legend = " ".join(
        f"<span style='background:{asm.KIND_COLORS[k]};padding:1px 8px;border-radius:8px'>"
        f"{html.escape(T('kind_' + k))}: {counts[k]}</span>"
        for k in asm.KINDS
    )
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<b style='font-size:17px'>{html.escape(T('assumptions_title'))}</b>"
        f"<ul style='font-size:15px'>{points}</ul><div>{legend} "
        f"<span class='ws-small'>{html.escape(T('sources_language'))}</span></div>",
    )
    options = {
        T("show_all"): "all",
        T("show_assumed"): "assumption",
        T("show_calibrated"): "calibrated",
        T("show_changed"): "changed",
    }
    names = {v: k for k, v in options.items()}
    with solara.Div(classes=["ws-row"]):
        solara.Text(T("show") + ":")
        solara.ToggleButtonsSingle(
            value=names[show.value],
            values=list(options),
            on_value=lambda v: show.set(options[v]),
            dense=True,
        )
    groups = asm.items(values, lang(), show.value)
    with rv.ExpansionPanels(multiple=True, accordion=True):
        for section, section_items in groups.items():
            with rv.ExpansionPanel():
                rv.ExpansionPanelHeader(children=[f"{section} ({len(section_items)})"])
                with rv.ExpansionPanelContent():
                    solara.HTML(tag="div", unsafe_innerHTML=asm.section_html(section_items, lang()))
    solara.HTML(
        tag="div",
        unsafe_innerHTML=asm.regions_source(lang()),
        classes=["ws-small"],
        style={"margin-top": "8px"},
    )
