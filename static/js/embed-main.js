// The frameable page at `/embed`: the visualizer without the site's chrome, driven and
// heard by its host page over postMessage (host.js), sized by its frame.

import { createApp } from "./app.js";
import { installHooks } from "./page/hooks.js";
import { installHostApi } from "./page/host.js";
import { readParams } from "./page/params.js";

// The training view (14 modules, a fifth of the page's bytes) only in a frame that shows it
// (view=training; the server preloads it then, app/web/pages.py): the stage alone is ready
// sooner on a slow link.
const { TrainingView } =
  readParams(location.search).options.view === "training" ? await import("./training/view.js") : {};
const app = createApp(document.getElementById("app"), { mode: "embed", TrainingView });
installHooks(app);
installHostApi(app);
app.ready.then(() => {
  document.body.dataset.ready = "true";
}, () => {});
