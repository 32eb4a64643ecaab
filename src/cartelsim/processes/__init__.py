"""The weekly processes, one module each. `WEEK` is the schedule as data: the order in which
`cartelsim.sim.Sim` steps them every week (the supply chain's also in the burn-in)."""

from cartelsim.processes.adaptation import Adaptation
from cartelsim.processes.border import Border
from cartelsim.processes.cooperation import Cooperation
from cartelsim.processes.enforcement import Enforcement
from cartelsim.processes.health import Health
from cartelsim.processes.intelligence import Intelligence
from cartelsim.processes.kingpin import KingpinOperations
from cartelsim.processes.lever_step import LeverStep
from cartelsim.processes.market import Market
from cartelsim.processes.precursors import Precursors
from cartelsim.processes.process import Process
from cartelsim.processes.production import Production
from cartelsim.processes.recruitment import Recruitment
from cartelsim.processes.relations import Relations
from cartelsim.processes.routing import Routing
from cartelsim.processes.strikes import Strikes
from cartelsim.processes.succession import Succession
from cartelsim.processes.transport import Transport
from cartelsim.processes.users import Users
from cartelsim.processes.violence import Violence

WEEK: tuple[type[Process], ...] = (
    Relations,
    LeverStep,
    Cooperation,
    Intelligence,
    Enforcement,
    KingpinOperations,
    Strikes,
    Succession,
    Adaptation,
    Recruitment,
    Precursors,
    Production,
    Routing,
    Transport,
    Border,
    Market,
    Health,
    Users,
    Violence,
)
