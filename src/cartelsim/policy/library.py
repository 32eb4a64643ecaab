"""The named strategies. Intensities come from the public record where one exists (cited);
otherwise they are assumptions, said so in the description."""

from __future__ import annotations

from cartelsim.errors import ParameterError
from cartelsim.policy.strategy import Strategy, setting

# Shared pieces, so that the package strategies use the same settings as the single ones.
_SURVEILLANCE = setting("surveillance", 500)  # three MQ-9 orbits around the clock ≈ 500 h/week
_SCANNING = setting("scanning", 0.40, truck=0.70, ramp_weeks=52)
_TROOPS = setting("troops", 10_000)
_AML = setting("follow-the-money", 0.10)
_PRECURSORS = setting("precursor-controls", 0.50)
_KINGPIN = setting("kingpin", 2.0, kill_share=0.2)
_NALOXONE = setting("naloxone", 0.20)
_TREATMENT = setting("treatment", 0.10)
_PREVENTION = setting("recruitment-prevention", 0.25)


def _strikes(consent: str) -> tuple:
    return (_SURVEILLANCE, setting("strikes", 2.5, doctrine="leaders", consent=consent, start=8))


_ALL = (
    Strategy("baseline", "No new policy: enforcement as in 2024."),
    Strategy(
        "drone-strikes-joint",
        "Surveillance flights (500 hours a week) and, from week 8, 2.5 drone strikes a week on "
        "identified leaders, with Mexico's consent. Intensities are assumptions: 2.5 a week is "
        "the peak rate of the US campaign in Pakistan (2010).",
        _strikes("joint"),
        (
            "New America, drone strike database (Pakistan, 2010) [B]",
            "MQ-9 cost per flight hour, USAF [B]",
        ),
    ),
    Strategy(
        "drone-strikes-unilateral",
        "As drone-strikes-joint, without Mexico's consent: cooperation erodes with each strike.",
        _strikes("unilateral"),
        ("New America, drone strike database (Pakistan, 2010) [B]",),
    ),
    Strategy(
        "kingpin",
        "Two joint operations a week against the leaders and lieutenants of the designated "
        "cartels, a fifth of successes by killing (assumption, of the order of the 2006–2012 "
        "kingpin strategy).",
        (_KINGPIN,),
        ("Calderón et al., J. Conflict Resolution 59(8) (2015) [A]",),
    ),
    Strategy(
        "border-scanning",
        "Scanning 40% of passenger vehicles and 70% of trucks at the ports of entry, reached over "
        "a year (CBP's plan).",
        (_SCANNING,),
        ("CBP testimony; GAO-25-107379 [A/B]",),
    ),
    Strategy(
        "border-troops",
        "10,000 troops at the border, as Mexico sent to its northern border in 2025.",
        (_TROOPS,),
        ("DESIGN.md: Mexico sent 10,000 troops (2025) [B]",),
    ),
    Strategy(
        "follow-the-money",
        "Seizing 10% of the cartels' laundered revenue (assumption: no causal estimate exists).",
        (_AML,),
    ),
    Strategy(
        "precursor-controls",
        "Blocking half the precursor supply, which wears off as suppliers adapt (R9).",
        (_PRECURSORS,),
        ("OAS (2013) [A]",),
    ),
    Strategy(
        "harm-reduction",
        "Naloxone coverage +20 points and 10% more users in treatment (assumptions).",
        (_NALOXONE, _TREATMENT),
        ("Rees et al. 2019; Walley et al. 2013 [A]", "Sordo et al. 2017 [A]"),
    ),
    Strategy(
        "recruitment-prevention",
        "Jobs and social programs preventing a quarter of recruitment (the peer model's halving "
        "is 0.5).",
        (_PREVENTION,),
        ("Prieto-Curiel et al., Science 381 (2023) [A]",),
    ),
    Strategy(
        "law-enforcement-package",
        "The skeptics' answer: scanning at the crossings, following the money and precursor "
        "controls, with Mexico's cooperation.",
        (_SCANNING, _AML, _PRECURSORS),
    ),
    Strategy(
        "combined",
        "Everything at once: surveillance and joint strikes, kingpin operations, scanning, "
        "troops, money, precursors, harm reduction and prevention.",
        (
            *_strikes("joint"),
            _KINGPIN,
            _SCANNING,
            _TROOPS,
            _AML,
            _PRECURSORS,
            _NALOXONE,
            _TREATMENT,
            _PREVENTION,
        ),
    ),
)

STRATEGIES = {s.name: s for s in _ALL}


def get_strategy(name: str) -> Strategy:
    try:
        return STRATEGIES[name]
    except KeyError:
        raise ParameterError(
            f"unknown strategy {name!r} (strategies: {', '.join(STRATEGIES)})"
        ) from None
