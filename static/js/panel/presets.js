// The example picker in the top bar: the server's presets (GET /api/v1/presets), named in
// the page's language (the server sends each preset's translations), showing the preset the request came from
// ("custom" once it is edited). Also the title a frame of this page gets.

import { S } from "../text/strings.js";

export class Presets {
  /**
   * @param {HTMLSelectElement|null} select  the picker (none: hide=topbar)
   * @param {object} o
   * @param {import("../page/store.js").Store} o.store
   * @param {(name: string) => void} o.onChoose  load the chosen preset
   */
  constructor(select, { store, onChoose }) {
    this.select = select;
    this.store = store;
    this.list = [];
    if (!select) return;
    store.subscribe(() => this.#sync(), ["request", "presetName"]);
    store.subscribe((s) => s.request && this.#fillOptions(), ["lang"]);
    select.addEventListener("change", () => select.value && onChoose(select.value));
  }

  /** The server's presets, as GET /presets lists them. */
  fill(presets) {
    this.list = presets;
    if (this.select) this.#fillOptions();
  }

  /**
   * The title of a frame that shows this page (Share's <iframe>, embed.js's, as oEmbed's):
   * "backprop-viz: " and the preset's title from the server, in the page's language.
   */
  frameTitle() {
    const preset = this.list.find((p) => p.name === this.store.presetName);
    return S.frameTitle(preset ? S.presetTitle(preset) : null);
  }

  #fillOptions() {
    const custom = new Option(S.presetCustom, "");
    custom.dataset.custom = "1";
    this.select.replaceChildren(
      custom,
      ...this.list.map((p) => {
        const o = new Option(S.presetTitle(p), p.name);
        o.title = S.presetDescription(p);
        return o;
      }),
    );
    this.#sync();
  }

  #sync() {
    this.select.value = this.store.presetName || "";
    const custom = this.select.querySelector("option[data-custom]");
    if (custom) custom.hidden = !!this.store.presetName;
  }
}
