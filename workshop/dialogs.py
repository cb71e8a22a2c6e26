"""Save, recall and download: the dialog behind the top bar's button."""

from __future__ import annotations

import datetime as dt
import html

import solara
from solara.alias import rv

from workshop import config as cfg
from workshop.filepick import FilePick
from workshop.session import Session
from workshop.ui import T, lang


@solara.component
def SaveDialog(session: Session):
    """Save the settings (link, file), recall them (file), download charts, data, a handout.

    Its content is drawn only while it is open: it reads the run's frames.
    """
    if session.dialog.value:
        SaveDialogContent(session)


@solara.component
def RefusedLine(session: Session):
    """A link or a file that was refused: its one line, in red, and nothing else."""
    lines = session.error.value
    if lines:
        with solara.Row(gap="4px", style={"align-items": "center"}):
            solara.Error(
                lines["en" if lang() == "en" else "nl"], classes=["ws-error", "ws-refused"]
            )
            solara.Button("✕", text=True, small=True, on_click=lambda: session.error.set(None),
                          attributes={"title": T("close")})  # fmt: skip


def saved_config(session: Session) -> cfg.Config:
    """The settings on screen with the month reached and the group's name."""
    frame = session.latest
    config = session.draft.value
    month = frame.month if frame is not None and not session.dirty else 0
    return cfg.Config(config.scenario, config.seed, config.levers, month, session.name.value)


def recall_file(session: Session, info: dict) -> None:
    """A settings file chosen or dropped: recalled, or refused in one line (nothing else)."""
    try:
        if info["data"] is None:
            raise cfg.ConfigError(
                "Dit is geen instellingenbestand van deze app.",
                "This is not a settings file of this app.",
            )
        recalled, code = cfg.from_json(info["data"], session.levers)
    except cfg.ConfigError as err:
        session.refuse(err)
        return
    session.recall(recalled, code)
    if session.on_apply is not None:
        session.on_apply(recalled)  # the address bar: a reload brings the recalled run back
    session.notice.value = T("recalled", name=info["name"])
    session.dialog.value = False


@solara.component
def SaveDialogContent(session: Session):
    router = solara.use_router()
    session.frame.value  # noqa: B018 (redrawn on a change of state)
    saved = saved_config(session)
    link = f"{router.path or '/'}?{saved.to_query(lang())}"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
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
        FilePick(T("choose_file"), T("recall_file"), lambda info: recall_file(session, info))
        RefusedLine(session)
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
                lambda: session.handout(lang()).encode("utf-8"),
                f"handout-{stamp}.html",
                label=T("export_html"),
                mime_type="text/html",
            )
