import { TensileError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { fmt } from '../tensor/shape.js';
import { hostWritten, syncHost } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { GradientBuckets } from './buckets.js';
import { type Fingerprint, checkAgreement } from './fingerprint.js';
import { type WorldInfo, allreduce, broadcast, init } from './world.js';

/** `fit(x, y, { distributed: { … } })`: how gradients travel. */
export interface DistributedFitOptions {
  /** Largest gradient bucket in bytes (default 25 MB, as PyTorch DDP). */
  bucketBytes?: number;
}

/** What the data-parallel steps need of a model (a subset of training.ts' TrainableModel). */
export interface ReplicaModel {
  readonly layers: readonly Layer[];
  compiled(op: string): { loss: Loss; metrics: Metric[]; optimizer: Optimizer };
  trainableVariables(): Variable[];
}

/** fit's settings that every rank must share (compared by fingerprint). */
export interface ReplicaSetup {
  x: Tensor;
  y: Tensor;
  batchSize: number;
  epochs: number;
  initialEpoch: number;
  shuffle: boolean;
  classWeight?: Record<number, number>;
  validationRows: number;
  /** Whether this rank's callbacks have per-batch hooks (rank 0's decides). */
  batchHooks: boolean;
}

const OP = 'fit (distributed)';
const allWeights = (m: ReplicaModel): Variable[] => m.layers.flatMap((l) => [...l.weights]);
const rowShape = (t: Tensor) => fmt(t.shape.slice(1));

/** Concatenates arrays, broadcasts them from rank 0 and writes the result back into them (on the GPU too). */
async function broadcastInto(arrays: Float32Array[]): Promise<void> {
  const all = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    all.set(syncHost(a), at);
    at += a.length;
  }
  await broadcast(all);
  at = 0;
  for (const a of arrays) {
    a.set(all.subarray(at, at + a.length));
    hostWritten(a);
    at += a.length;
  }
}

/**
 * Horovod's data parallelism inside fit: one model replica per process. At start the ranks compare a fingerprint
 * and take rank 0's weights and optimizer state; each epoch they take rank 0's shuffle; each global batch of
 * batchSize × size rows is cut into per-rank slices; gradients are summed over the ranks (weighted by slice size,
 * so the step is the mean over the global batch, exactly as one process with that batch) before every update.
 */
export class DataParallel {
  private buckets?: GradientBuckets;
  private constructor(
    readonly world: WorldInfo,
    private readonly batchSize: number,
    private readonly bucketElements: number,
    private readonly rootBatchHooks: boolean,
  ) {}

  get isRoot(): boolean {
    return this.world.rank === 0;
  }

  /** Joins the world, checks that every rank runs the same training, and copies rank 0's state everywhere. */
  static async start(
    model: ReplicaModel,
    s: ReplicaSetup,
    options: boolean | DistributedFitOptions,
  ): Promise<DataParallel> {
    const o = typeof options === 'object' && options !== null ? options : {};
    const bucketBytes = o.bucketBytes ?? 25 * 2 ** 20;
    if (!Number.isInteger(bucketBytes) || bucketBytes < 4)
      throw new TensileError(OP, `bucketBytes must be an integer of at least 4, got ${String(bucketBytes)}`);
    const world = await init();
    if (model.layers.some((l) => !l.built))
      throw new TensileError(
        OP,
        'the model must be built before distributed training (give the first layer an inputShape), so that rank 0 can send its weights',
      );
    const { loss, metrics, optimizer } = model.compiled(OP);
    const print: Fingerprint = [
      [
        "the model's weights",
        allWeights(model)
          .map((v) => `${v.name}${fmt(v.shape)}${v.trainable ? '' : ' frozen'}`)
          .join(' '),
      ],
      ['the optimizer', `${optimizer.className} ${JSON.stringify(optimizer.getConfig())}`],
      ['the loss', loss.name],
      ['the metrics', metrics.map((m) => m.name).join(', ') || '(none)'],
      ['batchSize', String(s.batchSize)],
      ['epochs', String(s.epochs)],
      ['initialEpoch', String(s.initialEpoch)],
      ['shuffle', String(s.shuffle)],
      ['classWeight', JSON.stringify(s.classWeight ?? null)],
      ['the number of training samples', String(s.x.shape[0])],
      ['the shape of a sample of x', rowShape(s.x)],
      ['the shape of a sample of y', rowShape(s.y)],
      ['the number of validation samples', String(s.validationRows)],
    ];
    if (world.size > 1) await checkAgreement(OP, world.rank, print);
    // Rank 0's state: weights, optimizer slots (created where missing: zeros, as a first step would), step count,
    // and whether its callbacks need a word after every batch.
    const header = new Float64Array([optimizer.iterations, s.batchHooks ? 1 : 0]);
    await broadcast(header);
    const weights = allWeights(model);
    await broadcastInto(weights.map((v) => v.value.data));
    await broadcastInto(model.trainableVariables().flatMap((v) => optimizer.slotsFor(v)));
    optimizer.iterations = header[0];
    return new DataParallel(world, s.batchSize, Math.floor(bucketBytes / 4), header[1] === 1);
  }

  /** Steps an epoch: global batches of batchSize × size rows. */
  steps(n: number): number {
    return Math.ceil(n / (this.batchSize * this.world.size));
  }

  private globalRows(b: number, n: number): [number, number] {
    const g = this.batchSize * this.world.size;
    return [b * g, Math.min(b * g + g, n)];
  }

  /** This rank's rows [start, end) of global batch b (empty for some ranks in a short last batch). */
  rows(b: number, n: number): [number, number] {
    const [gs, ge] = this.globalRows(b, n);
    const start = Math.min(gs + this.world.rank * this.batchSize, ge);
    return [start, Math.min(start + this.batchSize, ge)];
  }

  /** Every rank takes rank 0's shuffled order of the epoch (drawn from rank 0's seeded generator). */
  async shareOrder(order: Int32Array): Promise<void> {
    await broadcast(order);
  }

  /**
   * Replaces each variable's gradient (the mean over this rank's rows) by the mean over global batch b: each rank
   * weights its gradient by its share of the rows, and the buckets are summed in a fixed order.
   */
  async averageGradients(variables: readonly Variable[], b: number, n: number): Promise<void> {
    const [gs, ge] = this.globalRows(b, n);
    const [start, end] = this.rows(b, n);
    this.buckets ??= new GradientBuckets(
      variables.map((v) => v.value.size),
      this.bucketElements,
    );
    const grads = variables.map((v) => (v.value.grad ? v.value.grad.data : null));
    const summed = await this.buckets.sum(grads, (end - start) / (ge - gs), (buf) => allreduce(buf));
    variables.forEach((v, i) => {
      const g = summed[i];
      v.value.grad = g ? new Tensor(g, v.value.shape) : null;
    });
  }

  /** The epoch's logs as the mean over every rank's samples (each rank's means weighted by its sample count). */
  async averageLogs(
    model: ReplicaModel,
    logs: Record<string, number>,
    samples: number,
  ): Promise<Record<string, number>> {
    const keys = ['loss', ...model.compiled(OP).metrics.map((m) => m.name)];
    const sums = new Float64Array([...keys.map((k) => (logs[k] ?? 0) * samples), samples]);
    await allreduce(sums);
    const total = sums[keys.length];
    return Object.fromEntries(keys.map((k, i) => [k, sums[i] / Math.max(total, 1)]));
  }

  /** Whether to stop: rank 0's callbacks decide. After a batch only when rank 0 has per-batch hooks. */
  async agreeStop(stop: boolean, at: 'batch' | 'epoch'): Promise<boolean> {
    if (at === 'batch' && !this.rootBatchHooks) return stop;
    const flag = new Int32Array([stop ? 1 : 0]);
    await broadcast(flag);
    return flag[0] === 1;
  }

  /** After training: rank 0's weights everywhere again (its callbacks may have restored the best ones). */
  async finish(model: ReplicaModel): Promise<void> {
    const weights = allWeights(model);
    await broadcastInto(weights.map((v) => v.value.data));
  }
}
