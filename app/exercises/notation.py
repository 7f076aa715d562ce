"""The lecture's names in plain text, written exactly as the page writes them
(static/js/text/names.js): w^l_{ji} is "w²₁₁", z^l_j "z²₁", a⁰ is the input x ("x₁"),
∂l/∂ before any of them. Layers and neurons are the lecture's numbers: layer 1 is the
first hidden layer, neurons and inputs count from 1."""

from __future__ import annotations

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "\u2212"


def sub(n: int | str) -> str:
    return str(n).translate(_SUB)


def sup(n: int | str) -> str:
    return str(n).translate(_SUP)


def _pair(j: int, i: int) -> str:
    # Two subscripts side by side read ambiguously past 9 (w₁₁₂: 11,2 or 1,12?): a comma then.
    return f"{j},{i}" if j > 9 or i > 9 else f"{j}{i}"


def weight_name(l: int, j: int, i: int) -> str:
    """w^l_{ji}: from neuron i of layer l−1 to neuron j of layer l (1-based j, i)."""
    return f"w{sup(l)}{sub(_pair(j, i))}"


def bias_name(l: int, j: int) -> str:
    return f"b{sup(l)}{sub(j)}"


def z_name(l: int, j: int) -> str:
    return f"z{sup(l)}{sub(j)}"


def a_name(l: int, j: int) -> str:
    """a^l_j; layer 0 is the input, x_j."""
    return f"x{sub(j)}" if l == 0 else f"a{sup(l)}{sub(j)}"


def target_name(j: int) -> str:
    return f"t{sub(j)}"


def number(x: float) -> str:
    """A value as an explanation shows it: 4 significant digits, a real minus sign,
    "×10⁻⁵" rather than "e-05"."""
    if x == 0:
        return "0"
    text = f"{x:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}×10{sup(int(exponent)).replace('-', '⁻')}"
    return text.replace("-", MINUS)


def factor(x: float) -> str:
    """A number as one factor of a product: negative ones in parentheses."""
    return f"({number(x)})" if x < 0 else number(x)
