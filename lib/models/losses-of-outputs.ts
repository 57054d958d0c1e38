import { noGrad } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import { type Loss, type LossIdentifier, type LossOrMetricFn, getLoss } from '../losses/index.js';
import { type Metric, type MetricIdentifier, getMetric } from '../metrics/index.js';
import { add, mean, mul, sum } from '../ops/index.js';
import { type Optimizer, type OptimizerIdentifier, getOptimizer } from '../optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Layer } from '../layers/layer.js';
import type { Logs } from './callbacks.js';

// compile's loss, lossWeights and metrics for a model of one or several outputs, as Keras reads them (one for
// all outputs, a list with one per output, or an object keyed by output name), and the loss and logs of a batch.

/** A loss: a name ('categoricalCrossentropy'), a tl.losses object, or a function (yTrue, yPred) → per-sample losses. */
export type OneLoss = LossIdentifier | Loss | LossOrMetricFn;
/** A metric: a name ('accuracy'), a tl.metrics object, or a function (yTrue, yPred) → per-sample values. */
export type OneMetric = MetricIdentifier | Metric | LossOrMetricFn;
/** One value for every output, a list with one per output, or an object keyed by output name. */
export type PerOutput<T> = T | readonly T[] | Readonly<Record<string, T>>;

/** Options of model.compile. */
export interface CompileArgs {
  /** An optimizer name ('adam') or a tl.optimizers object. */
  optimizer: OptimizerIdentifier | Optimizer;
  /** One loss for every output, a list (one per output) or an object keyed by output name. */
  loss: PerOutput<OneLoss>;
  /** For every output a list; or an object keyed by output name; or a list of lists, one per output. */
  metrics?:
    | readonly OneMetric[]
    | readonly (readonly OneMetric[])[]
    | Readonly<Record<string, OneMetric | readonly OneMetric[]>>;
  /** Factors of each output's loss in the total (default 1 each): a list or an object keyed by output name. */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

/** One output's part of the objective. */
export interface Head {
  /** The output's name (its layer's): log keys are `${name}_loss`, `${name}_${metric}` when there are several. */
  readonly name: string;
  readonly loss: Loss;
  readonly weight: number;
  readonly metricIds: readonly OneMetric[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isLoss = (v: unknown): v is Loss => isObject(v) && typeof (v as { perSample?: unknown }).perSample === 'function';

/** A per-output argument as one value per output, naming what is missing or unknown. */
function perOutput<T>(
  what: string,
  v: unknown,
  names: readonly string[],
  isOne: (v: unknown) => boolean,
  fallback?: T,
): T[] {
  if (Array.isArray(v) && !isOne(v)) {
    if (v.length !== names.length)
      throw new TensileError(
        'compile',
        `${what} has ${v.length} entries but the model has ${names.length} outputs (${names.join(', ')})`,
      );
    return v as T[];
  }
  if (isObject(v) && !isOne(v)) {
    const unknown = Object.keys(v).filter((k) => !names.includes(k));
    if (unknown.length > 0)
      throw new TensileError(
        'compile',
        `${what} names ${unknown.map((k) => `'${k}'`).join(', ')}, which ${unknown.length > 1 ? 'are not outputs' : 'is not an output'}; the outputs are ${names.join(', ')}`,
      );
    return names.map((n) => {
      if (n in v) return v[n] as T;
      if (fallback !== undefined) return fallback;
      throw new TensileError(
        'compile',
        `${what} has no entry for the output '${n}'; the outputs are ${names.join(', ')}`,
      );
    });
  }
  return names.map(() => v as T);
}

/** The optimizer and one Head per output, every name checked now. */
export function compileHeads(
  args: CompileArgs,
  outputNames: readonly string[],
): { optimizer: Optimizer; heads: Head[] } {
  if (!args || typeof args !== 'object') throw new TensileError('compile', 'expects { optimizer, loss, metrics? }');
  if (args.loss === undefined) throw new TensileError('compile', 'loss is required');
  if (args.optimizer === undefined) throw new TensileError('compile', 'optimizer is required');
  const optimizer = getOptimizer('compile', args.optimizer);
  const losses = perOutput<OneLoss>('loss', args.loss, outputNames, (v) => typeof v === 'string' || isLoss(v)).map(
    (l) => getLoss('compile', l),
  );
  const weights =
    args.lossWeights === undefined
      ? outputNames.map(() => 1)
      : perOutput<number>('lossWeights', args.lossWeights, outputNames, (v) => typeof v === 'number', 1);
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w))
      throw new TensileError(
        'compile',
        `lossWeights for '${outputNames[i]}' must be a finite number, got ${String(w)}`,
      );
  });
  const m = args.metrics ?? [];
  if (!Array.isArray(m) && !isObject(m))
    throw new TensileError('compile', `metrics must be a list such as ['accuracy'], got ${typeof m}`);
  // A flat list applies to every output (Keras); a list of lists or an object gives each output its own.
  const nested = Array.isArray(m) && m.length > 0 && m.every((e) => Array.isArray(e));
  const metricIds: OneMetric[][] = (
    isObject(m) || nested
      ? perOutput<OneMetric | OneMetric[]>('metrics', m, outputNames, () => false, [])
      : outputNames.map(() => m as OneMetric[])
  ).map((e) => (Array.isArray(e) ? e : [e]) as OneMetric[]);
  metricIds.forEach((ids, i) => ids.forEach((id) => getMetric('compile', id, losses[i])));
  return {
    optimizer,
    heads: outputNames.map((name, i) => ({ name, loss: losses[i], weight: weights[i], metricIds: metricIds[i] })),
  };
}

/** Each head's metrics, resolved once the outputs' widths are known ('accuracy' depends on them). */
export function resolveMetrics(heads: readonly Head[], units: readonly (number | undefined)[]): Metric[][] {
  return heads.map((h, i) => h.metricIds.map((m) => getMetric('compile', m, h.loss, units[i])));
}

/** Every layer's regularization terms, nested models' layers included. */
export function penaltiesOf(layers: readonly Layer[]): Tensor[] {
  return layers.flatMap((l) =>
    'layers' in l && Array.isArray(l.layers) ? penaltiesOf(l.layers as Layer[]) : l.regularizationLosses(),
  );
}

/**
 * The loss tensor of a batch (Σ over outputs of weight · mean loss; its graph kept when training) and, named as the
 * logs name them, each output's loss (several outputs) and every metric, as tensors: the op-by-op step reads their
 * values, the compiled step (step.ts) keeps them as a plan's outputs.
 */
export function headsTensors(
  heads: readonly Head[],
  metrics: readonly Metric[][],
  ys: readonly Tensor[],
  preds: readonly Tensor[],
  logits: readonly (Tensor | undefined)[],
  sampleWeights?: readonly (Tensor | undefined)[],
  penalties: readonly Tensor[] = [],
): { lossT: Tensor; named: [string, Tensor][] } {
  const several = heads.length > 1;
  let total: Tensor | undefined;
  const named: [string, Tensor][] = [];
  heads.forEach((h, i) => {
    const z = logits[i];
    const perSample = z && h.loss.fused ? h.loss.fused.perSample(ys[i], z) : h.loss.perSample(ys[i], preds[i]);
    const w = sampleWeights?.[i];
    // Keras' SUM_OVER_BATCH_SIZE: Σ loss·weight / batch size.
    const lossT = w ? mul(sum(mul(perSample, w)), 1 / perSample.size) : mean(perSample);
    const weighted = h.weight === 1 ? lossT : mul(lossT, h.weight);
    total = total ? add(total, weighted) : weighted;
    if (several) named.push([`${h.name}_loss`, lossT]);
  });
  // Regularizers' penalties join the loss that is minimised and reported, as Keras'.
  for (const p of penalties) total = add(total!, p);
  noGrad(() => {
    heads.forEach((h, i) => {
      for (const m of metrics[i])
        named.push([several ? `${h.name}_${m.name}` : m.name, mean(m.perSample(ys[i], preds[i]))]);
    });
  });
  return { lossT: total!, named };
}

/** headsTensors with the values read: the loss tensor and the batch's logs. */
export function headsLoss(
  heads: readonly Head[],
  metrics: readonly Metric[][],
  ys: readonly Tensor[],
  preds: readonly Tensor[],
  logits: readonly (Tensor | undefined)[],
  sampleWeights?: readonly (Tensor | undefined)[],
  penalties: readonly Tensor[] = [],
): { lossT: Tensor; values: Logs } {
  const { lossT, named } = headsTensors(heads, metrics, ys, preds, logits, sampleWeights, penalties);
  const values: Logs = { loss: lossT.item() };
  for (const [name, t] of named) values[name] = t.item();
  return { lossT, values };
}
