import { TensileError } from '../errors.js';
import { loadModel } from '../io/index.js';
import type { Layer } from '../layers/layer.js';
import { type Callback, type FitOptions, History, type Logs, Sequential } from '../models/index.js';
import type { DataLike } from '../models/data.js';
import { Tensor } from '../tensor/tensor.js';

// tfjs-layers' model surface over tensile's Sequential: evaluate returns Scalars, callbacks may be an object,
// logs say acc/val_acc, trainOnBatch, model.inputs/outputs, and browser storage refused with the Node way.

/** tfjs-layers writes the 'accuracy' metric as 'acc' in logs and History. */
const TFJS_KEYS: Readonly<Record<string, string>> = { accuracy: 'acc', val_accuracy: 'val_acc' };
const tfjsLogs = (logs: Logs = {}): Logs =>
  Object.fromEntries(Object.entries(logs).map(([k, v]) => [TFJS_KEYS[k] ?? k, v]));

type TfjsCallbacks = Callback | Callback[] | Record<string, unknown>;
const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/** A user's callbacks (a list, one callback, or tfjs' object of functions) with logs renamed as tfjs names them. */
function toCallbacks(given: TfjsCallbacks | undefined): Callback[] {
  if (given === undefined || given === null) return [];
  const list = Array.isArray(given) ? given : [given];
  return list.map((cb) => {
    if (cb === null || typeof cb !== 'object')
      throw new TensileError(
        'fit',
        'callbacks must be a callback, a list of callbacks or an object of functions such as { onEpochEnd }',
      );
    const c = cb as Callback & Record<string, unknown>;
    const wrapped: Record<string, unknown> = { setModel: c.setModel?.bind(c), setParams: c.setParams?.bind(c) };
    for (const hook of HOOKS) {
      const f = c[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (typeof f !== 'function') continue;
      // Logs are the last argument of every hook (onTrainBegin(logs), onEpochEnd(epoch, logs), …).
      wrapped[hook] = (...a: unknown[]) =>
        f.apply(c, a.length > 0 ? [...a.slice(0, -1), tfjsLogs(a[a.length - 1] as Logs)] : a);
    }
    return wrapped as Callback;
  });
}

export interface TfjsFitArgs extends Omit<FitOptions, 'callbacks'> {
  callbacks?: TfjsCallbacks;
  /** tfjs' event-loop policy: tensile's fit always yields (every few ms), so any value is accepted. */
  yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number;
}

function refuseBrowserUrl(op: string, url: unknown): void {
  if (typeof url === 'string' && /^(indexeddb|localstorage|downloads|http|https):\/\//i.test(url))
    throw new TensileError(
      op,
      `'${url.split('://')[0]}://' is a browser or network store; in Node save and load files: 'file://path/to/dir'`,
    );
}

/** tf.Sequential / tf.LayersModel as tfjs-layers behaves. */
export class TfjsSequential extends Sequential {
  override async fit(x: DataLike, y: DataLike, args: TfjsFitArgs = {}): Promise<History> {
    const { callbacks, yieldEvery: _ignored, ...rest } = args;
    const h = await super.fit(x, y, { ...rest, callbacks: toCallbacks(callbacks) });
    const renamed = new History();
    renamed.epoch = h.epoch;
    renamed.history = tfjsLogs(h.history as never) as never;
    return renamed;
  }

  /** tfjs' evaluate: the loss as a Scalar, or [loss, ...metrics] as Scalars when metrics were compiled. */
  // @ts-expect-error -- tfjs' evaluate resolves to Scalars where tensile's (Keras') gives numbers.
  override evaluate(x: DataLike, y: DataLike, args: { batchSize?: number; verbose?: 0 | 1 } = {}): Tensor | Tensor[] {
    const values = super.evaluate(x, y, { verbose: 0, ...args });
    const scalars = values.map((v) => new Tensor(Float32Array.of(v), []));
    return scalars.length === 1 ? scalars[0] : scalars;
  }

  override predict(x: DataLike, args: { batchSize?: number; verbose?: boolean } = {}): Tensor {
    const { verbose: _quiet, ...rest } = args;
    return super.predict(x, rest);
  }

  /** One gradient step on this batch; resolves to the loss, or [loss, ...metrics], before the step (tfjs). */
  async trainOnBatch(x: DataLike, y: DataLike): Promise<number | number[]> {
    const h = await super.fit(x, y, { epochs: 1, batchSize: Number.MAX_SAFE_INTEGER, shuffle: false, verbose: 0 });
    const values = Object.values(h.history).map((v) => v[0]);
    return values.length === 1 ? values[0] : values;
  }

  override save(url: string, options?: { includeOptimizer?: boolean }): ReturnType<Sequential['save']> {
    refuseBrowserUrl('save', url);
    return super.save(url, options);
  }
}

/** tf.loadLayersModel(url): a saved TF.js Layers model from a file. */
export async function loadLayersModel(url: string): Promise<TfjsSequential> {
  refuseBrowserUrl('loadLayersModel', url);
  const m = await loadModel(url);
  // TfjsSequential adds methods only, no state: the loaded model takes its prototype.
  return Object.setPrototypeOf(m, TfjsSequential.prototype) as TfjsSequential;
}

/** tf.sequential(config?). */
export const sequential = (config: { layers?: Layer[]; name?: string } = {}): TfjsSequential =>
  new TfjsSequential(config);
