// The mini-batch view: a batch of training points through POST /api/v1/trace/batch, each
// example's ∂lⁿ/∂w on one link, their sum (the server's L with reduction "sum") and mean
// (reduction "mean", the L the training uses), and the step that makes: η·∂L/∂w and the
// weight before and after, from the answer's network. Every number is the server's.

import { column, full, pair, short } from "../text/format.js";
import { S } from "../text/strings.js";

/** The body of POST /trace/batch for these training points. */
export function batchBody(network, train, indices, learningRate, reduction) {
  return {
    network,
    inputs: indices.map((k) => train.inputs[k]),
    targets: indices.map((k) => train.targets[k]),
    learning_rate: learningRate,
    reduction,
  };
}

/** Every weight as {layer (the API's index), from, to}, for the link picker. */
export function allLinks(network) {
  const out = [];
  network.layers.slice(1).forEach((size, l) => {
    for (let to = 0; to < size; to++) for (let from = 0; from < network.layers[l]; from++) out.push({ layer: l, from, to });
  });
  return out;
}

export const linkKey = ({ layer, from, to }) => `${layer}:${from}:${to}`;

const cell = (tag, text, attrs = {}) => {
  const el = document.createElement(tag);
  el.textContent = text;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
};

/**
 * Draw the batch's table into `container`.
 * @param {object} o {indices, train, link, mean, sum, learningRate, next}: `mean` and `sum` are
 *   the /trace/batch answers for the same batch with reduction "mean" and "sum"; `next`
 *   ({epoch, plain, optimizer}, or null): the batch is the run's next step's, which is this
 *   plain step when `plain` (SGD without regularisation).
 */
export function renderBatch(container, { indices, train, link, mean, sum, learningRate, next = null }) {
  if (!indices.length || !mean || !sum) {
    container.replaceChildren(cell("p", S.batchEmpty, { class: "train-hint" }));
    return;
  }
  const { layer, from, to } = link;
  const perExample = mean.layers[layer + 1].dl_dw;
  const table = document.createElement("table");
  table.className = "batch-table";
  const head = table.createTHead().insertRow();
  for (const h of S.batchHeaders) head.append(cell("th", h));
  const body = table.createTBody();
  // One formatter a column: a column of class targets reads 0 and 1 in every row.
  const inputText = column(indices.flatMap((k) => train.x[k]));
  const targetText = column(indices.flatMap((k) => train.targets[k]));
  indices.forEach((k, n) => {
    const g = perExample[n][to][from];
    const tr = body.insertRow();
    tr.dataset.index = String(k);
    tr.dataset.dlDw = full(g).replace("\u2212", "-");
    tr.dataset.loss = String(mean.losses[n]);
    tr.append(
      cell("td", String(n + 1)),
      cell("td", train.x[k].map(inputText).join(", ")),
      cell("td", train.targets[k].map(targetText).join(", ")),
      cell("td", short(mean.losses[n]), { title: full(mean.losses[n]) }),
      cell("td", short(g), { title: full(g) }),
    );
  });
  const gSum = sum.gradients.weights[layer][to][from];
  const gMean = mean.gradients.weights[layer][to][from];
  const w0 = mean.request_network ? mean.request_network.weights[layer][to][from] : null;
  const w1 = mean.network.weights[layer][to][from];
  const foot = table.createTFoot();
  const row = (label, value, attrs) => {
    const tr = foot.insertRow();
    Object.assign(tr.dataset, attrs);
    const th = cell("th", label, { colspan: "4" });
    tr.append(th, cell("td", short(value), { title: full(value) }));
  };
  row(S.batchSum, gSum, { role: "sum", value: String(gSum) });
  row(S.batchMean(indices.length), gMean, { role: "mean", value: String(gMean) });
  const summary = document.createElement("div");
  summary.className = "batch-summary";
  summary.append(
    cell("p", S.batchLoss(short(mean.loss)), { "data-role": "loss", "data-value": String(mean.loss), title: full(mean.loss) }),
    cell("p", S.batchStep(short(learningRate), short(gMean)), { "data-role": "step", "data-eta": String(learningRate), "data-value": String(gMean) }),
    cell("p", S.batchWeight(...(w0 === null ? ["?", short(w1)] : pair(w0, w1))), {
      "data-role": "weight",
      "data-w-before": String(w0),
      "data-w-after": String(w1),
      title: `${full(w0)} → ${full(w1)}`,
    }),
  );
  if (next) summary.append(cell("p", S.batchIsNext(next.epoch, next.plain, next.optimizer), { "data-role": "next" }));
  container.replaceChildren(table, summary);
}
