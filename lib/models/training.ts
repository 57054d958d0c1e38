import { noGrad } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import { optionsObject } from '../internal/names.js';
import type { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import { add, concat, mean, mul, sum } from '../ops/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { shuffleInPlace } from '../tensor/random.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Callback, type CallbackModel, History, type Logs } from './callbacks.js';
import { type DataLike, splitRows, takeRows, toSamples } from './data.js';
import { DenseStackStep, denseStackForward } from './dense-stack.js';
import { type Output, ProgressLogger, finalLine } from './progress.js';
import { syncHost } from '../tensor/storage.js';

/** The model as the training loop needs it. */
export interface TrainableModel extends CallbackModel {
  readonly layers: readonly Layer[];
  optimizer?: Optimizer;
  compiled(op: string): { loss: Loss; metrics: Metric[]; optimizer: Optimizer };
  /** Forward pass; with a fusable loss also the last layer's logits. */
  forward(x: Tensor, training: boolean, fuse?: Loss['fused']): { pred: Tensor; logits?: Tensor };
  trainableVariables(): Variable[];
}

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Shuffle sample order each epoch (seeded by tl.setSeed). Default true. */
  shuffle?: boolean;
  /** Fraction of samples, taken from the end before shuffling, held out for validation (0, the default: none). */
  validationSplit?: number;
  validationData?: [DataLike, DataLike];
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  callbacks?: Callback[];
  /** Epoch to start counting from (resuming). */
  initialEpoch?: number;
  /** Weight of each class in the loss (by integer label, or argmax of a one-hot row). */
  classWeight?: Record<number, number>;
  /** @internal Where progress is written (default process.stdout). */
  output?: Output;
}

/** Yield to the event loop at least this often during fit, so a server in the same process keeps answering. */
const YIELD_EVERY_MS = 4;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Call step(start, end) on consecutive batches of n rows, pausing after each: one loop for the blocking
 * (evaluate, predict) and the yielding (evaluateAsync, predictAsync, fit's validation) variants.
 */
function* inBatches(n: number, batchSize: number, step: (start: number, end: number) => void): Generator<void> {
  for (let start = 0; start < n; start += batchSize) {
    step(start, Math.min(start + batchSize, n));
    yield;
  }
}
function runBlocking(batches: Generator<void>): void {
  for (const _ of batches);
}
/** Run the batches, yielding to the event loop whenever YIELD_EVERY_MS have passed since the last yield. */
async function runYielding(batches: Generator<void>): Promise<void> {
  let lastYield = performance.now();
  for (const _ of batches) {
    if (performance.now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
}

function checkSameBatch(op: string, x: Tensor, y: Tensor): void {
  if (x.shape[0] !== y.shape[0])
    throw new TensileError(op, `x has ${x.shape[0]} samples but y has ${y.shape[0]}; they must have the same batch size`);
}

const FIT_KEYS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'verbose', 'callbacks', 'initialEpoch', 'classWeight', 'output'];
const EVALUATE_KEYS = ['batchSize', 'verbose', 'output'];
const PREDICT_KEYS = ['batchSize'];
/** The options argument: undefined (all defaults) or an object whose keys are known (a typo is refused with a hint). */
const optionsOf = <T extends object>(op: string, o: T | undefined, known: readonly string[]): T => optionsObject(op, o, known, '{ batchSize: 32 }');

function checkBatchSize(op: string, b: unknown): number {
  if (typeof b !== 'number' || !Number.isInteger(b) || b < 1) throw new TensileError(op, `batchSize must be a positive integer, got ${String(b)}`);
  return b;
}

/** Per-sample class weights from labels: argmax of a one-hot row, else the label itself. */
function classWeights(y: Tensor, weights: Record<number, number>): Tensor {
  // As Keras: a class per sample needs labels [N], [N, 1] or one-hot [N, C].
  if (y.rank > 2) throw new TensileError('fit', `classWeight needs targets of rank 1 or 2, got y of shape ${fmt(y.shape)}`);
  const n = y.shape[0];
  const row = y.size / Math.max(n, 1);
  const out = new Float32Array(n);
  const yv = syncHost(y.data);
  for (let i = 0; i < n; i++) {
    let cls = Math.round(yv[i * row]);
    if (row > 1) {
      cls = 0;
      for (let j = 1; j < row; j++) if (yv[i * row + j] > yv[i * row + cls]) cls = j;
    }
    out[i] = weights[cls] ?? 1;
  }
  return new Tensor(out, [n]);
}

/** How many fused training steps one native call runs: as many as fit in budgetMs at the last call's time a step. */
class ChunkSize {
  private msPerStep = 0;
  constructor(private readonly budgetMs: number) {}
  next(left: number): number {
    return this.msPerStep > 0 ? Math.max(1, Math.min(left, Math.floor(this.budgetMs / this.msPerStep))) : 1;
  }
  took(ms: number, steps: number): void {
    this.msPerStep = ms / steps;
  }
}

/** Running, sample-weighted means of loss and metrics over an epoch. */
class Averages {
  private sums = new Map<string, number>();
  private count = 0;
  add(values: Logs, n: number): void {
    for (const [k, v] of Object.entries(values)) this.sums.set(k, (this.sums.get(k) ?? 0) + v * n);
    this.count += n;
  }
  logs(prefix = ''): Logs {
    const out: Logs = {};
    for (const [k, s] of this.sums) out[prefix + k] = s / Math.max(this.count, 1);
    return out;
  }
}

/** Loss and metric values of one batch; the loss tensor keeps its graph when training. */
function batchLoss(model: TrainableModel, x: Tensor, y: Tensor, training: boolean, sampleWeight?: Tensor) {
  const { loss } = model.compiled('fit');
  const { pred, logits } = model.forward(x, training, loss.fused);
  // Metrics after the forward pass: a lazily built model resolves 'accuracy' by its output width only then.
  const { metrics } = model.compiled('fit');
  const perSample = logits && loss.fused ? loss.fused.perSample(y, logits) : loss.perSample(y, pred);
  // Keras' SUM_OVER_BATCH_SIZE: Σ loss·weight / batch size.
  const dataLoss = sampleWeight ? mul(sum(mul(perSample, sampleWeight)), 1 / perSample.size) : mean(perSample);
  // Regularizers' penalties join the loss that is minimised and reported, as Keras'.
  const lossT = model.layers.flatMap((l) => l.regularizationLosses()).reduce((a, b) => add(a, b), dataLoss);
  const values: Logs = { loss: lossT.item() };
  noGrad(() => {
    for (const m of metrics) values[m.name] = mean(m.perSample(y, pred)).item();
  });
  return { lossT, values };
}

async function callAll(callbacks: Callback[], hook: keyof Callback, ...args: unknown[]): Promise<void> {
  for (const cb of callbacks) {
    const f = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (f) await f.apply(cb, args);
  }
}

/** Keras' fit: epochs of shuffled mini-batches, validation, callbacks, progress; yields to the event loop. */
export async function fit(model: TrainableModel, xIn: DataLike, yIn: DataLike, options?: FitOptions): Promise<History> {
  const op = 'fit';
  const o = optionsOf(op, options, FIT_KEYS);
  const { optimizer } = model.compiled(op);
  let x = toSamples(op, 'x', xIn);
  let y = toSamples(op, 'y', yIn);
  checkSameBatch(op, x, y);
  const epochs = o.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new TensileError(op, `epochs must be a non-negative integer, got ${String(epochs)}`);
  const batchSize = checkBatchSize(op, o.batchSize ?? 32);
  const verbose = o.verbose ?? 1;
  const initialEpoch = o.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new TensileError(op, `initialEpoch must be a non-negative integer, got ${String(initialEpoch)}`);
  if (o.callbacks !== undefined && (!Array.isArray(o.callbacks) || o.callbacks.some((c) => c === null || typeof c !== 'object')))
    throw new TensileError(op, 'callbacks must be a list of callback objects (such as tl.callbacks.earlyStopping() or { onEpochEnd(epoch, logs) {} })');

  let validation: [Tensor, Tensor] | undefined;
  if (o.validationData) {
    validation = [toSamples(op, 'validationData[0]', o.validationData[0]), toSamples(op, 'validationData[1]', o.validationData[1])];
    checkSameBatch(op, ...validation);
  } else if (o.validationSplit !== undefined && o.validationSplit !== 0) {
    // 0 is Keras' default: no validation.
    const split = o.validationSplit;
    if (typeof split !== 'number' || !(split > 0 && split < 1)) throw new TensileError(op, `validationSplit must be a number in [0, 1), got ${String(split)}`);
    const at = Math.floor(x.shape[0] * (1 - split));
    if (at === 0 || at === x.shape[0]) throw new TensileError(op, `validationSplit ${split} of ${x.shape[0]} samples leaves no training or no validation samples`);
    const [xt, xv] = splitRows(x, at);
    const [yt, yv] = splitRows(y, at);
    [x, y] = [xt, yt];
    validation = [xv, yv];
  }

  const n = x.shape[0];
  const steps = Math.ceil(n / batchSize);
  const history = new History();
  const callbacks: Callback[] = [history, ...(verbose ? [new ProgressLogger(verbose, o.output)] : []), ...(o.callbacks ?? [])];
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.({ epochs, steps, samples: n, verbose });
  }
  const variables = model.trainableVariables();
  const batchBegin = callbacks.filter((cb) => cb.onBatchBegin);
  const batchEnd = callbacks.filter((cb) => cb.onBatchEnd);
  /** The fused dense-stack step (dense-stack.ts), decided after the first batch; null when it does not apply. */
  let denseStack: DenseStackStep | null | undefined;
  const chunk = new ChunkSize(YIELD_EVERY_MS / 2);
  const order = new Int32Array(n).map((_, i) => i);
  model.stopTraining = false;
  let lastYield = performance.now();

  await callAll(callbacks, 'onTrainBegin', {});
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    await callAll(callbacks, 'onEpochBegin', epoch, {});
    const shuffled = o.shuffle ?? true;
    if (shuffled) shuffleInPlace(order);
    const avg = new Averages();
    for (let b = 0; b < steps; ) {
      // Per-batch hooks only when some callback has them: an await per batch is measurable on small models.
      if (batchBegin.length) await callAll(batchBegin, 'onBatchBegin', b, { batch: b, size: Math.min(batchSize, n - b * batchSize) });
      const start = b * batchSize;
      if (denseStack?.accepts(x, y)) {
        // Many batches a native call when no callback needs to run between them, as many as fit in half the yield interval.
        const want = batchBegin.length || batchEnd.length ? 1 : chunk.next(steps - b);
        const t0 = performance.now();
        const ran = denseStack.train(x, y, shuffled ? order : null, start, batchSize, want, optimizer);
        chunk.took(performance.now() - t0, ran);
        for (let j = 0; j < ran; j++) avg.add(denseStack.values(j), Math.min(batchSize, n - (b + j) * batchSize));
        b += ran;
      } else {
        const end = Math.min(start + batchSize, n);
        const xb = takeRows(x, start, end, shuffled ? order : undefined);
        const yb = takeRows(y, start, end, shuffled ? order : undefined);
        const r = batchLoss(model, xb, yb, true, o.classWeight ? classWeights(yb, o.classWeight) : undefined);
        optimizer.zeroGrad(variables);
        if (r.lossT.requiresGrad) r.lossT.backward(); // a frozen model (trainable false) has nothing to differentiate
        optimizer.step(variables);
        avg.add(r.values, end - start);
        b++;
        // After the first batch the model is built and its metrics resolved: decide once whether the fused steps apply.
        if (denseStack === undefined) {
          const { loss, metrics } = model.compiled(op);
          denseStack = o.classWeight ? null : DenseStackStep.plan(model.layers, loss, metrics);
        }
      }
      if (batchEnd.length) await callAll(batchEnd, 'onBatchEnd', b - 1, avg.logs());
      if (model.stopTraining) break;
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    const logs = avg.logs();
    if (validation) {
      const val = new Averages();
      const [xv, yv] = validation;
      await runYielding(denseStack?.accepts(xv, yv) ? fusedEvaluateBatches(denseStack, xv, yv, batchSize, val) : evaluateBatches(model, xv, yv, batchSize, val));
      Object.assign(logs, val.logs('val_'));
    }
    await callAll(callbacks, 'onEpochEnd', epoch, logs);
  }
  await callAll(callbacks, 'onTrainEnd', {});
  return history;
}

/** evaluateBatches for a Dense stack: many batches a native call, as many as fit in half the yield interval. */
function* fusedEvaluateBatches(stack: DenseStackStep, x: Tensor, y: Tensor, batchSize: number, avg: Averages): Generator<void> {
  const n = x.shape[0], steps = Math.ceil(n / batchSize);
  const chunk = new ChunkSize(YIELD_EVERY_MS / 2);
  for (let b = 0; b < steps; ) {
    const want = chunk.next(steps - b);
    const t0 = performance.now();
    stack.evaluate(x, y, b * batchSize, batchSize, want);
    chunk.took(performance.now() - t0, want);
    for (let j = 0; j < want; j++) avg.add(stack.values(j), Math.min(batchSize, n - (b + j) * batchSize));
    b += want;
    yield;
  }
}

/** The batches of evaluate(Async): fused for a Dense stack the kernels compute (dense-stack.ts), else op by op. */
function evaluateAny(model: TrainableModel, x: Tensor, y: Tensor, batchSize: number, avg: Averages): Generator<void> {
  const { loss, metrics } = model.compiled('evaluate');
  const stack = DenseStackStep.forEvaluation(model.layers, loss, metrics);
  return stack?.accepts(x, y) ? fusedEvaluateBatches(stack, x, y, batchSize, avg) : evaluateBatches(model, x, y, batchSize, avg);
}

/** Loss and metrics of each batch, added to `avg`, without recording a graph. */
function evaluateBatches(model: TrainableModel, x: Tensor, y: Tensor, batchSize: number, avg: Averages): Generator<void> {
  return inBatches(x.shape[0], batchSize, (start, end) =>
    noGrad(() => avg.add(batchLoss(model, takeRows(x, start, end), takeRows(y, start, end), false).values, end - start)),
  );
}

export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** 1 (default, as Keras) prints the final progress line; 0 prints nothing. */
  verbose?: 0 | 1;
  /** @internal */
  output?: Output;
}

function evaluateArgs(op: string, model: TrainableModel, xIn: DataLike, yIn: DataLike, options: EvaluateOptions | undefined) {
  const o = optionsOf(op, options, EVALUATE_KEYS);
  model.compiled(op);
  const x = toSamples(op, 'x', xIn);
  const y = toSamples(op, 'y', yIn);
  checkSameBatch(op, x, y);
  // Keras refuses too: a mean over no samples has no value.
  if (x.shape[0] === 0) throw new TensileError(op, 'x has no samples: there is nothing to evaluate');
  return { x, y, batchSize: checkBatchSize(op, o.batchSize ?? 32), verbose: o.verbose ?? 1, output: o.output, t0: performance.now() };
}
function evaluateResult(a: ReturnType<typeof evaluateArgs>, avg: Averages): number[] {
  const logs = avg.logs();
  if (a.verbose === 1) (a.output ?? process.stdout).write(`${finalLine(Math.ceil(a.x.shape[0] / a.batchSize), (performance.now() - a.t0) / 1e3, logs)}\n`);
  return Object.values(logs);
}

/** [loss, ...metrics] over all samples, as Keras' evaluate. */
export function evaluate(model: TrainableModel, xIn: DataLike, yIn: DataLike, o?: EvaluateOptions): number[] {
  const a = evaluateArgs('evaluate', model, xIn, yIn, o);
  const avg = new Averages();
  runBlocking(evaluateAny(model, a.x, a.y, a.batchSize, avg));
  return evaluateResult(a, avg);
}

/** evaluate, yielding to the event loop between batches; the same numbers. */
export async function evaluateAsync(model: TrainableModel, xIn: DataLike, yIn: DataLike, o?: EvaluateOptions): Promise<number[]> {
  const a = evaluateArgs('evaluateAsync', model, xIn, yIn, o);
  const avg = new Averages();
  await runYielding(evaluateAny(model, a.x, a.y, a.batchSize, avg));
  return evaluateResult(a, avg);
}

export interface PredictOptions {
  /** Samples per forward pass (default 32): larger is faster, smaller keeps predictAsync's pauses shorter. */
  batchSize?: number;
}

/** Forward passes over batches of x, their outputs pushed to `parts`, without recording a graph. */
function predictBatches(model: TrainableModel, x: Tensor, batchSize: number, parts: Tensor[]): Generator<void> {
  return inBatches(x.shape[0], batchSize, (start, end) => parts.push(forwardOnly(model, takeRows(x, start, end))));
}
/** The model's output for x without a graph: one native call for a Dense stack (dense-stack.ts), else op by op. */
const forwardOnly = (model: TrainableModel, x: Tensor): Tensor => denseStackForward(model.layers, x) ?? noGrad(() => model.forward(x, false).pred);
const joined = (parts: Tensor[]): Tensor => (parts.length === 1 ? parts[0] : noGrad(() => concat(parts, 0)));

/** Outputs for all samples, computed in batches without recording a graph. */
export function predict(model: TrainableModel, xIn: DataLike, o?: PredictOptions): Tensor {
  const op = 'predict';
  const x = toSamples(op, 'x', xIn);
  const batchSize = checkBatchSize(op, optionsOf(op, o, PREDICT_KEYS).batchSize ?? 32);
  if (x.shape[0] <= batchSize) return forwardOnly(model, x);
  const parts: Tensor[] = [];
  runBlocking(predictBatches(model, x, batchSize, parts));
  return joined(parts);
}

/** predict, yielding to the event loop between batches; bit-identical outputs. */
export async function predictAsync(model: TrainableModel, xIn: DataLike, o?: PredictOptions): Promise<Tensor> {
  const op = 'predictAsync';
  const x = toSamples(op, 'x', xIn);
  const batchSize = checkBatchSize(op, optionsOf(op, o, PREDICT_KEYS).batchSize ?? 32);
  if (x.shape[0] <= batchSize) return forwardOnly(model, x);
  const parts: Tensor[] = [];
  await runYielding(predictBatches(model, x, batchSize, parts));
  return joined(parts);
}
