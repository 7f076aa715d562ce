"""Named example networks, each a ready trace request."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.network import initial_weights


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    request: dict[str, Any]  # the body of POST /api/v1/trace
    # The page's other language: (title, description) in Traditional Chinese. GET /presets
    # carries it, so that the page, the LTI picker and oEmbed titles read the one table.
    zh_tw: tuple[str, str]

    def title_in(self, lang: str) -> str:
        """The title in the page's language ("en" or "zh-TW")."""
        return self.zh_tw[0] if lang == "zh-TW" else self.title

    def description_in(self, lang: str) -> str:
        return self.zh_tw[1] if lang == "zh-TW" else self.description

    def summary(self) -> dict[str, Any]:
        net = self.request["network"]
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "translations": {"zh-TW": {"title": self.zh_tw[0], "description": self.zh_tw[1]}},
            "layers": net["layers"],
            "activations": net["activations"],
            "loss": net["loss"],
            "input": self.request["input"],
            "target": self.request["target"],
            "learning_rate": self.request["learning_rate"],
        }

    def trace_request(self) -> dict[str, Any]:
        return copy.deepcopy(self.request)


def _request(
    layers: list[int],
    activations: list[str],
    loss: str,
    weights: list[Any] | None,
    biases: list[Any] | None,
    x: list[float],
    t: list[float],
    eta: float,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "network": {
            "layers": layers,
            "activations": activations,
            "loss": loss,
            "weights": weights,
            "biases": biases,
        },
        "input": x,
        "target": t,
        "learning_rate": eta,
        "freeze_biases": False,
        **extra,
    }


def _rounded_init(layers: list[int], init: str, seed: int) -> list[Any]:
    return [np.round(w, 2).tolist() for w in initial_weights(layers, init, seed)]


_DEEP = [2, 8, 8, 8, 8, 8, 8, 1]

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "worked-example-2-2-2",
            "The classic 2-2-2 worked example",
            "Two inputs, two sigmoid hidden neurons, two sigmoid outputs, squared error "
            "½Σ(a−t)², η = 0.5: the step-by-step example every backprop tutorial repeats "
            "(loss 0.298371109, ∂l/∂w₅ = 0.082167041).",
            _request(
                [2, 2, 2],
                ["sigmoid", "sigmoid"],
                "squared_error",
                [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
                [[0.35, 0.35], [0.60, 0.60]],
                [0.05, 0.10],
                [0.01, 0.99],
                0.5,
            ),
            (
                "經典的 2-2-2 計算範例",
                "兩個輸入、兩個 sigmoid 隱藏神經元、兩個 sigmoid 輸出，平方誤差 "
                "½Σ(a−t)²，η = 0.5：每篇反向傳播教學都會重算的逐步範例（損失 "
                "0.298371109，∂l/∂w₅ = 0.082167041）。",
            ),
        ),
        Preset(
            "lecture-2-input",
            "The lecture's 2-input network",
            "Input (1, −1); the first layer's weights (1, −2) and (−1, 1) with biases 1 and 0 "
            "give z = 4 and −2, and sigmoid turns them into 0.98 and 0.12. Two more sigmoid "
            "layers follow, as in the course's worked network (outputs 0.62 and 0.83).",
            _request(
                [2, 2, 2, 2],
                ["sigmoid", "sigmoid", "sigmoid"],
                "squared_error",
                [[[1, -2], [-1, 1]], [[2, -1], [-2, -1]], [[3, -1], [-1, 4]]],
                [[1, 0], [0, 0], [-2, 2]],
                [1, -1],
                [1, 0],
                0.5,
            ),
            (
                "講義中的兩個輸入網路",
                "輸入 (1, −1)；第一層的權重 (1, −2) 與 (−1, 1)、偏差值 "
                "1 與 0，得到 z = 4 與 −2，sigmoid 把它們變成 0.98 "
                "與 0.12。接著還有兩層 sigmoid，和課程中計算的網路一樣（輸出 0.62 "
                "與 0.83）。",
            ),
        ),
        Preset(
            "xor",
            "XOR, one sample",
            "A 2-3-1 tanh network with a sigmoid output and binary cross-entropy, shown the "
            "XOR sample (1, 0) → 1. No single neuron can draw XOR's boundary; a hidden layer can.",
            _request(
                [2, 3, 1],
                ["tanh", "sigmoid"],
                "binary_cross_entropy",
                [[[0.8, -0.6], [-0.7, 0.9], [0.5, 0.4]], [[1.1, 0.9, -0.8]]],
                [[0.1, -0.1, 0.0], [0.2]],
                [1, 0],
                [1],
                0.5,
            ),
            (
                "XOR，一個樣本",
                "一個 2-3-1 的 tanh 網路，輸出為 sigmoid，損失為二元交叉熵，"
                "輸入 XOR 的樣本 (1, 0) → 1。單一神經元畫不出 XOR 的邊界；"
                "加一個隱藏層就可以。",
            ),
        ),
        Preset(
            "softmax-classifier",
            "A softmax classifier",
            "Two inputs, four relu hidden neurons, three softmax outputs with cross-entropy "
            "−Σ t ln softmax(z), target class 2 of 3. At the output ∂l/∂z = a − t.",
            _request(
                [2, 4, 3],
                ["relu", "softmax"],
                "cross_entropy",
                [
                    [[0.5, -0.4], [0.3, 0.8], [-0.6, 0.2], [0.7, 0.1]],
                    [[0.2, -0.5, 0.4, 0.3], [-0.3, 0.6, 0.1, -0.2], [0.4, 0.1, -0.7, 0.5]],
                ],
                [[0.1, 0.0, 0.1, 0.0], [0.0, 0.1, -0.1]],
                [0.5, -1.2],
                [0, 1, 0],
                0.1,
            ),
            (
                "softmax 分類器",
                "兩個輸入、四個 relu 隱藏神經元、三個 softmax 輸出，損失為交叉熵 "
                "−Σ t ln softmax(z)，目標是三類中的第 2 類。在輸出層 ∂l/∂z "
                "= a − t。",
            ),
        ),
        Preset(
            "deep-2-8x6-1",
            "Deep and narrow: 2-8×6-1",
            "Six hidden tanh layers of 8 (Xavier init, seed 7, rounded to 2 digits) and a "
            "sigmoid output: watch ∂l/∂z shrink as it travels back through the amplifiers.",
            _request(
                _DEEP,
                ["tanh"] * 6 + ["sigmoid"],
                "squared_error",
                _rounded_init(_DEEP, "xavier", 7),
                [[0.0] * n for n in _DEEP[1:]],
                [0.6, -0.4],
                [1],
                0.1,
            ),
            (
                "又深又窄：2-8×6-1",
                "六個各 8 個神經元的 tanh 隱藏層（Xavier 初始化，種子 7，取到小數 "
                "2 位）和 sigmoid 輸出：看 ∂l/∂z 經過一個個放大器往回傳時如何變小。",
            ),
        ),
    )
}
