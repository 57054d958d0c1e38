import { TensileError } from '../errors.js';
import { BaseCallback, type Logs } from './callbacks.js';

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

/** Functions called at the points of training they name, as Keras' LambdaCallback; each may be async. */
export interface LambdaCallbackOptions {
  /** Called once before the first epoch. */
  onTrainBegin?: Hook<[logs: Logs]>;
  /** Called once after the last epoch. */
  onTrainEnd?: Hook<[logs: Logs]>;
  /** Called at the start of each epoch (0-based). */
  onEpochBegin?: Hook<[epoch: number, logs: Logs]>;
  /** Called at the end of each epoch with its logs (loss, metrics, val_*). */
  onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  /** Called before each batch. */
  onBatchBegin?: Hook<[batch: number, logs: Logs]>;
  /** Called after each batch with the running means of the epoch so far. */
  onBatchEnd?: Hook<[batch: number, logs: Logs]>;
}

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/** A callback made of functions (Keras' LambdaCallback); only the hooks given are called. */
export class LambdaCallback extends BaseCallback {
  constructor(o: LambdaCallbackOptions) {
    super();
    const op = 'callbacks.lambdaCallback';
    if (o === null || typeof o !== 'object')
      throw new TensileError(op, 'expects an object of hooks such as { onEpochEnd: (epoch, logs) => ... }');
    for (const key of Object.keys(o)) {
      const hook = (o as Record<string, unknown>)[key];
      if (!(HOOKS as readonly string[]).includes(key))
        throw new TensileError(op, `unknown hook '${key}'; expected ${HOOKS.join(', ')}`);
      if (hook !== undefined && typeof hook !== 'function')
        throw new TensileError(op, `${key} must be a function, got ${typeof hook}`);
    }
    // Own properties only for the hooks given: fit skips per-batch work when no callback has batch hooks.
    for (const key of HOOKS)
      if (o[key])
        Object.defineProperty(this, key, {
          value: (...a: unknown[]) => (o[key] as (...x: unknown[]) => unknown)(...a.map((v) => v ?? {})),
        });
  }
}
