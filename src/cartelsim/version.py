"""The version of the model and the package: the result store and the docs record it."""

__version__ = "0.1.0"
