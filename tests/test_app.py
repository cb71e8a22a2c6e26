"""The workshop app (app.py) without a browser: the model it builds, its levers and panels."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import importlib
import inspect
import sys
from pathlib import Path

import ipyvuetify as v
import pandas as pd
import pytest
import solara

from model.market import HousingMarket
from model.parameters import ParameterError, parameter_specs
from model.policy import Scenario, load_scenario, scenario_names
from model.presentation import GROUP_COLORS, GROUP_LABELS

ROOT = Path(__file__).resolve().parents[1]


def _import_app():
    """app.py lives at the repository root, which is not a package."""
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))
    return importlib.import_module("app")


app = _import_app()  # imported under -W error::FutureWarning like every test module


@solara.component
def Host(component, model):
    """Renders a SolaraViz component (a function of the model) as SolaraViz does."""
    component(model)


def render(component, model):
    return solara.render(Host(component, model), handle_error=False)[1]


def alerts(rc) -> list[str]:
    return [" ".join(map(str, a.widget.children)) for a in rc.find(v.Alert)]


@pytest.fixture
def english():
    app.language.value = "en"
    yield
    app.language.value = "nl"


# ----------------------------------------------------------------- the page


def test_the_page_renders_solaraviz_with_a_model_of_its_own_for_every_tab(monkeypatch):
    built = []

    class Counted(app.WorkshopMarket):
        def __init__(self, **settings):
            super().__init__(**settings)
            built.append(self)

    monkeypatch.setattr(app, "WorkshopMarket", Counted)
    assert app.page.component is app.Page
    for _ in range(2):  # two browser tabs
        rc = solara.render(app.Page(), handle_error=False)[1]
        rc.find(v.Tab, children=["Page 2"]).assert_single()  # SolaraViz with its three tabs
    assert len(built) == 2 and built[0] is not built[1]


def test_every_sidebar_setting_is_a_keyword_of_the_model_and_every_keyword_is_in_the_sidebar():
    keywords = set(inspect.signature(app.WorkshopMarket.__init__).parameters) - {"self"}
    assert set(app.model_params) == keywords
    mesa_check = importlib.import_module("mesa.visualization.solara_viz")._check_model_params
    mesa_check(app.WorkshopMarket.__init__, app.model_params)  # Mesa's own check: no stray key
    assert "scenario" not in keywords  # Mesa 3.5 would replace it with its own Scenario


def test_sliders_take_range_and_default_from_the_parameter_specs():
    specs = parameter_specs()
    assert len(app.LEVERS) >= 6
    for kw, lever in app.LEVERS.items():
        spec, slider = specs[lever.parameter], app.model_params[kw]
        assert spec.lever
        assert (slider.value, slider.min, slider.max) == (spec.value, spec.minimum, spec.maximum)
        assert inspect.signature(app.WorkshopMarket.__init__).parameters[kw].default == spec.value


def test_the_scenario_dropdown_lists_every_scenario_by_its_dutch_title():
    values = app.model_params["scenario_name"]["values"]
    assert [v["value"] for v in values] == scenario_names()
    assert [v["text"] for v in values] == [load_scenario(n).title["nl"] for n in scenario_names()]


# ---------------------------------------------------------------- the model


def test_the_defaults_build_current_policy_at_the_app_scale():
    m = app.WorkshopMarket()
    reference = HousingMarket("current-policy", rng=1, households_per_agent=app.LIVE_SCALE)
    assert m.error is None and m.levers_set == {}
    assert m.scale == app.LIVE_SCALE
    assert m.params.values == reference.params.values
    assert pd.Series(m.month_stats).equals(pd.Series(reference.month_stats))


@pytest.mark.parametrize("name", scenario_names())
def test_every_scenario_builds_and_keeps_its_dated_levers(name):
    m = app.WorkshopMarket(name)
    assert m.error is None, m.error
    assert m.scenario_def.title == load_scenario(name).title
    assert dict(m.timeline.changes) == dict(load_scenario(name).levers)
    m.step()
    assert round(m.time) == 1


def test_a_step_changes_the_figures():
    m = app.WorkshopMarket(rng=2)
    start = dict(m.month_stats)
    m.step()
    assert start["lettings_total_households"] == 0 < m.month_stats["lettings_total_households"]
    assert m.month_stats["waiting_regular_households"] != start["waiting_regular_households"]
    assert m.date == dt.date(2025, 8, 1)
    assert len(m.datacollector.get_model_vars_dataframe()) == 2
    assert m.running


def test_the_model_stops_at_the_scenario_horizon():
    m = app.WorkshopMarket(households_per_agent=200)
    m.run(months=m.params["calendar.months"] - 1)
    m.step()
    assert m.running is False


def moved_value(lever):
    """A value ten steps away from the lever's default, inside its range."""
    spec = parameter_specs()[lever.parameter]
    up = lever.default + 10 * lever.step
    value = up if up <= spec.maximum else lever.default - 10 * lever.step
    return round(value, 6) if isinstance(lever.default, float) else int(value)


@pytest.mark.parametrize("kw", list(app.LEVERS))
def test_each_lever_keyword_reaches_the_model_params_and_holds_every_month(kw):
    lever = app.LEVERS[kw]
    value = moved_value(lever)
    m = app.WorkshopMarket(**{kw: value})
    assert m.error is None
    assert m.levers_set == {lever.parameter: value}
    assert m.params[lever.parameter] == pytest.approx(value)
    for day in (m.start_date, dt.date(2026, 7, 1), dt.date(2030, 1, 1)):
        assert m.timeline.at(day)[lever.parameter] == pytest.approx(value)
    m.step()
    assert m.policy[lever.parameter] == pytest.approx(value)


@pytest.fixture
def dated_scenario(monkeypatch):
    """A scenario that raises the lottery share on a date and changes new construction."""
    base = load_scenario("current-policy")
    levers = {
        **base.levers,
        "allocation.lottery_share": ((dt.date(2026, 7, 1), 0.3),),
        "stock.new_construction_per_year": ((dt.date.min, 25000),),
    }
    scenario = dataclasses.replace(base, name="dated", levers=levers)
    monkeypatch.setattr(app, "load_scenario", lambda name: scenario)
    return scenario


def test_a_moved_slider_replaces_the_scenario_value_and_its_dates_for_that_lever_only(
    dated_scenario,
):
    m = app.WorkshopMarket("dated", lottery_share=0.5)
    assert m.timeline.at(dt.date(2025, 8, 1))["allocation.lottery_share"] == 0.5
    assert m.timeline.at(dt.date(2027, 1, 1))["allocation.lottery_share"] == 0.5
    assert m.timeline.at(dt.date(2027, 1, 1))["stock.new_construction_per_year"] == 25000


def test_a_slider_at_its_starting_position_leaves_the_scenario_in_charge(dated_scenario):
    lever = app.LEVERS["lottery_share"]
    m = app.WorkshopMarket("dated", lottery_share=lever.default + lever.step / 4)
    assert m.levers_set == {}
    assert m.timeline.at(dt.date(2025, 8, 1))["allocation.lottery_share"] == lever.default
    assert m.timeline.at(dt.date(2027, 1, 1))["allocation.lottery_share"] == 0.3


# ---------------------------------------------------------------- bad input


def model_message(**overrides) -> str:
    with pytest.raises(ParameterError) as err:
        HousingMarket(**overrides)
    return str(err.value)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"lottery_share": 1.5}, model_message(parameters={"allocation.lottery_share": 1.5})),
        ({"recognition_rate": 1.5}, model_message(
            parameters={"asylum.recognition_rate": 1.5})),
        ({"households_per_agent": 0}, model_message(households_per_agent=0)),
        ({"rng": "abc"}, model_message(rng="abc")),
        ({"rng": "-3"}, "parameter 'seed' = '-3'; allowed: a whole number >= 0"),
        ({"scenario_name": "no-such-policy"}, model_message(scenario="no-such-policy")),
    ],
)  # fmt: skip
def test_a_bad_value_gives_the_parameter_error_message_on_the_page(settings, message):
    m = app.WorkshopMarket(**settings)
    assert m.error == message
    stats = dict(m.month_stats)
    m.step()
    assert m.month_stats == stats and not m.running  # an invalid model does not run
    assert alerts(render(app.Overview, m)) == [f"Ongeldige invoer: {message}"]
    assert "Traceback" not in message


def test_charts_of_an_invalid_model_point_to_the_error():
    m = app.WorkshopMarket(lottery_share=2.0)
    rc = render(app.chart_component(app.CHARTS[0]), m)
    assert rc.find(v.Alert).widget.children == ["Geen grafiek: zie de foutmelding."]


# ------------------------------------------------------------ charts and text


@pytest.fixture(scope="module")
def stepped():
    m = app.WorkshopMarket(households_per_agent=20)
    m.run(months=3)
    return m


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_charts_use_one_colour_per_group_and_the_chosen_language(stepped, lang):
    app.language.value = lang
    try:
        for chart in app.CHARTS:
            ax = app.draw(chart, [stepped.datacollector.get_model_vars_dataframe()]).axes[0]
            assert ax.get_title() == chart.title[lang == "en"]
            assert ax.get_ylabel() == chart.unit[lang == "en"]
            assert [line.get_color() for line in ax.lines] == [
                GROUP_COLORS[line.group] for line in chart.lines
            ]
            labels = [t.get_text() for t in ax.get_legend().get_texts()]
            for line, label in zip(chart.lines, labels, strict=True):
                if line.label is None:
                    assert label == GROUP_LABELS[lang][line.group]
            assert len(ax.lines[0].get_xdata()) == (3 if chart.flow else 4)
    finally:
        app.language.value = "nl"


def test_numbers_are_written_the_dutch_or_the_english_way(english):
    assert app.number(12345.67, 1) == "12,345.7"
    assert app.number(-0.5, 2, sign=True, lang="nl") == "-0,50"
    assert app.number(float("nan")) == "–"


def test_the_overview_names_the_scale_the_month_and_the_figures(stepped):
    rc = render(app.Overview, stepped)
    text = " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)
    assert "1 agent = 20 huishoudens" in text
    assert "sep 2025 (3/120)" in text
    lettings = stepped.month_stats["lettings_regular_households"]
    assert app.number(lettings) in text and lettings > 0


def test_the_scale_note_is_on_the_comparison_page():
    rc = solara.render(app.ComparisonPanel(app.WorkshopMarket()), handle_error=False)[1]
    texts = [w.children for w in rc.find(v.Html).widgets if w.tag == "span"]
    assert any(f"1 agent = {app.COMPARE_SCALE} huishoudens" in str(t) for t in texts)


# --------------------------------------------------------------- comparison


def test_a_policy_compared_with_itself_differs_by_nothing():
    result = app.compare(app.Run("current-policy"), app.Run("current-policy"), 1, 5)
    assert (result.table["difference"] == 0).all()
    expected = {(key, g) for key, _, _, groups in app.MEASURES for g in groups}
    assert set(result.table.index) == expected
    assert result.table.loc[("lettings_per_year", "regular"), "A"] > 0


def test_the_comparison_shows_more_lettings_with_more_construction():
    more = app.Run("current-policy", {"new_construction_per_year": 60000})
    result = app.compare(app.Run("current-policy"), more, 2, 5)
    diff = result.table["difference"]
    assert diff[("lettings_per_year", "regular")] > 0
    assert diff[("waiting_at_end", "regular")] < 0
    assert result.seed == 5 and len(result.monthly[0]) == 25


def test_the_comparison_reports_a_bad_setting_as_its_message():
    with pytest.raises(ParameterError, match="parameter 'seed' = 'x'"):
        app.compare(app.Run("current-policy"), app.Run("current-policy"), 1, "x")
    bad = app.Run("current-policy", {"urgent_share_cap": 3.0})
    with pytest.raises(ParameterError, match=r"allocation\.urgent_share_cap"):
        app.compare(app.Run("current-policy"), bad, 1, 1)


# -------------------------------------------------------------- assumptions


def test_the_assumptions_list_every_parameter_and_mark_calibrated_and_assumed_ones():
    specs = parameter_specs()
    text = app.assumptions_html(app.WorkshopMarket(lottery_share=0.3))
    for name, spec in specs.items():
        assert f"<code>{name}</code>" in text
        assert html.escape(spec.unit) in text and html.escape(spec.source) in text
    calibrated = sum(s.calibrated for s in specs.values())
    assumed = sum(
        not s.calibrated and s.source.lower().startswith("assumption") for s in specs.values()
    )
    assert calibrated > 0 and assumed > 0
    assert text.count('class="calibrated"') == calibrated
    assert text.count('class="assumption"') == assumed
    assert "<b>0,3 (standaard 0,1)</b>" in text
    assert app.ASSUMPTIONS_DOC == "docs/assumptions.md"


def test_the_assumptions_page_names_the_document_and_the_counts():
    rc = render(app.AssumptionsSummary, app.WorkshopMarket())
    text = " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)
    assert "docs/assumptions.md" in text
    assert f"Alle {len(parameter_specs())} parameters" in text


def test_a_scenario_file_that_cannot_be_read_is_named_not_raised(monkeypatch):
    def broken(name):
        raise ParameterError(f"{name}.toml: not valid TOML")

    monkeypatch.setattr(app, "load_scenario", broken)
    assert app.scenario_title("half-written") == "half-written (?)"
    assert app.WorkshopMarket("half-written").error == "half-written.toml: not valid TOML"


def test_without_levers_keeps_the_other_levers():
    scenario = Scenario(
        "s", {"nl": "", "en": ""}, {"nl": "", "en": ""}, {},
        {"a": ((dt.date.min, 1),), "b": (("implementation", 2),)},
    )  # fmt: skip
    assert dict(app.without_levers(scenario, {"a"}).levers) == {"b": (("implementation", 2),)}
