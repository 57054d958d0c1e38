import { TensileError } from '../errors.js';
import { checkKeys } from '../internal/names.js';
import type { Tensor } from '../tensor/tensor.js';

/** Numbers by name: loss, metrics, val_ variants (Keras' logs). */
export type Logs = Record<string, number>;

/** What a callback may touch of the model. */
export interface CallbackModel {
  /** Set to true (from a callback) to stop fit after the current batch or epoch. */
  stopTraining: boolean;
  /** Copies of the weights' values, in Keras order. */
  getWeights(): Tensor[];
  /** Set every weight (Keras order), checking count and shapes. */
  setWeights(weights: readonly Tensor[]): void;
  /** The optimizer, after compile. */
  readonly optimizer?: {
    /** The optimizer's step size; callbacks may change it. */
    learningRate: number;
  };
  /** Present on models that can be saved (modelCheckpoint needs it). */
  save?(url: string, options?: { includeOptimizer?: boolean }): Promise<unknown>;
}

/** +1 when smaller is better, −1 when larger is: 'auto' takes accuracy-like names as larger-is-better (Keras). */
export function monitorSign(op: string, monitor: string, mode: string): 1 | -1 {
  if (!['auto', 'min', 'max'].includes(mode))
    throw new TensileError(op, `mode must be 'auto', 'min' or 'max', got '${mode}'`);
  return mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall/.test(monitor)) ? -1 : 1;
}

/** Hooks called by fit, as in Keras; each may be async. */
export interface Callback {
  /** Called by fit with the model being trained. */
  setModel?(model: CallbackModel): void;
  /** Called by fit with its epochs, steps per epoch and samples. */
  setParams?(params: { epochs: number; steps: number; samples: number; verbose: number }): void;
  /** Called once before the first epoch. */
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  /** Called once after the last epoch. */
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  /** Called at the start of each epoch (0-based). */
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  /** Called at the end of each epoch with its logs (loss, metrics, val_*). */
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  /** Called before each batch. */
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /** Called after each batch with the running means of the epoch so far. */
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

/** Base class for callbacks that keep the model (optional: plain objects work too). */
export class BaseCallback implements Callback {
  protected model!: CallbackModel;
  /** Called by fit with the model being trained. */
  setModel(model: CallbackModel): void {
    this.model = model;
  }
}

/** What fit resolves to: per-epoch logs, `history.loss`, `history.val_loss`, … */
export class History extends BaseCallback {
  /** The epochs (0-based) that were logged. */
  epoch: number[] = [];
  /** Values by log name, one per epoch: history.loss, history.val_loss, ... */
  history: Record<string, number[]> = {};
  /** Called at the end of each epoch with its logs (loss, metrics, val_*). */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

/** Options of tl.callbacks.earlyStopping. */
export interface EarlyStoppingOptions {
  /** Default 'val_loss'. */
  monitor?: string;
  /** Epochs without improvement before stopping, default 0. */
  patience?: number;
  /** Smallest change that counts as improvement, default 0. */
  minDelta?: number;
  /** 'auto' (default: max for accuracy-like names, else min), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** Put back the weights of the best epoch when training ends. */
  restoreBestWeights?: boolean;
  /** Training stops if the monitored value does not beat this. */
  baseline?: number;
}

/** Stop when a monitored value stops improving (Keras 3 semantics; best weights restored at the end). */
export class EarlyStopping extends BaseCallback {
  /** The log value watched. */
  readonly monitor: string;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly sign: 1 | -1;
  private readonly restore: boolean;
  private readonly baseline?: number;
  private wait = 0;
  private best = Infinity;
  private bestWeights: Tensor[] | null = null;
  /** The epoch (0-based) at which training was stopped; 0 when it was not. */
  stoppedEpoch = 0;

  constructor(o: EarlyStoppingOptions = {}) {
    super();
    checkKeys('callbacks.earlyStopping', o ?? {}, [
      'monitor',
      'patience',
      'minDelta',
      'mode',
      'restoreBestWeights',
      'baseline',
    ]);
    this.monitor = o.monitor ?? 'val_loss';
    this.patience = o.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0)
      throw new TensileError(
        'callbacks.earlyStopping',
        `patience must be a non-negative integer, got ${String(o.patience)}`,
      );
    this.minDelta = Math.abs(o.minDelta ?? 0);
    this.sign = monitorSign('callbacks.earlyStopping', this.monitor, o.mode ?? 'auto'); // compare sign·value: smaller is better
    this.restore = o.restoreBestWeights ?? false;
    this.baseline = o.baseline;
  }

  /** Called once before the first epoch. */
  onTrainBegin(): void {
    this.wait = 0;
    this.best = Infinity;
    this.bestWeights = null;
    this.stoppedEpoch = 0;
  }

  /** Called at the end of each epoch with its logs (loss, metrics, val_*). */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const v = logs[this.monitor];
    if (v === undefined) {
      process.emitWarning(
        `earlyStopping: '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')})`,
      );
      return;
    }
    // Keras 3: the first epoch's weights are the best until one improves on them.
    if (this.restore && !this.bestWeights) this.bestWeights = this.model.getWeights();
    this.wait++;
    const current = this.sign * v;
    if (current < this.best - this.minDelta) {
      this.best = current;
      if (this.restore) this.bestWeights = this.model.getWeights();
      // The wait restarts only when the value also beats the baseline; an improving epoch never stops training.
      if (this.baseline === undefined || current < this.sign * this.baseline - this.minDelta) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  /** Called once after the last epoch. */
  onTrainEnd(): void {
    if (this.restore && this.bestWeights) this.model.setWeights(this.bestWeights);
  }
}

/** Set the optimizer's learning rate at each epoch's start from fn(epoch, currentLr). */
export class LearningRateScheduler extends BaseCallback {
  constructor(private readonly schedule: (epoch: number, lr: number) => number) {
    super();
    if (typeof schedule !== 'function')
      throw new TensileError('callbacks.learningRateScheduler', 'needs a function (epoch, lr) => lr');
  }
  /** Called at the start of each epoch (0-based). */
  onEpochBegin(epoch: number): void {
    const opt = this.model.optimizer;
    if (!opt) throw new TensileError('learningRateScheduler', 'the model has no optimizer; compile it first');
    opt.learningRate = this.schedule(epoch, opt.learningRate);
  }
}

/** Options of tl.callbacks.modelCheckpoint. */
export interface ModelCheckpointOptions {
  /**
   * The folder to save into (file://dir or a path). May name the epoch (1-based, as Keras) and log
   * values: 'ckpt/epoch-{epoch:02d}-{val_loss:.3f}'.
   */
  filepath: string;
  /** Default 'val_loss'. */
  monitor?: string;
  /** Save only when the monitored value beats every earlier one. Default false. */
  saveBestOnly?: boolean;
  /** 'auto' (default: max for accuracy-like names, else min), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** Save the optimizer state too, to resume training (model.save's option). Default false. */
  includeOptimizer?: boolean;
  /** 1: print a line at each save. Default 0. */
  verbose?: 0 | 1;
  /**
   * A second folder that receives the model after every epoch, whatever saveBestOnly decides: the last checkpoint
   * kept apart from the best one (to resume from the last, deploy the best). May name the epoch like filepath.
   */
  lastFilepath?: string;
}

/** `{epoch}`, `{epoch:02d}`, `{val_loss:.4f}` in a path, as Python's str.format does them. */
function formatPath(template: string, values: Logs): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (_, key: string, spec?: string) => {
    const v = values[key];
    if (v === undefined)
      throw new TensileError(
        'callbacks.modelCheckpoint',
        `filepath '${template}' names '${key}', which is not in the logs (available: ${Object.keys(values).join(', ')})`,
      );
    const m = spec ? /^(0?)(\d*)(?:\.(\d+))?([dfe]?)$/.exec(spec) : null;
    if (!m) return String(v);
    const [, zero, width, precision, type] = m;
    let s =
      type === 'e'
        ? v.toExponential(Number(precision ?? 6))
        : precision !== undefined || type === 'f'
          ? v.toFixed(Number(precision ?? 6))
          : String(Math.round(v));
    if (width) s = s.padStart(Number(width), zero ? '0' : ' ');
    return s;
  });
}

/** Save the model at the end of each epoch (or only when the monitored value improves), as Keras' ModelCheckpoint. */
export class ModelCheckpoint extends BaseCallback {
  /** The folder each checkpoint is saved to. */
  readonly filepath: string;
  /** The log value watched. */
  readonly monitor: string;
  private readonly sign: 1 | -1;
  private best = Infinity;
  constructor(private readonly o: ModelCheckpointOptions) {
    super();
    const op = 'callbacks.modelCheckpoint';
    if (o && typeof o === 'object')
      checkKeys(op, o, ['filepath', 'monitor', 'saveBestOnly', 'mode', 'includeOptimizer', 'verbose']);
    if (!o || typeof o.filepath !== 'string' || o.filepath === '')
      throw new TensileError(
        op,
        `filepath must be a non-empty string (a folder, may contain {epoch}), got ${o ? String(o.filepath) : 'no options'}`,
      );
    if (
      o.lastFilepath !== undefined &&
      (typeof o.lastFilepath !== 'string' || o.lastFilepath === '' || o.lastFilepath === o.filepath)
    )
      throw new TensileError(
        op,
        `lastFilepath must be a non-empty string other than filepath, got ${JSON.stringify(o.lastFilepath)}`,
      );
    this.filepath = o.filepath;
    this.monitor = o.monitor ?? 'val_loss';
    this.sign = monitorSign(op, this.monitor, o.mode ?? 'auto');
  }
  /** Called once before the first epoch. */
  onTrainBegin(): void {
    this.best = Infinity;
  }
  /** Called at the end of each epoch with its logs (loss, metrics, val_*). */
  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.model.save)
      throw new TensileError('callbacks.modelCheckpoint', 'the model cannot be saved (it has no save method)');
    const values = { ...logs, epoch: epoch + 1 };
    if (this.o.lastFilepath) await this.write(formatPath(this.o.lastFilepath, values), epoch);
    if (this.o.saveBestOnly) {
      const v = logs[this.monitor];
      if (v === undefined) {
        process.emitWarning(
          `modelCheckpoint: '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')}); nothing saved`,
        );
        return;
      }
      if (!(this.sign * v < this.best)) return;
      this.best = this.sign * v;
    }
    await this.write(formatPath(this.filepath, values), epoch);
  }
  /** model.save replaces an earlier checkpoint crash-safely: the folder always holds a loadable model. */
  private async write(path: string, epoch: number): Promise<void> {
    await this.model.save!(path, { includeOptimizer: this.o.includeOptimizer ?? false });
    if (this.o.verbose === 1) process.stdout.write(`\nEpoch ${epoch + 1}: saving model to ${path}\n`);
  }
}

/** Stop training as soon as a batch's loss is NaN or ±Infinity, as Keras' TerminateOnNaN. */
export class TerminateOnNaN extends BaseCallback {
  /** The batch (0-based, within its epoch) whose loss was not finite; -1 while none was. */
  stoppedBatch = -1;
  constructor(private readonly print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    super();
  }
  /** Called once before the first epoch. */
  onTrainBegin(): void {
    this.stoppedBatch = -1;
  }
  /** Called after each batch with the running means of the epoch so far. */
  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.stoppedBatch = batch;
      this.print(`Batch ${batch}: Invalid loss, terminating training`);
      this.model.stopTraining = true;
    }
  }
}

/** @example model.fit(x, y, { callbacks: [tl.callbacks.earlyStopping({ monitor: 'val_loss', patience: 3 })] }) */
export const earlyStopping = (o: EarlyStoppingOptions = {}): EarlyStopping => new EarlyStopping(o);
/** @example tl.callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * 0.9)) */
export const learningRateScheduler = (fn: (epoch: number, lr: number) => number): LearningRateScheduler =>
  new LearningRateScheduler(fn);
/** @example model.fit(x, y, { validationSplit: 0.1, callbacks: [tl.callbacks.modelCheckpoint({ filepath: 'file://ckpt/{epoch}', saveBestOnly: true })] }) */
export const modelCheckpoint = (o: ModelCheckpointOptions): ModelCheckpoint => new ModelCheckpoint(o);
/** @example model.fit(x, y, { callbacks: [tl.callbacks.terminateOnNaN()] }) // prints "Batch 3: Invalid loss, terminating training" */
export const terminateOnNaN = (): TerminateOnNaN => new TerminateOnNaN();
