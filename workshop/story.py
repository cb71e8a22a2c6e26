"""“Wat er gebeurt”: a few plain sentences about a run, written from its own figures.

Every number in a sentence is read from the frame (the run's monthly series),
rounded as a room reads it (``text.rounded``); a sentence whose figures are
not there yet (fewer months than it compares) is left out rather than guessed.
The policy phases the run passed (``workshop.phases``) each get a sentence on
what status holders were housed before and after.
"""

from __future__ import annotations

import numpy as np

from workshop import columns as col
from workshop.text import add_months, month_label, number, rounded

SENTENCES: dict[str, tuple[str, str]] = {
    "homes": (
        "In de {period} kregen {regular} reguliere woningzoekenden, {urgent} urgenten en "
        "{status_holder} statushouders (huishoudens) een woning.",
        "In the {period}, {regular} regular seekers, {urgent} urgent seekers and "
        "{status_holder} status holders (households) got a home.",
    ),
    "period_year": ("laatste 12 maanden", "last 12 months"),
    "period_months": ("eerste {n} maanden", "first {n} months"),
    "phase": (
        "Na {phase} kregen statushouders {after} woningen per maand, tegen {before} per maand "
        "in de {months} maanden ervoor.",
        "After {phase}, status holders got {after} homes a month, against {before} a month "
        "in the {months} months before.",
    ),
    "reception": (
        "In de COA-opvang wonen nu {now} statushouders (personen; bij de start {start}"
        "{peak}); {over} van hen wachten langer dan {norm} weken na hun vergunning.",
        "Reception now holds {now} status holders (persons; {start} at the start{peak}); "
        "{over} of them have waited more than {norm} weeks since their permit.",
    ),
    "peak": ("; hoogste stand {peak} in {month}", "; highest {peak} in {month}"),
    "registration": (
        "Reguliere woningzoekenden stonden bij toewijzing mediaan {now} jaar ingeschreven "
        "(laatste 12 maanden{before}).",
        "Regular seekers had been registered a median {now} years when housed (last 12 "
        "months{before}).",
    ),
    "registration_before": ("; in het eerste jaar {then} jaar", "; {then} years in the first year"),
    "queue": (
        "Het aantal wachtende reguliere woningzoekenden ging van {start} naar {now} huishoudens.",
        "Regular seekers waiting went from {start} to {now} households.",
    ),
}


def _s(key: str, lang: str, **fields) -> str:
    return SENTENCES[key][lang == "en"].format(**fields)


def _series(frame, name: str) -> np.ndarray:
    return np.asarray(frame.series.get(name, np.full(frame.month + 1, np.nan)), float)


def _homes(frame, lang: str) -> str:
    months = min(12, frame.month)
    figures = {g: rounded(np.nansum(_series(frame, col.lettings(g))[-months:]), lang)
               for g in col.GROUPS}  # fmt: skip
    period = _s("period_year", lang) if frame.month >= 12 else _s("period_months", lang, n=months)
    return _s("homes", lang, period=period, **figures)


def _phase(frame, mark, lang: str) -> str:
    """Status holders' homes a month before and after a phase the run has passed."""
    index = (mark.date.year - frame.start.year) * 12 + mark.date.month - frame.start.month
    after = frame.month - index  # months since the phase began
    if index < 3 or after < 3:
        return ""
    months = min(12, index, after)
    flows = _series(frame, col.lettings("status_holder"))
    before_rate = np.nanmean(flows[index - months + 1 : index + 1])  # flows: row m is month m
    after_rate = np.nanmean(flows[index + 1 : index + 1 + months])
    return _s(
        "phase",
        lang,
        phase=mark.sentence(lang),
        after=rounded(after_rate, lang),
        before=rounded(before_rate, lang),
        months=months,
    )


def _reception(frame, lang: str) -> str:
    persons = _series(frame, col.IN_RECEPTION)
    if not np.isfinite(persons).any():
        return ""
    top = int(np.nanargmax(persons))
    peak = ""
    if 0 < top < len(persons) - 1 and rounded(persons[top], lang) != rounded(persons[-1], lang):
        month = month_label(add_months(frame.start, top - 1), lang)
        peak = _s("peak", lang, peak=rounded(persons[top], lang), month=month)
    return _s(
        "reception",
        lang,
        now=rounded(persons[-1], lang),
        start=rounded(persons[0], lang),
        peak=peak,
        over=rounded(_series(frame, col.OVER_NORM)[-1], lang),
        norm=frame.norm_weeks,
    )


def _registration(frame, lang: str) -> str:
    if frame.month < 12:
        return ""
    rolling = _series(frame, col.registration_rolling("regular"))
    before = ""
    if frame.month >= 24 and np.isfinite(rolling[12]):
        before = _s("registration_before", lang, then=number(rolling[12], lang, 1))
    return _s("registration", lang, now=number(rolling[-1], lang, 1), before=before)


def _queue(frame, lang: str) -> str:
    waiting = _series(frame, col.waiting("regular"))
    return _s("queue", lang, start=rounded(waiting[0], lang), now=rounded(waiting[-1], lang))


def story(frame, lang: str) -> list[str]:
    """The sentences for a frame (none before the first month or for a refused run)."""
    if frame is None or frame.error or frame.month == 0:
        return []
    sentences = [_homes(frame, lang)]
    sentences += [_phase(frame, m, lang) for m in frame.marks if m.key in ("ban", "quota_end")]
    sentences += [_reception(frame, lang), _registration(frame, lang), _queue(frame, lang)]
    return [s for s in sentences if s]
