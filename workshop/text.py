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
    "tab_room": ("Zaal", "Room"),
    "tab_assumptions": ("Aannames", "Assumptions"),
    "language": ("Taal", "Language"),
    "settings_button": ("Instellingen", "Settings"),
    "hide_settings": ("Instellingen verbergen", "Hide the settings"),
    "close": ("Sluiten", "Close"),
    "present": ("Presenteren", "Present"),
    "present_stop": ("Presentatie stoppen", "Stop presenting"),
    "lock": ("Vergrendelen", "Lock"),
    "unlock": ("Ontgrendelen", "Unlock"),
    "unlock_again": ("Nogmaals: ontgrendelen", "Again: unlock"),
    "lock_help": (
        "Vergrendeld: klikken op de pagina doet niets tot u ontgrendelt (twee keer klikken).",
        "Locked: clicks on the page do nothing until you unlock (click twice).",
    ),
    "version": ("versie", "version"),
    "this_run": ("Deze run", "This run"),
    # the controls
    "settings": ("Instellingen", "Settings"),
    "scenario": ("Beleid (scenario)", "Policy (scenario)"),
    "seed": ("Toevalsgetal", "Random seed"),
    "seed_help": (
        "Kies een ander getal voor een andere, even waarschijnlijke afloop; zelfde getal en "
        "instellingen: zelfde uitkomst.",
        "Another number gives another, equally likely course; the same number and settings "
        "give the same outcome.",
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
        "Rekenschaal 1:{k}; alle cijfers zijn echte huishoudens of personen.",
        "Computed at a scale of 1:{k}; every figure is real households or persons.",
    ),
    "running": ("Bezig…", "Running…"),
    "about_scenario": ("Over dit scenario", "About this scenario"),
    "run_name": ("Naam van uw groep of run", "Name of your group or run"),
    "run_name_help": (
        "Met een naam (bijv. gemeente, corporatie, COA) staat uw run in de Zaal.",
        "With a name (e.g. municipality, corporation, COA) your run shows in the Room.",
    ),
    "queued": (
        "In de wachtrij: andere runs rekenen eerst…",
        "Queued: other runs are computing first…",
    ),
    "not_started": (
        "Nog niet gestart met deze instellingen.",
        "Not started with these settings yet.",
    ),
    "story_title": ("Wat er gebeurt", "What happens"),
    "head_homes_regular": ("Woningen voor reguliere woningzoekenden", "Homes for regular seekers"),
    "head_homes_urgent": ("Woningen voor urgenten", "Homes for urgent seekers"),
    "head_homes_status_holder": ("Woningen voor statushouders", "Homes for status holders"),
    "head_registration": (
        "Inschrijfduur bij toewijzing, reguliere woningzoekenden (mediaan, 12 mnd)",
        "Registration at letting, regular seekers (median, 12 months)",
    ),
    "head_reception": ("Statushouders in de COA-opvang", "Status holders in COA reception"),
    "head_homes_regular_short": ("Woningen regulier", "Homes, regular"),
    "head_homes_urgent_short": ("Woningen urgenten", "Homes, urgent"),
    "head_homes_status_holder_short": ("Woningen statushouders", "Homes, status holders"),
    "head_registration_short": ("Inschrijfduur regulier", "Registration, regular"),
    "head_reception_short": ("In de COA-opvang", "In COA reception"),
    "head_cost": (
        "Kosten COA-opvang voor het Rijk, alle bewoners",
        "Cost of COA reception to the state, all residents",
    ),
    "homes_year": ("Woningen per jaar", "Homes a year"),
    "last_12": ("laatste 12 maanden", "last 12 months"),
    "first_months": ("eerste {n} maanden, per jaar", "first {n} months, a year"),
    "cost_note": (
        "per jaar, alle bewoners (ook asielzoekers)",
        "a year, all residents (asylum seekers too)",
    ),
    "head_cost_short": ("Kosten COA-opvang (Rijk)", "Cost of COA reception (state)"),
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
        "of sleep een bewaard instellingenbestand hierheen",
        "or drop a saved settings file here",
    ),
    "recalled": ("Instellingen teruggehaald uit {name}.", "Settings recalled from {name}."),
    "export": ("Downloaden", "Download"),
    "export_png": ("Grafieken (PNG)", "Charts (PNG)"),
    "export_csv": ("Gegevens (CSV)", "Data (CSV)"),
    "export_html": ("Handout (A4)", "Handout (A4)"),
    "choose_file": ("Bestand kiezen…", "Choose a file…"),
    "handout_title": ("Handout: wie krijgt de sociale huurwoning?", "Handout: who gets the home?"),
    "handout_no_levers": (
        "Alle hefbomen volgens het scenario.",
        "Every lever as in the scenario.",
    ),
    "handout_figures": ("Kerncijfers", "Key figures"),
    "handout_no_map": (
        "Geen kaart: de run van deze groep is niet meer in het geheugen (start hem opnieuw).",
        "No map: this group's run is no longer in memory (start it again).",
    ),
    "handout_sources": (
        "Alle cijfers zijn echte huishoudens of personen. Elk getal van het model, met zijn bron "
        "of aanname, staat in de app onder Aannames.",
        "Every figure is real households or persons. Every number of the model, with its source "
        "or assumption, is under Assumptions in the app.",
    ),
    # the room
    "room_title": ("De zaal: de runs die groepen een naam gaven", "The room: the named runs"),
    "room_empty": (
        "Nog geen runs met een naam. Een groep geeft haar run links een naam (bijv. gemeente, "
        "corporatie, COA); dan staat hij hier, live.",
        "No named runs yet. A group names its run in the sidebar (e.g. municipality, "
        "corporation, COA); it then shows here, live.",
    ),
    "room_pick": ("kies", "pick"),
    "room_compare": ("Vergelijk de twee gekozen runs", "Compare the two runs picked"),
    "room_pick_two": ("Kies twee runs om te vergelijken.", "Pick two runs to compare."),
    "room_handouts": ("Handouts van alle groepen (A4)", "Handouts of every group (A4)"),
    "room_changed": (
        "heeft nieuwe instellingen, nog niet gestart",
        "has new settings, not started",
    ),
    "room_gone": (
        "Een gekozen run staat niet meer in de zaal (het tabblad is gesloten).",
        "A run picked has left the room (its tab closed).",
    ),
    "room_note": (
        "Alleen in het geheugen van deze server: niets wordt bewaard, tenzij een groep haar run "
        "zelf bewaart.",
        "In this server's memory only: nothing is stored unless a group saves its run.",
    ),
    # the model tab
    "waiting_now": ("wachtend", "waiting"),
    "households": ("huishoudens", "households"),
    "persons": ("personen", "persons"),
    "in_reception": ("Statushouders in de opvang", "Status holders in reception"),
    "in_reception_short": ("in de opvang", "in reception"),
    "over_norm": ("langer dan {norm} weken na vergunning", "over {norm} weeks after the permit"),
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
        "jaren; mediaan over 12 maanden (statushouders: sinds vergunning)",
        "years; median over 12 months (status holders: since the permit)",
    ),
    "chart_waiting": ("Wachtende huishoudens", "Households waiting"),
    "unit_waiting": (
        "huishoudens, elke groep een eigen schaal",
        "households, each group its own scale",
    ),
    "chart_reception": ("Statushouders in de COA-opvang", "Status holders in reception (COA)"),
    "unit_persons": ("personen", "persons"),
    # the comparison
    "side_a": ("A (uitgangspunt)", "A (reference)"),
    "side_b": ("B (alternatief)", "B (alternative)"),
    "on_screen": ("In beeld: {title}", "On screen: {title}"),
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
        "toevalsgetal; rekenschaal 1:{k}; {years} jaar.",
        "{seeds} repetitions with seeds {first} to {last}, each running A and B on the same "
        "seed; computed at 1:{k}; {years} years.",
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
    # the regions
    "regions_title": ("Waar wonen en wachten de groepen?", "Where do the groups live and wait?"),
    "regions_measure": ("Wat de kaart toont", "What the map shows"),
    "regions_policy_live": ("In beeld: {title}", "On screen: {title}"),
    "regions_policy_side": ("{side}: {title}", "{side}: {title}"),
    "after_years": ("na {years} jaar", "after {years} years"),
    "regions_seed_note": (
        "Kaarten A en B: één run per variant (toevalsgetal {seed}). Verschillen per provincie "
        "staan er niet bij: één run zegt niet hoe groot de ruis is. De landelijke verschillen "
        "met hun marge over de herhalingen staan bij Vergelijken.",
        "Maps A and B: one run per policy (seed {seed}). Differences per province are not "
        "shown: one run does not tell how large the noise is. The national differences with "
        "their margin over the seeds are on Compare.",
    ),
    "regions_compare_hint": (
        "Na een vergelijking staan hier ook de kaarten van A en B.",
        "After a comparison the maps of A and B appear here too.",
    ),
    "regions_empty": ("Nog geen maand gesimuleerd.", "No month simulated yet."),
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
    "default": ("standaard", "default"),
    "lever_mark": ("hefboom", "lever"),
    "sources_language": (
        "De bronnen staan in het model in het Engels; klik op ‘bron’ om ze te lezen.",
        "Sources are given as written in the model's data.",
    ),
    "source_en": ("bron (Engels)", "source"),
    # messages
    "invalid": ("Deze instelling kan niet", "This setting is not possible"),
    "fix_and_start": (
        "Pas de instelling aan en druk op Start.",
        "Change the setting, then press Start.",
    ),
    # units
    "per_year": ("per jaar", "a year"),
    "of_path": ("van het verwachte pad", "of the expected path"),
    "months": ("maanden", "months"),
    "months_short": ("mnd", "mo"),
    "own_choice": ("eigen keuze", "own choice"),
    "years_unit": ("jaar", "years"),
    "million": ("mln", "m"),
    "billion": ("mld", "bn"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
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
