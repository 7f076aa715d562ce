// The app's events for host pages and the entries: "ready" once the first network is drawn,
// "error" with {message} when the page shows one. host.js forwards them to a host.

export class Events {
  #listeners = new Map(); // type → Set of functions

  /** Call fn(detail) on each event of `type`; returns the function that stops it. */
  on(type, fn) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(fn);
    return () => this.#listeners.get(type).delete(fn);
  }

  emit(type, detail) {
    for (const fn of this.#listeners.get(type) || []) fn(detail);
  }
}
