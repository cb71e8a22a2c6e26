"""Dutch (and English) column headers for the downloads: no code names in a spreadsheet.

The model names its columns in English with the unit last
(``lettings_status_holder_households``). A download for a room gets a header
a reader understands (``toewijzingen statushouders (huishoudens)``): whole
columns by name, families of columns (per group, dwelling type, route,
reception tier) by pattern. A column the model adds later and that is not
named here keeps a readable header built from its words; the tests list every
column of today's output and check each has a proper name.
"""

from __future__ import annotations

import re

from model.reporting.presentation import DWELLING_LABELS, GROUP_LABELS, ROUTE_LABELS

TIERS = {
    "total": ("totaal", "total"),
    "regular": ("regulier (azc)", "regular (azc)"),
    "emergency_locations": ("noodopvang", "emergency locations"),
    "emergency_ships": ("schepen", "ships"),
    "emergency_hotels": ("hotels", "hotels"),
}
UNITS = {
    "households": ("huishoudens", "households"),
    "persons": ("personen", "persons"),
    "dwellings": ("woningen", "dwellings"),
    "eur": ("euro", "euro"),
    "share": ("aandeel", "share"),
    "years": ("jaren", "years"),
    "weeks": ("weken", "weeks"),
    "ratio": ("verhouding", "ratio"),
    "per_year": ("per jaar", "a year"),
    "municipalities": ("gemeenten", "municipalities"),
}
EXITS = {
    "private_rent": ("vertrek naar particuliere huur", "left for private rent"),
    "buy": ("vertrek naar koop", "left to buy"),
    "move_away": ("vertrek uit de regio", "moved away"),
    "other": ("vertrek anders (eigen woning of vertrek)", "left otherwise"),
}
ORIGINS = {
    "turnover": ("verhuizing", "turnover"),
    "chain": ("doorstroming", "chain"),
    "new_construction": ("nieuwbouw", "new construction"),
    "flex_addition": ("nieuwe flexwoning", "flex addition"),
    "startup_addition": ("nieuwe startwoning", "start-up addition"),
    "shared_conversion": ("omzetting naar deelwoning", "shared conversion"),
    "reception_conversion": ("omgeklapte opvangplek", "reception conversion"),
}
# Whole columns, without their unit (added from the name's last word).
NAMES: dict[str, tuple[str, str]] = {
    "date": ("datum", "date"),
    "period": ("maand", "month"),
    "region": ("provincie", "province"),
    "group": ("groep", "group"),
    "lettings_total": ("toewijzingen totaal", "lettings, total"),
    "lettings_self_contained": ("toewijzingen zelfstandig", "lettings, self-contained"),
    "lettings_doorstromer": ("toewijzingen aan doorstromers", "lettings to movers"),
    "refusals": ("geweigerde aanbiedingen", "offers refused"),
    "urgent_lapsed_unserved": ("verlopen urgenties zonder woning", "urgencies lapsed unserved"),
    "status_holders_housed": ("statushouders gehuisvest", "status holders housed"),
    "flex_additions_reserved": ("nieuwe flexwoningen voor statushouders (SFT)",
                                "new flex homes reserved (SFT)"),
    "shared_homes_converted": ("woningen omgezet naar deelwoning", "homes made shared"),
    "demolished": ("gesloopt", "demolished"),
    "sold": ("verkocht", "sold"),
    "liberalised": ("geliberaliseerd", "liberalised"),
    "turnover_tightness_factor": ("factor verhuisgraad door krapte", "turnover tightness factor"),
    "temporary_contracts_ended": ("tijdelijk huurcontract afgelopen",
                                  "temporary contracts ended"),
    "reception_places_converted": ("opvangplekken omgeklapt naar woningen",
                                   "reception places converted"),
    "asylum_applications": ("eerste asielaanvragen", "first asylum applications"),
    "asylum_repeat_applications": ("herhaalde asielaanvragen", "repeat asylum applications"),
    "asylum_decisions": ("eerste beslissingen IND", "first IND decisions"),
    "asylum_permits": ("verleende vergunningen", "permits granted"),
    "asylum_pending": ("asielzoekers in afwachting van een besluit",
                       "asylum seekers awaiting a decision"),
    "asylum_rejected_in_reception": ("afgewezenen in de opvang", "rejected in reception"),
    "asylum_rejected_left_reception": ("afgewezenen uit de opvang vertrokken",
                                       "rejected who left reception"),
    "reception_conversion_allowed": ("omklappen toegestaan deze maand",
                                     "conversion allowed this month"),
    "reception_places_opened": ("opvangplekken geopend", "reception places opened"),
    "reception_places_closed": ("opvangplekken gesloten", "reception places closed"),
    "reception_places_under_notice": ("opgezegde opvangplekken (nog betaald)",
                                      "reception places under notice"),
    "reunification_arrivals_in_market": ("nareizigers bij wachtende statushouders",
                                         "family arriving at waiting status holders"),
    "reunification_arrivals_at_home": ("nareizigers bij gehuisveste statushouders",
                                       "family arriving at housed status holders"),
    "reunification_reentries": ("gehuisveste statushouders opnieuw zoekend (woning te klein)",
                                "housed status holders searching again"),
    "reunification_arrivals_in_reception": ("nareizigers bij statushouders in de opvang",
                                            "family joining status holders in reception"),
    "reunification_reentries_in_reception": (
        "gezinsleden in de opvang tot het gezin samen een woning heeft",
        "family waiting in reception until rehoused together"),
    "reunification_arrivals_passing_reception": (
        "nareizigers eerst in de opvang op weg naar een gehuisveste statushouder",
        "family received in reception on the way to a housed status holder"),
    "reunification_passed_through_reception": (
        "nareizigers uit de opvang naar hun gehuisveste gezinslid",
        "family leaving reception to join a housed status holder"),
    "status_holders_entered_reception": ("statushouders met vergunning de opvang in",
                                         "status holders entering reception with a permit"),
    "status_holders_left_reception_self_found": ("statushouders zelf uit de opvang vertrokken",
                                                 "status holders leaving reception themselves"),
    "integration_start_assigned": ("inburgering bij toegewezen gemeente",
                                   "integration by assigned municipality"),
    "integration_start_brp": ("inburgering bij gemeente van inschrijving (BRP)",
                              "integration by BRP municipality"),
    "permit_to_housing_weeks_median": ("van vergunning tot woning, mediaan (weken)",
                                       "permit to housing, median (weeks)"),
    "permit_to_housing_weeks_p90": ("van vergunning tot woning, 90e percentiel (weken)",
                                    "permit to housing, 90th percentile (weeks)"),
    "housed_within_14_weeks": ("gehuisvest binnen 14 weken", "housed within 14 weeks"),
    "flex_end_of_life": ("flexwoningen einde levensduur", "flex homes at end of life"),
    "status_holders_in_reception": ("statushouders in de opvang", "status holders in reception"),
    "reception_backlog": ("statushouders langer dan 14 weken in de opvang",
                          "status holders past 14 weeks in reception"),
    "quota_backlog": ("achterstand op de taakstelling", "behind the quota"),
    "quota_behind": ("gemeenten achter op de taakstelling", "municipalities behind the quota"),
    "quota_all": ("gemeenten in de regio", "municipalities in the region"),
    "integration_no_responsible_municipality": ("statushouders zonder verantwoordelijke gemeente",
                                                "status holders without a municipality"),
    "family_in_reception": ("nareizigers in de opvang", "family members in reception"),
    "family_in_reception_sponsor_housed": (
        "nareizigers in de opvang, referent woont al (woning te klein)",
        "family in reception, sponsor housed (home too small)"),
    "family_abroad": ("gezinsleden nog in het buitenland", "family still abroad"),
    "urgent_with_active_urgency": ("urgenten met geldige verklaring",
                                   "urgent seekers with a valid declaration"),
    "vacant_unlet": ("leegstand naar volgende maand", "vacant, carried over"),
    "lettings": ("toewijzingen", "lettings"),
    "waiting": ("wachtend", "waiting"),
    "registration_years_at_letting_median": ("inschrijfduur bij toewijzing, mediaan (jaren)",
                                             "registration time at letting, median (years)"),
    "stock": ("voorraad zelfstandige corporatiewoningen", "self-contained corporation stock"),
    "reception_places": ("opvangplekken", "reception places"),
}  # fmt: skip


def _families(lang: str) -> list[tuple[re.Pattern, object]]:
    """Patterns for the families of columns, each a function of its match."""
    en = lang == "en"
    group = {g: label for g, label in GROUP_LABELS[lang].items()}
    dwelling = {k: v for k, v in DWELLING_LABELS[lang].items()}
    route = {k: v for k, v in ROUTE_LABELS[lang].items()}
    words = {
        "let": ("toewijzingen", "lettings"),
        "let_sc": ("toewijzingen zelfstandig", "lettings, self-contained"),
        "relet": ("hertoewijzingen (vrijgekomen plekken)", "re-lettings"),
        "for_good": ("definitief gehuisvest", "housed for good"),
        "temporary": (
            "tijdelijk gehuisvest (flex-, start- of deelwoning)",
            "let a temporary home (flex, start-up, shared)",
        ),
        "in_temporary": ("zoekend vanuit een tijdelijke woning", "searching from a temporary home"),
        "via": ("toewijzingen via", "lettings by"),
        "entered": ("nieuw op de markt", "entered"),
        "new": ("nieuw vrijgekomen woningen", "new vacancies"),
        "added": ("plekken erbij", "places added"),
        "stock": ("voorraad", "stock"),
        "per_place": ("toewijzingen per plek", "lettings per place"),
        "reper_place": ("hertoewijzingen per plek", "re-lettings per place"),
        "occupancy": ("bezetting opvang", "reception occupancy"),
        "places": ("opvangplekken", "reception places"),
        "cost": ("opvangkosten (Rijk)", "reception cost (state)"),
        "median": ("inschrijfduur bij toewijzing, mediaan", "registration at letting, median"),
        "p90": ("inschrijfduur bij toewijzing, 90e percentiel", "registration at letting, p90"),
        "years": ("jaren", "years"),
    }
    w = {k: v[en] for k, v in words.items()}
    groups, types = "|".join(group), "|".join(dwelling)
    tiers = "|".join(TIERS)
    return [
        (rf"lettings_self_contained_({groups})", lambda m: f"{w['let_sc']} {group[m[1]]}"),
        (rf"lettings_temporary_({groups})", lambda m: f"{w['temporary']}: {group[m[1]]}"),
        (rf"in_temporary_homes_({groups})", lambda m: f"{w['in_temporary']}: {group[m[1]]}"),
        (rf"lettings_({groups})", lambda m: f"{w['let']} {group[m[1]]}"),
        (rf"lettings_({types})", lambda m: f"{w['let']} {dwelling[m[1]]}"),
        (rf"relettings_({types})", lambda m: f"{w['relet']} {dwelling[m[1]]}"),
        (rf"housed_for_good_({groups})", lambda m: f"{w['for_good']} {group[m[1]]}"),
        (r"lettings_route_(\w+)", lambda m: f"{w['via']} {route.get(m[1], m[1])}"),
        (rf"registration_years_at_letting_(median|p90)_({groups})",
         lambda m: f"{w[m[1]]} {group[m[2]]} ({w['years']})"),
        (rf"entered_({groups})", lambda m: f"{w['entered']} {group[m[1]]}"),
        (rf"waiting_({groups})", lambda m: f"{NAMES['waiting'][en]} {group[m[1]]}"),
        (r"exits_(\w+)", lambda m: EXITS[m[1]][en]),
        (r"vacancies_(\w+)", lambda m: f"{w['new']}: {ORIGINS[m[1]][en]}"),
        (rf"places_added_({types})", lambda m: f"{w['added']} {dwelling[m[1]]}"),
        (rf"stock_({types})", lambda m: f"{w['stock']} {dwelling[m[1]]}"),
        (rf"lettings_per_place_({types})", lambda m: f"{w['per_place']} {dwelling[m[1]]}"),
        (rf"relettings_per_place_({types})", lambda m: f"{w['reper_place']} {dwelling[m[1]]}"),
        (rf"reception_occupancy_({tiers})", lambda m: f"{w['occupancy']} {TIERS[m[1]][en]}"),
        (rf"reception_places_({tiers})", lambda m: f"{w['places']} {TIERS[m[1]][en]}"),
        (rf"reception_cost_({tiers})", lambda m: f"{w['cost']} {TIERS[m[1]][en]}"),
    ]  # fmt: skip


def _split_unit(column: str) -> tuple[str, str]:
    for unit in sorted(UNITS, key=len, reverse=True):
        if column.endswith("_" + unit):
            return column[: -len(unit) - 1], unit
    return column, ""


def header(column: str, lang: str = "nl") -> str:
    """The column's header for a reader: ``toewijzingen statushouders (huishoudens)``."""
    en = lang == "en"
    if column in NAMES:
        return NAMES[column][en]
    stem, unit = _split_unit(column)
    text = NAMES[stem][en] if stem in NAMES else None
    if text is None:
        for pattern, name in _families(lang):
            m = re.fullmatch(pattern, stem)
            if m:
                text = name(m)
                break
    if text is None:  # a column not named yet: its words, never its code name
        text = stem.replace("_", " ")
    if unit == "share" and "per jaar" not in text:
        return f"{text} ({UNITS[unit][en]}, 0 tot 1)" if not en else f"{text} (share, 0 to 1)"
    return f"{text} ({UNITS[unit][en]})" if unit else text
