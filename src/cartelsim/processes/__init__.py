"""The weekly processes, one module each, stepped by `cartelsim.sim.Sim` in a fixed order."""
