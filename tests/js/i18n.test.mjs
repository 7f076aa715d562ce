// The message catalogs (static/js/strings.js's `en`, static/js/i18n/zh-TW.js) and the
// language choice (static/js/language.js) in node: key parity, the same template arities,
// Traditional characters only, the glossary's terms, and lang= / browser detection.

import assert from "node:assert/strict";
import { test } from "node:test";

import { zhTW } from "../../static/js/text/i18n/zh-TW.js";
import { DEFAULT_LANGUAGE, detectLanguage, LANGUAGES, languageFor } from "../../static/js/text/language.js";
import { S, setLanguage, tables } from "../../static/js/text/strings.js";

const en = tables.en;

/** Every leaf of a catalog as [path, value]; arrays and plain objects are walked into. */
function* leaves(value, path = []) {
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) yield* leaves(v, [...path, k]);
  } else yield [path.join("."), value];
}

/** A catalog's shape: path → "string" | "function/2" | "object{keys}" | "array[n]". */
function shape(value, path = "", out = new Map()) {
  if (Array.isArray(value)) {
    out.set(path, `array[${value.length}]`);
    value.forEach((v, k) => shape(v, `${path}[${k}]`, out));
  } else if (value && typeof value === "object") {
    out.set(path, `object{${Object.keys(value).sort().join(",")}}`);
    for (const [k, v] of Object.entries(value)) shape(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, typeof value === "function" ? `function/${value.length}` : typeof value);
  }
  return out;
}

test("zh-TW has every key of en, no other, each of the same type and arity", () => {
  const want = shape(en);
  const got = shape(zhTW);
  const missing = [...want.keys()].filter((k) => !got.has(k));
  const extra = [...got.keys()].filter((k) => !want.has(k));
  assert.deepEqual(missing, [], `keys to translate into zh-TW: ${missing.join(", ")}`);
  assert.deepEqual(extra, [], `keys en does not have: ${extra.join(", ")}`);
  const differ = [...want].filter(([k, v]) => got.get(k) !== v).map(([k, v]) => `${k}: en ${v}, zh-TW ${got.get(k)}`);
  assert.deepEqual(differ, []);
});

test("the parity check itself sees a missing key, a wrong type and a wrong arity", () => {
  const broken = { ...zhTW, layerLabel: () => "層", hint: undefined };
  delete broken.tagline;
  const want = shape(en);
  const got = shape(broken);
  assert.ok(!got.has("tagline"));
  assert.notEqual(got.get("layerLabel"), want.get("layerLabel"));
  assert.notEqual(got.get("hint"), want.get("hint"));
});

// Arguments for every template: numbers where the English names a count or an index,
// short strings otherwise. Each template must give a non-empty string in both languages.
const SAMPLE_ARGS = [1, 2, 0, "0.5123", "0.2571", "0.1357"];
// A preset as GET /presets lists it (its translations: the server's).
const XOR_SUMMARY = {
  name: "xor",
  title: "XOR, one sample",
  description: "A 2-3-1 tanh network",
  translations: { "zh-TW": { title: "XOR，一個樣本", description: "一個 2-3-1 的 tanh 網路" } },
};
const ARGS = {
  valuesLabel: ["z¹₁", ["z = 0.3775", "a = 0.5933"]],
  batchIsNext: [3, false, "adam"],
  trainProblem: ["diverged", "loss is not finite"],
  pointOpened: ["train", 4],
  presetTitle: [XOR_SUMMARY],
  presetDescription: [XOR_SUMMARY],
  datasetName: ["three_class"],
  datasetTitle: ["circle", "classification"],
  featureName: ["x1^2"],
  lossName: ["binary_cross_entropy"],
  activationName: ["leaky_relu"],
  initName: ["uniform"],
  optimizerName: ["momentum"],
};
const argsFor = (fn, key) => ARGS[key] || SAMPLE_ARGS.slice(0, fn.length);

test("every template gives text in both languages, with the same numbers", () => {
  for (const [key, fn] of Object.entries(en)) {
    if (typeof fn !== "function") continue;
    const args = argsFor(fn, key);
    const a = fn(...args);
    const b = zhTW[key](...args);
    assert.equal(typeof b, "string", key);
    assert.ok(b.length > 0, key);
    // The numbers come through: each value the English shows, the Chinese shows too.
    for (const value of args.filter((x) => typeof x === "string" && /^[0-9.]+$/.test(x) && a.includes(x))) {
      assert.ok(b.includes(value), `${key}: ${value} in ${JSON.stringify(a)} but not in ${JSON.stringify(b)}`);
    }
  }
});

// Forms used only in Simplified Chinese: none of these code points is a Traditional character
// (网络数据: 網路資料; 设类这为们: 設類這為們; 层权习: 層權習 …). Characters shared by both
// scripts (率, 后, 里, 准, 范, 种, 机, 台) are left out on purpose.
const SIMPLIFIED_ONLY = [..."网络数据设类这为们时间图层权习优认档输训练检经传递损学隐节点击开关显计链误随实际变换页连线载错无对应来从个样确验证题与选择单暂进阶边决过拟动归规视画标签块历轮说释别"];
// Mainland terms the glossary replaces (網路 not 網絡, 資料 not 數據, 最佳化 not 優化 …).
const MAINLAND_TERMS = ["網絡", "數據", "優化", "程序", "默認", "文件", "激活", "信息", "軟件", "鏈式", "批量", "視頻"];

test("zh-TW uses Traditional characters only, and Taiwanese terms", () => {
  for (const [path, value] of leaves(zhTW)) {
    const texts = typeof value === "function" ? [value(...argsFor(value, path))] : [String(value)];
    for (const text of texts) {
      const bad = [...text].filter((c) => SIMPLIFIED_ONLY.includes(c));
      assert.deepEqual(bad, [], `${path}: Simplified ${bad.join("")} in ${JSON.stringify(text)}`);
      for (const term of MAINLAND_TERMS) assert.ok(!text.includes(term), `${path}: mainland term ${term} in ${JSON.stringify(text)}`);
    }
  }
});

test("the simplified list holds no character of the Traditional glossary", () => {
  // A guard on the list itself: had it a shared character, the test above would be unfair.
  const glossary = "類神經網路權重偏差值激勵函數損失梯度下降學習率前向傳遞反向傳播連鎖律偏微分放大器情況一二參更新單步樣本訓練測試資料集批次小訓練週期迭代最佳化器動量正規初始決策邊界準確度擬合檢查數值播放暫停重設速分享匯出嵌入設定預檔案錯誤無效";
  assert.deepEqual([...glossary].filter((c) => SIMPLIFIED_ONLY.includes(c)), []);
});

test("the glossary's key terms are the ones zh-TW uses", () => {
  const all = [...leaves(zhTW)].map(([path, v]) => (typeof v === "function" ? v(...argsFor(v, path)) : String(v))).join("\n");
  const terms = [
    "學習率", "權重", "梯度", "反向傳遞", "前向傳遞", "損失函數", "神經元", "偏差值", "激勵函數",
    "反向傳播", "連鎖律", "放大器", "情況一", "情況二", "梯度下降", "訓練週期", "小批次", "最佳化器",
    "正規化", "初始化", "決策邊界", "準確率", "梯度檢查", "數值微分", "資料集", "樣本", "隱藏層", "匯出", "分享",
  ];
  for (const term of terms) assert.ok(all.includes(term), `zh-TW never says ${term}`);
  assert.equal(zhTW.step, "單步");
  assert.equal(zhTW.play, "播放");
  assert.equal(zhTW.pause, "暫停");
  assert.equal(zhTW.trainReset, "重設");
  assert.equal(zhTW.gradcheck, "梯度檢查");
  // The English term in parentheses the first time, where the glossary says so.
  assert.match(zhTW.hint, /前向傳遞（forward pass）/);
  assert.match(zhTW.hint, /反向傳遞（backward pass）/);
  assert.match(zhTW.activationTitle(1), /激勵函數（activation function）/);
});

test("the lecture's notation stays as it is in zh-TW", () => {
  for (const key of ["learningRate", "lossBox", "legendNegative", "legendPositive", "batchSum"]) assert.equal(zhTW[key], en[key], key);
  for (const [key, args] of [["inputName", [0]], ["targetName", [1]], ["linkName", [2, 0, 1]], ["featureName", ["x1^2"]], ["batchMean", [4]]]) {
    assert.equal(zhTW[key](...args), en[key](...args), key);
  }
  for (const key of ["hint", "stepTitle", "eqLossAfter"]) assert.ok(zhTW[key].includes("θ¹ = θ⁰ − η∇L"), key);
  assert.ok(zhTW.captionBackward2(1, 0, "0.24", "0.036", "0.0087").includes("Σ w·∂l/∂z′ = 0.036"));
  assert.ok(zhTW.captionGradient(1, 0, "0.0087").includes("∂l/∂w = a × ∂l/∂z"));
  assert.match(zhTW.captionBackward1(2, 0, "0.19", "0.74", "0.14"), /∂l\/∂z = σ'\(z\) × ∂l\/∂a = 0\.19 × 0\.74 = 0\.14/);
});

test("S follows setLanguage, and a key a catalog lacks reads the English", () => {
  try {
    setLanguage("zh-TW");
    assert.equal(S.step, "單步");
    assert.equal(S.layerLabel(2), "第 2 層");
    setLanguage("fr");
    assert.equal(S.step, en.step);
    setLanguage("zh-TW");
    const key = Object.keys(en)[0];
    const saved = zhTW[key];
    delete zhTW[key];
    try {
      assert.equal(S[key], en[key]);
    } finally {
      zhTW[key] = saved;
    }
  } finally {
    setLanguage("en");
  }
  assert.equal(S.step, "Step");
});

test("languageFor: en and zh tags in any case; nothing else", () => {
  assert.deepEqual(LANGUAGES, ["en", "zh-TW"]);
  for (const tag of ["en", "EN", "en-US", "en_GB", " en "]) assert.equal(languageFor(tag), "en", tag);
  for (const tag of ["zh-TW", "zh-tw", "zh-Hant", "zh-Hant-TW", "zh-HK", "zh-MO", "zh", "ZH", "zh-CN", "zh_TW"]) assert.equal(languageFor(tag), "zh-TW", tag);
  for (const tag of ["", "fr", "de-DE", "english", "chinese", "-zh", null, undefined, 7]) assert.equal(languageFor(tag), null, String(tag));
});

test("detectLanguage: lang= first, then the first browser language we have, then English", () => {
  assert.equal(detectLanguage("en", ["zh-TW"]), "en");
  assert.equal(detectLanguage("zh-TW", ["en-US"]), "zh-TW");
  assert.equal(detectLanguage(null, ["zh-TW", "en"]), "zh-TW");
  assert.equal(detectLanguage(null, ["zh-Hant-HK"]), "zh-TW");
  assert.equal(detectLanguage(null, ["fr-FR", "zh-TW", "en"]), "zh-TW");
  assert.equal(detectLanguage(null, ["en-US", "zh-TW"]), "en");
  assert.equal(detectLanguage(null, ["fr-FR", "de"]), DEFAULT_LANGUAGE);
  assert.equal(detectLanguage(null, []), "en");
  assert.equal(detectLanguage(null), "en");
});

test("every reason a link's state is refused for, and every refused parameter, is in both languages", async () => {
  const { decodeState, LinkError } = await import("../../static/js/page/link.js");
  const bad = ["", "j!!!!", "zAAAA", "qabc", "j" + Buffer.from("nope").toString("base64url"), "j" + Buffer.from("{}").toString("base64url")];
  const reasons = new Set();
  for (const text of bad) {
    await assert.rejects(decodeState(text), (err) => err instanceof LinkError && reasons.add(err.reason) && true);
  }
  assert.deepEqual([...reasons].sort(), Object.keys(en.stateWhy).sort());
  for (const r of reasons) assert.equal(typeof zhTW.stateWhy[r], "string", r);

  const { readParams } = await import("../../static/js/page/params.js");
  const query = "?preset=Bad!&v=2&state=&hide=nope&autoplay=maybe&speed=99&step=x&view=x&lang=x&theme=x";
  try {
    setLanguage("zh-TW");
    const notes = readParams(query).notes;
    assert.equal(notes.length, 10);
    for (const n of notes) assert.ok(!/[A-Za-z]{3,}/.test(n.error.replace(/en|zh-TW|forward|backward|update|step|training|tour|light|dark|auto|projector|nope/g, "")), `${n.param}: ${n.error}`);
  } finally {
    setLanguage("en");
  }
  assert.match(readParams(query).notes.find((n) => n.param === "speed").error, /^not a number from/);
});

test("the API's names: losses, linear, the inits and momentum in Chinese; sigmoid, tanh, ReLU, Adam as Taiwanese courses say them", () => {
  const cjk = /[\u4e00-\u9fff]/;
  for (const loss of ["squared_error", "mse", "binary_cross_entropy", "cross_entropy"]) assert.match(zhTW.lossName(loss), cjk, loss);
  for (const init of ["uniform", "zeros"]) assert.match(zhTW.initName(init), cjk, init);
  assert.equal(zhTW.activationName("linear"), "線性");
  assert.equal(zhTW.activationName("relu"), "ReLU");
  assert.equal(zhTW.activationName("sigmoid"), "sigmoid");
  assert.match(zhTW.optimizerName("momentum"), /^動量/);
  assert.equal(zhTW.optimizerName("adam"), "Adam");
  assert.match(zhTW.batchIsNext(2, false, "momentum"), /動量/);
  // English shows the API's own names, underscores as spaces.
  assert.equal(en.lossName("binary_cross_entropy"), "binary cross entropy");
  assert.equal(en.optimizerName("momentum"), "momentum");
});
