"""Every word the room reads, in Dutch and English, and how numbers and dates are written.

Dutch is the workshop's language; English is one click away. Texts live in
:data:`TEXTS` by key, so that nothing on the page is typed in one language
only (``tests/test_app.py`` checks both are there). Functions take the
language as an argument (``"nl"`` or ``"en"``): the page passes the one the
room chose.

Numbers are written the Dutch way in Dutch (``12.345,6``) and the English way
in English (``12,345.6``); shares as percentages; months as ``jul 2026``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import Any

LANGUAGES = ("nl", "en")

# key: (Dutch, English). "{name}" fields are filled by ``t(key, name=...)``.
TEXTS: dict[str, tuple[str, str]] = {
    # the page
    "app_title": ("Wie krijgt de sociale huurwoning?", "Who gets the social rental home?"),
    "tab_model": ("Model", "Model"),
    "tab_compare": ("Vergelijken", "Compare"),
    "tab_regions": ("Regio's", "Regions"),
    "tab_assumptions": ("Aannames", "Assumptions"),
    "language": ("Taal", "Language"),
    # the controls
    "settings": ("Instellingen", "Settings"),
    "scenario": ("Beleid (scenario)", "Policy (scenario)"),
    "seed": ("Toevalsgetal", "Random seed"),
    "seed_help": (
        "Zelfde getal en instellingen: zelfde uitkomst.",
        "Same number and settings: same outcome.",
    ),
    "levers": ("Hefbomen", "Levers"),
    "levers_legend": (
        "grijs: volgens het scenario; vet: eigen keuze, hele looptijd",
        "grey: as in the scenario; bold: own choice, whole run",
    ),
    "lever_from_scenario": ("volgens het scenario", "as in the scenario"),
    "lever_own": ("eigen keuze, hele looptijd", "own choice, whole run"),
    "lever_back": ("terug naar het scenario", "back to the scenario"),
    "start": ("Start", "Start"),
    "continue": ("Verder", "Continue"),
    "pause": ("Pauze", "Pause"),
    "one_month": ("+1 maand", "+1 month"),
    "one_year": ("+1 jaar", "+1 year"),
    "restart": ("Opnieuw", "Restart"),
    "restart_new": ("Start met nieuwe instellingen", "Start with the new settings"),
    "speed": ("Tempo", "Speed"),
    "speed_fast": ("snel", "fast"),
    "speed_slow": ("rustig", "steady"),
    "changed": (
        "Instellingen gewijzigd: druk op Start om ze toe te passen. "
        "De grafieken tonen nog de vorige instellingen.",
        "Settings changed: press Start to apply them. The charts still show the previous settings.",
    ),
    "finished": ("Klaar: einde van de looptijd bereikt.", "Done: the end of the run is reached."),
    "month_of": ("{month} ({done}/{total})", "{month} ({done}/{total})"),
    "start_state": ("Startsituatie {month}", "Start situation {month}"),
    "last_month": ("Afgelopen maand", "Last month"),
    "scale_note": (
        "1 agent = {k} huishoudens; alle cijfers zijn echte huishoudens of personen.",
        "1 agent = {k} households; every figure is real households or persons.",
    ),
    "running": ("Bezig…", "Running…"),
    "about_scenario": ("Over dit scenario", "About this scenario"),
    "weeks": ("weken", "weeks"),
    # save, recall, export
    "save_recall": ("Bewaren en terughalen", "Save and recall"),
    "link": ("Link naar deze instellingen", "Link to these settings"),
    "link_help": (
        "Bewaar of deel deze link: hij opent de app met dezelfde instellingen.",
        "Bookmark or share this link: it opens the app with the same settings.",
    ),
    "save_file": ("Instellingen (bestand)", "Settings (file)"),
    "recall_file": (
        "Sleep een bewaard instellingenbestand hierheen",
        "Drop a saved settings file here",
    ),
    "recalled": ("Instellingen teruggehaald uit {name}.", "Settings recalled from {name}."),
    "recall_failed": (
        "Deze instellingen kunnen niet worden gelezen: {why}",
        "These settings cannot be read: {why}",
    ),
    "export": ("Downloaden", "Download"),
    "export_png": ("Grafieken (PNG)", "Charts (PNG)"),
    "export_csv": ("Gegevens (CSV)", "Data (CSV)"),
    "export_html": ("Samenvatting (HTML)", "Summary (HTML)"),
    # the model tab
    "housed_last_month": ("toegewezen afgelopen maand", "housed last month"),
    "waiting_now": ("wachtend", "waiting"),
    "households": ("huishoudens", "households"),
    "persons": ("personen", "persons"),
    "in_reception": ("Statushouders in de opvang", "Status holders in reception"),
    "in_reception_short": ("in de opvang", "in reception"),
    "over_norm": ("langer dan {norm} weken na vergunning", "over {norm} weeks after the permit"),
    "reception_cost": ("Opvangkosten", "Reception cost"),
    "per_year_now": ("per jaar, in het tempo van deze maand", "a year, at this month's rate"),
    "press_start": ("Druk op Start", "Press Start"),
    "no_chart": ("Geen grafiek: zie de melding.", "No chart: see the message."),
    # the charts
    "chart_lettings": ("Toewijzingen per maand", "Lettings per month"),
    "unit_households_month": ("huishoudens per maand", "households per month"),
    "chart_registration": (
        "Mediane inschrijfduur bij toewijzing",
        "Median registration time at letting",
    ),
    "unit_registration": (
        "jaren (statushouders: sinds de vergunning)",
        "years (status holders: since the permit)",
    ),
    "chart_waiting": ("Wachtende huishoudens", "Households waiting"),
    "unit_waiting": (
        "huishoudens, elke groep een eigen schaal",
        "households, each group its own scale",
    ),
    "chart_reception": ("Statushouders in de COA-opvang", "Status holders in reception (COA)"),
    "unit_persons": ("personen", "persons"),
    # the comparison
    "compare_title": ("Twee beleidsvarianten naast elkaar", "Two policies side by side"),
    "side_a": ("A (uitgangspunt)", "A (reference)"),
    "side_b": ("B (alternatief)", "B (alternative)"),
    "on_screen": ("In beeld: {title}", "On screen: {title}"),
    "own_levers": ("{title} + eigen hefbomen ({n})", "{title} + own levers ({n})"),
    "years": ("Jaren", "Years"),
    "seeds": ("Herhalingen", "Repetitions"),
    "compare": ("Vergelijk", "Compare"),
    "cancel": ("Stop", "Stop"),
    "comparing": (
        "Bezig: {runs} runs van {years} jaar op de achtergrond (ongeveer {seconds} s). "
        "U kunt intussen verder werken.",
        "Running {runs} runs of {years} years in the background (about {seconds} s). "
        "You can carry on meanwhile.",
    ),
    "compare_setup": (
        "{seeds} herhalingen met toevalsgetal {first} tot {last}, elk met A en B op hetzelfde "
        "toevalsgetal; 1 agent = {k} huishoudens; {years} jaar.",
        "{seeds} repetitions with seeds {first} to {last}, each running A and B on the same "
        "seed; 1 agent = {k} households; {years} years.",
    ),
    "horizon_cap": (
        "Hooguit {years} jaar: verder reiken de gegevens niet (instroom en aanbod na 2029 "
        "constant verondersteld).",
        "At most {years} years: the data reach no further (inflow and supply assumed "
        "constant after 2029).",
    ),
    "compare_hint": ("Kies A en B en druk op Vergelijk.", "Pick A and B, then Compare."),
    "verdicts": ("Wat verandert er van A naar B?", "What changes from A to B?"),
    "verdict_none": (
        "{group}: geen verschil groter dan de ruis.",
        "{group}: no difference beyond the noise.",
    ),
    "band_note": (
        "Verschil B − A: gemiddelde over de herhalingen; de band loopt van het 5e tot het "
        "95e percentiel. Gekleurd: de band sluit nul uit (groen beter, rood slechter voor die "
        "groep). Grijs: binnen de ruis.",
        "Difference B − A: mean over the repetitions; the band runs from the 5th to the 95th "
        "percentile. Coloured: the band excludes zero (green better, red worse for that "
        "group). Grey: within the noise.",
    ),
    "measure": ("maatstaf", "measure"),
    "group": ("groep", "group"),
    "difference": ("verschil B − A", "difference B − A"),
    "band": ("band (5–95%)", "band (5–95%)"),
    "chart_diff_lettings": (
        "Verschil in toewijzingen per jaar (B − A)",
        "Difference in lettings a year (B − A)",
    ),
    "unit_households_year": ("huishoudens per jaar", "households a year"),
    "chart_diff_reception": (
        "Verschil in statushouders in de opvang (B − A)",
        "Difference in status holders in reception (B − A)",
    ),
    "chart_diff_registration": (
        "Verschil in mediane inschrijfduur bij toewijzing (B − A)",
        "Difference in median registration time at letting (B − A)",
    ),
    "unit_years": ("jaren", "years"),
    "simulated_year": ("jaar {n}", "year {n}"),
    # the regions
    "regions_title": ("Waar wonen en wachten de groepen?", "Where do the groups live and wait?"),
    "regions_measure": ("Wat de kaart toont", "What the map shows"),
    "regions_policy_live": ("In beeld: {title}", "On screen: {title}"),
    "regions_policy_side": ("{side}: {title}", "{side}: {title}"),
    "after_years": ("na {years} jaar", "after {years} years"),
    "regions_seed_note": (
        "Kaarten A en B: één run per variant (toevalsgetal {seed}); de marge staat bij "
        "Vergelijken.",
        "Maps A and B: one run per policy (seed {seed}); the margin is on Compare.",
    ),
    "regions_compare_hint": (
        "Na een vergelijking staan hier ook de kaarten van A en B.",
        "After a comparison the maps of A and B appear here too.",
    ),
    "regions_empty": ("Nog geen maand gesimuleerd.", "No month simulated yet."),
    "last_12_months": ("laatste 12 maanden", "last 12 months"),
    # the assumptions
    "assumptions_title": ("Aannames achter de cijfers", "Assumptions behind the numbers"),
    "show": ("Toon", "Show"),
    "show_all": ("alles", "everything"),
    "show_assumed": ("aannames", "assumptions"),
    "show_calibrated": ("gekalibreerd", "calibrated"),
    "show_changed": ("door dit scenario gewijzigd", "changed by this scenario"),
    "kind_calibrated": ("gekalibreerd", "calibrated"),
    "kind_assumption": ("aanname", "assumption"),
    "kind_sourced": ("bron", "source"),
    "source": ("bron", "source"),
    "default": ("standaard", "default"),
    "lever_mark": ("hefboom", "lever"),
    "sources_language": (
        "Bronnen staan in de taal van het bronbestand (meestal Engels).",
        "Sources are given as written in the data file.",
    ),
    # messages
    "invalid": ("Deze instelling kan niet", "This setting is not possible"),
    "fix_and_start": (
        "Pas de instelling aan en druk op Start.",
        "Change the setting, then press Start.",
    ),
    "technical": ("Technische melding", "Technical message"),
    # units
    "per_year": ("per jaar", "a year"),
    "homes_per_year": ("woningen per jaar", "homes a year"),
    "of_path": ("van het verwachte pad", "of the expected path"),
    "months": ("maanden", "months"),
    "years_unit": ("jaar", "years"),
    "euro_per_year": ("euro per jaar", "euro a year"),
    "million": ("mln", "m"),
    "billion": ("mld", "bn"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "from_start": ("vanaf de start", "from the start"),
    "from_date": ("vanaf {date}", "from {date}"),
    "more": ("meer", "more"),
    "less": ("minder", "fewer"),
    "longer": ("langer", "longer"),
    "shorter": ("korter", "shorter"),
}


def t(key: str, lang: str, **fields: Any) -> str:
    """The text ``key`` in ``lang``, with ``{fields}`` filled in."""
    text = TEXTS[key][LANGUAGES.index(lang)]
    return text.format(**fields) if fields else text


MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": tuple(calendar.month_abbr)[1:],
}
MONTHS_LONG = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": tuple(calendar.month_name)[1:],
}
_DUTCH = str.maketrans(",.", ".,")


def number(x: Any, lang: str, decimals: int = 0, sign: bool = False) -> str:
    """A number written the Dutch (1.234,5) or English (1,234.5) way; a dash when missing."""
    if x is None or isinstance(x, str):
        return "–"
    x = float(x)
    if not math.isfinite(x):
        return "–"
    if round(x, decimals) == 0:
        x = 0.0  # no "-0"
    text = f"{x:{'+' if sign else ''},.{decimals}f}"
    text = text.replace("-", "−")  # a real minus sign: readable on a projector
    return text.translate(_DUTCH) if lang == "nl" else text


def percent(share: float, lang: str, decimals: int | None = None, sign: bool = False) -> str:
    """A share as a percentage: ``0.17`` is ``17%``; small shares get a decimal."""
    if share is None or not math.isfinite(float(share)):
        return "–"
    value = 100 * float(share)
    if decimals is None:
        decimals = 0 if abs(value) >= 10 or float(value).is_integer() else 1
        if decimals and round(value, 1).is_integer():
            decimals = 0
    return number(value, lang, decimals, sign) + "%"


def rounded(x: float, lang: str, sign: bool = False) -> str:
    """A count rounded to what a room can read: 12.345 is 12.300, 987 is 990."""
    if x is None or not math.isfinite(float(x)):
        return "–"
    x = float(x)
    magnitude = abs(x)
    if magnitude >= 100:
        step = 10 ** (len(str(int(magnitude))) - 2)
        x = round(x / step) * step
    else:
        x = round(x)
    return number(x, lang, 0, sign)


def money(euro: float, lang: str, sign: bool = False) -> str:
    """Euro in millions or billions: ``€ 1,9 mld``."""
    if euro is None or not math.isfinite(float(euro)):
        return "–"
    euro = float(euro)
    if abs(euro) >= 1e9:
        return f"€ {number(euro / 1e9, lang, 1, sign)} {t('billion', lang)}"
    return f"€ {number(euro / 1e6, lang, 0, sign)} {t('million', lang)}"


def month_label(date: dt.date, lang: str, year_only: bool = False) -> str:
    """``jul 2026`` (or ``2026``)."""
    if year_only:
        return str(date.year)
    return f"{MONTHS[lang][date.month - 1]} {date.year}"


def date_label(date: dt.date, lang: str) -> str:
    """``1 juli 2026`` / ``1 July 2026``."""
    return f"{date.day} {MONTHS_LONG[lang][date.month - 1]} {date.year}"


def add_months(date: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``date``'s month."""
    index = date.year * 12 + date.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
