"""Errors a user can cause, carried to the command line as a message and exit code 2."""


class CartelsimError(Exception):
    """Bad input: the message names the field, file or row at fault."""


class ParameterError(CartelsimError):
    """A parameter is unknown, of the wrong type or out of range."""


class DataError(CartelsimError):
    """A world data file is missing, malformed or inconsistent."""
