/*! backprop-viz embed.js: put the animated backpropagation page on your own page.
 *
 *   <div data-backprop-viz data-preset="xor"></div>
 *   <script src="https://YOUR-SERVER/static/embed.js" async></script>
 *
 * Each <div data-backprop-viz> becomes an <iframe> of YOUR-SERVER/embed that grows and
 * shrinks with its content. To drive a frame from your own script:
 *
 *   const viz = BackpropViz.connect(document.querySelector("iframe"));
 *   await viz.ready;
 *   await viz.load("xor");           // or a trace request: {network, input, target, learning_rate}
 *   viz.on("event", (m) => console.log(m.event.type));
 *   const done = await viz.step();   // the step's "done" event, once animated
 *
 * The message protocol and the URL parameters: docs/embedding.md. A classic script (not a
 * module), no dependencies. */
(function () {
  "use strict";

  const VERSION = "1";
  const SOURCE = "backprop-viz";
  const EVENT_TYPES = ["ready", "state", "event", "prediction", "resize", "error"];
  const PROBE_MS = 250; // how often a late connect() asks a frame that is already up
  const READY_TIMEOUT_MS = 20000;
  const MIN_HEIGHT = 240;
  const MAX_HEIGHT = 4000;
  const DEFAULT_HEIGHT = "520px";
  // data-* attribute (camelCased, as in el.dataset) → query parameter of /embed.
  const PARAMS = ["preset", "hide", "theme", "lang", "autoplay", "predict", "speed", "step"];

  // The server this script came from: https://host/root/static/embed.js → https://host/root.
  const script = document.currentScript;
  const scriptUrl = new URL(script ? script.src : location.href, location.href);
  const serverBase = scriptUrl.href.replace(/\/static\/embed\.js(?:[?#].*)?$/, "");

  let clientCount = 0;

  // The presets' titles (name → title), asked once for every frame on the page.
  let presetTitles = null;
  function presetTitle(name) {
    presetTitles ||= fetch(`${serverBase}/api/v1/presets`)
      .then((r) => (r.ok ? r.json() : []))
      .then((list) => new Map(list.map((p) => [p.name, p.title])))
      .catch(() => new Map());
    return presetTitles.then((titles) => titles.get(name));
  }

  /** The window a message sent to this iframe can reach, and whether it has loaded yet. */
  function frameHasDocument(iframe) {
    try {
      // Same origin: readable. Before the first load it is the initial about:blank.
      return iframe.contentWindow.location.href !== "about:blank";
    } catch (_) {
      return true; // cross-origin (or opaque): a document of its own has arrived
    }
  }

  /** The targetOrigin for postMessage to this iframe: the origin of its src, or "*" for a
   * sandboxed frame without allow-same-origin (its origin is opaque: nothing else reaches it). */
  function targetOriginOf(iframe) {
    if (iframe.hasAttribute("sandbox") && !iframe.sandbox.contains("allow-same-origin")) return "*";
    return new URL(iframe.src, location.href).origin;
  }

  /**
   * A client for one iframe showing /embed: commands as promises, the frame's messages as
   * events. Only messages from that iframe's window and marked source "backprop-viz" count.
   * @param {HTMLIFrameElement} iframe
   * @param {{autoResize?: boolean}} [options] autoResize: set the iframe's height from the
   *   frame's "resize" messages (mount() does this)
   */
  function connect(iframe, options) {
    if (!iframe || iframe.tagName !== "IFRAME") throw new TypeError("BackpropViz.connect needs an <iframe>");
    const autoResize = !!(options && options.autoResize);
    const prefix = `bv${++clientCount}-`;
    let counter = 0;
    const pending = new Map(); // id → {resolve, reject}
    const listeners = new Map(EVENT_TYPES.map((t) => [t, new Set()]));
    let probeTimer = 0;
    let readyTimer = 0;
    let destroyed = false;
    let resolveReady, rejectReady;
    let isReady = false;

    const ready = new Promise((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => {}); // a rejection nobody awaits is not an "unhandled" error

    function post(message) {
      iframe.contentWindow.postMessage(message, targetOriginOf(iframe));
    }

    function request(type, fields) {
      if (destroyed) return Promise.reject(new Error("backprop-viz: client destroyed"));
      const id = prefix + ++counter;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        post(Object.assign({ type, id }, fields));
      });
    }

    function becomeReady(message) {
      if (isReady) return;
      isReady = true;
      clearInterval(probeTimer);
      clearTimeout(readyTimer);
      resolveReady(message);
    }

    // The frame may have said "ready" before we listened: ask for its state until it
    // answers. The 20 s start once the iframe has a document (a lazy frame far below the
    // fold has none yet).
    function probe() {
      if (isReady || destroyed || !iframe.contentWindow || !frameHasDocument(iframe)) return;
      if (!readyTimer) {
        readyTimer = setTimeout(() => {
          if (isReady) return;
          clearInterval(probeTimer);
          rejectReady(new Error(`backprop-viz: the frame at ${iframe.src} did not answer in ${READY_TIMEOUT_MS / 1000} s`));
        }, READY_TIMEOUT_MS);
      }
      const id = prefix + ++counter;
      pending.set(id, {
        probe: true,
        resolve: (_result, message) => becomeReady(message),
        reject: () => pending.delete(id),
      });
      post({ type: "getState", id });
    }

    function emit(type, message) {
      for (const fn of listeners.get(type)) {
        try {
          fn(message);
        } catch (err) {
          setTimeout(() => { throw err; }); // report it without stopping the other listeners
        }
      }
    }

    function onMessage(e) {
      const data = e.data;
      if (e.source !== iframe.contentWindow || !data || typeof data !== "object") return;
      if (data.source !== SOURCE) return;
      if (data.type === "response") {
        const waiting = pending.get(data.id);
        if (!waiting) return;
        pending.delete(data.id);
        if (typeof data.error === "string") waiting.reject(new Error(data.error));
        else waiting.resolve(data.result, data);
        if (waiting.probe) for (const [id, w] of pending) if (w.probe) pending.delete(id);
        return;
      }
      if (data.type === "ready") becomeReady(data);
      if (data.type === "resize" && autoResize && Number.isFinite(data.height) && data.height > 0) {
        iframe.style.height = `${Math.ceil(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, data.height)))}px`;
      }
      if (listeners.has(data.type)) emit(data.type, data);
    }

    window.addEventListener("message", onMessage);
    probeTimer = setInterval(probe, PROBE_MS);
    probe();

    /** Post a command once the frame is ready; resolves with its result. */
    const command = (type, fields) => ready.then(() => request(type, fields));

    return {
      iframe,
      ready,
      /** Show a preset (a name) or a trace request; resolves with the new state. */
      load: (what) => command("load", typeof what === "string" ? { preset: what } : { request: what }),
      play: () => command("play"),
      pause: () => command("pause"),
      /** One whole step; resolves with its "done" event once it has been animated. */
      step: () => command("step"),
      reset: () => command("reset"),
      /** Playback speed multiplier: 1 normal, 0.25 to 8 in the page (1000 for tests). */
      setSpeed: (speed) => command("setSpeed", { speed }),
      /** The page's language, live: "en" or "zh-TW" (zh, zh-Hant, … too). */
      setLanguage: (lang) => command("setLanguage", { lang }),
      /** The predict mode on (true) or off: the player stops before a value and asks for it. */
      setPredict: (on) => command("setPredict", { on }),
      /** The current trace request. */
      getState: () => command("getState"),
      /** Train with a /train/stream body (the frame needs view=training); resolves with the
       * done event once it is drawn. */
      train: (body) => command("train", { body }),
      /** The training view's numbers: {running, epoch, train_loss, test_loss, …}. */
      getTraining: () => command("getTraining"),
      /** fn(message) for each "ready", "state", "event", "prediction", "resize" or "error" message; returns
       * the function that unsubscribes it. */
      on(type, fn) {
        if (!listeners.has(type)) throw new TypeError(`BackpropViz: no "${type}" messages (${EVENT_TYPES.join(", ")})`);
        listeners.get(type).add(fn);
        return () => listeners.get(type).delete(fn);
      },
      /** Stop listening; pending commands reject. The iframe stays. */
      destroy() {
        if (destroyed) return;
        destroyed = true;
        window.removeEventListener("message", onMessage);
        clearInterval(probeTimer);
        clearTimeout(readyTimer);
        for (const set of listeners.values()) set.clear();
        for (const w of pending.values()) w.reject(new Error("backprop-viz: client destroyed"));
        pending.clear();
        if (!isReady) rejectReady(new Error("backprop-viz: client destroyed"));
      },
    };
  }

  /**
   * Put an iframe of /embed into `el` and connect to it. Options (each also read from the
   * element's data-* attributes; options win): preset, state, hide, theme, lang, autoplay,
   * predict, speed, step, height, title.
   */
  function mount(el, options) {
    if (el.backpropViz) return el.backpropViz;
    const o = Object.assign({}, el.dataset, options);
    const query = new URLSearchParams();
    for (const name of PARAMS) {
      if (o[name] != null && o[name] !== "") query.set(name, String(o[name]));
    }
    if (o.state) {
      query.set("v", "1");
      query.set("state", String(o.state));
    }
    const iframe = document.createElement("iframe");
    const qs = query.toString();
    iframe.src = `${serverBase}/embed${qs ? `?${qs}` : ""}`;
    // The frame's accessible name: "backprop-viz: " and the preset's title, as Share and
    // oEmbed write it. Until the frame says it in its own language (its ready and state
    // messages carry `title`), the server's title (GET /api/v1/presets); data-title wins.
    const zh = /^zh/i.test(String(o.lang || ""));
    const titled = (name) => (zh ? `backprop-viz：${name || "一個網路"}` : `backprop-viz: ${name || "a network"}`);
    let frameSaid = false;
    iframe.title = o.title || (o.preset ? "backprop-viz" : titled(null));
    if (!o.title && o.preset) {
      presetTitle(String(o.preset)).then((title) => {
        if (!frameSaid && title) iframe.title = titled(title);
      });
    }
    iframe.setAttribute("loading", "lazy");
    iframe.setAttribute("allowfullscreen", "");
    iframe.style.cssText = "width:100%;border:0;display:block";
    const height = o.height != null && o.height !== "" ? String(o.height) : DEFAULT_HEIGHT;
    iframe.style.height = /^\d+(\.\d+)?$/.test(height) ? `${height}px` : height;
    // Connected in this same task: the frame's "ready" cannot arrive before we listen.
    el.appendChild(iframe);
    const client = connect(iframe, { autoResize: true });
    if (!o.title) {
      const own = (m) => {
        if (typeof m.title !== "string" || !m.title) return;
        frameSaid = true;
        iframe.title = m.title;
      };
      client.on("ready", own);
      client.on("state", own);
    }
    el.backpropViz = client;
    return client;
  }

  function mountAll() {
    for (const el of document.querySelectorAll("div[data-backprop-viz]")) {
      if (!el.backpropViz) mount(el);
    }
  }

  window.BackpropViz = { version: VERSION, mount, connect, server: serverBase };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
