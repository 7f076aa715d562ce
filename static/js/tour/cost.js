// Chapter 2's measurement: the cost of ∇L by finite differences (two forward passes per
// parameter) against backpropagation (one forward and one backward pass), as the server
// counted and timed them. Filled in once the server's cost endpoint is there.

export class CostView {
  constructor(el, { store, on }) {
    this.el = el;
    this.store = store;
    this.on = on;
  }

  measure() {}
}
