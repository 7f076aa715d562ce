// 繁體中文（台灣）: every key of the `en` table in strings.js, with the same type and, for
// templates, the same arguments (tests/js/i18n.test.mjs checks both). Terms are the ones
// Taiwanese courses use (GLOSSARY-zh-TW.md); the lecture's notation (z, a, σ'(z), ∂l/∂z,
// ∂l/∂w, η, θ) stays as it is. The English term follows in parentheses where the glossary
// says so, once, in the hint and the buttons' tooltips.

import { aName, biasName, inputName, targetName, weightName, zName } from "../names.js";

// "輸入 x₁", "第 2 層神經元 1": a neuron inside a longer phrase (0 = the input layer).
const neuronName = (l, j) => (l === 0 ? `輸入 ${inputName(j)}` : `第 ${l} 層神經元 ${j + 1}`);
// A weight's l is the layer it leaves (its index in network.weights): it is w^{l+1}_{ji}.
const editWeight = (l, i, j) => `${weightName(l + 1, j, i)}：從${neuronName(l, i)}到${neuronName(l + 1, j)}`;

// The server's names, as the page shows them (the API keeps its own).
const DATASETS = {
  circle: "圓形",
  xor: "XOR",
  gauss: "高斯",
  spiral: "螺旋",
  moons: "雙月形",
  three_class: "三類別",
  plane: "平面",
  multi_gauss: "多重高斯",
};
// Keyed by the server's English text: when the server says something new, the page shows
// it (in English) until it is translated here, rather than an old translation.
const PRESETS = {
  "The classic 2-2-2 worked example": "經典的 2-2-2 計算範例",
  "Two inputs, two sigmoid hidden neurons, two sigmoid outputs, squared error ½Σ(a−t)², η = 0.5: the step-by-step example every backprop tutorial repeats (loss 0.298371109, ∂l/∂w₅ = 0.082167041).":
    "兩個輸入、兩個 sigmoid 隱藏神經元、兩個 sigmoid 輸出，平方誤差 ½Σ(a−t)²，η = 0.5：每篇反向傳播教學都會重算的逐步範例（損失 0.298371109，∂l/∂w₅ = 0.082167041）。",
  "The lecture's 2-input network": "講義中的兩個輸入網路",
  "Input (1, −1); the first layer's weights (1, −2) and (−1, 1) with biases 1 and 0 give z = 4 and −2, and sigmoid turns them into 0.98 and 0.12. Two more sigmoid layers follow, as in the course's worked network (outputs 0.62 and 0.83).":
    "輸入 (1, −1)；第一層的權重 (1, −2) 與 (−1, 1)、偏差值 1 與 0，得到 z = 4 與 −2，sigmoid 把它們變成 0.98 與 0.12。接著還有兩層 sigmoid，和課程中計算的網路一樣（輸出 0.62 與 0.83）。",
  "XOR, one sample": "XOR，一個樣本",
  "A 2-3-1 tanh network with a sigmoid output and binary cross-entropy, shown the XOR sample (1, 0) → 1. No single neuron can draw XOR's boundary; a hidden layer can.":
    "一個 2-3-1 的 tanh 網路，輸出為 sigmoid，損失為二元交叉熵，輸入 XOR 的樣本 (1, 0) → 1。單一神經元畫不出 XOR 的邊界；加一個隱藏層就可以。",
  "A softmax classifier": "softmax 分類器",
  "Two inputs, four relu hidden neurons, three softmax outputs with cross-entropy −Σ t ln softmax(z), target class 2 of 3. At the output ∂l/∂z = a − t.":
    "兩個輸入、四個 relu 隱藏神經元、三個 softmax 輸出，損失為交叉熵 −Σ t ln softmax(z)，目標是三類中的第 2 類。在輸出層 ∂l/∂z = a − t。",
  "Deep and narrow: 2-8×6-1": "又深又窄：2-8×6-1",
  "Six hidden tanh layers of 8 (Xavier init, seed 7, rounded to 2 digits) and a sigmoid output: watch ∂l/∂z shrink as it travels back through the amplifiers.":
    "六個各 8 個神經元的 tanh 隱藏層（Xavier 初始化，種子 7，取到小數 2 位）和 sigmoid 輸出：看 ∂l/∂z 經過一個個放大器往回傳時如何變小。",
};
const SPLITS = { train: "訓練", test: "測試" };
const LOSSES = { squared_error: "平方誤差", mse: "均方誤差（MSE）", binary_cross_entropy: "二元交叉熵", cross_entropy: "交叉熵" };
const ACTIVATIONS = { relu: "ReLU", leaky_relu: "leaky ReLU", linear: "線性" };
const INITS = { xavier: "Xavier", he: "He", uniform: "均勻分布", zeros: "全為零" };
const OPTIMIZERS = { sgd: "SGD", momentum: "動量（momentum）", adam: "Adam" };

export const zhTW = {
  appTitle: "backprop-viz",
  tagline: "一個神經元接一個神經元的反向傳播",
  hint: "按「單步」（或空白鍵）觀看反向傳播（backpropagation）的一步：前向傳遞（forward pass）、反向傳遞（backward pass），然後更新 θ¹ = θ⁰ − η∇L。",
  loading: "載入中…",

  // toolbar / editor
  preset: "範例",
  presetCustom: "（你的網路）",
  presetTitle: (name, title) => PRESETS[title] || title,
  presetDescription: (name, text) => PRESETS[text] || text,
  layers: "層數",
  addLayer: "加入一個隱藏層",
  removeLayer: "移除最後一個隱藏層",
  addNeuron: (l) => (l === 0 ? "加入一個輸入 x" : `在第 ${l} 層加入一個神經元`),
  removeNeuron: (l) => (l === 0 ? "移除最後一個輸入 x" : `從第 ${l} 層移除一個神經元`),
  loss: "損失函數",
  lossName: (name) => LOSSES[name] || name.replaceAll("_", " "),
  activationName: (name) => ACTIVATIONS[name] || name.replaceAll("_", " "),
  initName: (name) => INITS[name] || name,
  optimizerName: (name) => OPTIMIZERS[name] || name,
  learningRate: "η",
  learningRateTitle: "學習率 η，用於 θ¹ = θ⁰ − η∇L",
  init: "初始化",
  seed: "種子",
  reinit: "重新初始化",
  reinitTitle: "依所選的初始化方式與種子，產生新的權重與偏差值",
  freezeBiases: "固定偏差值",
  freezeBiasesTitle: "更新時讓偏差值（bias）保持不變，如同某些教科書的範例",
  inputLayer: "輸入",
  layerLabel: (l) => `第 ${l} 層`,
  neuronCount: (n) => `${n}`,
  neuronCountTitle: (n) => `${n} 個神經元（把畫面拉寬才能增減）`,
  activationTitle: (l) => `第 ${l} 層的激勵函數（activation function）σ`,
  adjustedActivation: (l, act) => `第 ${l} 層已改用 ${act}，以配合損失函數。`,
  adjustedLoss: (loss) => `損失函數已改為 ${loss}，以配合輸出層的激勵函數。`,

  editorLabel: "網路編輯器",
  playerLabel: "播放控制",

  // language (language.js)
  language: "語言",
  languageName: "繁體中文",

  // share, export, parameters
  share: "分享",
  shareTitle: "連到這個網路與這一步的連結，以及可放進課程網頁的 <iframe>",
  shareLink: "這個狀態的連結",
  shareIframe: "嵌入網頁（<iframe>）",
  frameTitle: (preset) => `backprop-viz：${preset || "一個網路"}`,
  copy: "複製",
  copied: "已複製。",
  copyByHand: "已選取：請按 Ctrl+C（⌘C）複製。",
  linkTooLong: (n, max) =>
    `這個網路太大，放不進連結（${n} 個字元；超過 ${max} 個字元的連結可能被伺服器或郵件截斷）。請改把計算紀錄匯出成 JSON，或用 API 載入。`,
  export: "匯出",
  exportTitle: "儲存圖（SVG、PNG）、伺服器的計算紀錄（JSON）或每個神經元的數值（CSV）",
  exportSvg: "圖（SVG）",
  exportPng: "圖（PNG）",
  exportJson: "計算紀錄（JSON）",
  exportCsv: "數值（CSV）",
  exportNoSvg: "這麼寬的網路是以矩陣畫在畫布上：請存成圖片（PNG）。",
  exported: "已儲存。",
  exportBlocked: "這個框架不允許下載檔案：請單獨開啟此頁（點標題的連結）。",
  openFull: "在 backprop-viz 中開啟（新分頁）",
  paramNote: (name, raw, why) => `已忽略 ${name}=${JSON.stringify(raw).slice(0, 60)}：${why}；改用預設值。`,
  stateNote: (why) => `無法開啟連結中的狀態（${why}）；改為顯示一個範例。`,
  stateWhy: {
    empty: "狀態是空的",
    base64url: "狀態不是 base64url 編碼",
    deflate: "狀態無法解壓縮",
    encoding: "不認得狀態的編碼",
    json: "狀態不是 JSON",
    request: "狀態裡沒有請求",
  },
  noSuchPreset: "沒有這個範例",
  paramNotPreset: "不是範例的名稱",
  paramVersion: "這個頁面只讀第 1 版的連結",
  paramEmpty: "是空的",
  paramUnknown: (names) => `不認得 ${names}`,
  paramNotFlag: "不是 1 或 0",
  paramRange: (lo, hi) => `不是 ${lo} 到 ${hi} 之間的數字`,
  paramNotOneOf: (list) => `不是 ${list} 其中之一`,

  // click-to-edit
  editWeight: (l, i, j) => editWeight(l, i, j),
  editBias: (l, j) => `${biasName(l, j)}：第 ${l} 層神經元 ${j + 1} 的偏差值`,
  editInput: (i) => `輸入 ${inputName(i)}`,
  editTarget: (j) => `目標 ${targetName(j)}`,
  editRejected: (why, name, value) => `${why}。${name} 維持 ${value}。`,
  numberEmpty: "這裡需要一個數字",
  numberNotDecimal: (text) => `「${text}」不是十進位數字：請用 0–9 的數字書寫（16、0.5、1e-3）`,
  numberUnderflow: (text) => `${text} 以雙精度浮點數表示是 0（最小為 5e-324）：若要 0 請輸入 0`,
  numberOverflow: (text) => `${text} 超過雙精度浮點數的最大值（1.8e308）`,
  numberNotNumber: (text) => `「${text}」不是數字`,
  // 伺服器拒絕的請求，依 API 的錯誤類型（type）與參數（ctx）組成句子（messages.js）。
  problemAt: (name, text) => `${name}：${text}`,
  problemSeparator: "；",
  problemList: "、",
  problemOr: "或",
  problemPer: {
    input_neuron: "輸入神經元",
    output_neuron: "輸出神經元",
    layer: "層",
    point: "點",
    coordinate: "座標",
    parameter: "參數",
    previous_layer_neuron: "前一層的神經元",
    next_layer_neuron: "下一層的神經元",
    input_row: "輸入列",
  },
  problems: {
    not_a_number: (c, o) => "必須是數字",
    not_a_whole_number: (c, o) => "必須是整數",
    not_finite: (c, o) => "必須是有限的數字（不能是 NaN 或 Infinity）",
    abs_too_large: (c, o) => `絕對值最多只能是 ${c.limit}` + (c.given ? `，收到的是 ${c.given}` : ""),
    out_of_range: (c, o) =>
      (c.min !== undefined && c.max !== undefined
        ? c.min_exclusive
          ? `必須大於 ${c.min}，且最多 ${c.max}`
          : `必須是 ${c.zero_allowed ? "0，或 " : ""}${c.min} 到 ${c.max} 之間的${c.whole ? "整數" : "數字"}`
        : c.max !== undefined
          ? `最多只能是 ${c.max}`
          : `必須是 ${c.min} 以上的${c.whole ? "整數" : "數字"}`) + (c.given !== undefined ? `，收到的是 ${c.given}` : ""),
    not_an_object: (c, o) => "必須是 JSON 物件",
    not_a_list: (c, o) => (c.expected ? `必須是含 ${c.expected} 個值的清單` : "必須是清單"),
    wrong_length: (c, o) =>
      (c.expected !== undefined
        ? `需要 ${c.expected} 個`
        : c.min !== undefined
          ? `需要 ${c.min} 到 ${c.max} 個`
          : `最多只能有 ${c.max} 個`) +
      (c.per ? `（每個${c.per}一個）` : "") +
      (c.got !== undefined ? `，收到的是 ${c.got} 個` : ""),
    wrong_shape: (c, o) => `形狀必須是 ${c.expected}，收到的是 ${c.got}`,
    unknown_choice: (c, o) => (c.given ? `沒有「${c.given}」這個選項；請從 ${c.choices} 中選一個` : `請從 ${c.choices} 中選一個`),
    unknown_question: (c, o) => `這個練習沒有「${c.given}」這一題；題目有 ${c.choices}`,
    not_a_sign: (c, o) => "必須是 +、- 或 0" + (c.given ? `，收到的是「${c.given}」` : ""),
    not_an_option: (c, o) => `必須是選項 ${c.choicesOr} 之一` + (c.given ? `，收到的是「${c.given}」` : ""),
    output_layer_only: (c, o) => `${c.activation} 只能用在輸出層`,
    loss_needs_output: (c, o) => `${c.loss} 需要 ${c.choicesOr} 的輸出層，不能是 ${c.given}`,
    target_outside_unit_interval: (c, o) => `${c.loss} 的目標值必須在 [0, 1] 之間，收到的是 ${c.given}`,
    regression_loss: (c, o) => `迴歸資料集的值在 [−1, 1] 之間，超出 ${c.loss} 能接受的 [0, 1]：請改用 ${c.choicesOr}`,
    regression_outputs: (c, o) => `迴歸資料集每個點只有一個值：輸出層需要 1 個神經元，不是 ${c.got} 個`,
    class_outputs: (c, o) => `這個資料集有 ${c.classes} 個類別：輸出層需要 ${c.expected} 個神經元，不是 ${c.got} 個`,
    input_neurons: (c, o) =>
      c.features ? `必須是 ${c.expected}：每個特徵（${c.features}）一個輸入神經元` : `必須是 ${c.expected}：x 的每一欄一個輸入神經元`,
    features_need_2d: (c, o) => `特徵需要二維的點；x 有 ${c.columns} 欄`,
    duplicate: (c, o) => "同一個特徵列了兩次",
    no_training_points: (c, o) => `在 ${c.points} 個點中沒有留下任何訓練資料`,
    dataset_both: (c, o) => "資料集的名稱和自己的點只能擇一，不能兩者都給",
    dataset_neither: (c, o) => "需要資料集的名稱，或自己的點",
    optimizer_mismatch: (c, o) => `是 ${c.given} 的狀態，但最佳化器是 ${c.expected}`,
    adam_state: (c, o) => "Adam 需要 m 和 v 兩者，或兩者都不給",
    too_many_epoch_samples: (c, o) => `訓練週期數 × 訓練資料點數 = ${c.epochs} × ${c.points} = ${c.total}；上限是 ${c.limit}`,
    too_many_report_values: (c, o) =>
      `${c.reports} 張 ${c.grid} × ${c.grid} 網格的快照共 ${c.total} 個值；上限是 ${c.limit}：請減少回報次數，或用較小的網格`,
    too_many_gradients: (c, o) => `${c.examples} 個樣本 × ${c.parameters} 個參數 = ${c.total} 個梯度；上限是 ${c.limit}`,
    too_many_parameters: (c, o) => `梯度檢查每個參數要做兩次前向傳遞；這個網路有 ${c.parameters} 個參數，上限是 ${c.limit}`,
    too_many_answers: (c, o) => `最多只能有 ${c.limit} 個答案，收到的是 ${c.got} 個`,
    non_finite: (c, o) => "數值溢位了。請用較小的權重、輸入或學習率，或會飽和的激勵函數（sigmoid、tanh）。",
    too_large: (c, o) => `請求超過 ${c.limit} 位元組，超出伺服器能讀取的上限`,
    not_found: (c, o) => (c.given ? `沒有名為「${c.given}」的項目` + (c.choices ? `；可用的有 ${c.choices}` : "") : "伺服器上沒有這個位址"),
    method_not_allowed: (c, o) => "伺服器的這個位址不接受這種請求",
    format_not_offered: (c, o) => `不提供「${c.given}」格式；請用 ${c.choices}`,
    http_error: (c, o) => `伺服器回應狀態碼 ${c.status}`,
    disconnected: (c, o) => "請求送達前連線就關閉了",
    cors_origin: (c, o) => "這個網頁所在的網站不能呼叫伺服器",
    too_many_streams: (c, o) => `伺服器正在執行 ${c.limit} 個串流，已達同時執行的上限；請 ${c.retry_after} 秒後再試`,
    internal_error: (c, o) => "伺服器處理這個請求時發生錯誤",
    json_invalid: (c, o) => "請求不是有效的 JSON",
    missing: (c, o) => (o.named ? "缺少這個欄位" : "請求是空的"),
    extra_forbidden: (c, o) => "不是這個請求的欄位",
    model_type: (c, o) => "必須是 JSON 物件",
    dict_type: (c, o) => "必須是 JSON 物件",
    list_type: (c, o) => "必須是清單",
    int_type: (c, o) => "必須是整數",
    float_type: (c, o) => "必須是數字",
    finite_number: (c, o) => "必須是有限的數字（不能是 NaN 或 Infinity）",
    bool_type: (c, o) => "必須是 true 或 false",
    literal_error: (c, o) => `必須是 ${c.choices} 其中之一`,
    greater_than: (c, o) => `必須大於 ${c.gt}`,
    greater_than_equal: (c, o) => `必須大於或等於 ${c.ge}`,
    less_than_equal: (c, o) => `必須小於或等於 ${c.le}`,
    invalid: (c, o) => "是無效的值",
  },
  editHelp: "Enter 套用 · Esc 取消",
  explain: "說明",
  checking: "檢查中…",

  // drawing
  inputName: (i) => inputName(i),
  featureName: (f) =>
    ({ x1: "x₁", x2: "x₂", "x1^2": "x₁²", "x2^2": "x₂²", x1x2: "x₁x₂", "sin(x1)": "sin x₁", "sin(x2)": "sin x₂" })[f] || f,
  targetName: (j) => targetName(j),
  lossBox: "l",
  lossAfterTitle: (loss) => `更新之後，在 θ¹：${loss}`,
  legendNegative: "w < 0",
  legendPositive: "w > 0",
  legendWidth: "寬度 ∝ |w|",
  legendDash: "虛線：w < 0",
  legendLabels: "連線上的數字：w（反向傳遞時也是：它們把 ∂l/∂z 傳回去）· 梯度步驟時為 ∂l/∂w · 更新後為 θ⁰→θ¹（w 的上標是它的層）",
  skipDrawing: "略過圖：跳到播放列",
  networkLabel: "網路：點選權重、偏差值、輸入或目標即可編輯",
  valuesLabel: (name, values) => (values.length ? `${name}：${values.join("，")}` : name),
  neuronTitle: (l, j) => (l === 0 ? `輸入 ${inputName(j)}` : `第 ${l} 層，神經元 ${j + 1}`),
  linkTitle: (l, i, j) => editWeight(l, i, j),
  matrixRole: "矩陣檢視",
  matrixLegend: "矩陣：橫列 = 接收的神經元，直行 = 來源神經元 · ∂l/∂w 與 ∂l/∂z 依各層自己的刻度著色 · 滑過、點一下或用方向鍵查看數值",
  matrixLabel: "以矩陣顯示網路：每一層的神經元是一列格子，權重是一張熱度圖（橫列：接收的神經元；直行：來源神經元）。方向鍵在格子間移動，Enter 選取。",

  // playback
  play: "播放",
  pause: "暫停",
  reset: "回到開頭",
  prev: "上一個事件",
  next: "下一個事件",
  forward: "前向傳遞",
  backward: "反向傳遞",
  step: "單步",
  forwardTitle: "播放前向傳遞（forward pass）：每個神經元的 z 與 a，然後是損失",
  backwardTitle: "播放反向傳遞（backward pass）：從輸出往回的 ∂l/∂z，以及 ∂l/∂w",
  stepTitle: "完整的一步：前向傳遞、反向傳遞，再更新 θ¹ = θ⁰ − η∇L",
  speed: "速度",
  stepsCount: (n) => `第 ${n} 步`,
  stepsLosses: (losses) => ` · l ${losses}`,
  stepsTitle: (n, losses) => `從這個網路已走了 ${n} 步梯度下降；θ⁰、θ¹、… 的損失：${losses}`,
  scrub: "這一步的進度",
  phaseNames: { forward: "前向傳遞", loss: "損失", backward: "反向傳遞", update: "更新", done: "完成" },
  phaseJump: (name) => `跳到「${name}」階段`,
  shortcutsShort: "⌨ 按鍵",
  shortcuts: "鍵盤：空白鍵 播放/暫停 · ←/→ 一個事件 · Shift+←/→ 一個階段 · Home/End 開頭/結尾 · +/− 速度 · e 公式 · Esc 關閉",

  // panel
  equations: "公式",
  gradcheck: "梯度檢查",
  gradcheckTitle: "用中央差分（數值微分）驗證反向傳遞的結果（POST /api/v1/gradcheck）",
  fullPrecision: "全部位數",
  fullPrecisionTitle: "顯示伺服器傳來的每一位數（float64），而不是 4 位有效數字",
  closePanel: "關閉面板",
  selectSomething: "點選一個神經元或一條連線，查看它代入實際數值的連鎖律。",
  katexLoading: "正在載入排版程式…",
  notYet: (what) => `${what}：還沒進行到這裡。`,
  gradcheckRunning: "正在檢查梯度…",
  gradcheckOk: "解析梯度與數值梯度一致。",
  gradcheckBad: "解析梯度與數值梯度不一致！",
  gradcheckSummary: (abs, rel) => `最大 |解析 − 數值| = ${abs}，最大相對差 = ${rel}`,
  gradcheckHeaders: ["參數", "解析 ∂l/∂θ", "數值微分", "|差|"],
  eqLink: (l, i, j) => `權重 ${editWeight(l, i, j)}`,
  eqNeuron: (l, j, act) => `第 ${l} 層，神經元 ${j + 1}：${zName(l, j)}，${aName(l, j)} = ${act}(${zName(l, j)})`,
  eqInput: (i) => `輸入 ${inputName(i)}（第 0 層）`,
  eqLoss: (name) => `損失函數（${name}）`,
  eqForward: "前向傳遞",
  eqBackward: "反向傳遞",
  eqCase1: "情況一：輸出層，直接由損失函數計算",
  eqCase2: "情況二：由後一層遞迴計算，直到輸出層",
  eqGradient: "梯度",
  eqUpdate: "更新",
  eqLossAfter: "更新 θ¹ = θ⁰ − η∇L 之後",
  eqBias: (b, name = "b") => `偏差值 ${name} = ${b}：梯度與更新`,
  eqSoftmax: "softmax 沒有逐個神經元的 σ′(z)：它的雅可比矩陣 J 不是對角矩陣",
  eqClosedForm:
    "二元交叉熵配 sigmoid 時，σ′(z) ∂l/∂a 化簡為 (a − t)/K，伺服器直接算這個式子：σ 飽和時（σ′(z) 捨入成 0，而 ∂l/∂a 被限制在最大浮點數附近）仍然精確",

  // captions (numbers arrive formatted)
  captionForward: (l, j, z, a, act) =>
    `前向傳遞 · 第 ${l} 層，神經元 ${j + 1}：${zName(l, j)} = Σ w·a + b = ${z}，${aName(l, j)} = ${act}(${zName(l, j)}) = ${a}。沿每個輸入權重流進來的 a，就是該權重的 ∂z/∂w。`,
  captionLoss: (loss) => `損失 l = ${loss}。反向傳遞從這裡開始：從輸出層的 ∂l/∂a 出發。`,
  captionBackward1: (l, j, amp, dlda, dldz) =>
    `反向傳遞 · 第 ${l} 層（輸出層），神經元 ${j + 1}（情況一）：∂l/∂z = σ'(z) × ∂l/∂a = ${amp} × ${dlda} = ${dldz}，直接由損失函數而來。`,
  captionBackward1Closed: (l, j, a, t, K, dldz) =>
    `反向傳遞 · 第 ${l} 層（輸出層），神經元 ${j + 1}（情況一）：∂l/∂z = σ'(z) × ∂l/∂a = (a − t)/K = (${a} − ${t})/${K} = ${dldz}，直接由損失函數而來（二元交叉熵配 sigmoid）。`,
  captionBackward1Softmax: (l, j, dldz) =>
    `反向傳遞 · 第 ${l} 層（輸出層），神經元 ${j + 1}（情況一）：經過 softmax 的雅可比矩陣，∂l/∂z = ${dldz}，直接由損失函數而來。`,
  captionBackward2: (l, j, amp, sum, dldz, terms) =>
    `反向傳遞 · 第 ${l} 層，神經元 ${j + 1}（情況二）：第 ${l + 1} 層的 ∂l/∂z 沿著同樣的權重 w（連線上的數字）流回來，Σ w·∂l/∂z′ = ${terms ? `${terms} = ` : ""}${sum}，再乘上放大器 σ'(z) = ${amp}：∂l/∂z = ${dldz}。`,
  captionGradient: (l, j, dldz, terms) =>
    `流入第 ${l} 層神經元 ${j + 1} 的梯度：每個輸入權重的 ∂l/∂w = a × ∂l/∂z（a 來自前向傳遞${terms ? `：${terms}` : ""}），而 ∂l/∂b = ∂l/∂z = ${dldz}。`,
  captionUpdate: (l, j, eta, b0, b1) =>
    `更新 · 第 ${l} 層，神經元 ${j + 1}：θ¹ = θ⁰ − η∇L，η = ${eta}；每個輸入權重 w 都朝梯度的反方向移動，b ${b0} → ${b1}。`,
  captionUpdateFrozen: (l, j, eta) =>
    `更新 · 第 ${l} 層，神經元 ${j + 1}：θ¹ = θ⁰ − η∇L，η = ${eta}；偏差值保持固定。`,
  captionDone: (loss) => `完成：一步梯度下降。θ⁰ 的損失是 ${loss}。按「單步」或「播放」從 θ¹ 走下一步。`,
  captionDoneAfter: (before, after) =>
    `完成：一步梯度下降，l ${before} → ${after}（θ⁰ → θ¹）。按「單步」或「播放」走下一步，θ¹ → θ²。`,
  captionStreaming: "正在計算…",
  captionError: (msg) => `伺服器拒絕了：${msg}`,
  captionEdited: "已變更。按「單步」看新的網路學習。",
  captionMore: "展開",
  captionLess: "收合",

  // training view (training/view.js)
  training: "訓練 ▸",
  trainingTitle: "顯示訓練畫面：在網路旁邊，對整個資料集做梯度下降",
  trainingLabel: "訓練",
  train: "訓練",
  trainTitle: "從目前的權重開始，在資料集上訓練（伺服器逐次串流回報）",
  trainPause: "暫停",
  trainBatch: "1 個批次",
  trainBatchTitle: "一個小批次（mini-batch）的更新",
  trainEpoch: "1 個週期",
  trainEpochTitle: "一個訓練週期（epoch）：訓練資料的每個小批次各走一次",
  trainReset: "重設",
  trainResetTitle: "依初始化方式與種子產生新的權重；圖表重新開始",
  trainSpeed: "速度",
  trainSpeedTitle: "從每個訓練週期都顯示（左），到伺服器能跑多快就多快（右）",
  epoch: "訓練週期",
  lossTrain: "訓練損失",
  lossTest: "測試損失",
  accuracy: "準確率（訓練 / 測試）",
  showTest: "顯示測試點",
  discretize: "離散化",
  addPoint: "點擊新增",
  addPointTitle: "在平面上沒有點的地方點一下，就新增一個此類別的點（資料會變成你自己的）",
  addOff: "不新增",
  addClass: (k) => `類別 ${k}`,
  addNewClass: (k) => `新類別 ${k}`,
  outputRefit: ({ size, activation, loss, perClass, hidden }) =>
    `輸出層現在有 ${size} 個 ${activation} 神經元，搭配${loss}` +
    (perClass ? "，每個類別一個" : "") +
    (hidden === "kept" ? "；隱藏層保留了原本的權重。" : hidden === "fit" ? "；隱藏層保留了仍然適用的權重。" : "。"),
  logScale: "對數刻度",
  chartTitle: "每個訓練週期的訓練損失與測試損失",
  chartReadout: (epoch, train, test) => `訓練週期 ${epoch}：訓練 ${train}，測試 ${test}`,
  chartDiverged: "發散",
  thumbsTitle: "每個隱藏神經元自己在平面上的輸出 a（滑過可放大）",
  thumbTitle: (l, j) => `第 ${l} 層，神經元 ${j + 1}：它在平面上的 a`,
  planeLabel: "平面上的資料，依網路的輸出著色（決策邊界）",
  dataSection: "資料",
  dataset: "資料集",
  datasetName: (name) => DATASETS[name] || name.replaceAll("_", " "),
  datasetTitle: (name, kind) => `${name}（${kind === "regression" ? "迴歸" : kind === "classification" ? "分類" : kind}）`,
  userData: "你的資料",
  samples: "樣本數",
  noise: "雜訊",
  testRatio: "測試比例",
  dataSeed: "種子",
  features: "特徵",
  uploadCsv: "上傳 CSV",
  exportData: "匯出 CSV",
  saveTraining: "儲存",
  saveTrainingTitle: "把網路、權重、設定與資料存成 JSON 檔案",
  loadTraining: "載入",
  trainSection: "訓練",
  batchSize: "批次大小",
  optimizer: "最佳化器",
  regularization: "正規化",
  regularizationRate: "強度",
  regularizationNone: "無",
  maxEpochs: "訓練週期數",
  targetLoss: "損失降到即停",
  targetLossTitle: "訓練損失小於或等於這個值就停止（空白：不停止）",
  minibatchSection: "小批次（mini-batch）",
  minibatchHint: "用一個小批次看講義中的 L（lⁿ 的平均）：某條連線上每個樣本的 ∂lⁿ/∂w、它們的總和與平均，以及由此走出的一步（單純的梯度下降一步，沒有正規化）。「下一個批次」就是訓練的下一步要用的批次（伺服器打亂後的順序）；也可以自己在平面上挑點。在圖上點一條連線來選擇它。",
  batchNext: "下一個批次",
  batchNextTitle: "訓練下一步要用的小批次",
  batchIsNext: (epoch, plain, optimizer) =>
    `訓練的下一步（訓練週期 ${epoch}）用的正是這些點` +
    (plain ? "，走的也正是這一步。" : `；它用 ${OPTIMIZERS[optimizer] || optimizer} 更新，不是這個單純的一步。`),
  batchPick: "挑選點",
  batchPickTitle: "點選平面上的點，把它放進批次（或移出）",
  batchLink: "連線",
  batchEmpty: "取下一個批次，或在平面上挑選點。",
  batchHeaders: ["n", "x", "目標", "lⁿ", "∂lⁿ/∂w"],
  batchSum: "Σₙ ∂lⁿ/∂w",
  batchMean: (n) => `∂L/∂w = (1/${n}) Σₙ ∂lⁿ/∂w`,
  batchStep: (eta, g) => `一步 η·∂L/∂w = ${eta} × ${g}`,
  batchWeight: (w0, w1) => `w|θ⁰ = ${w0} → w|θ¹ = ${w1}`,
  batchLoss: (loss) => `L = ${loss}`,
  linkName: (l, i, j) => weightName(l, j, i), // l: the lecture's layer the weight feeds
  csvError: (msg) => `CSV：${msg}`,
  pointAt: ({ line, point, column, name }, msg) =>
    line ? `第 ${line} 行${column ? `第 ${column} 欄（${name}）` : ""}：${msg}` : `第 ${point} 個點${name ? `（${name}）` : ""}：${msg}`,
  csvEmpty: "檔案是空的；應該要有標題列 x1,x2,label，接著每個點一行。",
  csvHeader: (expected, found) => `標題列必須是 ${expected}（輸入欄位 x1…xk，最後是 label）；讀到的是「${found}」。`,
  csvNoPoints: "標題列之後沒有任何點。",
  csvTooMany: (n, max) => `共 ${n} 個點；最多只讀 ${max} 個。`,
  csvColumns: (n, columns, header) => `有 ${n} 個值，但標題列有 ${columns} 欄（${header}）。`,
  csvNotNumber: (cell) => `「${cell}」不是數字。`,
  csvTooManyClasses: (label, max) => `類別 ${label} 需要 ${label + 1} 個輸出神經元；每層最多 ${max} 個。`,
  saveNotJson: (why) => `不是 JSON（${why}）。`,
  saveNotTraining: (format) => `不是儲存的訓練檔案（應有 "format": "${format}"）。`,
  saveVersion: (version, want) => `版本 ${version}；這個頁面只讀版本 ${want}。`,
  saveIncomplete: "缺少網路、它的權重或偏差值。",
  loadError: (msg) => `無法載入：${msg}`,
  trainAtEnd: (epoch) => `已經到了訓練週期 ${epoch}，也就是要求的最後一個：請調高「訓練週期數」再繼續訓練。`,
  trainStopped: (reason) => `已停止：${reason}。`,
  trainProblem: (type, reason) => `${type === "diverged" ? "發散" : "停止"}於這個訓練週期：${reason}`,
  trainDiverged: (epoch, back) =>
    `在訓練週期 ${epoch} 發散了：η 太大，權重無止境地變大。θ 已回到訓練週期 ${back} 的值，也就是最後一個正常的值：請調低 η，再按「訓練」從那裡繼續。`,
  connectionLostRetrying: (epoch, from) => `與伺服器的連線在訓練週期 ${epoch} 中斷了。正在從訓練週期 ${from} 繼續…`,
  connectionLostTrain: (epoch, from) => `與伺服器的連線在訓練週期 ${epoch} 中斷了。請按「訓練」從訓練週期 ${from} 繼續。`,
  streamCodes: {
    loss_not_finite: (c) => "損失不再是有限的數字",
    parameter_not_finite: (c) => "有權重或偏差值不再是有限的數字",
    parameter_too_large: (c) => "有權重或偏差值超過 API 接受的最大值",
    time_limit: (c) => `這次訓練超過 ${c.limit} 秒，也就是單一串流的時間上限`,
    shutdown: (c) => "伺服器正在關閉",
  },
  pointOpened: (split, k) => `已用目前的權重開啟${SPLITS[split] || split}資料的第 ${k + 1} 個點。`,
  notPlane: "這些點的輸入超過兩個：沒有平面可以畫。",
  streamBroke: "串流中斷了",
  streamWorkerFailed: "讀取串流的背景程式失敗了",
  connectionFailed: "無法連線到伺服器。",
  connectionLost: "與伺服器的連線中斷了。",
  stepConnectionLost: "這一步進行到一半時，與伺服器的連線中斷了。請按「單步」再試一次。",
  serverBusy: "伺服器忙碌中（能同時執行的串流都已開啟），請稍後再試。",
  serverFailed: (status) => `伺服器發生錯誤（HTTP ${status}）。`,
};
