from typing import Any, ClassVar

import numpy as np

from cartelsim.policy.lever import Lever, Option, share


class ScanningLever(Lever):
    name = "scanning"
    order = 4
    effort: ClassVar[dict[str, Any]] = {"min_scan_pov": 0.0, "min_scan_truck": 0.0}
    unit = "share of passenger vehicles scanned"
    most = 1.0
    doc = (
        "Non-intrusive scanning at the ports of entry: at least this share of passenger "
        "vehicles, and the option `truck` of trucks, are scanned; a scan finds scan_gain of the "
        "loads that inspection without one (detect_unscanned) misses (B9). Traffickers move "
        "loads to the modes scanned less (mode_risk_aversion). CBP's plan: 40% of passenger "
        "vehicles and over 70% of trucks."
    )
    cost = "cost_scan_usd per vehicle scanned above the baseline rates"
    options: ClassVar[dict[str, Option]] = {"truck": (0.0, share)}

    def apply(self, sim, level, ramp, since, options):
        effort = sim.effort
        truck = options["truck"] * ramp  # trucks ramp up with cars
        effort.min_scan_pov = max(effort.min_scan_pov, level)
        effort.min_scan_truck = max(effort.min_scan_truck, truck)
        traffic = sim.world.crossings
        row = sim.row
        extra_pov = max(level - sim.inputs.baseline_scan_pov[row], 0.0)
        extra_truck = max(truck - sim.inputs.baseline_scan_truck[row], 0.0)
        scans = extra_pov * np.sum(traffic["pov_per_week"]) + extra_truck * np.sum(
            traffic["trucks_per_week"]
        )
        return scans * sim.params.cost_scan_usd
