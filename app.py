"""Workshop app: who gets the social rental homes, month by month (Solara, Mesa 3.5).

``make app`` serves it on http://localhost:8765, offline; docs/app.md says
what a room sees. This file only declares the levers a room may move and the
charts it watches; the parts live in the ``workshop`` package.

Tabs: Model (the live run and what happens in it), Vergelijken (two policies
over several seeds), Regio's (the twelve provinces), Zaal (every group's named
run side by side, for the facilitator), Aannames (every number and its
source). Dutch first, English one click away; every figure in real households
or persons; from a phone to a projector.
"""

from workshop import levers as lv
from workshop.comparison import COMPARISON_CHARTS
from workshop.live import LIVE_CHARTS
from workshop.page import make_page

LEVERS = (
    lv.count("nieuwbouw", "stock.new_construction_per_year",
             ("Nieuwbouw sociale huur", "New social rental homes"),
             ("Nieuwe zelfstandige corporatiewoningen per jaar", "New corporation homes a year"),
             upto=50_000, step=1_000, unit=("woningen per jaar", "homes a year"),
             short=("nieuwbouw", "new homes")),
    lv.count("flex", "stock.flex_additions_per_year",
             ("Flexwoningen", "Flex homes"),
             ("Nieuwe tijdelijke woningen per jaar", "New temporary homes a year"),
             upto=20_000, step=500, unit=("per jaar", "a year"), short=("flex", "flex")),
    lv.count("startwoningen", "stock.startup_additions_per_year",
             ("Startwoningen", "Start-up homes"),
             ("Doorstroomlocaties voor statushouders, per jaar",
              "Start-up homes for status holders, a year"),
             upto=10_000, step=500, unit=("per jaar", "a year"),
             short=("startwoningen", "start-up homes")),
    lv.share("urgenten", "allocation.urgent_share_cap",
             ("Urgenten", "Urgent seekers"),
             ("Hoogstens dit deel van de vrijkomende woningen gaat direct naar urgenten",
              "At most this share of vacancies goes straight to urgent seekers"),
             upto=0.40, step=0.01, short=("urgenten", "urgent")),
    lv.share("taakstelling", "status_holders.quota_placement_max_share",
             ("Taakstelling statushouders", "Quota for status holders"),
             ("Hoogstens dit deel van haar vrijkomende woningen geeft een gemeente aan "
              "statushouders; hoeveel ze echt geeft hangt af van haar bereidheid",
              "At most this share of its vacancies a municipality gives status holders; "
              "how much it really gives depends on its willingness"),
             upto=0.12, step=0.005, short=("taakstelling", "quota")),
    lv.share("loting", "allocation.lottery_share",
             ("Loting", "Lottery"),
             ("Deel van de advertenties dat wordt verloot in plaats van op inschrijfduur",
              "Share of advertised homes let by lottery instead of registration time"),
             upto=0.50, step=0.05, short=("loting", "lottery")),
    lv.factor("asielinstroom", "asylum.applications_factor",
              ("Asielinstroom", "Asylum inflow"),
              ("Eerste asielaanvragen ten opzichte van het verwachte pad",
               "First asylum applications relative to the expected path"),
              lowest=0.5, highest=2.0, step=0.1, short=("asielinstroom", "asylum inflow")),
    lv.share("inwilliging", "asylum.recognition_rate",
             ("Inwilligingen", "Recognitions"),
             ("Deel van de asielbesluiten met een verblijfsvergunning",
              "Share of asylum decisions granting a permit"),
             upto=1.0, step=0.05, short=("inwilligingen", "recognitions")),
    lv.delay("uitstel", ("Uitstel van de wet", "Delay of the law"),
             ("Verschuift het verbod op voorrang en de fasen erna",
              "Moves the ban on priority and the phases after it"),
             upto=24, step=3, short=("uitstel", "delay")),
)  # fmt: skip
lv.check_levers(LEVERS)

page = make_page(LEVERS, LIVE_CHARTS, COMPARISON_CHARTS)
Page = page  # Solara serves ``Page``; ``page`` as in Mesa's examples
