// The drawing's transient effects, on an overlay SVG so that the network itself does not
// repaint while things move: values travelling along the links (forward: each source's a,
// the ∂z/∂w of the weight it crosses; backward: the next layer's ∂l/∂z, or ∂l/∂a from the
// loss), a pulse on the neuron or the loss an event reaches, a glow on the links whose
// gradient or update it brings. The player waits; this only starts them.

import "../../vendor/d3/d3-transition.min.mjs"; // selection.transition()

import { DRAWING_DIGITS, short } from "../text/format.js";

const num = (x) => short(x, DRAWING_DIGITS);

export class Effects {
  /**
   * @param {object} svg  the overlay (a d3 selection), above the network's SVG
   * @param {{layout: object, links: object}} drawing  the links drawing: its layout and links
   */
  constructor(svg, drawing) {
    this.svg = svg;
    this.drawing = drawing;
  }

  /** Stop every running effect (pause, seek, new trace). */
  interrupt() {
    this.svg.selectAll("*").interrupt().remove();
  }

  /**
   * Start one event's effect, lasting `duration` ms (the player does the waiting). Returns
   * how long its values travel (ms) before they arrive: the player shows the event's
   * numbers then, so a neuron lights up when its inputs reach it.
   * With `still` (prefers-reduced-motion), nothing moves: the drawing simply changes.
   */
  animate(event, view, duration, { still = false } = {}) {
    const lay = this.drawing.layout;
    if (still || duration < 30 || !lay) return 0;
    const pos = (l, j) => lay.neurons[l][j];
    const flows = [];
    const L = lay.neurons.length - 1;
    const loss = { x: lay.lossBox.x, y: lay.lossBox.y };
    // What flows: in the forward pass each source's a (the ∂z/∂w of the weight it crosses);
    // in the backward pass the next layer's ∂l/∂z (or ∂l/∂a from the loss, case 1).
    const n = view.neurons;
    const roomy = (gap) => !!lay.weightLabels[gap];
    switch (event.type) {
      case "forward": {
        const show = roomy(event.layer - 1);
        for (const src of lay.neurons[event.layer - 1]) {
          flows.push([src, pos(event.layer, event.node), "fwd", show ? n[src.layer][src.node].a : null]);
        }
        break;
      }
      case "loss":
        for (const o of lay.output) flows.push([o, loss, "fwd", n[L][o.node].a]);
        break;
      case "backward":
        if (event.layer === L) flows.push([loss, pos(L, event.node), "back", event.dl_da]);
        else {
          const show = roomy(event.layer);
          for (const dst of lay.neurons[event.layer + 1]) {
            flows.push([dst, pos(event.layer, event.node), "back", show ? n[dst.layer][dst.node].dl_dz : null]);
          }
        }
        break;
      default:
        break;
    }
    const travel = duration * 0.7;
    const r = lay.r;
    for (const [a, b, kind, value] of flows) {
      this.svg
        .append("circle")
        .attr("class", `flow ${kind}`)
        .attr("r", Math.max(2.5, r * 0.22))
        .attr("cx", a.x)
        .attr("cy", a.y)
        .transition()
        .duration(travel)
        .attr("cx", b.x)
        .attr("cy", b.y)
        .remove();
      if (value === null || value === undefined) continue;
      this.svg
        .append("text")
        .attr("class", `flow-value ${kind}`)
        .attr("x", a.x)
        .attr("y", a.y - 8)
        .text(num(value))
        .transition()
        .duration(travel)
        .attr("x", b.x)
        .attr("y", b.y - 8)
        .remove();
    }
    let ring = null;
    if (event.type === "loss" || event.type === "done") ring = { ...loss, x: loss.x + lay.lossBox.w / 2, rr: lay.lossBox.w * 0.6 };
    else if (event.layer !== undefined) ring = { ...pos(event.layer, event.node), rr: r };
    if (ring) {
      this.svg
        .append("circle")
        .attr("class", `pulse ${event.type}`)
        .attr("cx", ring.x)
        .attr("cy", ring.y)
        .attr("r", ring.rr)
        .style("opacity", 0)
        .transition()
        .delay(flows.length ? travel : 0)
        .duration(duration - (flows.length ? travel : 0))
        .attr("r", ring.rr * 1.6)
        .styleTween("opacity", () => (t) => String(Math.sin(Math.PI * t) * 0.9))
        .remove();
    }
    if (event.type === "gradient" || event.type === "update") {
      const links = this.drawing.links.filter((d) => d.l === event.layer - 1 && d.j === event.node);
      const nodes = [];
      links.each((d) => nodes.push(d));
      this.svg
        .selectAll(null)
        .data(nodes)
        .join("path")
        .attr("class", `glow ${event.type}`)
        .attr("d", (d) => `M${d.x0},${d.y0}L${d.x1},${d.y1}`)
        .style("opacity", 0)
        .transition()
        .duration(duration)
        .styleTween("opacity", () => (t) => String(Math.sin(Math.PI * t) * 0.8))
        .remove();
    }
    return flows.length ? travel : 0;
  }
}
