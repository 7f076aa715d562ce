// The exercise page at `/exercise/{id}` and `/embed?exercise={id}` (exercise/app.js): the
// hooks for tests and same-origin hosts, and the host API when framed.

import { createExercisePage } from "./exercise/app.js";
import { installHooks } from "./page/hooks.js";
import { installHostApi } from "./page/host.js";

const root = document.getElementById("app");
const app = createExercisePage(root, { mode: root.dataset.view === "embed" ? "embed" : "page", exercise: root.dataset.exercise });
installHooks(app);
if (window.parent !== window) installHostApi(app);
app.ready.then(() => {
  document.body.dataset.ready = "true";
}, () => {});
