import { noGrad } from '../autograd/index.js';
import * as layerModule from '../layers/index.js';
import { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import type { Optimizer } from '../optimizers/index.js';
import { hostWritten } from '../tensor/storage.js';
import type { Backend } from '../backend/backend.js';
import { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks.js';
import { copyRows } from './data.js';
import { headsTensors, penaltiesOf } from './losses-of-outputs.js';
import { CompiledStep } from './plan/compiled.js';
import { type BatchTensors, StepFeeds, outputsOf, shapeOf } from './step-feeds.js';
import type { TrainableModel } from './training.js';

/** Loss and metric tensors of one batch, every output's (op by op; the graph of the loss when training). */
export function batchTensors(
  model: TrainableModel,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  training: boolean,
  sampleWeights?: readonly (Tensor | undefined)[],
): BatchTensors {
  const { heads } = model.compiled('fit');
  const { outputs, logits } = model.forwardAll(
    xs,
    training,
    heads.map((h) => h.loss.fused),
  );
  // Metrics after the forward pass: a lazily built model resolves 'accuracy' by its output width only then.
  const { headMetrics } = model.compiled('fit');
  return headsTensors(heads, headMetrics, ys, outputs, logits, sampleWeights, penaltiesOf(model.layers));
}

/** The values of a batch's loss and metrics, as logs. */
export function batchValues(t: BatchTensors): Logs {
  const values: Logs = { loss: t.lossT.data[0] };
  for (const [name, m] of t.named) values[name] = m.data[0];
  return values;
}

/**
 * What the plans of a model depend on besides the batch shape: its layers, their weights' arrays and trainable
 * flags, loss and metrics (and `extra`'s). Checked every batch: one array, refilled in place, nothing allocated.
 */
function modelGuard(
  model: TrainableModel,
  extra: readonly unknown[] | (() => readonly unknown[]),
  withLoss = true,
): () => unknown[] {
  const out: unknown[] = [];
  return () => {
    out.length = 0;
    for (const e of typeof extra === 'function' ? extra() : extra) out.push(e);
    if (withLoss) {
      const c = model.compiled('fit');
      for (const h of c.heads) out.push(h.loss);
      for (const ms of c.headMetrics) for (const m of ms) out.push(m);
    }
    for (const l of model.layers) {
      out.push(l);
      for (const v of l.weights) out.push(v.value.raw, v.value.requiresGrad);
    }
    return out;
  };
}

/** tensile's own layer classes: their call() does all its work in ops (and announces what it does besides). */
const BUILT_IN = new Set<unknown>(
  Object.values(layerModule).filter((v) => typeof v === 'function' && v.prototype instanceof Layer),
);

/**
 * Why a model's steps must run op by op: a layer class of the user's own, whose call() may do work in JavaScript
 * that a replay would skip, unless the class declares `static replayable = true` (its call is ops only).
 */
function customLayer(model: TrainableModel): string | null {
  for (const l of model.layers) {
    const cls = l.constructor as { replayable?: boolean; name: string };
    if (!BUILT_IN.has(cls) && cls.replayable !== true)
      return `layer '${l.name}' is of the user's class ${cls.name} (set static replayable = true on it when its call() is ops only)`;
  }
  return null;
}

/** Where a batch's rows come from: rows [start, end) of x and y, through order when given. */
export interface BatchRows {
  start: number;
  end: number;
  order?: Int32Array;
}

/**
 * Write a batch's rows of x into a step's input array: on the GPU by a device copy or gather from x's device copy
 * (no upload of the batch), on the CPU in JavaScript (cheaper than a kernel call for the small batches it matters).
 */
function fillRows(k: Backend, x: Tensor, rows: BatchRows, out: Float32Array): void {
  if (k.name !== 'cuda') {
    copyRows(x, rows.start, rows.end, rows.order, out);
    hostWritten(out);
    return;
  }
  const row = out.length / Math.max(rows.end - rows.start, 1);
  if (rows.order) k.gather(x.raw, rows.order.subarray(rows.start, rows.end), out, row);
  else k.copy(x.raw.subarray(rows.start * row, rows.end * row), out);
}

/**
 * fit's training step for any model: forward, loss, metrics, gradients and the optimizer's updates recorded once per
 * batch shape and then replayed (plan/compiled.ts). The updates are part of the plan when they are the rule's
 * kernels (Backend.applyUpdate, reading the rule the optimizer rewrites before each step); an optimizer with its own
 * update() or step(), or a variable with a constraint, is stepped after the plan instead, as it is. Exactly the
 * op-by-op step: the same kernels on the same values in the same order.
 */
export class TrainingStep {
  /** The variables fit updates (its list of this call; the plans check they are the same ones). */
  variables: readonly Variable[];
  /** @internal */
  readonly compiled: CompiledStep<{ batch: BatchTensors; grads: (Tensor | null)[] }>;
  constructor(
    model: TrainableModel,
    variables: readonly Variable[],
    readonly optimizer: Optimizer,
    private readonly sampleWeights?: (y: Tensor) => Tensor,
  ) {
    this.variables = variables;
    const ins = model.inputNames.length,
      outs = model.outputNames.length;
    this.compiled = new CompiledStep(
      (t) => {
        const w = t[ins + outs];
        const batch = batchTensors(model, t.slice(0, ins), t.slice(ins, ins + outs), true, w ? [w] : undefined);
        optimizer.zeroGrad(this.variables);
        if (batch.lossT.requiresGrad) batch.lossT.backward(); // a frozen model has nothing to differentiate
        const grads = this.variables.map((v) => v.value.grad);
        if (this.updatesInStep) optimizer.applyUpdates(this.variables);
        return { batch, grads };
      },
      (r) => [...outputsOf(r.batch), ...r.grads.filter((g): g is Tensor => g !== null)],
      modelGuard(model, () => this.guardExtra()),
      () => customLayer(model),
    );
  }

  /** Whether this step's updates run inside it (set by run before each step; a change replans). */
  private updatesInStep = false;
  private readonly extra: unknown[] = [];
  /** The optimizer, its slot arrays' version, where the updates run, and the variables, refilled in place. */
  private guardExtra(): readonly unknown[] {
    const e = this.extra;
    e.length = 0;
    e.push(this.optimizer, this.optimizer.slotsVersion, this.updatesInStep);
    for (const v of this.variables) e.push(v);
    return e;
  }

  /** One batch: the loss and metric values, after the optimizer's update. */
  run(xs: readonly Tensor[], ys: readonly Tensor[], rows: BatchRows): Logs {
    const n = rows.end - rows.start;
    const data = [...xs, ...ys];
    const opt = this.optimizer;
    this.updatesInStep = opt.updatesInPlan(this.variables);
    if (this.updatesInStep) {
      // the slots made now, not by the first recording's updates: a new slot replans (slotsVersion), a third recording
      for (const v of this.variables) opt.slotsFor(v);
      opt.beginStep();
    }
    const shapes = [...data.map((t) => shapeOf(t, n)), ...(this.sampleWeights ? [[n]] : [])];
    const r = this.compiled.run(shapes, (arrays, k) => {
      data.forEach((t, i) => fillRows(k, t, rows, arrays[i]));
      const wb = arrays[data.length];
      if (wb) {
        wb.set(this.sampleWeights!(new Tensor(arrays[xs.length], shapes[xs.length])).data);
        hostWritten(wb);
      }
    });
    this.variables.forEach((v, i) => (v.value.grad = r.grads[i]));
    if (!this.updatesInStep) opt.step(this.variables);
    return batchValues(r.batch);
  }

  private readonly feeds = new StepFeeds();
  private rules = new Float64Array(0);
  /**
   * `steps` full batches of `batch` rows from row `start` (through `order` when given) in one backend call: the
   * replay of a plan that is one compiled run (plan/compiled.ts runSteps), with the updates inside it. Each step gets
   * its batch's rows and its own rule (beginStep's, as op by op) fed in, and gives its loss and metrics out, to
   * `add`. Returns how many batches ran: 0 where this cannot be (no such plan yet, sample weights, updates outside
   * the plan), having run nothing.
   */
  runSteps(
    xs: readonly Tensor[],
    ys: readonly Tensor[],
    order: Int32Array | undefined,
    start: number,
    batch: number,
    steps: number,
    add: (logs: Logs, rows: number) => void,
  ): number {
    const opt = this.optimizer;
    this.updatesInStep = opt.updatesInPlan(this.variables);
    if (this.sampleWeights || !this.updatesInStep) return 0;
    const r = this.feeds.run(
      this.compiled,
      [...xs, ...ys],
      { start, batch, steps, order },
      (value) => value.batch,
      add,
      () => {
        const n = opt.liveRule.length;
        if (this.rules.length < steps * n) this.rules = new Float64Array(steps * n);
        for (let j = 0; j < steps; j++) {
          opt.beginStep();
          this.rules.set(opt.liveRule, j * n);
        }
        return [opt.liveRule, this.rules.subarray(0, steps * n)];
      },
    );
    if (!r) return 0;
    this.variables.forEach((v, i) => (v.value.grad = r.grads[i]));
    return steps;
  }
}

/** evaluate's (and fit's validation) batches: loss and metrics without a graph, compiled like training. */
export class EvaluationStep {
  /** @internal */
  readonly compiled: CompiledStep<BatchTensors>;
  constructor(model: TrainableModel) {
    const ins = model.inputNames.length;
    this.compiled = new CompiledStep(
      (t) => noGrad(() => batchTensors(model, t.slice(0, ins), t.slice(ins), false)),
      outputsOf,
      modelGuard(model, []),
      () => customLayer(model),
    );
  }
  run(xs: readonly Tensor[], ys: readonly Tensor[], start: number, end: number): Logs {
    const n = end - start;
    const data = [...xs, ...ys];
    return batchValues(
      this.compiled.run(
        data.map((t) => shapeOf(t, n)),
        (arrays, k) => data.forEach((t, i) => fillRows(k, t, { start, end }, arrays[i])),
      ),
    );
  }

  private readonly feeds = new StepFeeds();
  /**
   * `steps` full batches of `batch` rows from row `start` in one backend call, where the plan is one compiled run
   * (as TrainingStep.runSteps); each batch's logs go to `add`. Returns how many ran: 0 where this cannot be.
   */
  runSteps(
    xs: readonly Tensor[],
    ys: readonly Tensor[],
    start: number,
    batch: number,
    steps: number,
    add: (logs: Logs, rows: number) => void,
  ): number {
    return this.feeds.run(this.compiled, [...xs, ...ys], { start, batch, steps }, (value) => value, add) ? steps : 0;
  }
}

/** predict's forward passes, compiled like training; each result is a copy (the plan's outputs are reused). */
export class PredictionStep {
  /** @internal */
  readonly compiled: CompiledStep<Tensor[]>;
  constructor(model: TrainableModel) {
    this.compiled = new CompiledStep(
      (t) => noGrad(() => model.forwardAll(t, false).outputs),
      (p) => p,
      modelGuard(model, [], false),
      () => customLayer(model),
    );
  }
  run(xs: readonly Tensor[], start: number, end: number): Tensor[] {
    const p = this.compiled.run(
      xs.map((t) => shapeOf(t, end - start)),
      (arrays, k) => xs.forEach((t, i) => fillRows(k, t, { start, end }, arrays[i])),
    );
    return p.map((o) => new Tensor(o.data.slice(), o.shape));
  }
}

interface ModelSteps {
  evaluation: EvaluationStep;
  prediction: PredictionStep;
  training?: TrainingStep;
}
/** The per-model steps, made once and kept with the model (their plans outlive one fit call). */
const steps = new WeakMap<TrainableModel, ModelSteps>();
export function modelSteps(model: TrainableModel): ModelSteps {
  let s = steps.get(model);
  if (!s) steps.set(model, (s = { evaluation: new EvaluationStep(model), prediction: new PredictionStep(model) }));
  return s;
}

/** fit's training step: kept with the model for its optimizer, or made for this call when samples are weighted. */
export function trainingStep(
  model: TrainableModel,
  variables: readonly Variable[],
  optimizer: Optimizer,
  sampleWeights?: (y: Tensor) => Tensor,
): TrainingStep {
  if (sampleWeights) return new TrainingStep(model, variables, optimizer, sampleWeights);
  const s = modelSteps(model);
  if (s.training?.optimizer !== optimizer) s.training = new TrainingStep(model, variables, optimizer);
  s.training.variables = variables;
  return s.training;
}
