// The frameable page at `/embed`: the visualizer without the site's chrome, driven and
// heard by its host page over postMessage (host.js), sized by its frame.

import { createApp } from "./app.js";
import { installHooks } from "./hooks.js";
import { installHostApi } from "./host.js";

const app = createApp(document.getElementById("app"), { mode: "embed" });
installHooks(app);
installHostApi(app);
app.ready.then(() => {
  document.body.dataset.ready = "true";
}, () => {});
