"""cartelsim: the campaign against the Mexican cartels and its alternatives, simulated."""

from cartelsim.errors import CartelsimError, DataError, ParameterError
from cartelsim.params import Params
from cartelsim.results import Results
from cartelsim.sim import Sim
from cartelsim.world.world import World, load_world

__version__ = "0.1.0"
__all__ = [
    "CartelsimError",
    "DataError",
    "ParameterError",
    "Params",
    "Results",
    "Sim",
    "World",
    "load_world",
]
