"""The one error the engine raises for bad input: which field, and why."""

from __future__ import annotations


class SpecError(ValueError):
    """An invalid network spec or trace request.

    `loc` is the path to the offending field, e.g. ("network", "weights", 0, 1, 0);
    `msg` says what is wrong in words a student can act on.
    """

    def __init__(self, loc: tuple[str | int, ...], msg: str) -> None:
        super().__init__(f"{format_loc(loc)}: {msg}")
        self.loc = loc
        self.msg = msg


class NonFiniteError(ArithmeticError):
    """The computation overflowed: some z, a or gradient is not a finite number."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def format_loc(loc: tuple[str | int, ...]) -> str:
    """("network", "weights", 0, 1) -> "network.weights[0][1]"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
