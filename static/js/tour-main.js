// The tour at `/tour` and `/embed?view=tour` (tour/app.js): the hooks for tests and
// same-origin hosts, and the host API when framed.

import { installHooks } from "./page/hooks.js";
import { installHostApi } from "./page/host.js";
import { createTour } from "./tour/app.js";

const root = document.getElementById("app");
const app = createTour(root, { mode: root.dataset.view === "embed" ? "embed" : "full" });
installHooks(app);
if (window.parent !== window) installHostApi(app);
app.ready.then(() => {
  document.body.dataset.ready = "true";
}, () => {});
