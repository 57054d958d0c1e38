import type { MlpBatches, MlpData, MlpForwardLayer, MlpLayerArrays, UpdateRule } from '../backend.js';
import type { MlpLoss, MlpMetric } from '../kinds.js';
import { argmax } from './reduce.js';
import { crossentropy, crossentropyBackward } from './crossentropy.js';
import { dense, denseBackward } from './dense.js';
import { updateBy } from '../update-rule.js';
import { UPDATES } from './optimizers.js';

/** The dense stack's forward, layer by layer through the reference dense kernel (the oracle of mlpForwardF32). */
export function mlpForward(x: Float32Array, layers: readonly MlpForwardLayer[], rows: number, out: Float32Array): void {
  let input = x;
  layers.forEach((l, i) => {
    const y = i === layers.length - 1 ? out : new Float32Array(rows * l.n);
    dense(input, l.w, l.b, y, { m: rows, k: l.k, n: l.n }, l.act);
    input = y;
  });
}

/** The fused dense-stack training steps, composed from the reference kernels (the oracle of the native mlpTrainF32). */
export function mlpTrain(
  data: MlpData,
  layers: readonly MlpLayerArrays[],
  batches: MlpBatches,
  loss: MlpLoss,
  eps: number,
  metric: MlpMetric,
  rule: UpdateRule | null,
  out: Float64Array,
): void {
  const k0 = layers[0].k,
    cols = layers[layers.length - 1].n;
  for (let j = 0; j < batches.steps; j++) {
    const from = batches.start + j * batches.batch;
    const to = Math.min(from + batches.batch, data.rows);
    const row = (i: number) => (data.order ? data.order[i] : i);
    const x = new Float32Array((to - from) * k0),
      y = new Float32Array((to - from) * cols);
    for (let i = from; i < to; i++) {
      x.set(data.x.subarray(row(i) * k0, (row(i) + 1) * k0), (i - from) * k0);
      y.set(data.y.subarray(row(i) * cols, (row(i) + 1) * cols), (i - from) * cols);
    }
    const r = mlpStep(x, y, layers, to - from, loss, eps, metric);
    out[2 * j] = r.loss;
    out[2 * j + 1] = r.metric;
    if (!rule) continue;
    for (const l of layers) {
      update(rule, j, l.w, l.dw, l.wSlots);
      if (l.b.length) update(rule, j, l.b, l.db, l.bSlots);
    }
  }
}

function update(
  rule: UpdateRule,
  later: number,
  param: Float32Array,
  grad: Float32Array,
  s: readonly Float32Array[],
): void {
  updateBy(
    UPDATES,
    rule.kind === 'adam' ? { kind: 'adam', h: { ...rule.h, t: rule.h.t + later } } : rule,
    param,
    grad,
    s,
  );
}

/** One batch: x [batch, k0], y [batch, n_last]; every dw/db overwritten. */
function mlpStep(
  x: Float32Array,
  y: Float32Array,
  layers: readonly MlpLayerArrays[],
  batch: number,
  loss: MlpLoss,
  eps: number,
  metric: MlpMetric,
): { loss: number; metric: number } {
  const acts = layers.map((l) => new Float32Array(batch * l.n));
  layers.forEach((l, i) => dense(i ? acts[i - 1] : x, l.w, l.b, acts[i], { m: batch, k: l.k, n: l.n }, l.act));
  const p = acts[acts.length - 1];
  const cols = layers[layers.length - 1].n;
  const rowLoss = new Float32Array(batch);
  let dy = new Float32Array(batch * cols);
  if (loss === 'meanSquaredError') {
    for (let r = 0; r < batch; r++) {
      let acc = 0;
      for (let j = 0; j < cols; j++) {
        const d = p[r * cols + j] - y[r * cols + j];
        acc += d * d;
        dy[r * cols + j] = (1 / batch) * ((2 * d) / cols);
      }
      rowLoss[r] = acc / cols;
    }
  } else {
    const kind = loss === 'binaryCrossentropy' ? 'binary' : 'categorical';
    crossentropy(kind, y, p, rowLoss, batch, cols, eps);
    crossentropyBackward(kind, y, p, new Float32Array(batch).fill(1 / batch), dy, batch, cols, eps);
  }
  let total = 0;
  for (const v of rowLoss) total += v;
  const result = { loss: batch ? total / batch : NaN, metric: metricOf(metric, y, p, batch, cols) };
  if (layers[0].dw.length === 0) return result; // evaluation: no gradients
  // Softmax + categorical and sigmoid + binary crossentropy: the exact gradient with respect to the logits, as
  // the fused losses of lib/losses/crossentropy.ts take it.
  const last = layers[layers.length - 1].act;
  const fused =
    (loss === 'categoricalCrossentropy' && last === 'softmax') || (loss === 'binaryCrossentropy' && last === 'sigmoid');
  if (fused)
    for (let r = 0; r < batch; r++) {
      let sy = 0;
      for (let j = 0; j < cols; j++) sy += y[r * cols + j];
      for (let j = 0; j < cols; j++) {
        const i = r * cols + j;
        dy[i] =
          loss === 'categoricalCrossentropy'
            ? (1 / batch) * (p[i] * sy - y[i])
            : (1 / batch) * ((p[i] - y[i]) * (1 / cols));
      }
    }
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i];
    const dx = i ? new Float32Array(batch * l.k) : new Float32Array(0);
    const act = fused && i === layers.length - 1 ? 'linear' : l.act;
    denseBackward(i ? acts[i - 1] : x, l.w, acts[i], dy, { dx, dw: l.dw, db: l.db }, { m: batch, k: l.k, n: l.n }, act);
    dy = dx;
  }
  return result;
}

function metricOf(metric: MlpMetric, y: Float32Array, p: Float32Array, rows: number, cols: number): number {
  if (metric === 'none' || rows === 0) return 0;
  let total = 0;
  if (metric === 'binaryAccuracy') {
    for (let r = 0; r < rows; r++) {
      let hits = 0;
      for (let j = 0; j < cols; j++) hits += +(y[r * cols + j] === (p[r * cols + j] > 0.5 ? 1 : 0));
      total += hits / cols;
    }
  } else {
    const ay = new Float32Array(rows),
      ap = new Float32Array(rows);
    argmax(y, ay, { outer: rows, n: cols, inner: 1 });
    argmax(p, ap, { outer: rows, n: cols, inner: 1 });
    for (let r = 0; r < rows; r++) total += +(ay[r] === ap[r]);
  }
  return total / rows;
}
