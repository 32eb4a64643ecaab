"""cartelsim: the campaign against the Mexican cartels and its alternatives, simulated."""

__version__ = "0.1.0"  # before the imports below: the experiment store records it

from cartelsim.errors import CartelsimError, DataError, ParameterError
from cartelsim.experiment.api import Comparison, compare
from cartelsim.params import Params
from cartelsim.results import Results
from cartelsim.sim import Sim
from cartelsim.world.world import World, load_world

__all__ = [
    "CartelsimError",
    "Comparison",
    "DataError",
    "ParameterError",
    "Params",
    "Results",
    "Sim",
    "World",
    "compare",
    "load_world",
]
