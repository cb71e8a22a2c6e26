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
from workshop.session import ON_SCREEN, Session
from workshop.text import t
from workshop.ui import ErrorBox, T, lang, scenario_title, side_title


@solara.component
def CompareTab(session: Session):
    names = scenario_names()
    choices = {scenario_title(n, lang()): n for n in names}
    choices[
        t("on_screen", lang(), title=side_title(session.draft.value, session.levers, lang()))
    ] = ON_SCREEN
    label_of = {v: k for k, v in choices.items()}
    job = session.job.value
    with solara.Row(gap="10px", style={"align-items": "center", "flex-wrap": "nowrap"}):
        for side, key in ((session.side_a, "side_a"), (session.side_b, "side_b")):
            solara.Select(
                T(key),
                values=list(choices),
                value=label_of.get(side.value, next(iter(choices))),
                on_value=lambda v, side=side: side.set(choices[v]),
                style={"width": "290px", "flex": "0 0 290px"},
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
            style={"width": "120px", "flex": "0 0 120px"},
        )
        if job is None:
            solara.Button(T("compare"), on_click=session.compare, color="primary")
        else:
            solara.Button(T("cancel"), on_click=session.cancel_comparison, outlined=True)
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
        return
    if isinstance(outcome, str):
        ErrorBox(outcome)
        return
    if isinstance(outcome, Exception):
        solara.Error(str(outcome))
        return
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
    with solara.Row(gap="16px", style={"align-items": "flex-start"}):
        with solara.Column(style={"flex": "0 0 32%"}, gap="4px"):
            solara.HTML(
                tag="div",
                unsafe_innerHTML=f"A: <b>{e(request.a.title[lang()])}</b><br>"
                f"B: <b>{e(request.b.title[lang()])}</b><br>"
                f"<span class='ws-small'>{e(export.setup_text(comparison, lang()))}</span>",
            )
            items = "".join(
                f"<li>{export.verdict_html(name, phrases, lang())}</li>"
                for _, name, phrases in cmp.verdicts(comparison, lang())
            )
            solara.HTML(
                tag="div",
                unsafe_innerHTML=f"<b>{e(T('verdicts'))}</b><ul class='ws-verdicts'>{items}</ul>",
                classes=["ws-verdict-box"],
            )
        with solara.Column(style={"flex": "1 1 66%", "min-width": "0"}, gap="2px"):
            solara.HTML(tag="div", unsafe_innerHTML=export.table_html(comparison, lang()))
            solara.HTML(tag="div", unsafe_innerHTML=e(T("band_note")), classes=["ws-small"])
    with solara.GridFixed(columns=3):
        for build in chart_builders:
            solara.HTML(
                tag="div",
                unsafe_innerHTML=svg(build(comparison, lang()), 400, 205),
                classes=["ws-chart"],
            )
