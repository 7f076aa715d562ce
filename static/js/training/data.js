// The user's data and files, pure: CSV in (with a clear message for every way it can be
// wrong) and out, and the saved training state (network + settings + data + progress) as
// JSON, read back to exactly the same state (numbers as their shortest round-trip text).

import { S } from "../text/strings.js";
import { DEFAULT_SETTINGS } from "./state.js";

export const SAVE_FORMAT = "backprop-viz-training";
export const SAVE_VERSION = 1;
export const MAX_CSV_ROWS = 5000;

/**
 * A CSV problem, with the line it is on (1 is the header) when there is one, and the column
 * (1-based) and its header name when it is one cell's.
 */
export class CsvError extends Error {
  constructor(message, line = null, column = null, name = null) {
    super(line ? S.pointAt({ line, column, name }, message) : message);
    this.line = line;
    this.column = column;
  }
}

const splitRow = (line) => line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, "$1").trim());

/**
 * Read `x1,x2,label` (or `x1,…,xk,label`) CSV text: {x: [[x1, …]], labels: [..], lines,
 * columns}: `lines[i]` is the file's line of point i (a later refusal names it), `columns`
 * the header's names. Throws CsvError naming the line and column of the first problem.
 */
export function parseCsv(text) {
  const lines = String(text).replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const numbered = lines.map((line, k) => ({ line, n: k + 1 })).filter(({ line }) => line.trim() !== "");
  if (numbered.length === 0) throw new CsvError(S.csvEmpty);
  const header = splitRow(numbered[0].line).map((h) => h.toLowerCase());
  const inputs = header.length - 1;
  const expected = [...Array.from({ length: Math.max(inputs, 2) }, (_, i) => `x${i + 1}`), "label"];
  if (inputs < 1 || header.at(-1) !== "label" || header.slice(0, -1).some((h, i) => h !== `x${i + 1}`)) {
    throw new CsvError(S.csvHeader(expected.join(","), numbered[0].line.trim().slice(0, 80)), numbered[0].n);
  }
  const rows = numbered.slice(1);
  if (rows.length === 0) throw new CsvError(S.csvNoPoints);
  if (rows.length > MAX_CSV_ROWS) throw new CsvError(S.csvTooMany(rows.length, MAX_CSV_ROWS));
  const x = [];
  const labels = [];
  const where = [];
  for (const { line, n } of rows) {
    const cells = splitRow(line);
    if (cells.length !== header.length) {
      throw new CsvError(S.csvColumns(cells.length, header.length, header.join(",")), n);
    }
    const values = cells.map((cell, c) => {
      const v = cell === "" ? NaN : Number(cell);
      if (!Number.isFinite(v)) throw new CsvError(S.csvNotNumber(cell.slice(0, 40)), n, c + 1, header[c]);
      return v;
    });
    x.push(values.slice(0, -1));
    labels.push(values.at(-1));
    where.push(n);
  }
  return { x, labels, lines: where, columns: header };
}

/** CSV text of points {x, labels}: a header x1,…,xk,label, then one row each. */
export function toCsv({ x, labels }) {
  const width = x.length ? x[0].length : 2;
  const header = [...Array.from({ length: width }, (_, i) => `x${i + 1}`), "label"].join(",");
  const rows = x.map((row, k) => [...row, labels[k]].map(String).join(","));
  return `${header}\n${rows.join("\n")}\n`;
}

/** The saved state: the network (with its weights), the settings, the data, the progress. */
export function saveFile({ network, settings, points, run }) {
  return {
    format: SAVE_FORMAT,
    version: SAVE_VERSION,
    network: structuredClone(network),
    settings: structuredClone(settings),
    points: points ? structuredClone(points) : null,
    run: {
      epoch: run.epoch,
      step: run.step,
      steps_per_epoch: run.steps_per_epoch ?? null,
      optimizer_state: run.optimizer_state ?? null,
      train_loss: run.train_loss,
      test_loss: run.test_loss,
      train_accuracy: run.train_accuracy,
      test_accuracy: run.test_accuracy,
      history: structuredClone(run.history),
    },
  };
}

/** Read a saved state back; throws an Error saying what is wrong with the file. */
export function readSaveFile(text) {
  let saved;
  try {
    saved = typeof text === "string" ? JSON.parse(text) : text;
  } catch (err) {
    throw new Error(S.saveNotJson(err.message));
  }
  if (!saved || typeof saved !== "object" || saved.format !== SAVE_FORMAT) {
    throw new Error(S.saveNotTraining(SAVE_FORMAT));
  }
  if (saved.version !== SAVE_VERSION) throw new Error(S.saveVersion(saved.version, SAVE_VERSION));
  const net = saved.network;
  if (!net || !Array.isArray(net.layers) || !Array.isArray(net.weights) || !Array.isArray(net.biases)) {
    throw new Error(S.saveIncomplete);
  }
  const settings = { ...structuredClone(DEFAULT_SETTINGS), ...(saved.settings || {}) };
  const run = saved.run || {};
  return {
    network: net,
    settings,
    points: saved.points || null,
    run: {
      epoch: run.epoch ?? 0,
      step: run.step ?? 0,
      steps_per_epoch: run.steps_per_epoch ?? null,
      optimizer_state: run.optimizer_state ?? null,
      train_loss: run.train_loss ?? null,
      test_loss: run.test_loss ?? null,
      train_accuracy: run.train_accuracy ?? null,
      test_accuracy: run.test_accuracy ?? null,
      history: Array.isArray(run.history) ? run.history : [],
    },
  };
}
