// static/js/announce.js in node, on a fake element and a fake clock: what the live region
// says when, for stepping, playing (throttled), stopping, an error and a new network.

import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { Announcer, PLAYING_GAP } from "../../static/js/player/announce.js";

/** An app root whose region records every text it is given; a clock the test moves. */
function setup() {
  const said = [];
  const region = {
    dataset: {},
    attributes: {},
    setAttribute(name, value) {
      this.attributes[name] = value;
    },
    get textContent() {
      return said.at(-1) ?? "";
    },
    set textContent(text) {
      said.push(text);
    },
  };
  const root = { ownerDocument: { createElement: () => region }, append() {} };
  const clock = { t: 1000 };
  const announcer = new Announcer(root, (pb) => (pb.error ? `error: ${pb.error}` : `event ${pb.cursor}`), {
    now: () => clock.t,
  });
  return { announcer, region, said, clock };
}

const pb = (cursor, playing, error = null) => ({ cursor, playing, error });
const request = { network: {} };

test("the region is a polite status, atomic, and says nothing for a new network", () => {
  const { announcer, region, said } = setup();
  assert.equal(region.attributes.role, "status");
  assert.equal(region.attributes["aria-live"], "polite");
  assert.equal(region.attributes["aria-atomic"], "true");
  announcer.follow(pb(0, false), request);
  announcer.follow(pb(0, false), { network: {} }); // another network
  assert.deepEqual(said, []);
});

test("stepping by hand says each event at once", () => {
  const { announcer, said } = setup();
  announcer.follow(pb(0, false), request);
  for (const cursor of [1, 2, 1]) announcer.follow(pb(cursor, false), request);
  assert.deepEqual(said, ["event 1", "event 2", "event 1"]);
});

test("playing says at most one event per gap, the latest, then where it stopped", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const { announcer, said, clock } = setup();
    announcer.follow(pb(0, false), request);
    announcer.follow(pb(0, true), request);
    announcer.follow(pb(1, true), request); // the first event: at once
    assert.deepEqual(said, ["event 1"]);
    for (let cursor = 2; cursor <= 6; cursor++) {
      clock.t += 100;
      announcer.follow(pb(cursor, true), request);
    }
    assert.deepEqual(said, ["event 1"]); // nothing yet: within the gap
    clock.t += PLAYING_GAP;
    mock.timers.tick(PLAYING_GAP);
    assert.deepEqual(said, ["event 1", "event 6"]); // the latest event when the gap ended
    clock.t += 100;
    announcer.follow(pb(7, true), request);
    announcer.follow(pb(8, false), request); // the player stops: at once, no waiting
    assert.deepEqual(said, ["event 1", "event 6", "event 8"]);
    mock.timers.tick(10 * PLAYING_GAP);
    assert.equal(said.length, 3); // the pending one was said by the stop, not again
  } finally {
    mock.timers.reset();
  }
});

test("a stop where the last announcement already is says nothing twice", () => {
  const { announcer, said } = setup();
  announcer.follow(pb(0, false), request);
  announcer.follow(pb(0, true), request);
  announcer.follow(pb(1, true), request);
  announcer.follow(pb(1, false), request);
  assert.deepEqual(said, ["event 1"]);
});

test("an error is said at once, even while playing", () => {
  const { announcer, said } = setup();
  announcer.follow(pb(0, false), request);
  announcer.follow(pb(0, true), request);
  announcer.follow(pb(1, true), request);
  announcer.follow(pb(1, true, "the server refused"), request);
  assert.deepEqual(said, ["event 1", "error: the server refused"]);
});
