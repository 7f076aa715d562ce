// The site page at `/`: the whole visualizer, and the hooks for tests and host pages.

import { createApp } from "./app.js";
import { installHooks } from "./page/hooks.js";
import { installHostApi } from "./page/host.js";
import { TrainingView } from "./training/view.js";

const app = createApp(document.getElementById("app"), { mode: "full", TrainingView });
installHooks(app);
if (window.parent !== window) installHostApi(app); // framed: a host page may drive it
app.ready.then(() => {
  document.body.dataset.ready = "true";
  performance.mark("backprop-viz:ready"); // the page benchmark reads it
}, () => {});
