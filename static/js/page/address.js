// The page's address: the link to this exact state (link.js encodes it), on `/` or on
// `/embed`, and, when asked (syncUrl), the address bar kept up to date with replaceState.

import { linkQuery, MAX_LINK_LENGTH } from "./link.js";
import { DISPLAY_PARAMS } from "./params.js";

// Past this many weights and biases a state fits MAX_LINK_LENGTH only if nearly all of it
// repeats (a random double deflates to ~8 bytes): the address bar skips the encoding
// (~75 ms in one task for 10 × 64); the Share menu still makes the link, and says why not.
const MAX_URL_PARAMETERS = 4000;

/** The site root (where /, /embed and /static live), from the API root the template names. */
export function pageRoot() {
  const api = document.body.dataset.api || "/api/v1/";
  return new URL(api.replace(/api\/v1\/?$/, ""), location.href).href;
}

export class Address {
  /**
   * @param {object} o
   * @param {import("./store.js").Store} o.store
   * @param {"full"|"embed"} o.mode
   * @param {string} o.search   the page's query string (its display parameters are kept)
   * @param {boolean} o.syncUrl  keep the address bar's link up to date
   */
  constructor({ store, mode, search, syncUrl }) {
    this.store = store;
    this.mode = mode;
    this.search = search;
    this.timer = 0;
    if (!syncUrl) return;
    store.subscribe((_s, _changed, cause = {}) => {
      clearTimeout(this.timer);
      // While a run streams, the link waits for the weights to settle (the run's last push).
      this.timer = setTimeout(() => this.#update(), cause.streaming ? 1000 : 150);
    }, ["request", "presetName", "view", "selection", "lang", "predict"]);
  }

  /** The absolute link to this state, on `/` or (embed) on `/embed`. */
  async link({ embed = this.mode === "embed" } = {}) {
    const query = await linkQuery(this.#state(), embed ? this.#keptParams() : this.#withChoices(new URLSearchParams()));
    const page = new URL(embed ? "embed" : "./", pageRoot());
    page.search = query;
    return page.href;
  }

  #state() {
    const { request, presetName, view, selection } = this.store.state;
    return { request, presetName, view: { ...view, selection } };
  }

  #keptParams() {
    const now = new URLSearchParams(this.search);
    const keep = new URLSearchParams();
    for (const name of DISPLAY_PARAMS) if (now.has(name)) keep.set(name, now.get(name));
    return this.#withChoices(keep);
  }

  /**
   * A language chosen (by lang= or the switch) goes in the link; the browser's own does not.
   * The predict mode goes in as predict=1 while it is on (predict= or the switch).
   */
  #withChoices(params) {
    const { code, chosen } = this.store.state.lang;
    if (chosen) params.set("lang", code);
    else params.delete("lang");
    if (this.store.state.predict.on) params.set("predict", "1");
    else params.delete("predict");
    return params;
  }

  async #update() {
    const { request, presetName } = this.store.state;
    if (!request) return;
    const net = request.network;
    const parameters = net.layers.slice(1).reduce((sum, n, l) => sum + n * (net.layers[l] + 1), 0);
    if (!presetName && parameters > MAX_URL_PARAMETERS) return;
    const query = await linkQuery(this.#state(), this.#keptParams());
    const url = new URL(location.href);
    url.search = query;
    if (url.href.length > MAX_LINK_LENGTH) return; // the Share menu says why there is no link
    try {
      history.replaceState(history.state, "", url.href);
    } catch {
      // a sandboxed frame may refuse: the link in the Share menu still works
    }
  }
}
