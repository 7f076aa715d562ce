// The settings form: the training slice's settings ↔ its inputs (features, batch size,
// optimizer, η, regularisation, epochs, target L, speed, the plane's and chart's options).
// A data setting goes to the data panel (new data), a run setting to the run controller
// (a restart from the latest snapshot); a value a field cannot take is put back.

import { numberProblem, readNumber } from "../text/numbers.js";
import { S } from "../text/strings.js";
import { FEATURES, OPTIMIZERS, REGULARIZATIONS, SPEEDS, USER_DATASET, parseNumber } from "./state.js";

export class TrainingForm {
  /** @param {import("./view.js").TrainingView} view  the slice and the other parts */
  constructor(view) {
    this.view = view;
    this.el = view.el;
    this.$ = view.$;
    this.#wire();
  }

  get t() {
    return this.view.t;
  }

  /** The choices the capabilities give: optimizers, regularisations, features; and the caps. */
  fillChoices() {
    const caps = this.view.caps();
    // Each field's largest value is the server's cap (GET /capabilities' limits), never ours.
    for (const [name, rule] of Object.entries(this.#rules())) {
      if (Number.isFinite(rule.max)) this.$(`[data-control="${name}"]`).max = String(rule.max);
    }
    const names = (list) => (list || []).map((o) => (typeof o === "string" ? o : o && o.name)).filter(Boolean);
    const optimizers = names(caps.optimizers).length ? names(caps.optimizers) : OPTIMIZERS;
    this.$('[data-control="optimizer"]').replaceChildren(...optimizers.map((o) => new Option(S.optimizerName(o), o)));
    this.$('[data-control="regularization"]').replaceChildren(
      ...REGULARIZATIONS.map((r) => new Option(r === "none" ? S.regularizationNone : r.toUpperCase(), r)),
    );
    const features = this.$('[data-bind="features"]');
    for (const f of FEATURES) {
      const label = document.createElement("label");
      label.className = "feature";
      label.innerHTML = `<input type="checkbox" data-feature="${f}"> <span></span>`;
      label.querySelector("span").textContent = S.featureName(f);
      features.append(label);
    }
  }

  /** Put the settings in the controls (a field being typed in is left alone unless `force`). */
  sync({ force = false } = {}) {
    const s = this.t.settings;
    const val = (name, v) => {
      const el = this.$(`[data-control="${name}"]`);
      if (el && (force || document.activeElement !== el)) el.value = v === null || v === undefined ? "" : String(v);
    };
    val("samples", s.samples);
    val("noise", s.noise);
    val("test-ratio", s.test_ratio);
    val("data-seed", s.seed);
    val("batch-size", s.batch_size);
    val("optimizer", s.optimizer);
    val("train-eta", s.learning_rate);
    val("regularization", s.regularization);
    val("regularization-rate", s.regularization_rate);
    val("max-epochs", s.epochs);
    val("target-loss", s.target_loss);
    val("train-speed", s.speed);
    this.$('[data-control="regularization-rate"]').disabled = s.regularization === "none";
    this.$('[data-control="show-test"]').checked = s.show_test;
    this.$('[data-control="discretize"]').checked = s.discretize;
    this.$('[data-control="log-scale"]').checked = !!s.log_scale;
    const user = s.dataset === USER_DATASET;
    const width = user && this.t.points && this.t.points.width && this.t.points.width !== 2;
    for (const box of this.el.querySelectorAll("[data-feature]")) {
      box.checked = s.features.includes(box.dataset.feature);
      box.disabled = !!width;
    }
    for (const b of this.el.querySelectorAll("[data-dataset]")) {
      b.setAttribute("aria-checked", String(b.dataset.dataset === s.dataset));
      if (b.dataset.dataset === USER_DATASET) b.hidden = !this.t.points;
    }
    for (const name of ["samples", "noise"]) this.$(`[data-control="${name}"]`).disabled = user;
    this.view.data.fillAddClasses();
    this.view.batch.fillLinks();
  }

  /** What each number field takes: the server's floor and its cap from /capabilities. */
  #rules() {
    const cap = (name) => this.view.limits()[name] ?? Infinity;
    return {
      samples: { min: 1, max: cap("max_samples"), integer: true },
      noise: { min: 0, max: cap("max_noise") },
      "test-ratio": { min: 0, max: cap("max_test_ratio") },
      "data-seed": { min: 0, max: cap("max_seed"), integer: true },
      "batch-size": { min: 1, max: cap("max_samples"), integer: true },
      "regularization-rate": { min: 0, max: cap("max_learning_rate") },
      "max-epochs": { min: 1, integer: true }, // a longer run than one request's cap is several (run.js)
      "target-loss": { min: 0, empty: true },
    };
  }

  #wire() {
    const view = this.view;
    const on = (sel, type, fn) => this.$(sel).addEventListener(type, fn);
    const option = (name, key) =>
      on(`[data-control="${name}"]`, "change", (ev) => {
        view.updateSettings({ [key]: ev.target.checked });
        view.paint.schedule(true);
      });
    option("show-test", "show_test");
    option("discretize", "discretize");
    option("log-scale", "log_scale");
    on('[data-bind="features"]', "change", (ev) => {
      const chosen = FEATURES.filter((f) => this.el.querySelector(`[data-feature="${f}"]`).checked);
      if (chosen.length === 0) {
        ev.target.checked = true;
        return;
      }
      view.data.dataChanged({ features: chosen });
    });
    // Numbers: a value the field cannot take is put back (a text that is no decimal number
    // says why, as everywhere on the page: numbers.js); the server refuses the rest.
    const number = (name, key, kind) =>
      on(`[data-control="${name}"]`, "change", (ev) => {
        const opts = this.#rules()[name]; // read now: the caps arrive after the form is wired
        const read = readNumber(ev.target.value);
        const blank = opts.empty && read.problem === "empty";
        const v = parseNumber(ev.target.value, opts);
        if (v === null && !blank) {
          if (!("value" in read)) view.error(numberProblem(read.problem || "notNumber", read.text));
          ev.target.value = String(this.t.settings[key] ?? "");
          return;
        }
        if (kind === "data") view.data.dataChanged({ [key]: v });
        else view.run.settingChanged({ [key]: v });
      });
    number("samples", "samples", "data");
    number("noise", "noise", "data");
    number("test-ratio", "test_ratio", "data");
    number("data-seed", "seed", "data");
    number("batch-size", "batch_size", "run");
    // η is the page's one (eta.js): the toolbar's field and this one change it the same way.
    const eta = this.$('[data-control="train-eta"]');
    eta.addEventListener("change", () => view.app.setLearningRate(eta.value, eta));
    view.store.subscribe((s) => {
      if (document.activeElement !== eta && s.request) eta.value = String(s.request.learning_rate);
    }, ["request"]);
    number("regularization-rate", "regularization_rate", "run");
    number("max-epochs", "epochs", "run");
    number("target-loss", "target_loss", "run");
    on('[data-control="optimizer"]', "change", (ev) => view.run.settingChanged({ optimizer: ev.target.value }));
    on('[data-control="regularization"]', "change", (ev) => {
      view.run.settingChanged({ regularization: ev.target.value });
      this.sync();
    });
    on('[data-control="train-speed"]', "change", (ev) => view.run.settingChanged({ speed: Math.min(SPEEDS.length - 1, Number(ev.target.value)) }));
  }
}
