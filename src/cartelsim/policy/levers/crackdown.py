from typing import Any, ClassVar

from cartelsim.errors import FieldError
from cartelsim.policy.lever import Lever, Option, place_list
from cartelsim.state.effort import PerPlace


class CrackdownLever(Lever):
    name = "crackdown"
    order = 6
    effort: ClassVar[dict[str, Any]] = {"crackdown_arrests": PerPlace(0.0)}
    unit = "intensity (0–1)"
    most = 1.0
    doc = (
        "A local crackdown on named Mexican places: transit through them gets riskier "
        "(crackdown_effect) and arrests there rise (crackdown_arrests a week), with the "
        "confrontations that come with them."
    )
    cost = "cost_crackdown_week_usd per place and week at full intensity"
    options: ClassVar[dict[str, Option]] = {"places": ((), place_list)}

    def apply(self, sim, level, ramp, since, options):
        effort, p = sim.effort, sim.params
        places = [sim.world.place_index(place) for place in options["places"]]
        effort.inland[places] *= 1.0 + p.crackdown_effect * level
        effort.crackdown_arrests[places] += p.crackdown_arrests * level
        return len(places) * level * p.cost_crackdown_week_usd

    def check(self, world, options):
        if not options["places"]:
            raise FieldError("places", "a crackdown needs places = [...] (Mexican place ids)")
        country = dict(zip(world.places["id"], world.places["country"], strict=True))
        for place in options["places"]:
            if place not in country:
                raise FieldError("places", f"unknown place {place!r} in world {world.name!r}")
            if country[place] != "MX":
                raise FieldError("places", f"place {place!r} is not in Mexico")
