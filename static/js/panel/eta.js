// The page's one η. The step's (the trace request's learning_rate) and the training run's
// are one value in the store (store.js withOneEta); the toolbar's field and the training
// view's both change it here, so a change in either is the change of both, and a refusal is
// the same in both: the typed text read by numbers.js, then checked by the API (POST /trace,
// 0 < η ≤ the max_learning_rate /capabilities publishes), and the reason said once in the
// status line in the lecture's words, the field back to the η in use.

import { full } from "../text/format.js";
import { lectureMessage } from "../text/messages.js";
import { ETA } from "../text/notation.js";
import { numberError, parseValue } from "../text/numbers.js";
import { S } from "../text/strings.js";

/**
 * @param {object} o
 * @param {import("../page/store.js").Store} o.store
 * @param {(next: object, how: string, o: object) => Promise<void>} o.commit  validate with the API, then show
 * @param {(message: string, isError: boolean) => void} o.setStatus
 * @param {() => object | null} o.training  the training view, when the page has one
 * @returns {(text: string, input?: HTMLInputElement) => Promise<boolean>} whether η is now the typed one
 */
export function learningRateSetter({ store, commit, setStatus, training }) {
  let pending = Promise.resolve(true);
  // A Train pressed while the API still checks a typed η trains with that η, not the old one
  // (the field's change fires on the click's blur, the check answers after the click).
  setLearningRate.settled = () => pending;
  return setLearningRate;

  function setLearningRate(text, input = null) {
    pending = check(text, input);
    return pending;
  }

  async function check(text, input) {
    const request = store.request;
    if (!request) return false;
    const read = parseValue(String(text));
    if (!read.problem && read.value === request.learning_rate) return true;
    const view = training();
    const running = !!(view && view.status().running);
    try {
      if (read.problem) throw numberError(read);
      // The same θ (the same object): a paused run goes on with its optimizer's state.
      await commit({ ...request, learning_rate: read.value }, "request", { keepNetwork: true });
    } catch (err) {
      const kept = store.request.learning_rate;
      if (input) input.value = String(kept);
      setStatus(S.editRejected(lectureMessage(err), ETA, full(kept)), true);
      return false;
    }
    if (view) view.etaChanged(running);
    return true;
  }
}
