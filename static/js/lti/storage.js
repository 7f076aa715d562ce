// The login's binding in the platform's storage (templates/lti/storage.html; the 1EdTech
// "LTI Client Side postMessages" lti.put_data / lti.get_data): the way a launch is bound to
// the browser that began it when a frame's cookies are blocked.
const main = document.querySelector("[data-lti-storage]");
const { target, origin, key, value } = main.dataset;
// How long the platform has to answer before the page gives up (ms).
const WAIT_MS = 5000;
const RESEND_MS = 250;

function storageFrame() {
  if (!window.parent || window.parent === window) return null;
  if (target === "_parent") return window.parent;
  try {
    return window.parent.frames[target] || null;
  } catch {
    return null;
  }
}

/** Send one message to the platform's storage frame; resolves with its answer or null. */
function ask(message) {
  const frame = storageFrame();
  if (!frame) return Promise.resolve(null);
  const id = `backprop-viz-${Math.random().toString(36).slice(2)}`;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), WAIT_MS);
    // Sent again until answered: the platform's storage frame may still be loading (a
    // message to a frame whose page is not there yet is dropped), and put and get are the
    // same however often they come.
    const send = () => frame.postMessage({ ...message, message_id: id }, origin);
    const again = setInterval(send, RESEND_MS);
    function done(answer) {
      clearTimeout(timer);
      clearInterval(again);
      window.removeEventListener("message", onMessage);
      resolve(answer);
    }
    function onMessage(event) {
      if (event.origin !== origin || !event.data || event.data.message_id !== id) return;
      done(event.data);
    }
    window.addEventListener("message", onMessage);
    send();
  });
}

async function put() {
  await ask({ subject: "lti.put_data", key, value });
  location.href = main.dataset.next; // on: the state cookie may carry the login where storage did not
}

async function get() {
  const answer = await ask({ subject: "lti.get_data", key });
  if (!answer || answer.subject !== "lti.get_data.response" || typeof answer.value !== "string") {
    main.querySelector('[data-bind="wait"]').hidden = true;
    main.querySelector('[data-bind="failed"]').hidden = false;
    return;
  }
  const form = main.querySelector("form");
  form.elements.lti_binding.value = answer.value;
  form.submit();
}

(main.dataset.ltiStorage === "put" ? put : get)();
