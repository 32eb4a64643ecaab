from typing import Any, ClassVar

from cartelsim.policy.lever import Lever, per_week

KITS_PER_USER_YEAR = 2  # assumption: kits a covered person needs a year


class NaloxoneLever(Lever):
    name = "naloxone"
    order = 9
    effort: ClassVar[dict[str, Any]] = {"naloxone_added": 0.0}
    unit = "coverage added"
    most = 1.0
    doc = (
        "Naloxone distribution: coverage added in every market; deaths fall by "
        "naloxone_effect at full coverage (R7: −9% to −14% for broad access)."
    )
    cost = "cost_naloxone_kit_usd × 2 kits a year × people using × coverage added"

    def apply(self, sim, level, ramp, since, options):
        people = sim.people
        sim.effort.naloxone_added = level
        kits = KITS_PER_USER_YEAR * sim.params.cost_naloxone_kit_usd
        return level * (people.using + people.treated) * per_week(kits)
