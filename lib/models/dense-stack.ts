import { isDebug } from '../autograd/index.js';
import type { MlpLayerArrays } from '../backend/backend.js';
import { backend } from '../backend/index.js';
import { DENSE_ACTIVATIONS, type DenseActivation, type MlpLoss, type MlpMetric } from '../backend/kinds.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import type { Loss } from '../losses/index.js';
import { EPS } from '../losses/crossentropy.js';
import { METRICS, type Metric } from '../metrics/index.js';
import { Tensor } from '../tensor/tensor.js';

const LOSSES: readonly string[] = ['binaryCrossentropy', 'categoricalCrossentropy', 'meanSquaredError'] satisfies MlpLoss[];
/** Which metric the fused step computes for m: by its function, since 'accuracy' keeps the user's name. */
function metricKind(m: Metric): MlpMetric | null {
  if (m.perSample === METRICS.binaryAccuracy.perSample) return 'binaryAccuracy';
  if (m.perSample === METRICS.categoricalAccuracy.perSample) return 'categoricalAccuracy';
  return null;
}

/**
 * The training step of a Sequential stack of Dense layers as one native call (forward, loss, metric and
 * every gradient: Backend.mlpStep) followed by the optimizer's own fused updates. For small models the
 * op-by-op step is bound by per-op overhead (about 40 op calls, their allocations and N-API crossings a
 * step: W1 of BENCH.md); this path does the same arithmetic in one crossing. It applies only where it is
 * exactly the op-by-op step: the native backend, debug mode off, Dense layers with fused activations,
 * every weight trainable, rank-2 data, and a loss and at most one metric it implements; else null.
 */
export class DenseStackStep {
  private readonly layers: MlpLayerArrays[];
  private readonly grads: [Variable, Tensor][] = [];

  private constructor(
    dense: readonly Dense[],
    private readonly loss: MlpLoss,
    private readonly metric: MlpMetric,
    private readonly metricName: string,
  ) {
    this.layers = dense.map((l) => {
      const [kernel, bias] = l.weights;
      const gk = new Tensor(new Float32Array(kernel.value.size), kernel.shape);
      const gb = bias ? new Tensor(new Float32Array(bias.value.size), bias.shape) : null;
      this.grads.push([kernel, gk]);
      if (bias && gb) this.grads.push([bias, gb]);
      const [k, n] = kernel.shape;
      return {
        w: kernel.value.data, b: bias?.value.data ?? new Float32Array(0),
        dw: gk.data, db: gb?.data ?? new Float32Array(0),
        k, n, act: l.activationName as DenseActivation,
      };
    });
  }

  /** The fused step for this model, loss and metrics, or null when only the op-by-op step is exact. */
  static plan(layers: readonly Layer[], loss: Loss, metrics: readonly Metric[]): DenseStackStep | null {
    if (backend().name !== 'native' || isDebug() || layers.length === 0) return null;
    if (!LOSSES.includes(loss.name) || metrics.length > 1) return null;
    const metric = metrics.length ? metricKind(metrics[0]) : 'none';
    if (!metric) return null;
    const dense: Dense[] = [];
    for (const l of layers) {
      if (!(l instanceof Dense) || l.constructor !== Dense || !l.built) return null; // a subclass may change call()
      const d = l;
      if (!(DENSE_ACTIVATIONS as readonly string[]).includes(d.activationName)) return null;
      if (d.weights.some((v) => !v.trainable) || d.weights[0].shape.length !== 2) return null;
      dense.push(d);
    }
    return new DenseStackStep(dense, loss.name as MlpLoss, metric, metrics[0]?.name ?? '');
  }

  /** Whether this batch can take the fused step (rank-2 x and y of the model's widths, the backend unchanged). */
  accepts(x: Tensor, y: Tensor): boolean {
    const first = this.layers[0], last = this.layers[this.layers.length - 1];
    return (
      backend().name === 'native' && x.rank === 2 && y.rank === 2 && x.shape[1] === first.k && y.shape[1] === last.n &&
      y.shape[0] === x.shape[0] && x.shape[0] > 0
    );
  }

  /** One step: gradients into each weight's .grad (reused tensors), then the batch's loss and metric values. */
  run(x: Tensor, y: Tensor): Record<string, number> {
    const r = backend().mlpStep(x.data, y.data, this.layers, x.shape[0], this.loss, EPS, this.metric);
    for (const [v, g] of this.grads) v.value.grad = g;
    return this.metric === 'none' ? { loss: r.loss } : { loss: r.loss, [this.metricName]: r.metric };
  }

  /** The variables whose .grad run() sets, in the model's order. */
  get variables(): Variable[] {
    return this.grads.map(([v]) => v);
  }
}
