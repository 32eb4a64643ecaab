"""This week's government effort: what the levers and the cooperation index set, and what the
processes read. Reset each week, so a lever at zero leaves the run as it would be without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Effort:
    n_places: int
    mx_enforcement: float = 1.0  # Mexican arrests, raids, seizures (scaled by cooperation)
    inland: np.ndarray = field(init=False)  # per place: multiplier on inland seizure risk
    crackdown_arrests: np.ndarray = field(init=False)  # per place: extra arrests a week (persons)
    between_ports: float = 1.0  # multiplier on detection between ports
    checkpoint: float = 1.0  # multiplier on detection at interior checkpoints
    scan_pov: float = 0.0  # scanning at least this share of passenger vehicles
    scan_truck: float = 0.0
    aml_share: float = 0.0  # share of laundered revenue seized
    precursor_blocked: float = 0.0
    naloxone_added: float = 0.0  # coverage added to every market
    treatment: float = 0.0  # share of users in treatment
    recruitment_prevention: float = 0.0
    flight_hours: float = 0.0
    strikes: float = 0.0  # strikes a week
    strike_doctrine: str = "leaders"
    strike_consent: str = "joint"
    strike_civilian_limit: float = float("inf")  # most expected civilians per strike allowed
    operations: float = 0.0  # kingpin operations a week
    operation_kill_share: float = 0.0
    operation_leader_share: float = 0.2

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        for name, f in Effort.__dataclass_fields__.items():
            if f.init and name != "n_places":
                setattr(self, name, f.default)
        self.inland = np.ones(self.n_places)
        self.crackdown_arrests = np.zeros(self.n_places)
