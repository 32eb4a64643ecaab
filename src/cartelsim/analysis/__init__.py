"""Checks of the model against published figures."""
