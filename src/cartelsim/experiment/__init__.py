"""Experiments: paired runs over ensembles."""
