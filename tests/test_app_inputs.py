"""The app's inputs: links and settings files name only the project's scenarios, and every
bad value gets one line in the room's language, never a traceback or a hung worker.

A link (``?scenario=...``) or a settings file could name any path; the model
would read any ``.toml`` file the server can read. The app takes scenario names
from ``model.inputs.policy.scenario_names()`` only and reads no path; an audit hook
checks that no such file is even opened.
"""

from __future__ import annotations

import importlib
import json
import sys
import threading
import time
from pathlib import Path

import pytest

from workshop import config as cfg
from workshop import live
from workshop.errors import explain

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
app = importlib.import_module("app")

OPENED: list[str] = []


def _audit(event: str, args) -> None:
    if event == "open" and args and isinstance(args[0], str | Path):
        OPENED.append(str(args[0]))


sys.addaudithook(_audit)
ENGLISH = ("not ", "allowed", "unknown", "setting", "file", "number")


def settings_file(**fields) -> str:
    record = {"format": cfg.FORMAT, "scenario": "current-policy", "seed": 1, "levers": {}}
    record.update(fields)
    return json.dumps(record)


@pytest.fixture
def scenario_file(tmp_path):
    """A valid scenario file outside the project: the app must never read it."""
    path = tmp_path / "elsewhere.toml"
    path.write_text(
        'inherits = "current-policy"\n[title]\nnl = "X"\nen = "X"\n'
        '[description]\nnl = "X"\nen = "X"\n'
    )
    return path


@pytest.mark.parametrize(
    "name",
    [
        "PATH",
        "../../../../PATH",
        "experiments/scenarios/current-policy.toml",
        "current-policy.toml",
        "..",
        "no-such-policy",
        "",
    ],
)
def test_a_link_or_a_file_names_only_a_scenario_of_the_project(name, scenario_file):
    name = name.replace("PATH", str(scenario_file.with_suffix("")))
    OPENED.clear()
    for read in (
        lambda: cfg.from_query(f"scenario={name}", app.LEVERS),
        lambda: cfg.from_json(settings_file(scenario=name), app.LEVERS),
        lambda: cfg.from_json(settings_file(scenario=str(scenario_file)), app.LEVERS),
    ):
        with pytest.raises(cfg.ConfigError) as err:
            read()
        dutch = err.value.text("nl")
        assert "\n" not in dutch and dutch.endswith(".")
        assert "scenario" in dutch.lower() and not any(w in dutch for w in ENGLISH)
        assert str(scenario_file) not in dutch  # no path, no section names
    assert not [p for p in OPENED if "elsewhere" in p], "a path from a link was read"
    config, _ = cfg.from_query("scenario=mooiman", app.LEVERS)
    assert config.scenario == "mooiman"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"scenario": "cabinet-package", "levers": {"uitstel": 1e6}}, "van +0 maanden tot"),
        ({"scenario": "cabinet-package", "levers": {"uitstel": 1e300}}, "‘Uitstel van de wet’"),
        ({"scenario": "cabinet-package", "levers": {"uitstel": float("nan")}}, "kan niet"),
        ({"levers": {"loting": 1.5}}, "kies van 0% tot en met 50%"),
        ({"levers": {"loting": "veel"}}, "‘Loting’ = veel kan niet"),
        ({"levers": {"nieuwbouw": True}}, "‘Nieuwbouw sociale huur’"),
        ({"levers": {"nieuwbouw": [1, 2]}}, "‘Nieuwbouw sociale huur’"),
        ({"levers": {"uitstel": 3}}, "heeft in dit scenario geen effect"),  # current policy
        ({"levers": {"geheim": 3}}, "Onbekende instelling ‘geheim’"),
        ({"levers": [1, 2]}, "geen instellingenbestand"),
        ({"seed": -1}, "Toevalsgetal = -1 kan niet: kies een geheel getal van 0 tot en met"),
        ({"seed": 1e300}, "Toevalsgetal"),
        ({"month": 121}, "Maand = 121 kan niet"),
        ({"format": "other/1"}, "geen instellingenbestand"),
    ],
)
def test_bad_values_in_a_settings_file_are_refused_in_one_dutch_line(fields, expected):
    text = settings_file(**fields)
    with pytest.raises(cfg.ConfigError) as err:
        cfg.from_json(text, app.LEVERS)
    dutch = err.value.text("nl")
    assert expected in dutch, dutch
    assert "\n" not in dutch and not any(w in dutch for w in ENGLISH), dutch
    assert err.value.text("en") != dutch


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # nesting deeper than the parser's stack
        '{"format": "woonruimteverdeling-workshop/1", "levers": ' * 5000,
        "x" * 200_000,  # larger than any settings file
        b"\xff\xfe\x00garbage",
        "",
    ],
)
def test_a_file_that_is_not_a_settings_file_gives_one_line(text):
    with pytest.raises(cfg.ConfigError) as err:
        cfg.from_json(text, app.LEVERS)
    assert err.value.text("nl") == "Dit is geen instellingenbestand van deze app."


def test_limits_read_in_the_sliders_own_units():
    with pytest.raises(cfg.ConfigError) as err:
        cfg.from_query("loting=0.75", app.LEVERS)
    assert err.value.text("nl") == "‘Loting’ = 75% kan niet: kies van 0% tot en met 50%."
    with pytest.raises(cfg.ConfigError) as err:
        cfg.from_query("scenario=cabinet-package&uitstel=30", app.LEVERS)
    assert "kies van +0 maanden tot en met +24 maanden" in err.value.text("nl")
    config, _ = cfg.from_query("loting=0,25&nieuwbouw=31000", app.LEVERS)  # a Dutch comma too
    assert config.overrides == {"loting": 0.25, "nieuwbouw": 31000}


@pytest.mark.parametrize("value", [1e6, 1e300, float("nan")])
def test_a_value_that_slips_past_the_checks_gives_an_error_frame_not_a_dead_worker(value):
    """The worker catches what the model raises (ValueError, OverflowError, ...) and the page
    gets an error frame it shows in one line, not an EOFError."""
    from workshop.worker import RemoteRun

    config = cfg.Config("cabinet-package", levers=(("uitstel", value),))  # unchecked on purpose
    run = RemoteRun(config, app.LEVERS)
    try:
        frame = run.frame()
        assert frame.state == "error" and frame.error
        line = explain(frame.error, "nl")
        assert "\n" not in line and line.startswith("Deze combinatie van instellingen")
        assert not run.play() and run.pid  # the worker answered
    finally:
        run.close()


def test_a_worker_that_dies_mid_run_gives_an_error_frame():
    import os
    import signal

    from workshop.worker import RemoteRun

    frames = []
    run = RemoteRun(cfg.Config(seed=7), app.LEVERS, publish=frames.append)
    run.play(delay_s=0.05)
    time.sleep(0.5)
    os.kill(run.pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while not (frames and frames[-1].state == "error"):
        assert time.monotonic() < deadline, "no error frame after the worker died"
        time.sleep(0.05)
    assert explain(frames[-1].error, "nl").startswith("De berekening is onverwacht gestopt")
    run.close()


def test_closing_a_tab_mid_run_raises_nothing_in_any_thread():
    """Closing the connection under a receive in progress made the reader fail with
    ``TypeError: 'NoneType' object cannot be interpreted as an integer``."""
    from workshop.worker import RemoteRun

    raised = []
    before = threading.excepthook
    threading.excepthook = lambda hook_args: raised.append(hook_args.exc_value)
    try:
        runs = [RemoteRun(cfg.Config(seed=s), app.LEVERS) for s in range(1, 5)]
        for run in runs:
            run.play()
        time.sleep(0.3)
        for run in runs:
            run.close()
        for run in runs:
            run._reader.join(timeout=10)
            assert not run._reader.is_alive()
    finally:
        threading.excepthook = before
    assert raised == []


def test_a_seed_typed_in_the_sidebar_is_checked_in_dutch():
    assert cfg.check_seed("12") == 12
    for wrong in ("-1", "1,5", "twaalf", "1e40"):
        with pytest.raises(cfg.ConfigError) as err:
            cfg.check_seed(wrong)
        assert err.value.text("nl").startswith(f"Toevalsgetal = {wrong} kan niet")


def test_an_error_frame_is_a_frame_the_page_can_draw():
    run = live.LiveRun(cfg.Config("cabinet-package", levers=(("uitstel", 1e300),)), app.LEVERS)
    frame = run.frame()
    assert frame.state == "error" and run.step() is None and not run.play()
    for build in live.LIVE_CHARTS:
        assert build(frame, "nl").message == "Geen grafiek: zie de melding."
