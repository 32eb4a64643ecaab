"""Errors a user can cause, carried to the command line as a message and exit code 2."""


class CartelsimError(Exception):
    """Bad input: the message names the field, file or row at fault."""


class ParameterError(CartelsimError):
    """A parameter is unknown, of the wrong type or out of range."""


class FieldError(ParameterError):
    """One field of a setting is wrong; whoever read it adds where it came from."""

    def __init__(self, field: str, message: str):
        super().__init__(f"field {field!r}: {message}")
        self.field, self.message = field, message


class DataError(CartelsimError):
    """A world data file is missing, malformed or inconsistent."""
