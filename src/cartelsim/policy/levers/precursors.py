import math
from typing import Any, ClassVar

from cartelsim.policy.lever import Lever, Option, choice, per_week
from cartelsim.state.supply import PRECURSOR_ORIGINS

NONE = (0.0,) * len(PRECURSOR_ORIGINS)


def origin_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"expected a non-empty list of origins, got {value!r}")
    for origin in value:
        if origin not in PRECURSOR_ORIGINS:
            raise ValueError(f"unknown origin {origin!r} (origins: {', '.join(PRECURSOR_ORIGINS)})")
    if len(set(value)) < len(value):
        raise ValueError("an origin is named twice")
    return tuple(value)


class PrecursorControlsLever(Lever):
    name = "precursor-controls"
    order = 8
    effort: ClassVar[dict[str, Any]] = {"precursor_blocked": NONE, "precursor_seizure": NONE}
    cooperation = ("precursor_cooperation", 1.0)
    unit = "share of the origins' precursor supply blocked at first (or seizure chance added)"
    most = 1.0
    doc = (
        "Controls on precursor chemicals at their origins (China, India, other): by listing "
        "(source-country scheduling and know-your-customer rules: a share of what the "
        "origins' suppliers can ship is refused) or by seizure (this chance added that a "
        "shipment from there is seized at the Mexican seaport). Traffickers adapt: the effect "
        "falls to precursor_lasting_share of its first size with time constant "
        "precursor_adaptation_weeks (Cunningham & Liu 2003, 2005; Dobkin & Nicosia 2009). A "
        "block binds only beyond the suppliers' slack (precursor_supply_ratio) and after the "
        "stock the cartels hold (precursor_cover_weeks)."
    )
    cost = "cost_precursor_year_usd per year and unit of the nominal share"
    options: ClassVar[dict[str, Option]] = {
        "origins": (PRECURSOR_ORIGINS, origin_list),
        "by": ("listing", choice("listing", "seizure")),
    }

    def apply(self, sim, level, ramp, since, options):
        p, effort = sim.params, sim.effort
        lasting = p.precursor_lasting_share
        now = level * (lasting + (1 - lasting) * math.exp(-since / p.precursor_adaptation_weeks))
        field = "precursor_blocked" if options["by"] == "listing" else "precursor_seizure"
        targeted = [origin in options["origins"] for origin in PRECURSOR_ORIGINS]
        before = getattr(effort, field)
        after = (1 - (1 - b) * (1 - now) if t else b for b, t in zip(before, targeted, strict=True))
        setattr(effort, field, tuple(after))
        return level * per_week(p.cost_precursor_year_usd)
