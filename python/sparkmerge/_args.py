"""Argument checks done in Python, so a wrong argument fails here with a plain message, not in the JVM."""

from __future__ import annotations

import os
from typing import Any, Union

PathLike = Union[str, "os.PathLike[str]"]


def path_string(value: Any, name: str) -> str:
    """A ``str`` or ``os.PathLike`` path as the string Spark takes, unchanged otherwise: the JVM resolves a
    path without a scheme against the default file system, as Spark does, and refuses one it cannot read."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike, not {type(value).__name__}")
    path = os.fspath(value)
    if not isinstance(path, str):
        raise TypeError(f"{name} must be a text path, not {type(path).__name__}")
    return path


def flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {value!r}")
    return value


def text(value: Any, name: str) -> str:
    """A word the engine checks itself (a format, a save mode): only its type is checked here."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


def option_string(value: Any, name: str) -> str:
    """A writer option as Spark passes it to the JVM: booleans as "true"/"false", numbers and strings as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TypeError(f"option {name} must be a str, bool, int or float, not {type(value).__name__}")
