// static/js/link.js in node: the state in a link gives back the same doubles to the last
// bit, the two encodings, garbage refused with LinkError, and the query linkQuery builds.
// The oracles are node's own: Buffer's base64url and zlib's inflateRaw.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { inflateRawSync } from "node:zlib";

import { LINK_VERSION, LinkError, MAX_LINK_LENGTH, decodeState, encodeState, linkQuery } from "../../static/js/page/link.js";

const request = JSON.parse(readFileSync(new URL("./fixtures/worked-example-request.json", import.meta.url), "utf8"));
const PRESET = "worked-example-2-2-2";

// ---- a seeded PRNG and random states -------------------------------------------------------

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const view64 = new DataView(new ArrayBuffer(8));

/** A random finite double of one of many kinds (any bit pattern, subnormal, huge, −0, …). */
function randomDouble(rand) {
  const int = (n) => Math.floor(rand() * n);
  switch (int(12)) {
    case 0: // any finite bit pattern
      for (;;) {
        view64.setUint32(0, int(2 ** 32));
        view64.setUint32(4, int(2 ** 32));
        const x = view64.getFloat64(0);
        if (Number.isFinite(x)) return x;
      }
    case 1: // subnormal
      return (rand() < 0.5 ? -1 : 1) * Number.MIN_VALUE * (1 + int(2 ** 52 - 1));
    case 2:
      return [1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308][int(7)];
    case 3:
      return [-0, 0, -0][int(3)];
    case 4: // integers, up to the largest exact ones
      return (rand() < 0.5 ? -1 : 1) * int(2 ** 53);
    case 5:
      return int(21) - 10;
    case 6: // decimal fractions whose sum is not the decimal one: 0.1 + 0.2 = 0.30000000000000004
      return int(10) / 10 + int(10) / 10;
    case 7:
      return 1 + Number.EPSILON * (1 + int(8));
    case 8:
      return (rand() - 0.5) * 10 ** (int(40) - 20);
    default:
      return rand() * 2 - 1;
  }
}

/** A random state: a trace request with layer sizes 2…6 and a view. `short`: small integers only. */
function randomState(rand, { short = false } = {}) {
  const int = (n) => Math.floor(rand() * n);
  const value = () => (short ? int(10) : randomDouble(rand));
  const layers = Array.from({ length: short ? 2 : 2 + int(3) }, () => 2 + int(5));
  const pieces = layers.slice(1);
  if (short) {
    // A bare request (only what decodeState insists on): small enough for the "j" encoding.
    const l2 = [2, 2];
    return {
      request: {
        network: { layers: l2, weights: [[[value(), value()], [value(), value()]]], biases: [[value(), value()]] },
        input: [value(), value()],
        target: [value(), rand() < 0.3 ? -0 : value()],
      },
    };
  }
  const state = {
    request: {
      network: {
        layers,
        activations: pieces.map(() => ["sigmoid", "tanh", "relu", "linear"][int(4)]),
        loss: "squared_error",
        weights: pieces.map((n, l) => Array.from({ length: n }, () => Array.from({ length: layers[l] }, value))),
        biases: pieces.map((n) => Array.from({ length: n }, value)),
      },
      input: Array.from({ length: layers[0] }, value),
      target: Array.from({ length: layers.at(-1) }, value),
      learning_rate: short ? 1 : randomDouble(rand),
      freeze_biases: rand() < 0.5,
    },
    view: {},
  };
  if (rand() < 0.5) state.view.panel = ["equations", "gradcheck"][int(2)];
  if (rand() < 0.5) state.view.selection = { kind: "weight", layer: 1, from: 0, to: 1 };
  return state;
}

/** Assert a and b are the same tree, every number the same double (Object.is: −0 ≠ 0). */
function assertSame(a, b, path = "state") {
  if (typeof a === "number") {
    assert.equal(typeof b, "number", `${path}: a number`);
    assert.ok(Object.is(a, b), `${path}: ${Object.is(a, -0) ? "-0" : a} came back as ${Object.is(b, -0) ? "-0" : b}`);
    return 1;
  }
  if (a === null || typeof a !== "object") {
    assert.equal(b, a, path);
    return 0;
  }
  assert.equal(Array.isArray(b), Array.isArray(a), `${path}: array or not`);
  assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort(), `${path}: keys`);
  let n = 0;
  for (const k of Object.keys(a)) n += assertSame(a[k], b[k], `${path}.${k}`);
  return n;
}

const hasNegativeZero = (x) =>
  typeof x === "number" ? Object.is(x, -0) : x !== null && typeof x === "object" && Object.values(x).some(hasNegativeZero);

const b64url = (text) => Buffer.from(text, "utf8").toString("base64url");

// ---- round trip -------------------------------------------------------------------------

test("round trip is exact on many random states; both encodings appear; z is shorter than the JSON", async (t) => {
  const rand = prng(20240517);
  const kinds = { j: 0, z: 0 };
  let numbers = 0;
  let negativeZeros = 0;
  let subnormals = 0;
  for (let k = 0; k < 300; k++) {
    const state = randomState(rand, { short: k % 3 === 0 });
    const before = structuredClone(state);
    const text = await encodeState(state);
    assertSame(before, state, "the state is not changed by encoding");
    assert.ok(text[0] === "j" || text[0] === "z", `kind ${text[0]}`);
    assert.match(text.slice(1), /^[A-Za-z0-9_-]+$/, "base64url without padding");
    kinds[text[0]] += 1;

    const back = await decodeState(text);
    numbers += assertSame(state, back, `state #${k}`);

    JSON.stringify(state, (_, v) => {
      if (Object.is(v, -0)) negativeZeros += 1;
      if (typeof v === "number" && v !== 0 && Math.abs(v) < 2.2250738585072014e-308) subnormals += 1;
      return v;
    });

    if (!hasNegativeZero(state)) {
      // The plain JSON of the state, by an independent route: Buffer's base64url.
      const plain = "j" + b64url(JSON.stringify(state));
      if (text[0] === "j") assert.equal(text, plain, "the j encoding is base64url(JSON)");
      else {
        assert.ok(text.length < plain.length, `z (${text.length}) shorter than j (${plain.length})`);
        const inflated = inflateRawSync(Buffer.from(text.slice(1), "base64url")).toString("utf8");
        assert.equal(inflated, JSON.stringify(state), "z is deflate-raw of the JSON");
      }
    }
  }
  t.diagnostic(`encodings: ${JSON.stringify(kinds)}; ${numbers} numbers, ${negativeZeros} −0, ${subnormals} subnormals`);
  assert.ok(kinds.j > 0, `some small states are sent as "j": ${JSON.stringify(kinds)}`);
  assert.ok(kinds.z > 0, `some large states are sent as "z": ${JSON.stringify(kinds)}`);
  assert.ok(numbers > 5000, `${numbers} numbers checked`);
  assert.ok(negativeZeros > 10, `${negativeZeros} negative zeros checked`);
  assert.ok(subnormals > 10, `${subnormals} subnormals checked`);
});

test("the special doubles one by one: −0, subnormals, extremes, 0.1 + 0.2", async () => {
  const specials = [
    -0,
    0,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    2.2250738585072014e-308,
    2.225073858507201e-308, // the largest subnormal
    1e308,
    -1e308,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    0.1 + 0.2,
    1 - Number.EPSILON / 2,
    Number.MAX_SAFE_INTEGER,
    -(2 ** 53),
    123456789012345680000,
    5e-324,
  ];
  for (const x of specials) {
    for (const where of ["input", "learning_rate"]) {
      const state = { request: structuredClone(request), view: {} };
      if (where === "input") state.request.input = [x, -x];
      else state.request.learning_rate = x;
      const back = await decodeState(await encodeState(state));
      assertSame(state, back, `${x} in ${where}`);
    }
  }
  // The worked example with some weights and a bias set to −0.
  const state = { request: structuredClone(request), view: { panel: "equations" } };
  state.request.network.weights[1][0] = [-0, -0];
  state.request.network.biases[0] = [-0, 0];
  assertSame(state, await decodeState(await encodeState(state)));
});

test("a large state: the z encoding is deflate-raw, shorter than the plain one", async () => {
  const rand = prng(3);
  const state = randomState(rand);
  state.request.network.layers = [6, 6, 6, 6];
  const layers = state.request.network.layers;
  state.request.network.weights = layers.slice(1).map((n, l) => Array.from({ length: n }, () => Array.from({ length: layers[l] }, () => rand())));
  state.request.network.biases = layers.slice(1).map((n) => Array.from({ length: n }, () => rand()));
  const text = await encodeState(state);
  assert.equal(text[0], "z");
  const plain = "j" + b64url(JSON.stringify(state));
  assert.ok(text.length < plain.length * 0.9, `${text.length} vs ${plain.length}`);
  assertSame(state, await decodeState(text));
});

// ---- garbage --------------------------------------------------------------------------------

test("decodeState rejects garbage with LinkError", async () => {
  const good = await encodeState({ request: structuredClone(request), view: {} });
  const big = await encodeState(randomState(prng(9)));
  assert.equal(big[0], "z");
  const cases = {
    empty: "",
    "one character": "j",
    "not a string (null)": null,
    "not a string (number)": 42,
    "not a string (object)": { request },
    "bad prefix": "x" + good.slice(1),
    "bad prefix (upper-case J)": "J" + good.slice(1),
    "bad base64url (!)": "j!!!!",
    "bad base64url (space)": "jeyJh IjoxfQ",
    "bad base64url (standard + and /)": "j" + Buffer.from([0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff]).toString("base64"), // "++++////"
    "bad base64url (padding)": "j" + Buffer.from("{}").toString("base64"),
    "bad base64url (length 1 mod 4)": "jAAAAA",
    "non-JSON": "j" + b64url("not json"),
    "non-JSON (cut JSON)": "j" + b64url(JSON.stringify({ request }).slice(0, -1)),
    "not UTF-8": "j" + Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64url"),
    "JSON without request ({})": "j" + b64url("{}"),
    "JSON without request (null)": "j" + b64url("null"),
    "JSON without request (array)": "j" + b64url("[1,2]"),
    "JSON without request (number)": "j" + b64url("42"),
    "JSON without request (string)": "j" + b64url('"request"'),
    "JSON with a null request": "j" + b64url('{"request":null}'),
    "JSON with a number request": "j" + b64url('{"request":5}'),
    "JSON with a string request": "j" + b64url('{"request":"x"}'),
    "z that is not deflate": "z" + b64url("hello, this is not deflated"),
    "z of nothing": "z",
  };
  for (let cut = 1; cut <= 12; cut++) cases[`truncated z (−${cut})`] = big.slice(0, -cut);
  cases["truncated z (half)"] = big.slice(0, Math.floor(big.length / 2));
  for (const [name, text] of Object.entries(cases)) {
    await assert.rejects(decodeState(text), (err) => {
      assert.ok(err instanceof LinkError, `${name}: a LinkError, got ${err && err.constructor.name}: ${err && err.message}`);
      assert.ok(err instanceof Error);
      assert.ok(typeof err.message === "string" && err.message.length > 0, `${name}: a message`);
      return true;
    }, name);
  }
  // And the good ones still decode.
  assert.deepEqual((await decodeState(good)).request, request);
  assert.ok((await decodeState(big)).request);
});

// ---- linkQuery ------------------------------------------------------------------------------

test("linkQuery: preset= for an unedited preset with a default view", async () => {
  for (const view of [undefined, null, {}, { panel: null }, { panel: null, selection: null }]) {
    const q = await linkQuery({ request, presetName: PRESET, view });
    assert.equal(q, `preset=${PRESET}`, JSON.stringify(view));
  }
});

test("linkQuery: v=1&state= for an edited request or a view that is not the default", async () => {
  const pick = { kind: "bias", layer: 1, node: 0 };
  const cases = [
    { presetName: null, view: { panel: null } },
    { presetName: undefined, view: undefined },
    { presetName: PRESET, view: { panel: "equations" } },
    { presetName: PRESET, view: { panel: null, selection: pick } },
  ];
  for (const { presetName, view } of cases) {
    const q = await linkQuery({ request, presetName, view });
    const params = new URLSearchParams(q);
    assert.deepEqual([...params.keys()], ["v", "state"], q.slice(0, 40));
    assert.equal(params.get("v"), String(LINK_VERSION));
    assert.equal(LINK_VERSION, 1);
    const state = await decodeState(params.get("state"));
    assertSame({ request, view: view || {} }, state);
  }
});

test("linkQuery keeps extra display params and never duplicates preset, state or v", async () => {
  const keep = new URLSearchParams("hide=editor,legend&theme=dark&preset=other&state=jXYZ&v=9&autoplay=1");
  const presetLink = new URLSearchParams(await linkQuery({ request, presetName: PRESET, view: {} }, keep));
  assert.deepEqual(presetLink.getAll("preset"), [PRESET]);
  assert.deepEqual(presetLink.getAll("state"), []);
  assert.deepEqual(presetLink.getAll("v"), []);
  assert.deepEqual(presetLink.getAll("hide"), ["editor,legend"]);
  assert.deepEqual(presetLink.getAll("theme"), ["dark"]);
  assert.deepEqual(presetLink.getAll("autoplay"), ["1"]);

  const edited = structuredClone(request);
  edited.network.weights[0][0][0] = -0.5;
  const stateLink = new URLSearchParams(await linkQuery({ request: edited, presetName: null, view: { panel: "gradcheck" } }, keep));
  assert.deepEqual(stateLink.getAll("preset"), []);
  assert.deepEqual(stateLink.getAll("v"), ["1"]);
  assert.equal(stateLink.getAll("state").length, 1);
  assert.notEqual(stateLink.get("state"), "jXYZ");
  assert.deepEqual(stateLink.getAll("hide"), ["editor,legend"]);
  assert.deepEqual(stateLink.getAll("theme"), ["dark"]);
  const back = await decodeState(stateLink.get("state"));
  assertSame({ request: edited, view: { panel: "gradcheck" } }, back);
  assert.deepEqual(keep.getAll("state"), ["jXYZ"], "the params handed in are not changed");
});

// ---- how long a link gets -------------------------------------------------------------------

test("the largest network the API accepts (10 layers × 64 neurons): exact round trip, length reported", async (t) => {
  const rand = prng(64);
  const layers = Array(10).fill(64);
  const xavier = (n) => (rand() * 2 - 1) * Math.sqrt(6 / (2 * n));
  const big = {
    network: {
      layers,
      activations: Array(9).fill("sigmoid"),
      loss: "squared_error",
      weights: layers.slice(1).map((n, l) => Array.from({ length: n }, () => Array.from({ length: layers[l] }, () => xavier(64)))),
      biases: layers.slice(1).map((n) => Array.from({ length: n }, () => xavier(64))),
    },
    input: Array.from({ length: 64 }, () => rand()),
    target: Array.from({ length: 64 }, () => rand()),
    learning_rate: 0.5,
    freeze_biases: false,
  };
  const query = await linkQuery({ request: big, presetName: null, view: { panel: null } });
  const state = new URLSearchParams(query).get("state");
  assert.equal(state[0], "z");
  assertSame({ request: big, view: { panel: null } }, await decodeState(state));
  const json = JSON.stringify({ request: big, view: { panel: null } }).length;
  t.diagnostic(`10 × 64 random weights: JSON ${json} chars, query ${query.length} chars, MAX_LINK_LENGTH ${MAX_LINK_LENGTH} (${(query.length / MAX_LINK_LENGTH).toFixed(1)}×)`);

  // The largest n×n×n network whose link fits, for the report.
  let fits = 0;
  for (let n = 2; n <= 64; n++) {
    const ls = [n, n, n];
    const req = {
      network: {
        layers: ls,
        activations: ["sigmoid", "sigmoid"],
        loss: "squared_error",
        weights: ls.slice(1).map((m, l) => Array.from({ length: m }, () => Array.from({ length: ls[l] }, () => xavier(n)))),
        biases: ls.slice(1).map((m) => Array.from({ length: m }, () => xavier(n))),
      },
      input: Array.from({ length: n }, () => rand()),
      target: Array.from({ length: n }, () => rand()),
      learning_rate: 0.5,
      freeze_biases: false,
    };
    const q = await linkQuery({ request: req, presetName: null, view: {} });
    if (q.length > MAX_LINK_LENGTH) break;
    fits = n;
  }
  assert.ok(fits >= 2, "at least the smallest network fits");
  t.diagnostic(`the largest [n, n, n] network with random weights whose query fits MAX_LINK_LENGTH: n = ${fits}`);
});
