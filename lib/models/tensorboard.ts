import { join } from 'node:path';
import { TensileError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { BaseCallback, type Logs } from './callbacks.js';
import { EventFileWriter } from './event-file.js';

/** Options of tl.callbacks.tensorBoard. */
export interface TensorBoardOptions {
  /**
   * 'epoch' (default): scalars once an epoch; 'batch': training scalars after every batch too; a number n:
   * after every n batches.
   */
  updateFreq?: 'batch' | 'epoch' | number;
  /** Write a histogram of every weight each histogramFreq epochs (0, the default: none). */
  histogramFreq?: number;
}

/** What the callback reads of a model besides its logs: named weights for histograms. */
interface NamedWeights {
  layers?: readonly { weights: readonly { name: string; value: Tensor }[] }[];
}

/**
 * Logs for TensorBoard, as Keras' TensorBoard callback and tfjs-node's tensorBoard write them: event files in
 * `<logdir>/train` (epoch_loss, epoch_<metric>, epoch_learning_rate; batch_* with updateFreq) and
 * `<logdir>/validation` (epoch_loss, epoch_<metric> from the val_ logs). Steps are epochs (batches for batch_*).
 */
export class TensorBoard extends BaseCallback {
  private train: EventFileWriter | null = null;
  private validation: EventFileWriter | null = null;
  private readonly every: number;
  private readonly histogramFreq: number;
  private batchStep = 0;

  constructor(
    /** The folder that holds the train/ and validation/ run folders. */
    readonly logdir: string,
    o: TensorBoardOptions = {},
  ) {
    super();
    const op = 'callbacks.tensorBoard';
    if (typeof logdir !== 'string' || logdir === '')
      throw new TensileError(op, `logdir must be a folder path, got ${String(logdir)}`);
    const f = o.updateFreq ?? 'epoch';
    if (f !== 'batch' && f !== 'epoch' && !(typeof f === 'number' && Number.isInteger(f) && f > 0))
      throw new TensileError(op, `updateFreq must be 'batch', 'epoch' or a positive integer, got ${String(f)}`);
    this.every = f === 'epoch' ? 0 : f === 'batch' ? 1 : f;
    this.histogramFreq = o.histogramFreq ?? 0;
    if (!Number.isInteger(this.histogramFreq) || this.histogramFreq < 0)
      throw new TensileError(op, `histogramFreq must be a non-negative integer, got ${String(o.histogramFreq)}`);
  }

  /** The training run's event file (created at the start of training). */
  get trainPath(): string | undefined {
    return this.train?.path;
  }

  /** Called once before the first epoch. */
  onTrainBegin(): void {
    // One new file per run in each folder, as Keras: TensorBoard shows successive runs of one logdir in order.
    this.train = new EventFileWriter(join(this.logdir, 'train'));
    this.validation = null;
    this.batchStep = 0;
  }

  /** Called after each batch with the running means of the epoch so far. */
  onBatchEnd(_batch: number, logs: Logs = {}): void {
    this.batchStep++;
    if (this.every && this.batchStep % this.every === 0) this.train?.scalars(this.batchStep, prefixed('batch_', logs));
  }

  /** Called at the end of each epoch with its logs (loss, metrics, val_*). */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const train: Logs = {};
    const val: Logs = {};
    for (const [k, v] of Object.entries(logs)) {
      if (k.startsWith('val_')) val[k.slice(4)] = v;
      else train[k] = v;
    }
    const lr = this.model.optimizer?.learningRate;
    if (typeof lr === 'number') train.learning_rate = lr;
    this.train?.scalars(epoch, prefixed('epoch_', train));
    if (Object.keys(val).length) {
      this.validation ??= new EventFileWriter(join(this.logdir, 'validation'));
      this.validation.scalars(epoch, prefixed('epoch_', val));
    }
    if (this.histogramFreq && epoch % this.histogramFreq === 0) {
      for (const layer of (this.model as NamedWeights).layers ?? [])
        for (const w of layer.weights) this.train?.histogram(epoch, `${w.name}_0`, w.value.data);
    }
  }

  /** Called once after the last epoch. */
  onTrainEnd(): void {
    this.train?.close();
    this.validation?.close();
  }
}

const prefixed = (prefix: string, logs: Logs): Logs =>
  Object.fromEntries(Object.entries(logs).map(([k, v]) => [prefix + k, v]));

/**
 * TensorBoard logs of training: `tensorboard --logdir logs` then shows loss, metrics, validation and learning
 * rate curves (and weight histograms with histogramFreq).
 * @example await model.fit(x, y, { epochs: 10, validationSplit: 0.1, callbacks: [tl.callbacks.tensorBoard('logs/run1')] });
 */
export const tensorBoard = (logdir: string, options: TensorBoardOptions = {}): TensorBoard =>
  new TensorBoard(logdir, options);
