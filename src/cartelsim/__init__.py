"""cartelsim: the campaign against the Mexican cartels and its alternatives, simulated."""

from cartelsim.errors import CartelsimError, DataError, ParameterError
from cartelsim.experiment.api import Comparison, compare
from cartelsim.params import Params
from cartelsim.results import Results
from cartelsim.sim import Sim
from cartelsim.version import __version__
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
    "__version__",
    "compare",
    "load_world",
]
