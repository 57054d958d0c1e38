import { TensileError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

/** Numbers by name: loss, metrics, val_ variants (Keras' logs). */
export type Logs = Record<string, number>;

/** What a callback may touch of the model. */
export interface CallbackModel {
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  readonly optimizer?: { learningRate: number };
}

/** Hooks called by fit, as in Keras; each may be async. */
export interface Callback {
  setModel?(model: CallbackModel): void;
  setParams?(params: { epochs: number; steps: number; samples: number; verbose: number }): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

/** Base class for callbacks that keep the model (optional: plain objects work too). */
export class BaseCallback implements Callback {
  protected model!: CallbackModel;
  setModel(model: CallbackModel): void {
    this.model = model;
  }
}

/** What fit resolves to: per-epoch logs, `history.loss`, `history.val_loss`, … */
export class History extends BaseCallback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

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
  readonly monitor: string;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly sign: 1 | -1;
  private readonly restore: boolean;
  private readonly baseline?: number;
  private wait = 0;
  private best = Infinity;
  private bestWeights: Tensor[] | null = null;
  stoppedEpoch = 0;

  constructor(o: EarlyStoppingOptions = {}) {
    super();
    this.monitor = o.monitor ?? 'val_loss';
    this.patience = o.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0)
      throw new TensileError('callbacks.earlyStopping', `patience must be a non-negative integer, got ${o.patience}`);
    this.minDelta = Math.abs(o.minDelta ?? 0);
    const mode = o.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new TensileError('callbacks.earlyStopping', `mode must be 'auto', 'min' or 'max', got '${mode}'`);
    const max = mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall/.test(this.monitor));
    this.sign = max ? -1 : 1; // compare sign·value: smaller is better
    this.restore = o.restoreBestWeights ?? false;
    this.baseline = o.baseline;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.best = Infinity;
    this.bestWeights = null;
    this.stoppedEpoch = 0;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const v = logs[this.monitor];
    if (v === undefined) {
      process.emitWarning(`earlyStopping: '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')})`);
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

  onTrainEnd(): void {
    if (this.restore && this.bestWeights) this.model.setWeights(this.bestWeights);
  }
}

/** Set the optimizer's learning rate at each epoch's start from fn(epoch, currentLr). */
export class LearningRateScheduler extends BaseCallback {
  constructor(private readonly schedule: (epoch: number, lr: number) => number) {
    super();
    if (typeof schedule !== 'function') throw new TensileError('callbacks.learningRateScheduler', 'needs a function (epoch, lr) => lr');
  }
  onEpochBegin(epoch: number): void {
    const opt = this.model.optimizer;
    if (!opt) throw new TensileError('learningRateScheduler', 'the model has no optimizer; compile it first');
    opt.learningRate = this.schedule(epoch, opt.learningRate);
  }
}

/** @example model.fit(x, y, { callbacks: [tl.callbacks.earlyStopping({ monitor: 'val_loss', patience: 3 })] }) */
export const earlyStopping = (o: EarlyStoppingOptions = {}): EarlyStopping => new EarlyStopping(o);
/** @example tl.callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * 0.9)) */
export const learningRateScheduler = (fn: (epoch: number, lr: number) => number): LearningRateScheduler => new LearningRateScheduler(fn);
