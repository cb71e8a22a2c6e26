"""The Vergelijken tab: two policies over several seeds, their verdict and charts."""

from __future__ import annotations

import html
import threading

import solara
import solara.lab

from model import scenario_names
from workshop import comparison as cmp
from workshop import export
from workshop.charts import svg
from workshop.handout import setup_text, verdict_html
from workshop.room import ROOM
from workshop.session import ON_SCREEN, ROOM_SIDE, Session
from workshop.text import t
from workshop.ui import ErrorBox, T, lang, scenario_title


def choices(session: Session, lc: str) -> dict[str, str]:
    """The A/B options by their label: the scenarios, the settings on screen, the room's runs."""
    out = {scenario_title(n, lc): n for n in scenario_names()}
    out[t("on_screen", lc, title=session.title(session.draft.value, lc))] = ON_SCREEN
    for entry in ROOM.entries():
        label = f"{t('tab_room', lc)} · {entry.name}: {session.title(entry.config, lc)}"
        out[label] = ROOM_SIDE + entry.key
    return out


@solara.component
def CompareControls(session: Session):
    """A, B, years, repetitions and the button."""
    options = choices(session, lang())
    label_of = {v: k for k, v in options.items()}
    job = session.job.value
    with solara.Div(classes=["ws-row", "ws-compare-controls"]):
        for side, key in ((session.side_a, "side_a"), (session.side_b, "side_b")):
            solara.Select(
                T(key),
                values=list(options),
                value=label_of.get(side.value, next(iter(options))),
                on_value=lambda v, side=side: side.set(options[v]),
                style={"flex": "1 1 250px", "min-width": "200px", "max-width": "420px"},
            )
        solara.Select(
            T("years"),
            values=[str(y) for y in cmp.YEAR_CHOICES],
            value=str(session.years.value),
            on_value=lambda v: session.years.set(int(v)),
            style={"width": "70px", "flex": "0 0 70px"},
        )
        solara.Select(
            T("seeds"),
            values=[str(s) for s in cmp.SEED_CHOICES],
            value=str(session.seeds.value),
            on_value=lambda v: session.seeds.set(int(v)),
            style={"width": "110px", "flex": "0 0 110px"},
        )
        if job is None:
            solara.Button(T("compare"), on_click=session.compare, color="primary")
        else:
            solara.Button(T("cancel"), on_click=session.cancel_comparison, outlined=True)


@solara.component
def CompareTab(session: Session):
    job = session.job.value
    CompareControls(session)
    solara.HTML(
        tag="div",
        unsafe_innerHTML=html.escape(T("horizon_cap", years=cmp.MAX_YEARS)),
        classes=["ws-small"],
    )
    if job is not None:
        ComparisonProgress(job)
    outcome = session.comparison.value
    if outcome is None:
        if job is None:
            solara.Info(T("compare_hint"))
    elif outcome == "room_gone":
        solara.Error(T("room_gone"), classes=["ws-error"])
    elif isinstance(outcome, str):
        ErrorBox(outcome)
    elif isinstance(outcome, Exception):
        ErrorBox(str(outcome))
    else:
        ComparisonView(outcome, session.comparison_charts)


@solara.component
def ComparisonProgress(job: cmp.Job):
    """The comparison's progress bar, redrawn twice a second while it runs."""
    _, set_tick = solara.use_state(0)

    def poll():
        stop = threading.Event()

        def loop():
            n = 0
            while not stop.wait(0.5):
                n += 1
                set_tick(n)

        threading.Thread(target=loop, daemon=True).start()
        return stop.set

    solara.use_effect(poll, [job])
    request = job.request
    solara.ProgressLinear(100 * job.progress)
    solara.Text(
        T(
            "comparing",
            runs=2 * request.seeds + 2,
            years=request.years,
            seconds=round(request.estimate_s()),
        )
    )


@solara.component
def ComparisonView(comparison: cmp.Comparison, chart_builders):
    e = html.escape
    request = comparison.request
    items = "".join(
        f"<li>{verdict_html(name, phrases, lang())}</li>"
        for _, name, phrases in cmp.verdicts(comparison, lang())
    )
    with solara.Div(classes=["ws-compare-top"]):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=f"A: <b>{e(request.a.title[lang()])}</b><br>"
            f"B: <b>{e(request.b.title[lang()])}</b><br>"
            f"<span class='ws-small'>{e(setup_text(comparison, lang()))}</span>"
            f"<div class='ws-verdict-box'><b>{e(T('verdicts'))}</b>"
            f"<ul class='ws-verdicts'>{items}</ul></div>",
        )
        solara.HTML(
            tag="div",
            unsafe_innerHTML=export.table_html(comparison, lang())
            + f"<div class='ws-small'>{e(T('band_note'))}</div>",
        )
    with solara.Div(classes=["ws-charts3"]):
        for build in chart_builders:
            solara.HTML(
                tag="div",
                unsafe_innerHTML=svg(build(comparison, lang()), 400, 205),
                classes=["ws-chart"],
            )
