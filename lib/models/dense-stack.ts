import { isDebug } from '../autograd/index.js';
import type { MlpForwardLayer, MlpLayerArrays } from '../backend/backend.js';
import type { Optimizer } from '../optimizers/index.js';
import { backend } from '../backend/index.js';
import { DENSE_ACTIVATIONS, type DenseActivation, type MlpLoss, type MlpMetric } from '../backend/kinds.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import type { Loss } from '../losses/index.js';
import { EPS } from '../losses/crossentropy.js';
import { METRICS, type Metric } from '../metrics/index.js';
import { Tensor } from '../tensor/tensor.js';

const NONE = new Float32Array(0);
const LOSSES: readonly string[] = [
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'meanSquaredError',
] satisfies MlpLoss[];
/** Which metric the fused step computes for m: by its function, since 'accuracy' keeps the user's name. */
function metricKind(m: Metric): MlpMetric | null {
  if (m.perSample === METRICS.binaryAccuracy.perSample) return 'binaryAccuracy';
  if (m.perSample === METRICS.categoricalAccuracy.perSample) return 'categoricalAccuracy';
  return null;
}

/**
 * The training steps of a Sequential stack of Dense layers as native calls (Backend.mlpTrain): per batch the
 * forward pass, loss, metric, every gradient and the optimizer's update, for many batches a call. For small
 * models the op-by-op step is bound by per-op overhead (about 40 op calls, their allocations and N-API
 * crossings a step: W1 of BENCH.md); this path does the same arithmetic with one crossing for many steps. It
 * applies only where it is exactly the op-by-op step: the native backend, debug mode off, Dense layers with
 * fused activations, every weight trainable, rank-2 data, and a loss and at most one metric it implements;
 * else plan() gives null. An optimizer whose update is not a built-in rule (a subclass's own update()) gets
 * the gradients from here and updates op by op, one batch a call.
 */
export class DenseStackStep {
  private readonly dense: readonly Dense[];
  /** Each weight with its gradient tensor, made on first train() (evaluate() needs none). */
  private gradTensors: [Variable, Tensor][] | undefined;
  /** The arrays mlpTrain takes, rebuilt when the optimizer or its slot arrays change. */
  private arrays: MlpLayerArrays[] = [];
  private arraysFor: { optimizer: Optimizer | null; slots: Float32Array[][] } = { optimizer: null, slots: [] };
  private out = new Float64Array(2);
  /** The arrays for evaluate(): the layers' weights without gradients. */
  private evalArrays: MlpLayerArrays[] | undefined;

  private constructor(
    dense: readonly Dense[],
    private readonly loss: MlpLoss,
    private readonly metric: MlpMetric,
    private readonly metricName: string,
  ) {
    this.dense = dense;
  }

  private get grads(): [Variable, Tensor][] {
    return (this.gradTensors ??= this.dense.flatMap((l) =>
      l.weights.map((v): [Variable, Tensor] => [v, new Tensor(new Float32Array(v.value.size), v.shape)]),
    ));
  }

  /** The fused steps for this model, loss and metrics, or null when only the op-by-op step is exact. */
  static plan(layers: readonly Layer[], loss: Loss, metrics: readonly Metric[]): DenseStackStep | null {
    const step = DenseStackStep.forEvaluation(layers, loss, metrics);
    return step && layers.every((l) => l.weights.every((v) => v.trainable)) ? step : null;
  }

  /** The same for evaluate() only (evaluate; no train()): frozen weights allowed. */
  static forEvaluation(layers: readonly Layer[], loss: Loss, metrics: readonly Metric[]): DenseStackStep | null {
    if (backend().name !== 'native' || isDebug() || layers.length === 0) return null;
    if (!LOSSES.includes(loss.name) || metrics.length > 1) return null;
    const metric = metrics.length ? metricKind(metrics[0]) : 'none';
    if (!metric || !layers.every((l) => fusable(l) && !l.regularized)) return null;
    return new DenseStackStep(layers as Dense[], loss.name as MlpLoss, metric, metrics[0]?.name ?? '');
  }

  /** Whether these samples can take the fused steps (rank-2 x and y of the model's widths, the backend unchanged). */
  accepts(x: Tensor, y: Tensor): boolean {
    const first = this.dense[0].weights[0].shape,
      last = this.dense[this.dense.length - 1].weights[0].shape;
    return (
      backend().name === 'native' &&
      x.rank === 2 &&
      y.rank === 2 &&
      x.shape[1] === first[0] &&
      y.shape[1] === last[1] &&
      y.shape[0] === x.shape[0] &&
      x.shape[0] > 0
    );
  }

  /**
   * Train on `steps` batches of `batch` rows of x and y from row `start` of `order` (null: in order), updating
   * the weights with the optimizer's rule, at most one batch when the optimizer has none (then it is left to
   * optimizer.step). Returns how many batches ran; values(j) gives batch j's loss and metric until the next call.
   */
  train(
    x: Tensor,
    y: Tensor,
    order: Int32Array | null,
    start: number,
    batch: number,
    steps: number,
    optimizer: Optimizer,
  ): number {
    // Constraints project the weights after each step: one step at a time, through optimizer.step.
    const rule = this.variables.some((v) => v.constraint) ? null : optimizer.fusedRule();
    if (!rule) steps = 1;
    if (this.out.length < 2 * steps) this.out = new Float64Array(2 * steps);
    const data = { x: x.data, y: y.data, rows: x.shape[0], order };
    backend().mlpTrain(
      data,
      this.layerArrays(rule ? optimizer : null),
      { start, batch, steps },
      this.loss,
      EPS,
      this.metric,
      rule,
      this.out,
    );
    for (const [v, g] of this.grads) v.value.grad = g;
    if (rule) optimizer.iterations += steps;
    else optimizer.step(this.variables);
    return steps;
  }

  /**
   * Loss and metric of `steps` batches of `batch` rows of x and y from row `start`, in order, without gradients
   * (fit's validation); values(j) gives batch j's. The same forward, loss and metric arithmetic as train().
   */
  evaluate(x: Tensor, y: Tensor, start: number, batch: number, steps: number): void {
    if (this.out.length < 2 * steps) this.out = new Float64Array(2 * steps);
    const data = { x: x.data, y: y.data, rows: x.shape[0], order: null };
    this.evalArrays ??= this.dense.map((l) => ({ ...forwardLayer(l), dw: NONE, db: NONE, wSlots: [], bSlots: [] }));
    backend().mlpTrain(data, this.evalArrays, { start, batch, steps }, this.loss, EPS, this.metric, null, this.out);
  }

  /** Batch j's loss and metric from the last train() or evaluate() call, as Logs. */
  values(j: number): Record<string, number> {
    const loss = this.out[2 * j];
    return this.metric === 'none' ? { loss } : { loss, [this.metricName]: this.out[2 * j + 1] };
  }

  /** The variables whose .grad train() sets, in the model's order. */
  get variables(): Variable[] {
    return this.grads.map(([v]) => v);
  }

  private layerArrays(optimizer: Optimizer | null): MlpLayerArrays[] {
    const slots = optimizer ? this.grads.map(([v]) => optimizer.slotsFor(v)) : [];
    const last = this.arraysFor;
    if (this.arrays.length && last.optimizer === optimizer && slots.every((s, i) => s === last.slots[i]))
      return this.arrays;
    this.arraysFor = { optimizer, slots };
    let i = 0;
    const next = () => ({ g: this.grads[i][1].raw, s: slots[i++] ?? [] });
    this.arrays = this.dense.map((l) => {
      const gk = next();
      const gb = l.weights[1] ? next() : { g: NONE, s: [] };
      return { ...forwardLayer(l), dw: gk.g, db: gb.g, wSlots: gk.s, bSlots: gb.s };
    });
    return this.arrays;
  }
}

/**
 * A layer the fused kernels compute exactly: Dense itself (a subclass may change call()), built, with a 2-D kernel of
 * no zero size (the op-by-op path gives those empty outputs) and an activation the kernels fuse.
 */
function fusable(l: Layer): l is Dense {
  if (!(l instanceof Dense) || l.constructor !== Dense || !l.built) return false;
  const shape = l.weights[0].shape;
  return (
    shape.length === 2 &&
    shape[0] > 0 &&
    shape[1] > 0 &&
    (DENSE_ACTIVATIONS as readonly string[]).includes(l.activationName)
  );
}

/** A Dense layer's weights as the fused kernels take them (views of its variables: updates write them in place). */
function forwardLayer(l: Dense): MlpForwardLayer {
  const [kernel, bias] = l.weights;
  const [k, n] = kernel.shape;
  return { w: kernel.value.raw, b: bias?.value.raw ?? NONE, k, n, act: l.activationName as DenseActivation };
}

/** The Dense layers of a stack and their arrays for mlpForward, per layer list (checked against it on each use). */
const forwardPlans = new WeakMap<readonly Layer[], { dense: readonly Layer[]; arrays: MlpForwardLayer[] }>();

/** The arrays of a stack of fusable layers, or null. */
function forwardArrays(layers: readonly Layer[]): MlpForwardLayer[] | null {
  const cached = forwardPlans.get(layers);
  if (cached && cached.dense.length === layers.length && cached.dense.every((l, i) => l === layers[i]))
    return cached.arrays;
  const arrays: MlpForwardLayer[] = [];
  for (const l of layers) {
    if (!fusable(l)) return null;
    arrays.push(forwardLayer(l));
  }
  forwardPlans.set(layers, { dense: [...layers], arrays });
  return arrays;
}

/**
 * The inference forward of a Sequential stack of Dense layers as one native call (Backend.mlpForward): the same
 * dense kernels as the op-by-op forward without an op dispatch and a Tensor per layer, and for one sample the first
 * two layers on two threads (W6 of BENCH.md). Null where only the op-by-op forward applies: another backend, debug
 * mode, any other layer, or x not [rows, k0].
 */
export function denseStackForward(layers: readonly Layer[], x: Tensor): Tensor | null {
  if (backend().name !== 'native' || isDebug() || layers.length === 0 || x.rank !== 2) return null;
  const arrays = forwardArrays(layers);
  if (!arrays || x.shape[1] !== arrays[0].k) return null;
  const rows = x.shape[0],
    n = arrays[arrays.length - 1].n;
  const out = new Float32Array(rows * n);
  backend().mlpForward(x.raw, arrays, rows, out);
  return new Tensor(out, [rows, n]);
}
