import { noGrad } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Callback, History, type Logs } from './callbacks.js';
import { type DataLike, toSamples } from './data.js';
import type { Output } from './progress.js';
import { finalLine } from './progress.js';
import { beginFit, endFit, inCallbacks } from '../internal/guard.js';
import { Averages, YIELD_EVERY_MS, checkBatchSize, optionsOf, runYielding, yieldToEventLoop } from './batches.js';
import { evaluateBatches } from './inference.js';
import { type TrainableModel, batchLoss, callAll, checkCallbacks, trainBatch, trainingCallbacks } from './training.js';

/** A batch as a dataset yields it: { xs, ys } (tfjs' form) or [xs, ys], each a Tensor or nested arrays. */
export type DatasetBatch =
  | {
      /** The inputs of the batch. */
      xs: DataLike;
      /** The targets of the batch. */
      ys: DataLike;
    }
  | readonly [DataLike, DataLike];
/** What fitDataset and evaluateDataset read: a tl.data Dataset of batches, or any async iterable of them. */
export interface BatchSource {
  /** One pass over the batches. */
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
  /** Batches in one pass, when known (tl.data datasets know it for arrays and after batch()). */
  readonly size?: number | null;
}

/** Options of model.fitDataset. */
export interface FitDatasetOptions {
  /** Default 1. */
  epochs?: number;
  /**
   * Batches that make an epoch. Without it each epoch is one full pass of the dataset; with it the dataset is
   * read on across epochs (not restarted), as tfjs does, and training stops early if it runs out.
   */
  batchesPerEpoch?: number;
  /** Evaluated at each epoch's end into val_ logs: a dataset of batches, or [x, y] tensors. */
  validationData?: BatchSource | [DataLike, DataLike];
  /** With a validation dataset, evaluate at most this many of its batches. Default: all. */
  validationBatches?: number;
  /** With validation [x, y] tensors, the batch size for evaluating them. Default 32. */
  validationBatchSize?: number;
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Callbacks called during training. */
  callbacks?: Callback[];
  /** Epoch to start counting from (resuming). */
  initialEpoch?: number;
  /** @internal Where progress is written (default process.stdout). */
  output?: Output;
}

/** Options of model.evaluateDataset. */
export interface EvaluateDatasetOptions {
  /** Evaluate at most this many batches. Default: the whole dataset. */
  batches?: number;
  /** 1 (default, as Keras) prints the final progress line; 0 prints nothing. */
  verbose?: 0 | 1;
  /** @internal */
  output?: Output;
}

function checkSource(op: string, ds: unknown, name: string): asserts ds is BatchSource {
  if (ds === null || typeof ds !== 'object' || typeof (ds as BatchSource)[Symbol.asyncIterator] !== 'function')
    throw new TensileError(
      op,
      `${name} must be a dataset of batches (tl.data.array(...).batch(32), tl.data.csv(...)...), got ${ds === null ? 'null' : typeof ds}`,
    );
}
function checkCount(op: string, name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new TensileError(op, `${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** A dataset element as [x, y] sample tensors with the same batch size. */
function toXy(op: string, element: unknown, index: number): [Tensor, Tensor] {
  let pair: [unknown, unknown] | undefined;
  if (Array.isArray(element) && element.length === 2) pair = [element[0], element[1]];
  else if (element !== null && typeof element === 'object' && 'xs' in element && 'ys' in element)
    pair = [(element as { xs: unknown }).xs, (element as { ys: unknown }).ys];
  if (!pair)
    throw new TensileError(
      op,
      `batch ${index} of the dataset is not { xs, ys } or [xs, ys]; map the elements to that form (and batch() them) first`,
    );
  const x = toSamples(op, `batch ${index} xs`, pair[0] as DataLike);
  const y = toSamples(op, `batch ${index} ys`, pair[1] as DataLike);
  if (x.shape[0] !== y.shape[0])
    throw new TensileError(
      op,
      `batch ${index} has ${x.shape[0]} xs but ${y.shape[0]} ys; they must have the same batch size`,
    );
  return [x, y];
}

/** Loss and metrics of up to maxBatches batches of a dataset, added to avg; yields to the event loop as fit does. */
async function evaluateSource(
  op: string,
  model: TrainableModel,
  ds: BatchSource,
  maxBatches: number,
  avg: Averages,
): Promise<number> {
  let b = 0;
  let lastYield = performance.now();
  if (maxBatches === 0) return 0;
  for await (const element of ds) {
    const [x, y] = toXy(op, element, b);
    noGrad(() => avg.add(batchLoss(model, [x], [y], false).values, x.shape[0]));
    if (++b >= maxBatches) break;
    if (performance.now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  return b;
}

/**
 * Keras' fit over a dataset of batches (tfjs' fitDataset): the same step, callbacks, progress and History as fit,
 * with the batches read as training goes, so memory holds a batch at a time, not the data.
 */
export async function fitDataset(
  model: TrainableModel,
  dataset: BatchSource,
  options?: FitDatasetOptions,
): Promise<History> {
  // Guarded as fit is (internal/guard.ts): one training at a time; callbacks run in its scope.
  const run = beginFit('fitDataset', model, model.layers);
  const hooks = (list: Callback[], hook: keyof Callback, ...args: unknown[]) =>
    inCallbacks(run, () => callAll(list, hook, ...args));
  try {
    return await trainOnDataset(model, dataset, hooks, options);
  } finally {
    endFit(run, model, model.layers);
  }
}

async function trainOnDataset(
  model: TrainableModel,
  dataset: BatchSource,
  hooks: typeof callAll,
  options?: FitDatasetOptions,
): Promise<History> {
  const op = 'fitDataset';
  const o = optionsOf(op, options, [
    'epochs',
    'batchesPerEpoch',
    'validationData',
    'validationBatches',
    'validationBatchSize',
    'verbose',
    'callbacks',
    'initialEpoch',
    'output',
  ]);
  const { optimizer } = model.compiled(op);
  checkSource(op, dataset, 'dataset');
  const epochs = o.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new TensileError(op, `epochs must be a non-negative integer, got ${String(epochs)}`);
  const initialEpoch = o.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0)
    throw new TensileError(op, `initialEpoch must be a non-negative integer, got ${String(initialEpoch)}`);
  const batchesPerEpoch = checkCount(op, 'batchesPerEpoch', o.batchesPerEpoch);
  const validationBatches = checkCount(op, 'validationBatches', o.validationBatches) ?? Infinity;
  const validationBatchSize = checkBatchSize(op, o.validationBatchSize ?? 32);
  const verbose = o.verbose ?? 1;
  checkCallbacks(op, o.callbacks);
  let validation: BatchSource | [Tensor, Tensor] | undefined;
  if (Array.isArray(o.validationData)) {
    const [xv, yv] = [
      toSamples(op, 'validationData[0]', o.validationData[0]),
      toSamples(op, 'validationData[1]', o.validationData[1]),
    ];
    if (xv.shape[0] !== yv.shape[0])
      throw new TensileError(op, `validationData has ${xv.shape[0]} xs but ${yv.shape[0]} ys`);
    validation = [xv, yv];
  } else if (o.validationData !== undefined) {
    checkSource(op, o.validationData, 'validationData');
    validation = o.validationData;
  }

  const history = new History();
  // Steps per epoch for the progress bar: known up front when given or when the dataset knows its size.
  const steps = batchesPerEpoch ?? (Number.isFinite(dataset.size) ? (dataset.size as number) : 0);
  const callbacks = trainingCallbacks(model, history, o, { epochs, steps, samples: 0, verbose });
  const variables = model.trainableVariables();
  const batchBegin = callbacks.filter((cb) => cb.onBatchBegin);
  const batchEnd = callbacks.filter((cb) => cb.onBatchEnd);
  model.stopTraining = false;
  let lastYield = performance.now();
  // With batchesPerEpoch the one iterator runs on across epochs (tfjs); without, each epoch is a new pass.
  let it: AsyncIterator<unknown> | undefined;
  let seen = 0;
  try {
    await hooks(callbacks, 'onTrainBegin', {});
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      await hooks(callbacks, 'onEpochBegin', epoch, {});
      if (!batchesPerEpoch || !it) it = dataset[Symbol.asyncIterator]();
      const avg = new Averages();
      let b = 0;
      for (; batchesPerEpoch === undefined || b < batchesPerEpoch; b++) {
        const r = await it.next();
        if (r.done) {
          if (batchesPerEpoch !== undefined) {
            process.emitWarning(
              `fitDataset: the dataset ran out after ${seen} batches, in epoch ${epoch + 1} of ${epochs} (batchesPerEpoch ${batchesPerEpoch}); training stops. Use dataset.repeat() or a smaller batchesPerEpoch.`,
            );
            model.stopTraining = true;
          }
          break;
        }
        const [x, y] = toXy(op, r.value, seen++);
        if (batchBegin.length) await hooks(batchBegin, 'onBatchBegin', b, { batch: b, size: x.shape[0] });
        avg.add(trainBatch(model, variables, optimizer, [x], [y]), x.shape[0]);
        if (batchEnd.length) await hooks(batchEnd, 'onBatchEnd', b, avg.logs());
        if (model.stopTraining) {
          b++;
          break;
        }
        if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      if (b === 0 && seen === 0)
        throw new TensileError(op, 'the dataset yielded no batches: there is nothing to train on');
      if (b === 0) break; // ran out at an epoch boundary
      const logs = avg.logs();
      if (validation) {
        const val = new Averages();
        if (Array.isArray(validation))
          await runYielding(evaluateBatches(model, [validation[0]], [validation[1]], validationBatchSize, val));
        else await evaluateSource(op, model, validation, validationBatches, val);
        Object.assign(logs, val.logs('val_'));
      }
      await hooks(callbacks, 'onEpochEnd', epoch, logs);
    }
    await hooks(callbacks, 'onTrainEnd', {});
  } finally {
    // Close the dataset's source (a file stream) when training stops before the end of a pass.
    await it?.return?.();
  }
  return history;
}

/**
 * [loss, ...metrics] over the batches of a dataset, as Keras' evaluate (tfjs' evaluateDataset).
 */
export async function evaluateDataset(
  model: TrainableModel,
  dataset: BatchSource,
  options?: EvaluateDatasetOptions,
): Promise<number[]> {
  const op = 'evaluateDataset';
  const o = optionsOf(op, options, ['batches', 'verbose', 'output']);
  model.compiled(op);
  checkSource(op, dataset, 'dataset');
  const maxBatches = checkCount(op, 'batches', o.batches) ?? Infinity;
  const t0 = performance.now();
  const avg = new Averages();
  const n = await evaluateSource(op, model, dataset, maxBatches, avg);
  if (n === 0) throw new TensileError(op, 'the dataset yielded no batches: there is nothing to evaluate');
  const logs: Logs = avg.logs();
  if ((o.verbose ?? 1) === 1)
    (o.output ?? process.stdout).write(`${finalLine(n, (performance.now() - t0) / 1e3, logs)}\n`);
  return Object.values(logs);
}
