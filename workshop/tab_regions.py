"""The Regio's tab: tile maps of the twelve provinces."""

from __future__ import annotations

import html

import solara
import solara.lab

from workshop import comparison as cmp
from workshop import regions as reg
from workshop.live import Frame
from workshop.session import Session
from workshop.text import t
from workshop.ui import Live, T, lang


@solara.component
def RegionsTab(session: Session):
    session.frame.value  # noqa: B018 (redrawn on a change of state)
    frame = session.latest
    outcome = session.comparison.value
    comparison = outcome if isinstance(outcome, cmp.Comparison) else None
    frames = {"live": frame.regions if frame is not None else None}
    if comparison is not None:
        frames.update({"A": comparison.regions["A"], "B": comparison.regions["B"]})
    measures = reg.available(frames.values()) or list(reg.MEASURES[:1])
    by_label = {m.label[lang() == "en"]: m for m in measures}
    measure = next((m for m in measures if m.key == session.region_measure.value), measures[0])
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<b style='font-size:17px'>{html.escape(T('regions_title'))}</b>",
    )
    solara.Select(
        T("regions_measure"),
        values=list(by_label),
        value=measure.label[lang() == "en"],
        on_value=lambda v: session.region_measure.set(by_label[v].key),
        style={"max-width": "520px"},
    )
    Live(session, lambda f: regions_html(f, comparison, measure, lang()))


def regions_html(
    frame: Frame | None, comparison: cmp.Comparison | None, measure: reg.Measure, lc: str
) -> str:
    """The legend and the tile maps: the run on screen, and A and B of the last comparison."""
    e = html.escape
    frames = {"live": frame.regions if frame is not None else None}
    if comparison is not None:
        frames.update({"A": comparison.regions["A"], "B": comparison.regions["B"]})
    values = reg.values_by_map(measure, frames)
    scale = reg.shared_scale([v for v in values.values() if v is not None])
    maps = []
    if values["live"] is not None and frame is not None and frame.month:
        title = t("regions_policy_live", lc, title=frame.title.get(lc, ""))
        maps.append(("live", title, frame.month_text(lc)))
    if comparison is not None:
        for side, request_side in (("A", comparison.request.a), ("B", comparison.request.b)):
            if values.get(side) is not None:
                title = t("regions_policy_side", lc, side=side, title=request_side.title[lc])
                maps.append((side, title, t("after_years", lc, years=comparison.request.years)))
    out = [
        f"<div class='ws-small'>{e(measure.unit[lc == 'en'])}</div>{reg.legend(measure, scale, lc)}"
    ]
    if not maps:
        out.append(f"<p>{e(t('regions_empty', lc))}</p>")
    out.append("<div class='ws-maps'>")
    for key, title, note in maps:
        out.append(
            "<div>"
            + reg.tile_map(measure, values[key], title, lc, scale, key=key)
            + f"<div class='ws-small'>{e(note)}</div></div>"
        )
    out.append("</div>")
    note = (
        t("regions_seed_note", lc, seed=1)
        if comparison is not None
        else t("regions_compare_hint", lc)
    )
    out.append(f"<div class='ws-small'>{e(note)}</div>")
    return "".join(out)
