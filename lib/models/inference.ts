import { noGrad } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import { beginRead } from '../internal/guard.js';
import { concat } from '../ops/index.js';
import { Tensor } from '../tensor/tensor.js';
import {
  Averages,
  ChunkSize,
  YIELD_EVERY_MS,
  checkBatchSize,
  checkSameBatch,
  inBatches,
  optionsOf,
  runBlocking,
  runYielding,
} from './batches.js';
import { type ModelData, takeRows, toSampleList } from './data.js';
import { denseStackForward } from './dense-forward.js';
import type { Logs } from './callbacks.js';
import { type Output, finalLine } from './progress.js';
import { modelSteps } from './step.js';
import type { TrainableModel } from './training.js';

// evaluate and predict: the forward-only loops over batches (blocking, or yielding to the event loop).

const EVALUATE_KEYS = ['batchSize', 'verbose', 'output'];
const PREDICT_KEYS = ['batchSize'];

/**
 * Loss and metrics of each batch, added to `avg`, without recording a graph: compiled like training (step.ts),
 * many full batches a backend call where the plan allows (as many as fit in half the yield interval).
 */
export function* evaluateBatches(
  model: TrainableModel,
  x: Tensor[],
  y: Tensor[],
  batchSize: number,
  avg: Averages,
): Generator<void> {
  const step = modelSteps(model).evaluation;
  const n = x[0].shape[0],
    batches = Math.ceil(n / batchSize);
  const chunk = new ChunkSize(YIELD_EVERY_MS / 2);
  const add = (logs: Logs, rows: number) => avg.add(logs, rows);
  for (let b = 0; b < batches;) {
    const start = b * batchSize;
    const rows = Math.min(batchSize, n - start);
    const steps = rows === batchSize ? Math.min(chunk.next(batches - b), Math.floor((n - start) / batchSize)) : 1;
    const t0 = performance.now();
    let ran = step.runSteps(x, y, start, rows, steps, add);
    if (!ran) {
      const end = Math.min(start + batchSize, n);
      add(step.run(x, y, start, end), end - start);
      ran = 1;
    }
    chunk.took(performance.now() - t0, ran);
    b += ran;
    yield;
  }
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
  runBlocking(evaluateBatches(model, a.x, a.y, a.batchSize, avg));
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
    await runYielding(evaluateBatches(model, a.x, a.y, a.batchSize, avg));
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
 * (dense-forward.ts), else a replayed plan (step.ts).
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
