// A snapshot's pictures as typed arrays: each lattice (the boundary's values, every hidden
// neuron's) becomes rows of Float32Array views on one buffer, so that the stream's worker
// hands it to the page by transfer instead of a copy of 2,500 numbers. The drawing reads
// values[i][j] and values.length either way. Float32 keeps the server's 4 decimals (the
// pictures are colours; the numbers the page shows come from the networks, which stay JSON).

/** Rows of Float32Array views on one buffer, from an array of rows; the buffer goes into `transfer`. */
export function packRows(rows, transfer) {
  const n = rows.length;
  const m = n ? rows[0].length : 0;
  const flat = new Float32Array(n * m);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    const view = flat.subarray(i * m, (i + 1) * m);
    for (let j = 0; j < m; j++) view[j] = row[j] ?? NaN;
    out[i] = view;
  }
  transfer.push(flat.buffer);
  return out;
}

/** Pack a snapshot event's lattices in place (other events pass through); returns the event. */
export function packLattices(event, transfer) {
  if (event.type !== "snapshot") return event;
  const b = event.boundary;
  if (b && Array.isArray(b.values)) b.values = packRows(b.values, transfer);
  if (Array.isArray(event.neurons)) for (const n of event.neurons) n.values = packRows(n.values, transfer);
  return event;
}
