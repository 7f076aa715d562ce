// The events of the steps the API has just checked. An edit of the input, the target or η is
// checked with POST /trace, which computes the whole step; asked with include_events, its
// answer also carries the events POST /trace/stream would send, so Play plays those instead
// of asking the server for the same step again: one request per edit (issue 16).

// A few: the last edit, and the one before it (an undo-like edit back). A large network's
// events are a few MB; more would only hold memory.
const KEEP = 2;
const kept = new Map(); // the request's JSON → its events, oldest first

const keyOf = (request) => JSON.stringify(request);

/** Keep the events the API sent for `request` (as it is shown: no include_events in it). */
export function keepEvents(request, events) {
  if (!Array.isArray(events) || !events.length || events.at(-1).type !== "done") return;
  const key = keyOf(request);
  kept.delete(key);
  kept.set(key, events);
  while (kept.size > KEEP) kept.delete(kept.keys().next().value);
}

/** The events kept for this exact request, or null. */
export function keptEvents(request) {
  return kept.get(keyOf(request)) ?? null;
}

/** A stream function that plays the kept events of a request, and asks `stream` otherwise. */
export function keptOr(stream) {
  return async (request, onEvent, signal) => {
    const events = keptEvents(request);
    if (!events) return stream(request, onEvent, signal);
    for (const event of events) {
      if (signal?.aborted) return;
      onEvent(event);
    }
  };
}
