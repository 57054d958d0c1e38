import type { Variable } from '../layers/variable.js';
import type { Optimizer } from '../optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks.js';
import { type TrainingStep, trainingStep } from './step.js';
import type { TrainableModel } from './training.js';

/**
 * How fit trains, chosen once per fit call: the compiled step of the model (step.ts: recorded, then replayed per
 * batch shape), many full batches a backend call where its plan is one compiled run and no callback runs between
 * batches, else one batch a call.
 */
export class FitStep {
  private readonly step: TrainingStep;
  constructor(
    model: TrainableModel,
    variables: readonly Variable[],
    optimizer: Optimizer,
    sampleWeights?: (y: Tensor) => Tensor,
  ) {
    this.step = trainingStep(model, variables, optimizer, sampleWeights);
  }

  /**
   * Train on batches b, b + 1, ... (at most `want`; rows through `order` when given) and give each one's loss and
   * metrics to `add` with its row count. Returns how many batches ran.
   */
  train(
    xs: readonly Tensor[],
    ys: readonly Tensor[],
    order: Int32Array | null,
    b: number,
    batchSize: number,
    want: number,
    add: (logs: Logs, rows: number) => void,
  ): number {
    const n = xs[0].shape[0],
      start = b * batchSize;
    // full batches as wanted, or the last, shorter one alone (a plan of its own shape)
    const rows = Math.min(batchSize, n - start);
    const steps = rows === batchSize ? Math.min(want, Math.floor((n - start) / batchSize)) : 1;
    const ran = this.step.runSteps(xs, ys, order ?? undefined, start, rows, steps, add);
    if (ran) return ran;
    add(this.step.run(xs, ys, { start, end: start + rows, order: order ?? undefined }), rows);
    return 1;
  }
}
