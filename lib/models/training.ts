import { TensileError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { shuffleInPlace } from '../tensor/random.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Callback, type CallbackModel, History, type Logs } from './callbacks.js';
import { type ModelData, splitRows, toSampleList } from './data.js';
import type { Fuse } from './execute.js';
import { type Head, headsLoss, penaltiesOf } from './losses-of-outputs.js';
import { FitStep } from './fit-step.js';
import { type Output, ProgressLogger } from './progress.js';
import { type FitRun, beginFit, endFit, inCallbacks } from '../internal/guard.js';
import { DataParallel, type DistributedFitOptions } from '../distributed/data-parallel.js';
import {
  Averages,
  ChunkSize,
  YIELD_EVERY_MS,
  checkBatchSize,
  checkSameBatch,
  optionsOf,
  rowsOf,
  runYielding,
  yieldToEventLoop,
} from './batches.js';
import { evaluateBatches } from './inference.js';

/** The model as the training loop needs it. */
export interface TrainableModel extends CallbackModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  optimizer?: Optimizer;
  /** The first output's loss and metrics, and every output's head. */
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
/** Per-sample class weights from labels: argmax of a one-hot row, else the label itself. */
function classWeights(y: Tensor, weights: Record<number, number>): Tensor {
  // As Keras: a class per sample needs labels [N], [N, 1] or one-hot [N, C].
  if (y.rank > 2)
    throw new TensileError('fit', `classWeight needs targets of rank 1 or 2, got y of shape ${fmt(y.shape)}`);
  const n = y.shape[0];
  const row = y.size / Math.max(n, 1);
  const out = new Float32Array(n);
  const yv = y.data;
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
  // How each batch trains (fit-step.ts): a compiled step, many batches a call where its plan allows; op by op
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
      await runYielding(evaluateBatches(model, xv, yv, batchSize, val));
      Object.assign(logs, val.logs('val_'));
    }
    await hooks(callbacks, 'onEpochEnd', epoch, logs);
    if (dp) model.stopTraining = await dp.agreeStop(model.stopTraining, 'epoch');
  }
  await hooks(callbacks, 'onTrainEnd', {});
  if (dp) await dp.finish(model);
  return history;
}
