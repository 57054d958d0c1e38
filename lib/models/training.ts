import { noGrad } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import { concat } from '../ops/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { shuffleInPlace } from '../tensor/random.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Callback, type CallbackModel, History, type Logs } from './callbacks.js';
import { type ModelData, splitRows, takeRows, toSampleList } from './data.js';
import type { Fuse } from './execute.js';
import { type Head, headsLoss, penaltiesOf } from './losses-of-outputs.js';
import { DenseStackStep, denseStackForward } from './dense-stack.js';
import { modelSteps } from './step.js';
import { FitStep } from './fit-step.js';
import { type Output, ProgressLogger, finalLine } from './progress.js';
import { syncHost } from '../tensor/storage.js';
import { type FitRun, beginFit, beginRead, endFit, inCallbacks } from '../internal/guard.js';
import { optionsObject } from '../internal/names.js';
import { DataParallel, type DistributedFitOptions } from '../distributed/data-parallel.js';

/** The model as the training loop needs it. */
export interface TrainableModel extends CallbackModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  optimizer?: Optimizer;
  /** The first output's loss and metrics (the fused Dense-stack path takes one), and every output's head. */
  compiled(op: string): {
    loss: Loss;
    metrics: Metric[];
    optimizer: Optimizer;
    heads: readonly Head[];
    headMetrics: Metric[][];
  };
  /** Names of the inputs and outputs, in model order (data may be keyed by them). */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Forward pass; with fusable losses (one entry an output) also those outputs' logits. */
  forwardAll(
    xs: readonly Tensor[],
    training: boolean,
    fuse?: readonly Fuse[],
  ): { outputs: Tensor[]; logits: (Tensor | undefined)[] };
  trainableVariables(): Variable[];
}

/** Options of model.fit. */
export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Shuffle sample order each epoch (seeded by tl.setSeed). Default true. */
  shuffle?: boolean;
  /** Fraction of samples, taken from the end before shuffling, held out for validation (0, the default: none). */
  validationSplit?: number;
  /** Data evaluated at the end of each epoch into val_ logs. */
  validationData?: [ModelData, ModelData];
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Callbacks called during training. */
  callbacks?: Callback[];
  /** Epoch to start counting from (resuming). */
  initialEpoch?: number;
  /**
   * Weight of each class in the loss (by integer label, or argmax of a one-hot row); for a model of several
   * outputs, an object keyed by output name holding one such record each.
   */
  classWeight?: Record<number, number> | Record<string, Record<number, number>>;
  /**
   * Data-parallel training over MPI (run under `mpirun`; alone, a job of one): each global batch of
   * batchSize × size rows is split over the ranks and gradients are averaged before every update (lib/distributed).
   */
  distributed?: boolean | DistributedFitOptions;
  /** @internal Where progress is written (default process.stdout). */
  output?: Output;
}

/** Yield to the event loop at least this often during fit, so a server in the same process keeps answering. */
export const YIELD_EVERY_MS = 4;
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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
export async function runYielding(batches: Generator<void>): Promise<void> {
  let lastYield = performance.now();
  for (const _ of batches) {
    if (performance.now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
}

function checkSameBatch(op: string, x: readonly Tensor[], y: readonly Tensor[]): void {
  const n = x[0].shape[0];
  const other = [...x, ...y].findIndex((t) => t.shape[0] !== n);
  if (other < 0) return;
  const [what, t] =
    other < x.length ? [`x[${other}]`, x[other]] : [y.length > 1 ? `y[${other - x.length}]` : 'y', y[other - x.length]];
  throw new TensileError(
    op,
    `${x.length > 1 ? 'x[0]' : 'x'} has ${n} samples but ${what} has ${t.shape[0]}; they must have the same batch size`,
  );
}
const rowsOf = (ts: readonly Tensor[], start: number, end: number, order?: Int32Array) =>
  ts.map((t) => takeRows(t, start, end, order));

/** The options argument: undefined (all defaults) or an object. */
export const optionsOf = <T extends object>(op: string, o: T | undefined, known: readonly string[]): T =>
  optionsObject(op, o, known, '{ batchSize: 32 }');

/** The option names of fit, evaluate and predict: any other key is a TensileError with a "did you mean" hint. */
const FIT_KEYS = [
  'epochs',
  'batchSize',
  'shuffle',
  'validationSplit',
  'validationData',
  'verbose',
  'callbacks',
  'initialEpoch',
  'classWeight',
  'distributed',
  'output',
];
const EVALUATE_KEYS = ['batchSize', 'verbose', 'output'];
const PREDICT_KEYS = ['batchSize'];

export function checkBatchSize(op: string, b: unknown): number {
  if (typeof b !== 'number' || !Number.isInteger(b) || b < 1)
    throw new TensileError(op, `batchSize must be a positive integer, got ${String(b)}`);
  return b;
}

/** Per-sample class weights from labels: argmax of a one-hot row, else the label itself. */
function classWeights(y: Tensor, weights: Record<number, number>): Tensor {
  // As Keras: a class per sample needs labels [N], [N, 1] or one-hot [N, C].
  if (y.rank > 2)
    throw new TensileError('fit', `classWeight needs targets of rank 1 or 2, got y of shape ${fmt(y.shape)}`);
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
export class Averages {
  private sums = new Map<string, number>();
  count = 0;
  add(values: Logs, n: number): void {
    for (const k in values) this.sums.set(k, (this.sums.get(k) ?? 0) + values[k] * n); // no entry arrays: once a batch
    this.count += n;
  }
  logs(prefix = ''): Logs {
    const out: Logs = {};
    for (const [k, s] of this.sums) out[prefix + k] = s / Math.max(this.count, 1);
    return out;
  }
}

/** Loss and metric values of one batch; the loss tensor keeps its graph when training. */
export function batchLoss(
  model: TrainableModel,
  x: readonly Tensor[],
  y: readonly Tensor[],
  training: boolean,
  sampleWeights?: (Tensor | undefined)[],
) {
  const { heads } = model.compiled('fit');
  const { outputs, logits } = model.forwardAll(
    x,
    training,
    heads.map((h) => h.loss.fused),
  );
  // Metrics after the forward pass: a lazily built model resolves 'accuracy' by its output width only then.
  const { headMetrics } = model.compiled('fit');
  return headsLoss(heads, headMetrics, y, outputs, logits, sampleWeights, penaltiesOf(model.layers));
}

/** Per-output sample weights from fit's classWeight: one record for a single output, else keyed by output name. */
function classWeightsOf(
  model: TrainableModel,
  y: readonly Tensor[],
  cw: FitOptions['classWeight'],
): (Tensor | undefined)[] | undefined {
  if (!cw) return undefined;
  const names = model.outputNames;
  const keyed = names.length > 1 || Object.keys(cw).some((k) => names.includes(k));
  if (!keyed) return [classWeights(y[0], cw as Record<number, number>)];
  const unknown = Object.keys(cw).filter((k) => !names.includes(k));
  if (unknown.length > 0)
    throw new TensileError(
      'fit',
      `classWeight names ${unknown.join(', ')}, which are not outputs; the outputs are ${names.join(', ')}`,
    );
  const rec = cw as Record<string, Record<number, number>>;
  return names.map((n, i) => (rec[n] ? classWeights(y[i], rec[n]) : undefined));
}

export async function callAll(callbacks: Callback[], hook: keyof Callback, ...args: unknown[]): Promise<void> {
  for (const cb of callbacks) {
    const f = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (f) await f.apply(cb, args);
  }
}

/** One optimizer step on one batch, op by op; its loss and metric values. */
export function trainBatch(
  model: TrainableModel,
  variables: Variable[],
  optimizer: Optimizer,
  x: readonly Tensor[],
  y: readonly Tensor[],
): Logs {
  const r = batchLoss(model, x, y, true);
  optimizer.zeroGrad(variables);
  r.lossT.backward();
  optimizer.step(variables);
  return r.values;
}

export function checkCallbacks(op: string, callbacks: unknown): void {
  if (
    callbacks !== undefined &&
    (!Array.isArray(callbacks) || (callbacks as unknown[]).some((c) => c === null || typeof c !== 'object'))
  )
    throw new TensileError(
      op,
      'callbacks must be a list of callback objects (such as tl.callbacks.earlyStopping() or { onEpochEnd(epoch, logs) {} })',
    );
}

/** History, the progress printer (unless verbose is 0) and the user's callbacks, given the model and fit's parameters. */
export function trainingCallbacks(
  model: TrainableModel,
  history: History,
  o: Pick<FitOptions, 'verbose' | 'output' | 'callbacks'>,
  params: Parameters<NonNullable<Callback['setParams']>>[0],
): Callback[] {
  const callbacks: Callback[] = [
    history,
    ...(params.verbose ? [new ProgressLogger(params.verbose as 1 | 2, o.output)] : []),
    ...(o.callbacks ?? []),
  ];
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.(params);
  }
  return callbacks;
}

/** Keras' fit: epochs of shuffled mini-batches, validation, callbacks, progress; yields to the event loop. */
export async function fit(
  model: TrainableModel,
  xIn: ModelData,
  yIn: ModelData,
  options?: FitOptions,
): Promise<History> {
  // A second fit on this model is refused; callbacks run in this fit's scope, where they may set weights (guard.ts).
  const run = beginFit('fit', model, model.layers);
  try {
    return await train(model, run, xIn, yIn, options);
  } finally {
    endFit(run, model, model.layers);
  }
}

async function train(
  model: TrainableModel,
  run: FitRun,
  xIn: ModelData,
  yIn: ModelData,
  options?: FitOptions,
): Promise<History> {
  const op = 'fit';
  const o = optionsOf(op, options, FIT_KEYS);
  const { optimizer } = model.compiled(op);
  let x = toSampleList(op, 'x', xIn, model.inputNames);
  let y = toSampleList(op, 'y', yIn, model.outputNames);
  checkSameBatch(op, x, y);
  const epochs = o.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new TensileError(op, `epochs must be a non-negative integer, got ${String(epochs)}`);
  const batchSize = checkBatchSize(op, o.batchSize ?? 32);
  const verbose = o.verbose ?? 1;
  const initialEpoch = o.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0)
    throw new TensileError(op, `initialEpoch must be a non-negative integer, got ${String(initialEpoch)}`);
  checkCallbacks(op, o.callbacks);

  let validation: [Tensor[], Tensor[]] | undefined;
  if (o.validationData) {
    validation = [
      toSampleList(op, 'validationData[0]', o.validationData[0], model.inputNames),
      toSampleList(op, 'validationData[1]', o.validationData[1], model.outputNames),
    ];
    checkSameBatch(op, ...validation);
  } else if (o.validationSplit !== undefined && o.validationSplit !== 0) {
    // 0 is Keras' default: no validation.
    const split = o.validationSplit;
    if (typeof split !== 'number' || !(split > 0 && split < 1))
      throw new TensileError(op, `validationSplit must be a number in [0, 1), got ${String(split)}`);
    const at = Math.floor(x[0].shape[0] * (1 - split));
    if (at === 0 || at === x[0].shape[0])
      throw new TensileError(
        op,
        `validationSplit ${split} of ${x[0].shape[0]} samples leaves no training or no validation samples`,
      );
    const xs = x.map((t) => splitRows(t, at));
    const ys = y.map((t) => splitRows(t, at));
    [x, y] = [xs.map((p) => p[0]), ys.map((p) => p[0])];
    validation = [xs.map((p) => p[1]), ys.map((p) => p[1])];
  }

  const n = x[0].shape[0];
  if (o.distributed && (x.length > 1 || y.length > 1))
    throw new TensileError(op, 'distributed training takes models of one input and one output');
  const batchHooks = (o.callbacks ?? []).some((cb) => cb.onBatchBegin || cb.onBatchEnd);
  const dp = o.distributed
    ? await DataParallel.start(
        model,
        {
          x: x[0],
          y: y[0],
          batchSize,
          epochs,
          initialEpoch,
          shuffle: o.shuffle ?? true,
          classWeight: o.classWeight as Record<number, number> | undefined,
          validationRows: validation?.[0][0].shape[0] ?? 0,
          batchHooks,
        },
        o.distributed,
      )
    : null;
  // Distributed: rank 0 alone prints and runs the callbacks.
  const own = !dp || dp.isRoot;
  const steps = dp ? dp.steps(n) : Math.ceil(n / batchSize);
  const history = new History();
  const callbacks: Callback[] = [
    history,
    ...(verbose && own ? [new ProgressLogger(verbose, o.output)] : []),
    ...(own ? (o.callbacks ?? []) : []),
  ];
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.({ epochs, steps, samples: n, verbose });
  }
  const variables = model.trainableVariables();
  const batchBegin = callbacks.filter((cb) => cb.onBatchBegin);
  const batchEnd = callbacks.filter((cb) => cb.onBatchEnd);
  // How each batch trains (fit-step.ts): a compiled step, or many batches a native call for a Dense stack; op by op
  // under data parallelism (gradients are all-reduced between backward and the update) and for class weights of
  // several outputs.
  const cw = o.classWeight;
  const keyedWeights =
    cw !== undefined && (model.outputNames.length > 1 || Object.keys(cw).some((k) => model.outputNames.includes(k)));
  const step =
    dp || keyedWeights
      ? null
      : new FitStep(
          model,
          variables,
          optimizer,
          cw ? (yb) => classWeights(yb, cw as Record<number, number>) : undefined,
        );
  const chunk = new ChunkSize(YIELD_EVERY_MS / 2);
  const order = new Int32Array(n).map((_, i) => i);
  model.stopTraining = false;
  let lastYield = performance.now();
  const hooks = (list: Callback[], hook: keyof Callback, ...args: unknown[]) =>
    inCallbacks(run, () => callAll(list, hook, ...args));
  await hooks(callbacks, 'onTrainBegin', {});
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    await hooks(callbacks, 'onEpochBegin', epoch, {});
    const shuffled = o.shuffle ?? true;
    if (shuffled) shuffleInPlace(order);
    if (shuffled && dp) await dp.shareOrder(order);
    const avg = new Averages();
    for (let b = 0; b < steps;) {
      // Per-batch hooks only when some callback has them: an await per batch is measurable on small models.
      if (batchBegin.length)
        await hooks(batchBegin, 'onBatchBegin', b, { batch: b, size: Math.min(batchSize, n - b * batchSize) });
      if (step) {
        // Many batches a call when the step can and no callback needs to run between them, as many as fit in half the yield interval.
        const want = batchBegin.length || batchEnd.length ? 1 : chunk.next(steps - b);
        const t0 = performance.now();
        const ran = step.train(x, y, shuffled ? order : null, b, batchSize, want, (logs, rows) => avg.add(logs, rows));
        chunk.took(performance.now() - t0, ran);
        b += ran;
      } else {
        const start = b * batchSize;
        const [from, end] = dp ? dp.rows(b, n) : [start, Math.min(start + batchSize, n)];
        optimizer.zeroGrad(variables);
        // A rank whose slice of a short last global batch is empty adds no gradient but joins the all-reduce.
        if (end > from) {
          const xb = rowsOf(x, from, end, shuffled ? order : undefined);
          const yb = rowsOf(y, from, end, shuffled ? order : undefined);
          const r = batchLoss(model, xb, yb, true, classWeightsOf(model, yb, o.classWeight));
          if (r.lossT.requiresGrad) r.lossT.backward(); // a frozen model (trainable false) has nothing to differentiate
          avg.add(r.values, end - from);
        }
        if (dp) await dp.averageGradients(variables, b, n);
        optimizer.step(variables);
        b++;
      }
      if (batchEnd.length) await hooks(batchEnd, 'onBatchEnd', b - 1, avg.logs());
      if (dp) model.stopTraining = await dp.agreeStop(model.stopTraining, 'batch');
      if (model.stopTraining) break;
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    const logs = dp ? await dp.averageLogs(model, avg.logs(), avg.count) : avg.logs();
    if (validation) {
      const val = new Averages();
      const [xv, yv] = validation;
      const stack = step?.denseStack;
      await runYielding(
        stack?.accepts(xv[0], yv[0])
          ? fusedEvaluateBatches(stack, xv[0], yv[0], batchSize, val)
          : evaluateBatches(model, xv, yv, batchSize, val),
      );
      Object.assign(logs, val.logs('val_'));
    }
    await hooks(callbacks, 'onEpochEnd', epoch, logs);
    if (dp) model.stopTraining = await dp.agreeStop(model.stopTraining, 'epoch');
  }
  await hooks(callbacks, 'onTrainEnd', {});
  if (dp) await dp.finish(model);
  return history;
}

/** evaluateBatches for a Dense stack: many batches a native call, as many as fit in half the yield interval. */
function* fusedEvaluateBatches(
  stack: DenseStackStep,
  x: Tensor,
  y: Tensor,
  batchSize: number,
  avg: Averages,
): Generator<void> {
  const n = x.shape[0],
    steps = Math.ceil(n / batchSize);
  const chunk = new ChunkSize(YIELD_EVERY_MS / 2);
  for (let b = 0; b < steps;) {
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
function evaluateAny(
  model: TrainableModel,
  x: Tensor[],
  y: Tensor[],
  batchSize: number,
  avg: Averages,
): Generator<void> {
  const { loss, metrics, heads } = model.compiled('evaluate');
  const stack = x.length === 1 && heads.length === 1 ? DenseStackStep.forEvaluation(model.layers, loss, metrics) : null;
  return stack?.accepts(x[0], y[0])
    ? fusedEvaluateBatches(stack, x[0], y[0], batchSize, avg)
    : evaluateBatches(model, x, y, batchSize, avg);
}

/** Loss and metrics of each batch, added to `avg`, without recording a graph: compiled like training (step.ts). */
export function evaluateBatches(
  model: TrainableModel,
  x: Tensor[],
  y: Tensor[],
  batchSize: number,
  avg: Averages,
): Generator<void> {
  const step = modelSteps(model).evaluation;
  return inBatches(x[0].shape[0], batchSize, (start, end) => avg.add(step.run(x, y, start, end), end - start));
}

/** Options of model.evaluate. */
export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** 1 (default, as Keras) prints the final progress line; 0 prints nothing. */
  verbose?: 0 | 1;
  /** @internal */
  output?: Output;
}

function evaluateArgs(
  op: string,
  model: TrainableModel,
  xIn: ModelData,
  yIn: ModelData,
  options: EvaluateOptions | undefined,
) {
  const o = optionsOf(op, options, EVALUATE_KEYS);
  model.compiled(op);
  const x = toSampleList(op, 'x', xIn, model.inputNames);
  const y = toSampleList(op, 'y', yIn, model.outputNames);
  checkSameBatch(op, x, y);
  // Keras refuses too: a mean over no samples has no value.
  if (x[0].shape[0] === 0) throw new TensileError(op, 'x has no samples: there is nothing to evaluate');
  return {
    x,
    y,
    batchSize: checkBatchSize(op, o.batchSize ?? 32),
    verbose: o.verbose ?? 1,
    output: o.output,
    t0: performance.now(),
  };
}
function evaluateResult(a: ReturnType<typeof evaluateArgs>, avg: Averages): number[] {
  const logs = avg.logs();
  if (a.verbose === 1)
    (a.output ?? process.stdout).write(
      `${finalLine(Math.ceil(a.x[0].shape[0] / a.batchSize), (performance.now() - a.t0) / 1e3, logs)}\n`,
    );
  return Object.values(logs);
}

/** [loss, ...metrics] over all samples, as Keras' evaluate. */
export function evaluate(model: TrainableModel, xIn: ModelData, yIn: ModelData, o?: EvaluateOptions): number[] {
  const a = evaluateArgs('evaluate', model, xIn, yIn, o);
  const avg = new Averages();
  runBlocking(evaluateAny(model, a.x, a.y, a.batchSize, avg));
  return evaluateResult(a, avg);
}

/** evaluate, yielding to the event loop between batches; the same numbers. */
export async function evaluateAsync(
  model: TrainableModel,
  xIn: ModelData,
  yIn: ModelData,
  o?: EvaluateOptions,
): Promise<number[]> {
  const a = evaluateArgs('evaluateAsync', model, xIn, yIn, o);
  const avg = new Averages();
  const release = beginRead('evaluateAsync', model);
  try {
    await runYielding(evaluateAny(model, a.x, a.y, a.batchSize, avg));
  } finally {
    release();
  }
  return evaluateResult(a, avg);
}

export interface PredictOptions {
  /** Samples per forward pass (default 32): larger is faster, smaller keeps predictAsync's pauses shorter. */
  batchSize?: number;
}

/** Forward passes over batches of x, each batch's outputs pushed to `parts`, without recording a graph. */
function predictBatches(model: TrainableModel, x: Tensor[], batchSize: number, parts: Tensor[][]): Generator<void> {
  return inBatches(x[0].shape[0], batchSize, (start, end) => parts.push(forwardOnly(model, x, start, end)));
}
/**
 * The model's outputs for rows [start, end) of x without a graph: one native call for a Dense stack
 * (dense-stack.ts), else a replayed plan (step.ts).
 */
function forwardOnly(model: TrainableModel, x: Tensor[], start = 0, end = x[0].shape[0]): Tensor[] {
  const whole = start === 0 && end === x[0].shape[0];
  const fused =
    x.length === 1 && model.outputNames.length === 1
      ? denseStackForward(model.layers, whole ? x[0] : takeRows(x[0], start, end))
      : null;
  return fused ? [fused] : modelSteps(model).prediction.run(x, start, end);
}
/** Each output's batches joined along the batch axis. */
const joined = (parts: Tensor[][]): Tensor[] =>
  parts[0].map((_, i) =>
    parts.length === 1
      ? parts[0][i]
      : noGrad(() =>
          concat(
            parts.map((p) => p[i]),
            0,
          ),
        ),
  );

function predictArgs(op: string, model: TrainableModel, xIn: ModelData, o: PredictOptions | undefined) {
  const x = toSampleList(op, 'x', xIn, model.inputNames);
  checkSameBatch(op, x, []);
  return { x, batchSize: checkBatchSize(op, optionsOf(op, o, PREDICT_KEYS).batchSize ?? 32) };
}

/** Outputs for all samples (one tensor per output), computed in batches without recording a graph. */
export function predict(model: TrainableModel, xIn: ModelData, o?: PredictOptions): Tensor[] {
  const { x, batchSize } = predictArgs('predict', model, xIn, o);
  if (x[0].shape[0] <= batchSize) return forwardOnly(model, x);
  const parts: Tensor[][] = [];
  runBlocking(predictBatches(model, x, batchSize, parts));
  return joined(parts);
}

/** predict, yielding to the event loop between batches; bit-identical outputs. */
export async function predictAsync(model: TrainableModel, xIn: ModelData, o?: PredictOptions): Promise<Tensor[]> {
  const { x, batchSize } = predictArgs('predictAsync', model, xIn, o);
  if (x[0].shape[0] <= batchSize) return forwardOnly(model, x);
  const parts: Tensor[][] = [];
  const release = beginRead('predictAsync', model);
  try {
    await runYielding(predictBatches(model, x, batchSize, parts));
  } finally {
    release();
  }
  return joined(parts);
}
