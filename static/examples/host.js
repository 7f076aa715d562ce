// The example host page's script (host.html): one iframe of /embed driven by buttons
// through BackpropViz.connect, and a log of every message the frame sends.

const { BackpropViz } = window;
const server = BackpropViz.server; // where embed.js came from, e.g. https://viz.example.edu
const $ = (id) => document.getElementById(id);
const iframe = $("driven");
const statusEl = $("status");
const logEl = $("log");
const MAX_LOG = 200;

// A network no preset has: 3 inputs, 4 tanh neurons, 2 sigmoid outputs, squared error.
const CUSTOM = {
  network: {
    layers: [3, 4, 2],
    activations: ["tanh", "sigmoid"],
    loss: "squared_error",
    weights: [
      [[0.2, -0.4, 0.1], [0.7, 0.3, -0.5], [-0.6, 0.8, 0.2], [0.05, -0.15, 0.9]],
      [[0.5, -0.3, 0.8, -0.1], [-0.7, 0.4, 0.2, 0.6]],
    ],
    biases: [[0.1, 0, -0.2, 0.05], [0.3, -0.1]],
  },
  input: [0.5, -1, 0.25],
  target: [0, 1],
  learning_rate: 0.5,
};

iframe.src = `${server}/embed?preset=worked-example-2-2-2&hide=editor`;
const viz = BackpropViz.connect(iframe);
$("custom").value = JSON.stringify(CUSTOM, null, 2);

function setStatus(text, isError = false) {
  statusEl.textContent = text;
  statusEl.classList.toggle("error", isError);
}

function log(data) {
  const li = document.createElement("li");
  const text = JSON.stringify(data);
  li.textContent = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  logEl.append(li);
  while (logEl.children.length > MAX_LOG) logEl.firstElementChild.remove();
  logEl.scrollTop = logEl.scrollHeight;
}

// Every message from the driven frame, in every dialect (the client only passes on its own).
window.addEventListener("message", (e) => {
  if (e.source === iframe.contentWindow) log(e.data);
});

/** Run a client command and show what came back. */
async function run(label, promise) {
  setStatus(`${label}…`);
  try {
    const result = await promise;
    setStatus(`${label}: ${result == null ? "ok" : JSON.stringify(result).slice(0, 200)}`);
    return result;
  } catch (err) {
    setStatus(`${label}: ${err.message}`, true);
    return undefined;
  }
}

const actions = {
  "load-preset": () => run(`load ${$("preset").value}`, viz.load($("preset").value)),
  "load-custom": () => {
    let request;
    try {
      request = JSON.parse($("custom").value);
    } catch (err) {
      setStatus(`The network is not JSON: ${err.message}`, true);
      return;
    }
    run("load the network", viz.load(request));
  },
  step: () => run("step", viz.step()),
  play: () => run("play", viz.play()),
  pause: () => run("pause", viz.pause()),
  reset: () => run("reset", viz.reset()),
  "get-state": () => run("getState", viz.getState()),
};

for (const button of document.querySelectorAll("[data-do]")) {
  button.addEventListener("click", () => actions[button.dataset.do]());
}
$("speed").addEventListener("change", () => run("setSpeed", viz.setSpeed(Number($("speed").value))));

async function fillPresets() {
  try {
    const response = await fetch(`${server}/api/v1/presets`);
    if (!response.ok) return;
    const presets = await response.json();
    $("preset").replaceChildren(...presets.map((p) => new Option(p.title || p.name, p.name)));
  } catch {
    // keep the one preset written into the page
  }
}

fillPresets();
viz.ready.then(
  (message) => setStatus(`The frame is ready (version ${message.version ?? "?"}).`),
  (err) => setStatus(err.message, true),
);
