"""The run settings a user gets without asking, in one place."""

WORLD = "mexico-2025"  # the bundled default world
WEEKS = 260  # five years from January of `start_year`
SEED = 0
SCALE = 0.1  # of an ensemble (a comparison, an experiment); one run (`Sim`, simulate) is full size
REPLICATES = 14  # paired replicates of a comparison (docs/experiments.md: how many, how long)
