"""Plain names for the model's parameters, sections and choices, in Dutch and English.

The room never sees a code name such as ``policy.status_holder_priority``:
the assumptions page, the scenario's levers and the messages use these names.
A parameter added to the model later and not yet named here reads by its
unit (``name_of`` never returns a dotted name).
"""

from __future__ import annotations

import re

from model.inputs.parameters import parameter_specs

SECTIONS: dict[str, tuple[str, str]] = {
    "calendar": ("Looptijd", "Calendar"),
    "phases": ("Fasen uit de Kamerbrief", "Phases of the letter"),
    "scale": ("Schaal van het model", "Model scale"),
    "stock": ("Woningvoorraad", "Housing stock"),
    "dwellings": ("Passende woning", "Fitting homes"),
    "regular": ("Reguliere woningzoekenden", "Regular seekers"),
    "urgent": ("Urgenten", "Urgent seekers"),
    "status_holders": ("Statushouders", "Status holders"),
    "asylum": ("Asielinstroom", "Asylum inflow"),
    "reception": ("COA-opvang", "Reception (COA)"),
    "reunification": ("Gezinshereniging", "Family reunification"),
    "integration": ("Inburgering en werk", "Integration and work"),
    "allocation": ("Toewijzing", "Allocation"),
    "policy": ("Beleid", "Policy"),
    "geography": ("Regio's en zoekgebied", "Regions and search area"),
}

PARAMETER_NAMES: dict[str, tuple[str, str]] = {
    "calendar.start_date": ("Startdatum", "Start date"),
    "calendar.months": ("Looptijd", "Horizon"),
    "phases.preparation_start": ("Start voorbereidingsfase", "Start of the preparation phase"),
    "phases.implementation_start": (
        "Start implementatiefase (verbod op voorrang)",
        "Start of the implementation phase (ban on priority)",
    ),
    "phases.normalisation_start": ("Start normalisatiefase", "Start of the normalisation phase"),
    "scale.households_per_agent": (
        "Echte huishoudens per rekenhuishouden",
        "Real households per modelled household",
    ),
    "scale.allow_unvalidated": ("Grovere schaal toestaan", "Allow a coarser scale"),
    "stock.self_contained_dwellings": (
        "Zelfstandige corporatiewoningen",
        "Self-contained corporation homes",
    ),
    "stock.share_small": ("Aandeel kleine woningen", "Share of small homes"),
    "stock.share_large": ("Aandeel grote woningen (6+)", "Share of large homes (6+)"),
    "stock.non_self_contained_places": (
        "Studenten- en campuskamers",
        "Student and campus rooms",
    ),
    "stock.non_self_contained_turnover_per_year": (
        "Verhuisgraad kamers",
        "Turnover of rooms",
    ),
    "stock.shared_contract_months": (
        "Huurcontract plek in deelwoning",
        "Contract of a place in a shared home",
    ),
    "stock.flex_contract_months": ("Huurcontract flexwoning", "Contract of a flex home"),
    "stock.flex_homes": ("Flexwoningen bij de start", "Flex homes at the start"),
    "stock.flex_turnover_per_year": (
        "Verhuisgraad flexwoningen van voor de start",
        "Turnover of flex homes let before the start",
    ),
    "stock.flex_life_years": ("Levensduur flexwoning", "Life of a flex home"),
    "stock.startup_homes": ("Startwoningen bij de start", "Start-up homes at the start"),
    "stock.startup_max_stay_months": (
        "Maximale verblijfsduur in een startwoning",
        "Longest stay in a start-up home",
    ),
    "stock.new_construction_per_year": ("Nieuwbouw sociale huur", "New social rental homes"),
    "stock.flex_additions_per_year": ("Nieuwe flexwoningen", "New flex homes"),
    "stock.startup_additions_per_year": (
        "Nieuwe startwoningen (doorstroomlocaties)",
        "New start-up homes",
    ),
    "stock.flex_reserved_share": (
        "Deel nieuwe flexwoningen voor statushouders (SFT)",
        "Share of new flex homes for status holders (SFT)",
    ),
    "stock.sft_end_date": ("Einde van de SFT-regeling", "End of the SFT scheme"),
    "stock.flex_additions_after_sft_per_year": (
        "Nieuwe flexwoningen na de SFT-regeling",
        "New flex homes after the SFT scheme",
    ),
    "stock.flex_initial_age_years_max": (
        "Leeftijd bestaande flexwoningen",
        "Age of existing flex homes",
    ),
    "stock.demolition_per_year": ("Sloop", "Demolition"),
    "stock.sales_per_year": ("Verkoop van corporatiewoningen", "Sales of corporation homes"),
    "stock.sales_to_sitting_tenants_share": (
        "Deel verkocht aan de zittende huurder",
        "Share sold to the sitting tenant",
    ),
    "stock.liberalisation_per_year": (
        "Liberalisatie bij mutatie",
        "Liberalisation at a vacancy",
    ),
    "stock.exogenous_turnover_per_year": (
        "Verhuisgraad (huurder verlaat de sociale huur)",
        "Turnover (tenant leaves social rent)",
    ),
    "stock.turnover_tightness_elasticity": (
        "Elasticiteit van de verhuisgraad voor de krapte",
        "Elasticity of turnover to tightness",
    ),
    "dwellings.min_persons": ("Minimaal aantal bewoners per woningtype", "Minimum occupants"),
    "dwellings.max_persons": ("Maximaal aantal bewoners per woningtype", "Maximum occupants"),
    "regular.initial_seekers": ("Woningzoekenden bij de start", "Seekers at the start"),
    "regular.registration_growth_per_year": (
        "Groei nieuwe inschrijvingen",
        "Growth of new registrations",
    ),
    "regular.exit_private_rent_per_year": (
        "Vertrek naar particuliere huur",
        "Leaving for private rent",
    ),
    "regular.exit_buy_per_year": ("Vertrek naar koop", "Leaving to buy"),
    "regular.exit_move_away_per_year": ("Vertrek uit de regio", "Moving away"),
    "regular.search_activity_mean": ("Zoekactiviteit", "Search activity"),
    "regular.refusal_probability": ("Kans op weigeren aanbod", "Chance of refusing an offer"),
    "regular.size_shares": ("Huishoudgrootte", "Household size"),
    "regular.large_household_persons": (
        "Personen in een groot huishouden",
        "Persons in a large household",
    ),
    "regular.children_share_by_size": (
        "Aandeel met minderjarige kinderen",
        "Share with minor children",
    ),
    "regular.situation_shares": ("Huidige woonsituatie", "Current living situation"),
    "geography.level": ("Regionaal niveau", "Regional level"),
    "geography.search_elsewhere_share": (
        "Woningzoekenden die buiten hun regio zoeken",
        "Seekers searching outside their region",
    ),
    "geography.wait_sensitivity_per_year": (
        "Aantrekkingskracht van kortere wachttijden",
        "Pull of shorter waits",
    ),
    "urgent.declarations_per_year": (
        "Urgentieverklaringen per jaar",
        "Urgency declarations a year",
    ),
    "urgent.initial_waiting": ("Urgenten bij de start", "Urgent seekers at the start"),
    "urgent.validity_months": ("Geldigheid urgentieverklaring", "Validity of a declaration"),
    "urgent.registration_years_before_mean": (
        "Inschrijfduur voor de urgentie",
        "Registration before the urgency",
    ),
    "urgent.refusal_probability": ("Kans op weigeren (urgenten)", "Chance of refusing (urgent)"),
    "urgent.ground_shares": ("Urgentiegronden", "Urgency grounds"),
    "urgent.residence_permit_share": (
        "Aandeel urgenten met verblijfsvergunning",
        "Share of urgent seekers with a residence permit",
    ),
    "urgent.size_shares": ("Huishoudgrootte urgenten", "Household size of urgent seekers"),
    "status_holders.permits_persons_per_year": (
        "Vergunningen per jaar (vast aantal)",
        "Permits a year (fixed number)",
    ),
    "status_holders.initial_backlog_persons": (
        "Statushouders langer dan de uitstroomnorm in de opvang bij de start",
        "Status holders past the outflow norm at the start",
    ),
    "status_holders.initial_quota_backlog_persons": (
        "Achterstand op de taakstelling bij de start",
        "Behind the quota target at the start",
    ),
    "status_holders.backlog_mean_overstay_months": (
        "Gemiddelde overschrijding van de uitstroomnorm",
        "Mean overstay past the norm",
    ),
    "status_holders.outflow_norm_weeks": ("Uitstroomnorm", "Outflow norm"),
    "status_holders.size_shares": (
        "Huishoudgrootte statushouders",
        "Status holders' household size",
    ),
    "status_holders.waiting_for_family_share_of_singles": (
        "Alleengaanden onder alleenstaanden",
        "Singles waiting for family",
    ),
    "status_holders.family_abroad_mean_persons": (
        "Gezinsleden in het buitenland per alleengaande",
        "Family abroad per single",
    ),
    "status_holders.in_reception_at_start_persons": (
        "Statushouders in de opvang bij de start",
        "Status holders in reception at the start",
    ),
    "status_holders.exit_self_found_per_year": (
        "Statushouders die zelf een woning vinden (met voorrang)",
        "Status holders finding a home themselves (with priority)",
    ),
    "status_holders.exit_self_found_per_year_without_priority": (
        "Statushouders die zelf een woning vinden (zonder voorrang)",
        "Status holders finding a home themselves (without priority)",
    ),
    "status_holders.search_elsewhere_share": (
        "Statushouders die buiten de regio van hun azc zoeken",
        "Status holders searching outside their reception region",
    ),
    "municipalities.willingness_mean": (
        "Bereidheid gemeenten (gemiddeld)",
        "Municipalities' willingness (mean)",
    ),
    "municipalities.willingness_concentration": (
        "Spreiding bereidheid gemeenten (hoger: gelijker)",
        "Spread of municipalities' willingness (higher: more alike)",
    ),
    "municipalities.backlog_catch_up_share": (
        "Deel van de achterstand dat een gemeente per halfjaar inloopt",
        "Share of its backlog a municipality catches up per half year",
    ),
    "municipalities.warning_after_half_years": (
        "Waarschuwing provincie na halfjaren achter",
        "Province warns after half years behind",
    ),
    "municipalities.warning_effort_step": (
        "Extra inzet na waarschuwing",
        "Extra effort after a warning",
    ),
    "municipalities.instruction_after_half_years": (
        "Aanwijzing provincie na halfjaren achter",
        "Province instructs after half years behind",
    ),
    "municipalities.instruction_effort": (
        "Inzet onder aanwijzing (minstens)",
        "Effort under instruction (at least)",
    ),
    "status_holders.quota_placement_max_share": (
        "Taakstelling: maximaal deel van de vrijkomende woningen",
        "Quota: largest share of vacancies",
    ),
    "status_holders.non_self_contained_share_of_singles": (
        "Alleenstaande statushouders in een kamer",
        "Single status holders placed in a room",
    ),
    "asylum.permit_source": ("Herkomst van de vergunningen", "Source of permits"),
    "asylum.inflow_path": ("Pad van de asielinstroom", "Asylum inflow path"),
    "asylum.applications_factor": (
        "Asielinstroom ten opzichte van het pad",
        "Asylum inflow factor",
    ),
    "asylum.applications_low": ("Asielaanvragen, laag pad", "Asylum applications, low path"),
    "asylum.repeat_share_of_first": (
        "Herhaalde aanvragen per eerste aanvraag",
        "Repeat applications per first application",
    ),
    "asylum.applications_central": (
        "Asielaanvragen, middenpad",
        "Asylum applications, central path",
    ),
    "asylum.applications_high": ("Asielaanvragen, hoog pad", "Asylum applications, high path"),
    "asylum.pending_at_start": ("Aanvragen in behandeling bij de start", "Pending at the start"),
    "asylum.decisions_per_year": (
        "Eerste beslissingen van de IND per jaar",
        "IND first decisions a year",
    ),
    "asylum.capacity_follows_inflow_years": (
        "Tempo waarin de IND de instroom volgt",
        "Pace at which the IND follows the inflow",
    ),
    "asylum.decision_months_min": ("Kortste beslistermijn", "Shortest time to a decision"),
    "asylum.recognition_rate": ("Inwilligingspercentage", "Recognition rate"),
    "asylum.rejected_at_start": ("Afgewezenen in de opvang bij de start", "Rejected at the start"),
    "asylum.rejected_departure_months": (
        "Verblijf afgewezenen in de opvang",
        "Stay of rejected applicants",
    ),
    "reception.regular_places_start": (
        "Reguliere opvangplekken bij de start",
        "Regular places at the start",
    ),
    "reception.regular_places_target": (
        "Reguliere opvangplekken (Spreidingswet)",
        "Regular places (dispersal law)",
    ),
    "reception.regular_places_target_date": (
        "Datum reguliere plekken gerealiseerd",
        "Date regular places are ready",
    ),
    "reception.minimum_regular_places": ("Minimum reguliere plekken", "Minimum regular places"),
    "reception.cancel_unused_places": (
        "Ongebruikte plekken opzeggen",
        "Cancel unused places",
    ),
    "reception.opening_lead_months": (
        "Voorbereidingstijd nieuwe opvanglocatie",
        "Lead time of a new location",
    ),
    "reception.occupancy_norm": ("Bezettingsnorm opvang", "Reception occupancy norm"),
    "reception.notice_months": ("Opzegtermijn opvangplekken", "Notice on reception places"),
    "reception.emergency_opening_shares": (
        "Nieuwe noodplekken: locaties, schepen, hotels",
        "New emergency places: locations, ships, hotels",
    ),
    "reception.ship_term_months": ("Resterend contract schepen", "Remaining ship contract"),
    "reception.emergency_location_term_months": (
        "Resterend contract noodopvanglocatie",
        "Remaining emergency location contract",
    ),
    "reception.spreidingswet_in_force": ("Spreidingswet van kracht", "Dispersal law in force"),
    "reception.withdrawal_transition_years": (
        "Overgangstijd na intrekking Spreidingswet",
        "Transition after withdrawing the dispersal law",
    ),
    "reception.plans_realised_after_withdrawal_share": (
        "Deel opvangplannen dat na intrekking toch komt",
        "Share of reception plans still realised after withdrawal",
    ),
    "reception.plans_delay_after_withdrawal_months": (
        "Vertraging opvangplannen na intrekking",
        "Delay of reception plans after withdrawal",
    ),
    "reception.cost_regular_eur_per_place_year": (
        "Kosten reguliere opvangplek",
        "Cost of a regular place",
    ),
    "reception.cost_emergency_locations_eur_per_place_year": (
        "Kosten plek in een noodopvanglocatie",
        "Cost of an emergency location place",
    ),
    "reception.cost_emergency_ships_eur_per_place_year": (
        "Kosten plek op een schip",
        "Cost of a ship place",
    ),
    "reception.cost_emergency_hotels_eur_per_place_year": (
        "Kosten plek in een hotel",
        "Cost of a hotel place",
    ),
    "reunification.abroad_at_start": (
        "Nareizigers in het buitenland bij de start",
        "Family abroad at the start",
    ),
    "reunification.arrivals_per_year": (
        "Nareizigers per jaar (hoogstens)",
        "Family members arriving a year (at most)",
    ),
    "reunification.arrival_delay_months": (
        "Maanden van vergunning tot aankomst gezin",
        "Months from permit to the family's arrival",
    ),
    "reunification.reception_stay_months": (
        "Maanden in de opvang voor nareizigers met een gehuisvest gezinslid (tot sept. 2025)",
        "Months in reception for family of a housed status holder (to Sep 2025)",
    ),
    "status_holders.sponsors_wait_for_family": (
        "Alleengaanden alleen in een gezinswoning",
        "Singles with family abroad: family home only",
    ),
    "reunification.subsidiary_share": (
        "Aandeel subsidiaire bescherming",
        "Share with subsidiary protection",
    ),
    "reunification.two_status_system": ("Tweestatusstelsel", "Two-status system"),
    "reunification.subsidiary_arrival_factor": (
        "Gezinshereniging bij subsidiaire bescherming",
        "Reunification under subsidiary protection",
    ),
    "integration.reception_time_value_linked": (
        "Waarde van opvangtijd voor inburgering (met gemeente)",
        "Value of reception time for integration (linked)",
    ),
    "integration.reception_time_value_unlinked": (
        "Waarde van opvangtijd voor inburgering (zonder gemeente)",
        "Value of reception time for integration (unlinked)",
    ),
    "integration.work_share_max": ("Aandeel met werk op lange termijn", "Long-run share in work"),
    "integration.work_delay_years": ("Tijd tot de eerste banen", "Time to the first jobs"),
    "integration.work_hazard_per_year": ("Tempo naar werk", "Pace into work"),
    "integration.benefit_share_max": ("Aandeel in de bijstand, eerste jaren", "Share on benefits"),
    "integration.benefit_plateau_years": (
        "Tijd tot de bijstand daalt",
        "Time before benefits fall",
    ),
    "integration.benefit_exit_per_year": ("Tempo uit de bijstand", "Pace off benefits"),
    "allocation.urgent_share_cap": (
        "Urgenten: maximaal deel van de vrijkomende woningen",
        "Urgent seekers: largest share of vacancies",
    ),
    "allocation.lottery_share": ("Loting", "Lottery"),
    "allocation.temporary_lottery_share": (
        "Loting van tijdelijke woningen",
        "Lottery of temporary homes",
    ),
    "allocation.route_order": ("Volgorde van de toewijzingsroutes", "Order of allocation routes"),
    "policy.status_holder_priority": (
        "Voorrang voor statushouders",
        "Priority for status holders",
    ),
    "policy.singles_exception": (
        "Uitzondering voor alleenstaanden (kamers)",
        "Exception for singles (rooms)",
    ),
    "policy.no_urgency_for_residence_permit": (
        "Geen urgentie voor vergunninghouders (amendement-Mooiman)",
        "No urgency for permit holders (Mooiman amendment)",
    ),
    "policy.quota_in_force": ("Taakstelling van kracht", "Quota in force"),
    "policy.coupling_without_quota": (
        "Koppeling aan een gemeente zonder taakstelling",
        "Coupling without the quota",
    ),
    "policy.priority_without_quota_share": (
        "Deel van hun bereidheid dat gemeenten zonder taakstelling houden",
        "Share of their willingness municipalities keep without the quota",
    ),
    "policy.family_priority": (
        "Generieke voorrang voor gezinnen met kinderen",
        "Generic priority for families",
    ),
    "policy.family_priority_share_cap": (
        "Gezinnen: maximaal deel van de vrijkomende woningen",
        "Families: largest share of vacancies",
    ),
    "policy.large_family_pool": (
        "Landelijke pool voor grote gezinnen",
        "National pool for large families",
    ),
    "policy.shared_conversions_per_year": (
        "Woningen omgezet naar woningdelen",
        "Homes turned into shared homes",
    ),
    "policy.shared_households_per_dwelling": (
        "Huishoudens per gedeelde woning",
        "Households per shared home",
    ),
    "policy.shared_homes_for_status_holders": (
        "Deelwoningen alleen voor alleenstaande statushouders",
        "Shared homes only for single status holders",
    ),
    "policy.reception_places_converted_per_year": (
        "Opvangplekken omgeklapt naar woningen",
        "Reception places converted to homes",
    ),
    "policy.places_per_converted_home": (
        "Opvangplekken per omgeklapte woning",
        "Places per converted home",
    ),
    "policy.startup_open_to_all": (
        "Startwoningen ook voor andere groepen",
        "Start-up homes open to all",
    ),
}

CHOICES: dict[str, tuple[str, str]] = {
    "pipeline": ("asielaanvragen, beslissingen en inwilligingen", "applications and decisions"),
    "exogenous": ("vast aantal per jaar", "a fixed number a year"),
    "low": ("laag", "low"),
    "central": ("midden", "central"),
    "high": ("hoog", "high"),
    "reception_region": ("regio van de opvang", "region of the reception centre"),
    "population_share": ("naar inwonertal", "by population"),
    "large_pool": ("landelijke pool grote gezinnen", "large-family pool"),
    "urgent": ("urgentie", "urgency"),
    "quota": ("taakstelling", "quota"),
    "family": ("gezinsvoorrang", "family priority"),
    "advertised": ("advertentie", "advertised"),
}


def name_of(parameter: str, lang: str) -> str:
    """The parameter's plain name; its unit when it has no name yet (never the code name)."""
    names = PARAMETER_NAMES.get(parameter)
    if names:
        return names[lang == "en"]
    spec = parameter_specs().get(parameter)
    return spec.unit if spec else parameter.rsplit(".", 1)[-1].replace("_", " ")


def section_of(parameter: str, lang: str) -> str:
    section = parameter.split(".", 1)[0]
    return SECTIONS.get(section, (section, section))[lang == "en"]


def choice(value: str, lang: str) -> str:
    return CHOICES.get(value, (value, value))[lang == "en"]


_CODE = re.compile(r"\b[a-z_]+\.[a-z][a-z0-9_]*\b")  # a parameter's code name
_COMMAND = re.compile(r"\(?\bpython -m [\w.]+(?: [\w-]+)*\)?")
_FILE = re.compile(r"\b(?:[\w-]+/)*[\w-]+\.(?:py|toml|csv|md|json)\b")
_AGENT = re.compile(r"\bagents?\b")
_AGENT_WORDS = (
    ("rekenhuishouden", "rekenhuishoudens"),
    ("modelled household", "modelled households"),
)
_COMMANDS = {  # what the model's own checks are called in words
    "scale-check": ("de schaalcontrole van het model", "the model's scale check"),
    "calibrate": ("de kalibratie van het model", "the model's calibration"),
}


def plain(text: str, lang: str) -> str:
    """Text for the room: code names as plain names, commands and file names in words.

    Scenario descriptions and parameter sources are written for modellers and
    name parameters (``policy.priority_without_quota_share``), commands
    (``python -m experiments scale-check``) and files (``model/integration.py``).
    """

    def command(m: re.Match) -> str:
        words = m[0].strip("()").split()
        plain_words = _COMMANDS.get(words[-1], ("een controle van het model", "a model check"))
        text = plain_words[lang == "en"]
        return f"({text})" if m[0].startswith("(") else text

    def code(m: re.Match) -> str:
        name = m[0]
        if name not in parameter_specs():
            return name
        return f"‘{name_of(name, lang)}’"

    text = _COMMAND.sub(command, text)
    text = _AGENT.sub(lambda m: _AGENT_WORDS[lang == "en"][m[0].endswith("s")], text)
    text = _FILE.sub("het gegevensbestand van het model" if lang == "nl" else "the model's data",
                     text)  # fmt: skip
    return _CODE.sub(code, text)
