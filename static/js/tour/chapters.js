// The tour's chapters (issue 15, item 5): the lecture (Hung-yi Lee, "Backpropagation") in
// its own order, as data. Each chapter has its text in both languages, the lecture's
// formulas, the network it shows (a preset), what to watch (where the player opens and how
// far the chapter's Play goes), the item the equation panel explains, and one prediction
// (the predict mode's question: a target of the step, player/predict.js). The page
// (tour/app.js) reads this table and nothing else about the chapters; docs/page.md, "Tour".
//
//   id       the chapter's link: /tour#backward
//   title    {en, zh-TW}
//   text     {en: [paragraph, …], zh-TW: […]}
//   lines    the lecture's formulas, in its notation (plain text: the page reads them as text)
//   preset   the network (GET /presets/{name})
//   open     where the player opens: null (before the step), or a stop of the step
//            ("forward": the forward pass shown, "backward": the backward pass shown too)
//   play     how far the chapter's Play goes: "forward", "backward" or "step" (the update too)
//   pick     the item the equation panel explains (drawing/picks.js), or null
//   predict  {target, name?: {en, zh-TW}}: the value the player stops before and asks for
//   show     what the chapter draws beside its text: "gradient" (∇L's column), "cost"
//   watch    {en, zh-TW}: what to watch, in a sentence

export const TOUR_PRESET = "worked-example-2-2-2";

export const CHAPTERS = [
  {
    id: "gradient-descent",
    title: { en: "Gradient descent", "zh-TW": "梯度下降" },
    text: {
      en: [
        "The network's parameters are all its weights and biases: θ = {w₁, w₂, …, b₁, b₂, …}. Gradient descent starts from θ⁰ and moves them, step after step: θ⁰ → θ¹ → θ² → …",
        "Each step needs ∇L(θ), the column of every ∂L/∂w and ∂L/∂b. Below is this network's, all 12 of them, filled in from the server's trace as the step runs (one example, so L is its loss l). Then θ¹ = θ⁰ − η∇L(θ⁰), and from θ¹ the next step computes ∇L(θ¹) and gives θ².",
        "A real network has millions of parameters. To compute the gradients efficiently, we use backpropagation.",
      ],
      "zh-TW": [
        "網路的參數就是所有的權重和偏差值（bias）：θ = {w₁, w₂, …, b₁, b₂, …}。梯度下降從 θ⁰ 出發，一步一步更新它們：θ⁰ → θ¹ → θ² → …",
        "每一步都要算 ∇L(θ)，也就是每一個 ∂L/∂w 和 ∂L/∂b 由上而下排成的一直行。下面是這個網路的 12 個偏微分，隨著這一步的進行，從伺服器送來的計算結果一個一個填進來（只有一筆樣本，所以 L 就是它的損失 l）。接著 θ¹ = θ⁰ − η∇L(θ⁰)；再從 θ¹ 算 ∇L(θ¹)，得到 θ²。",
        "真正的網路有上百萬個參數。為了有效率地計算梯度，我們用反向傳播（backpropagation）。",
      ],
    },
    lines: ["θ¹ = θ⁰ − η∇L(θ⁰)", "θ² = θ¹ − η∇L(θ¹)"],
    preset: TOUR_PRESET,
    open: null,
    play: "step",
    pick: null,
    predict: { target: { quantity: "w_next", layer: 1, neuron: 1, from: 1 } },
    show: "gradient",
    watch: {
      en: "Play the whole step: the column fills in during the backward pass, then the update moves every parameter against its gradient. Play again for θ¹ → θ².",
      "zh-TW": "播放整個一步：反向傳遞時這一直行會填滿，接著更新讓每個參數往梯度的反方向移動。再按一次播放，就是 θ¹ → θ²。",
    },
  },
  {
    id: "why-backprop",
    title: { en: "Why backpropagation", "zh-TW": "為什麼要反向傳播" },
    text: {
      en: [
        "∇L could be computed one parameter at a time: nudge w by a small ε each way, run the forward pass again, and see how far L moves: ∂L/∂w ≈ (L(w + ε) − L(w − ε)) / 2ε. That is two forward passes per parameter: 2P forward passes for P parameters.",
        "Backpropagation gets every ∂L/∂w and ∂L/∂b from one forward pass and one backward pass, however many parameters there are. The server counts and times both ways, for this network and for networks up to the largest it takes.",
      ],
      "zh-TW": [
        "∇L 也可以一個參數一個參數地算：把 w 往兩邊各推一個很小的 ε，重新做前向傳遞（forward pass），看 L 變了多少：∂L/∂w ≈ (L(w + ε) − L(w − ε)) / 2ε。每個參數要兩次前向傳遞：P 個參數就要 2P 次。",
        "反向傳播只要一次前向傳遞加一次反向傳遞（backward pass），就得到所有的 ∂L/∂w 和 ∂L/∂b，不管參數有多少。伺服器把兩種方法都數過、計時過，包括這個網路，以及大到它接受的最大網路。",
      ],
    },
    lines: ["∂L/∂w ≈ [L(w + ε) − L(w − ε)] / 2ε"],
    preset: TOUR_PRESET,
    open: null,
    play: "forward",
    pick: null,
    predict: { target: { quantity: "loss" } },
    show: "cost",
    watch: {
      en: "Play the forward pass, up to the loss l: finite differences must run all of it twice for every parameter; backpropagation runs it once, then one backward pass.",
      "zh-TW": "播放前向傳遞，一直算到損失 l：有限差分對每一個參數都要把它完整做兩次；反向傳播只做一次，再加一次反向傳遞。",
    },
  },
  {
    id: "chain-rule",
    title: { en: "The chain rule", "zh-TW": "連鎖律" },
    text: {
      en: [
        "Take one weight w. It reaches the loss only through z = w₁x₁ + w₂x₂ + b, the input of its neuron's activation function (a = σ(z) is the output). So, by the chain rule, ∂l/∂w = ∂z/∂w · ∂l/∂z.",
        "That splits the work in two: ∂z/∂w for all parameters, the forward pass, and ∂l/∂z for all activation function inputs z, the backward pass. The equation panel (Equations) shows it for w²₁₁ with this step's numbers.",
      ],
      "zh-TW": [
        "看一個權重 w。它只透過 z = w₁x₁ + w₂x₂ + b 影響損失；z 是神經元激勵函數（activation function）的輸入，a = σ(z) 是它的輸出。所以由連鎖律，∂l/∂w = ∂z/∂w · ∂l/∂z。",
        "工作因此分成兩半：對所有參數算 ∂z/∂w，是前向傳遞（forward pass）；對所有激勵函數的輸入 z 算 ∂l/∂z，是反向傳遞（backward pass）。「公式」面板用這一步的數字，寫出 w²₁₁ 的連鎖律。",
      ],
    },
    lines: ["∂l/∂w = ∂z/∂w · ∂l/∂z"],
    preset: TOUR_PRESET,
    open: null,
    play: "backward",
    pick: { kind: "weight", layer: 2, from: 0, to: 0 },
    predict: { target: { quantity: "dl_dw", layer: 2, neuron: 1, from: 1 } },
    show: null,
    watch: {
      en: "Play the forward and the backward pass: a¹₁ (that is ∂z²₁/∂w²₁₁) comes first, ∂l/∂z²₁ second, then their product ∂l/∂w²₁₁.",
      "zh-TW": "播放前向和反向傳遞：先出現 a¹₁（也就是 ∂z²₁/∂w²₁₁），再出現 ∂l/∂z²₁，然後是兩者的乘積 ∂l/∂w²₁₁。",
    },
  },
  {
    id: "forward",
    title: { en: "The forward pass", "zh-TW": "前向傳遞" },
    text: {
      en: [
        "Compute ∂z/∂w for all parameters. Since z = w₁x₁ + w₂x₂ + b, ∂z/∂w₁ = x₁ and ∂z/∂w₂ = x₂: it is simply the value on the input end of the weight.",
        "In the first layer that value is an input x; after it, it is the output a of the neuron the weight comes from. So the forward pass, which computes every a, has computed every ∂z/∂w.",
      ],
      "zh-TW": [
        "對所有參數計算 ∂z/∂w。因為 z = w₁x₁ + w₂x₂ + b，所以 ∂z/∂w₁ = x₁、∂z/∂w₂ = x₂：就是這個權重輸入端的那個值。",
        "第一層的輸入端是輸入 x；之後各層，則是權重來源那個神經元的輸出 a。所以前向傳遞算出每個 a 的時候，也就算出了每個 ∂z/∂w。",
      ],
    },
    lines: ["∂z/∂w₁ = x₁", "∂z/∂w = a"],
    preset: TOUR_PRESET,
    open: null,
    play: "forward",
    pick: { kind: "weight", layer: 2, from: 0, to: 0 },
    predict: {
      target: { quantity: "a", layer: 1, neuron: 1 },
      name: { en: "∂z²₁/∂w²₁₁ = a¹₁", "zh-TW": "∂z²₁/∂w²₁₁ = a¹₁" },
    },
    show: null,
    watch: {
      en: "Play the forward pass: each neuron gets z, then a = σ(z), left to right; each a is ∂z/∂w for every weight leaving that neuron.",
      "zh-TW": "播放前向傳遞：每個神經元由左到右先得到 z，再得到 a = σ(z)；每個 a，就是從這個神經元出發的每個權重的 ∂z/∂w。",
    },
  },
  {
    id: "backward",
    title: { en: "The backward pass", "zh-TW": "反向傳遞" },
    text: {
      en: [
        "Compute ∂l/∂z for all activation function inputs z. When a = σ(z) feeds z′ and z″ through the weights w₃ and w₄: ∂l/∂z = σ'(z) [w₃ ∂l/∂z′ + w₄ ∂l/∂z″].",
        "Case 1, the output layer: ∂l/∂z′ = ∂y₁/∂z′ · ∂l/∂y₁, straight from the loss.",
        "Case 2, not an output layer: compute recursively until the output layer is reached, that is, start from the output layer and go backwards, layer by layer. Read it as a second network running backwards: the next layer's ∂l/∂z are its inputs, the same weights carry them back, and each neuron is an amplifier that multiplies by σ'(z), a constant, since z is known from the forward pass. This is the lecture's network, with two hidden layers.",
      ],
      "zh-TW": [
        "對所有激勵函數的輸入 z 計算 ∂l/∂z。若 a = σ(z) 經過權重 w₃ 和 w₄ 接到 z′ 和 z″：∂l/∂z = σ'(z) [w₃ ∂l/∂z′ + w₄ ∂l/∂z″]。",
        "情況一，輸出層：∂l/∂z′ = ∂y₁/∂z′ · ∂l/∂y₁，直接由損失算出。",
        "情況二，不是輸出層：遞迴計算，直到輸出層；也就是從輸出層開始，一層一層往回算。可以把它看成一個反過來跑的網路：下一層的 ∂l/∂z 是它的輸入，同樣的權重把它們傳回來，每個神經元是一個放大器，乘上 σ'(z)；σ'(z) 是常數，因為 z 在前向傳遞時就知道了。這是課堂上的網路，有兩個隱藏層。",
      ],
    },
    lines: ["∂l/∂z = σ'(z) [w₃ ∂l/∂z′ + w₄ ∂l/∂z″]"],
    preset: "lecture-2-input",
    open: "forward",
    play: "backward",
    pick: { kind: "bias", layer: 2, node: 0 },
    predict: { target: { quantity: "dl_dz", layer: 2, neuron: 1 } },
    show: null,
    watch: {
      en: "The forward pass is done. Play the backward pass: case 1 at the output layer first, then case 2, layer by layer towards the input, each neuron an amplifier σ'(z).",
      "zh-TW": "前向傳遞已經做完。播放反向傳遞：先是輸出層的情況一，再一層一層往輸入走的情況二，每個神經元都是一個放大器 σ'(z)。",
    },
  },
  {
    id: "summary",
    title: { en: "Summary", "zh-TW": "總結" },
    text: {
      en: [
        "The forward pass gives a for every neuron: ∂z/∂w for every weight leaving it. The backward pass gives ∂l/∂z for every neuron. Multiply: ∂l/∂w = a × ∂l/∂z, for all w.",
        "That is the whole column ∇L, from one forward and one backward pass. Then the gradient-descent step θ¹ = θ⁰ − η∇L(θ⁰), and again from θ¹.",
      ],
      "zh-TW": [
        "前向傳遞得到每個神經元的 a，也就是從它出發的每個權重的 ∂z/∂w。反向傳遞得到每個神經元的 ∂l/∂z。相乘：∂l/∂w = a × ∂l/∂z，對所有的 w 都成立。",
        "這就是整個 ∇L，只靠一次前向傳遞和一次反向傳遞。接著做梯度下降的一步 θ¹ = θ⁰ − η∇L(θ⁰)，再從 θ¹ 開始。",
      ],
    },
    lines: ["∂l/∂w = ∂z/∂w · ∂l/∂z = a × ∂l/∂z"],
    preset: TOUR_PRESET,
    open: null,
    play: "step",
    pick: { kind: "weight", layer: 1, from: 0, to: 1 },
    predict: { target: { quantity: "dl_dw", layer: 1, neuron: 2, from: 1 } },
    show: "gradient",
    watch: {
      en: "Play the whole step: each ∂l/∂w appears when its neuron's ∂l/∂z is known, x₁ × ∂l/∂z¹₂ for w¹₂₁, and the column fills.",
      "zh-TW": "播放整個一步：每個神經元的 ∂l/∂z 一出來，它的 ∂l/∂w 就跟著出現，例如 w¹₂₁ 的 x₁ × ∂l/∂z¹₂，整個 ∇L 就這樣填滿。",
    },
  },
];

/** A chapter's words in a language (English where the table has none). */
export function inLanguage(text, code) {
  return text[code] ?? text.en;
}
