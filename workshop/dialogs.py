"""Save, recall and download: the dialog behind the top bar's button."""

from __future__ import annotations

import datetime as dt
import html

import solara
import solara.lab
from solara.alias import rv

from workshop import config as cfg
from workshop.session import Session
from workshop.ui import T, lang


@solara.component
def SaveDialog(session: Session):
    """Save the settings (link, file), recall them (file), download charts, data, summary.

    Its content is drawn only while it is open: it reads the run's frames.
    """
    if session.dialog.value:
        SaveDialogContent(session)


@solara.component
def SaveDialogContent(session: Session):
    router = solara.use_router()
    session.frame.value  # noqa: B018 (redrawn on a change of state)
    frame = session.latest
    config = session.draft.value
    month = frame.month if frame is not None and not session.dirty else 0
    saved = cfg.Config(config.scenario, config.seed, config.levers, month)
    link = f"{router.path or '/'}?{saved.to_query(lang())}"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")

    def on_file(info) -> None:
        try:
            recalled, code = cfg.from_json(info["data"], session.levers)
        except cfg.ConfigError as err:
            session.notice.value = T("recall_failed", why=err.text(lang()))
            return
        session.recall(recalled, code)
        session.notice.value = T("recalled", name=info["name"])
        session.dialog.value = False

    with (
        rv.Dialog(v_model=session.dialog.value, on_v_model=session.dialog.set, max_width=640),
        solara.Card(T("save_recall")),
    ):
        solara.Text(T("link_help"), style={"font-size": "13px"})
        solara.InputText(T("link"), value=link, disabled=False, classes=["ws-link"])
        with solara.Row(gap="8px", style={"flex-wrap": "wrap", "margin": "6px 0"}):
            solara.FileDownload(
                saved.to_json(lang()),
                f"instellingen-{stamp}.json",
                label=T("save_file"),
                mime_type="application/json",
            )
        solara.FileDrop(label=T("recall_file"), on_file=on_file, lazy=False)
        solara.HTML(
            tag="div",
            unsafe_innerHTML=f"<b>{html.escape(T('export'))}</b>",
            style={"margin-top": "12px"},
        )
        with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
            solara.FileDownload(
                lambda: session.charts_zip(lang()),
                f"grafieken-{stamp}.zip",
                label=T("export_png"),
                mime_type="application/zip",
            )
            solara.FileDownload(
                lambda: session.data_zip(saved, lang()),
                f"gegevens-{stamp}.zip",
                label=T("export_csv"),
                mime_type="application/zip",
            )
            solara.FileDownload(
                lambda: session.summary(saved, lang()).encode("utf-8"),
                f"samenvatting-{stamp}.html",
                label=T("export_html"),
                mime_type="text/html",
            )
