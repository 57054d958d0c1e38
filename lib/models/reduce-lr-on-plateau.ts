import { TensileError } from '../errors.js';
import { BaseCallback, type Logs, monitorSign } from './callbacks.js';

/** Options of tl.callbacks.reduceLROnPlateau. */
export interface ReduceLROnPlateauOptions {
  /** The value watched. Default 'val_loss'. */
  monitor?: string;
  /** The learning rate is multiplied by this (< 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before a reduction. Default 10. */
  patience?: number;
  /** 'auto' (default: max for accuracy-like names, else min), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** Smallest change that counts as improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The learning rate never goes below this. Default 0. */
  minLr?: number;
  /** 1: print a line at each reduction. Default 0. */
  verbose?: 0 | 1;
}

/** Multiply the learning rate by `factor` when a monitored value stops improving, as Keras' ReduceLROnPlateau. */
export class ReduceLROnPlateau extends BaseCallback {
  /** The log value watched. */
  readonly monitor: string;
  private readonly factor: number;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly cooldown: number;
  private readonly minLr: number;
  private readonly sign: 1 | -1;
  private best = Infinity;
  private wait = 0;
  private cooldownLeft = 0;

  constructor(private readonly o: ReduceLROnPlateauOptions = {}) {
    super();
    const op = 'callbacks.reduceLROnPlateau';
    this.monitor = o.monitor ?? 'val_loss';
    this.factor = o.factor ?? 0.1;
    if (!(this.factor >= 0 && this.factor < 1))
      throw new TensileError(
        op,
        `factor must be in [0, 1): the learning rate is multiplied by it; got ${String(o.factor)}`,
      );
    const count = (name: string, v: number) => {
      if (!Number.isInteger(v) || v < 0)
        throw new TensileError(op, `${name} must be a non-negative integer, got ${String(v)}`);
      return v;
    };
    this.patience = count('patience', o.patience ?? 10);
    this.cooldown = count('cooldown', o.cooldown ?? 0);
    this.minDelta = Math.abs(o.minDelta ?? 1e-4);
    this.minLr = o.minLr ?? 0;
    if (!(this.minLr >= 0)) throw new TensileError(op, `minLr must be a non-negative number, got ${String(o.minLr)}`);
    this.sign = monitorSign(op, this.monitor, o.mode ?? 'auto');
  }

  /** Called once before the first epoch. */
  onTrainBegin(): void {
    this.best = Infinity;
    this.wait = 0;
    this.cooldownLeft = 0;
  }

  /** Called at the end of each epoch with its logs (loss, metrics, val_*). */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const v = logs[this.monitor];
    if (v === undefined) {
      process.emitWarning(
        `reduceLROnPlateau: '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')})`,
      );
      return;
    }
    const optimizer = this.model.optimizer;
    if (!optimizer)
      throw new TensileError('callbacks.reduceLROnPlateau', 'the model has no optimizer; compile it first');
    // Keras: the cooldown counts down and clears the wait; an improvement always resets it.
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.wait = 0;
    }
    const current = this.sign * v;
    if (current < this.best - this.minDelta) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownLeft === 0 && ++this.wait >= this.patience) {
      const lr = optimizer.learningRate;
      // Keras compares with minLr as float32, the learning rate's type there.
      if (lr > Math.fround(this.minLr)) {
        optimizer.learningRate = Math.max(lr * this.factor, this.minLr);
        if (this.o.verbose === 1)
          process.stdout.write(
            `\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${optimizer.learningRate}.\n`,
          );
        this.cooldownLeft = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
