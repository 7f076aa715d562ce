"""A network, its step or its training run, written as a standalone PyTorch script.

The script needs only torch and the standard library: θ⁰ and the data are written into it
as Python literals (floats as repr, which parses back to the same double), the model is an
`nn.Sequential` of `nn.Linear` (z = W a + b) and activations (a = σ(z)), and `loss.backward()`
computes what the engine's backward pass does, in float64. Run, it prints JSON lines:

- a trace request: one line, {"loss", "dl_dw", "dl_db", "weights_next", "biases_next"},
  lists by layer as POST /trace writes them (weights out × in);
- a training request: one line per reported epoch, {"epoch", "train_loss"}, as the
  epoch events of POST /train/stream report them.

The training loop takes the engine's mini-batches in the engine's order: each epoch's
permutation of the training points comes from numpy's generator seeded with (seed, epoch),
which torch cannot reproduce, so it is computed here and written into the script.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from app.engine import BETA1, BETA2, EPSILON, MOMENTUM, DataSet, Network, TrainConfig

Array = np.ndarray
MEDIA_TYPE = "text/x-python"
# Epochs × training points a training export writes out as batch orders: about 8 MB of
# script at most (a run's own cap, Limits.max_epoch_samples, is 50 times more).
MAX_EXPORT_EPOCH_SAMPLES = 1_000_000

# Each activation as the module that computes it; softmax over each row (one example).
MODULES: dict[str, str] = {
    "sigmoid": "nn.Sigmoid()",
    "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()",  # relu'(0) = 0, as the engine
    "leaky_relu": "nn.LeakyReLU(0.01)",
    "linear": "nn.Identity()",
    "softmax": "nn.Softmax(dim=1)",
}

# Each loss as lⁿ of every row (example) of a batch, from the output layer's z and a.
# The cross-entropies read z, as the engine does: ln σ(z) and log-softmax stay finite where
# ln a would be ln 0, and autograd then gives ∂l/∂z = (a − t)/K and a Σt − t exactly.
LOSS_CODE: dict[str, tuple[str, str]] = {
    "squared_error": ("l = ½ Σₖ (aₖ − tₖ)²", "0.5 * ((a - t) ** 2).sum(dim=1)"),
    "mse": ("l = (1/K) Σₖ (aₖ − tₖ)²", "((a - t) ** 2).mean(dim=1)"),
    "binary_cross_entropy": (
        "l = −(1/K) Σₖ [tₖ ln aₖ + (1 − tₖ) ln(1 − aₖ)], a = σ(z), from z",
        'F.binary_cross_entropy_with_logits(z, t, reduction="none").mean(dim=1)',
    ),
    "cross_entropy": (
        "l = −Σₖ tₖ ln softmax(z)ₖ, from z",
        "-(t * torch.log_softmax(z, dim=1)).sum(dim=1)",
    ),
}

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sup(n: int) -> str:
    return str(n).translate(_SUPERSCRIPTS)


def _sub(n: int) -> str:
    return str(n).translate(_SUBSCRIPTS)


def literal(value: Any) -> str:
    """A nested list of numbers as Python source; floats as repr (exact round trip)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a bool is not a number here")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return repr(float(value))


def _lines(name: str, rows: Array | Sequence[Any]) -> str:
    """A list of rows, one row a line: a data set or a layer's weights stays readable."""
    return "\n".join([f"{name} = [", *(f"    {literal(row)}," for row in rows), "]"])


def _rows(name: str, rows: Array | Sequence[Any], comment: str) -> str:
    return f"# {comment}\n" + _lines(name, rows)


def _header(title: str, output: str, network: Network) -> str:
    # torch.nn.functional only where the loss needs it (binary cross-entropy from z).
    functional = (
        "import torch.nn.functional as F\n" if network.loss == "binary_cross_entropy" else ""
    )
    return f'''"""{title}

Exported by backprop-viz. Needs only torch and the standard library; run it with
`python this_file.py`. {output}

Notation as in the lecture: layer l = 1 … L, z = W a + b is a neuron's input, a = σ(z) its
output, l the loss of one example; θ is every w and b. The step is θ¹ = θ⁰ − η∇L(θ⁰).
"""

import json

import torch
{functional}from torch import nn

# float64, as the visualizer computes: the same numbers, digit for digit.
torch.set_default_dtype(torch.float64)
'''


def _model(network: Network) -> str:
    """nn.Sequential, θ⁰ written into it, and the loss function."""
    L = len(network.weights)
    lines = [
        f"# The network {list(network.layers)}: for each layer l, nn.Linear computes",
        "# z = W a + b and the activation a = σ(z).",
        "model = nn.Sequential(",
    ]
    for l in range(1, L + 1):
        n_in, n_out = network.layers[l - 1], network.layers[l]
        act = network.activations[l - 1]
        lines.append(
            f"    nn.Linear({n_in}, {n_out}),"
            f"  # z{_sup(l)} = W{_sup(l)} a{_sup(l - 1)} + b{_sup(l)}"
        )
        lines.append(f"    {MODULES[act]},  # a{_sup(l)} = {act}(z{_sup(l)})")
    lines.append(")")
    lines.append("linears = [model[2 * (l - 1)] for l in range(1, len(model) // 2 + 1)]  # layer l")
    lines.append("")
    example = f"w{_sup(L)}{_sub(1)}{_sub(1)}"
    lines.append(
        "# θ⁰, exactly: WEIGHTS[l − 1][j − 1][i − 1] is w^l_ji, the weight into neuron j of "
        "layer l\n# from neuron i of layer l − 1 (so WEIGHTS[-1][0][0] is "
        f"{example}); BIASES[l − 1][j − 1] is b^l_j."
    )
    lines.append(_lines("WEIGHTS", network.weights))
    lines.append(_lines("BIASES", network.biases))
    lines.append("with torch.no_grad():")
    lines.append("    for linear, w, b in zip(linears, WEIGHTS, BIASES):")
    lines.append("        linear.weight.copy_(torch.tensor(w))")
    lines.append("        linear.bias.copy_(torch.tensor(b))")
    lines.append("")
    formula, code = LOSS_CODE[network.loss]
    lines.append("")
    lines.append("def losses(x, t):")
    lines.append(
        f'    """lⁿ of every example (row) of x, with targets t: {network.loss}, {formula}."""'
    )
    lines.append("    z = model[:-1](x)  # z of the output layer (every layer but the last σ)")
    lines.append("    a = model[-1](z)  # a = σ(z), the network's output")
    lines.append(f"    return {code}")
    return "\n".join(lines)


def trace_script(
    network: Network, x: Array, t: Array, learning_rate: float, freeze_biases: bool
) -> str:
    """The script of one step (a POST /trace request, checked): forward, loss, backward,
    θ¹ = θ⁰ − η∇L(θ⁰) by torch.optim.SGD, and the numbers printed as one JSON line."""
    L = len(network.weights)
    params = "[linear.weight for linear in linears]" if freeze_biases else "model.parameters()"
    frozen = "  # freeze_biases: b stays as it was" if freeze_biases else ""
    body = f"""
x = torch.tensor([{literal(x)}])  # a⁰, the input: a batch of one example
t = torch.tensor([{literal(t)}])  # the target

# Forward pass and the loss l of this example.
loss = losses(x, t).sum()

# Backward pass: autograd computes ∂l/∂z layer by layer from the output back, and
# ∂l/∂w = a × ∂l/∂z. linears[l − 1].weight.grad[j − 1, i − 1] is ∂l/∂w^l_ji
# (so linears[{L - 1}].weight.grad[0, 0] is ∂l/∂w{_sup(L)}₁₁), and linears[l − 1].bias.grad
# is ∂l/∂b^l = ∂l/∂z^l.
loss.backward()
dl_dw = [linear.weight.grad.tolist() for linear in linears]
dl_db = [linear.bias.grad.tolist() for linear in linears]

# One step of gradient descent: θ¹ = θ⁰ − η∇L(θ⁰), η = {learning_rate!r}.
optimizer = torch.optim.SGD({params}, lr={learning_rate!r}){frozen}
optimizer.step()

print(
    json.dumps(
        {{
            "loss": loss.item(),
            "dl_dw": dl_dw,
            "dl_db": dl_db,
            "weights_next": [linear.weight.tolist() for linear in linears],
            "biases_next": [linear.bias.tolist() for linear in linears],
        }}
    )
)
"""
    title = f"One step of backpropagation on a {list(network.layers)} network, in PyTorch."
    output = (
        'It prints one JSON line: "loss" (l), "dl_dw" and "dl_db" (∂l/∂w, ∂l/∂b by layer), '
        '"weights_next" and "biases_next" (θ¹), as POST /api/v1/trace reports them.'
    )
    return _header(title, output, network) + "\n" + _model(network) + "\n\n" + body


def batch_orders(data: DataSet, config: TrainConfig) -> list[list[int]]:
    """Each epoch's order of the training points, as the engine shuffles them (numpy's
    generator seeded with (seed, epoch)); the mini-batches are its consecutive slices."""
    n = len(data.train)
    return [
        np.random.default_rng((config.seed, epoch)).permutation(n).tolist()
        for epoch in range(config.start_epoch, config.start_epoch + config.epochs)
    ]


def _optimizer(config: TrainConfig) -> tuple[str, str]:
    """The optimizer's line and its rule in a comment; the engine's rules are PyTorch's."""
    eta = repr(config.learning_rate)
    if config.optimizer == "sgd":
        return f"torch.optim.SGD(model.parameters(), lr={eta})", "θ ← θ − η∇L"
    if config.optimizer == "momentum":
        return (
            f"torch.optim.SGD(model.parameters(), lr={eta}, momentum={MOMENTUM!r})",
            f"v ← {MOMENTUM} v + ∇L (v = ∇L at the first step), θ ← θ − η v",
        )
    return (
        f"torch.optim.Adam(model.parameters(), lr={eta}, betas=({BETA1!r}, {BETA2!r}), "
        f"eps={EPSILON!r})",
        "m ← β₁m + (1 − β₁)∇L, v ← β₂v + (1 − β₂)(∇L)², θ ← θ − η m̂ / (√v̂ + ε)",
    )


def train_script(network: Network, data: DataSet, config: TrainConfig) -> str:
    """The script of a training run (a POST /train/stream request, checked): the same
    θ⁰, training points, mini-batches in the same order, optimizer, reduction and
    regularisation; it prints {"epoch", "train_loss"} where the run reports an epoch."""
    n = len(data.train)
    batch_size = min(config.batch_size, n)
    optimizer, rule = _optimizer(config)
    reduce = "mean" if config.reduction == "mean" else "sum"
    reduce_formula = "L = (1/n) Σₙ lⁿ" if reduce == "mean" else "L = Σₙ lⁿ"
    reg_lines = ""
    if config.regularization is not None:
        kind, rate = config.regularization
        if kind == "l2":
            term = "(linear.weight**2).sum() for linear in linears) / 2"
            formula = "λ/2 Σ w²"
        else:
            term = "linear.weight.abs().sum() for linear in linears)"
            formula = "λ Σ |w|"
        reg_lines = (
            "        # Regularisation on the weights (not the biases): "
            f"L + {formula}, λ = {rate!r}.\n"
            f"        L = L + {rate!r} * sum({term}\n"
        )
    start, end = config.start_epoch, config.start_epoch + config.epochs
    first_step = min(config.start_step, -(-n // batch_size) - 1)
    inputs_comment = (
        f"The training set ({n} points), as the server drew and split it: "
        "each row is a⁰ (the features)."
    )
    per_n = " / n" if reduce == "mean" else ""
    stop = ""
    if config.target_loss is not None:
        stop = (
            f"        if loss <= {config.target_loss!r}:  # target_loss reached: the run stops\n"
            "            break\n"
        )
    body = f"""
{_rows("INPUTS", data.train.inputs, inputs_comment)}
{_rows("TARGETS", data.train.targets, "Each point's target t.")}
x_train, t_train = torch.tensor(INPUTS), torch.tensor(TARGETS)

# The mini-batches: each epoch's order of the training points, as the server shuffled them
# (numpy's generator, seeded with (seed, epoch): torch's draws other numbers, so the orders
# are written out). Each mini-batch is the next {batch_size} points of its epoch's order.
{_rows("BATCH_ORDERS", batch_orders(data, config), f"Epochs {start} to {end - 1}.")}
BATCH_SIZE = {batch_size}
START_EPOCH, END_EPOCH = {start}, {end}
FIRST_STEP = {first_step}  # mini-batches of epoch START_EPOCH already taken before this run
REPORT_EVERY = {config.report_every}

# The optimizer moves θ after each mini-batch: {rule}.
optimizer = {optimizer}


def report(epoch):
    \"\"\"train_loss: the mean lⁿ over the whole training set (without regularisation).\"\"\"
    with torch.no_grad():
        loss = losses(x_train, t_train).mean().item()
    print(json.dumps({{"epoch": epoch, "train_loss": loss}}))
    return loss


loss = report(START_EPOCH)  # θ⁰
for epoch in range(START_EPOCH, END_EPOCH):
    order = BATCH_ORDERS[epoch - START_EPOCH]
    first = FIRST_STEP * BATCH_SIZE if epoch == START_EPOCH else 0
    for start in range(first, len(order), BATCH_SIZE):
        batch = order[start : start + BATCH_SIZE]
        optimizer.zero_grad()  # .grad holds ∂L/∂w of this mini-batch only
        L = losses(x_train[batch], t_train[batch]).{reduce}()  # {reduce_formula}
{reg_lines}        L.backward()  # ∂L/∂w = Σₙ aⁿ × ∂lⁿ/∂z{per_n}, into each .grad
        optimizer.step()
    if (epoch + 1 - START_EPOCH) % REPORT_EVERY == 0 or epoch + 1 == END_EPOCH:
        loss = report(epoch + 1)
{stop}"""
    title = f"Training a {list(network.layers)} network by gradient descent, in PyTorch."
    output = (
        'It prints one JSON line per reported epoch, {"epoch", "train_loss"}, as the epoch '
        "events of POST /api/v1/train/stream report them."
    )
    return _header(title, output, network) + "\n" + _model(network) + "\n\n" + body
