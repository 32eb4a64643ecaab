"""The levers, one per module: every `Lever` defined in this package is found here, so a new
lever is one new module. `LEVERS` maps each name to its lever, in their declared order."""

import importlib
import pkgutil

from cartelsim.policy.lever import Lever


def _discover() -> dict[str, Lever]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    found = [cls for cls in Lever.__subclasses__() if cls.__module__.startswith(__name__)]
    return {cls.name: cls() for cls in sorted(found, key=lambda cls: cls.order)}


LEVERS = _discover()
