// Links that carry the whole state: the trace request (network, weights, biases, input,
// target, η, options) and the view (open panel, picked item, speed), in the URL as
// `?v=1&state=…`. JSON, deflated when that is shorter, in base64url: every float is
// written as its shortest round-trip decimal, so a link gives back the same doubles to
// the last bit (−0 included, which JSON alone would turn into 0).

export const LINK_VERSION = 1;
/** Past this many characters a link may be cut by mail clients, proxies and servers. */
export const MAX_LINK_LENGTH = 8000;

const NEGATIVE_ZERO = "-0"; // JSON has no −0; no string in a state is ever "-0" otherwise

/** Why a state cannot be read: the message in English, `reason` a key of S.stateWhy. */
export class LinkError extends Error {
  constructor(message, reason) {
    super(message);
    this.reason = reason;
  }
}

/** The state as a compact string: "j" + base64url(JSON) or "z" + base64url(deflate-raw(JSON)). */
export async function encodeState(state) {
  const json = JSON.stringify(state, (_, v) => (Object.is(v, -0) ? NEGATIVE_ZERO : v));
  const bytes = new TextEncoder().encode(json);
  const plain = "j" + toBase64url(bytes);
  if (bytes.length < 200) return plain; // deflate does not pay for itself on tiny states
  const packed = "z" + toBase64url(await transform(bytes, new CompressionStream("deflate-raw")));
  return packed.length < plain.length ? packed : plain;
}

/** The state a string from encodeState stands for; throws LinkError when it is not one. */
export async function decodeState(text) {
  if (typeof text !== "string" || text.length < 2) throw new LinkError("the state is empty", "empty");
  const kind = text[0];
  let bytes;
  try {
    bytes = fromBase64url(text.slice(1));
  } catch {
    throw new LinkError("the state is not base64url", "base64url");
  }
  if (kind === "z") {
    try {
      bytes = await transform(bytes, new DecompressionStream("deflate-raw"));
    } catch {
      throw new LinkError("the state does not decompress", "deflate");
    }
  } else if (kind !== "j") {
    throw new LinkError(`unknown state encoding "${kind}"`, "encoding");
  }
  let state;
  try {
    state = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes), (_, v) => (v === NEGATIVE_ZERO ? -0 : v));
  } catch {
    throw new LinkError("the state is not JSON", "json");
  }
  if (!state || typeof state !== "object" || !state.request || typeof state.request !== "object") {
    throw new LinkError("the state carries no request", "request");
  }
  return state;
}

/**
 * The query of a link: `preset=name` while the request is an unedited preset, else the
 * encoded state; `keep` holds other parameters to carry along (embed options).
 */
export async function linkQuery({ request, presetName, view }, keep = new URLSearchParams()) {
  const params = new URLSearchParams();
  if (presetName && isDefaultView(view)) params.set("preset", presetName);
  else {
    params.set("v", String(LINK_VERSION));
    params.set("state", await encodeState({ request, view: view || {} }));
  }
  for (const [k, v] of keep) if (!params.has(k) && k !== "preset" && k !== "state" && k !== "v") params.append(k, v);
  return params.toString();
}

function isDefaultView(view) {
  return !view || (!view.panel && !view.selection);
}

async function transform(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64url(bytes) {
  let binary = "";
  for (let k = 0; k < bytes.length; k += 0x8000) binary += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
