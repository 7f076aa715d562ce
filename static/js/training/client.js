// One training stream at a time: POST /api/v1/train/stream read line by line (api.js), each
// event handed on as it arrives, cancelled with an AbortController when a new one starts
// (η, regularisation or batch size changed, pause, reset).

import { streamTrain } from "../api.js";

export class TrainingStream {
  constructor({ stream = streamTrain } = {}) {
    this.stream = stream;
    this.controller = null;
    this.token = 0;
  }

  get running() {
    return !!this.controller;
  }

  /**
   * Start a run (stopping the one before). Resolves with its `done` event, or null when it
   * was stopped first; rejects with the API's message when the request is refused.
   */
  async start(body, onEvent) {
    this.abort();
    const controller = new AbortController();
    const token = ++this.token;
    this.controller = controller;
    let done = null;
    try {
      await this.stream(
        body,
        (event) => {
          if (token !== this.token) return; // a stopped run's last lines
          if (event.type === "done") done = event;
          onEvent(event);
        },
        controller.signal,
      );
    } catch (err) {
      if (err.name === "AbortError" || token !== this.token) return null;
      throw err;
    } finally {
      if (this.token === token) this.controller = null;
    }
    return token === this.token ? done : null;
  }

  /** Stop the running stream, if any; its remaining events are dropped. */
  abort() {
    this.token++;
    if (this.controller) this.controller.abort();
    this.controller = null;
  }
}
