import type { Variable } from '../layers/variable.js';
import type { Optimizer } from '../optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks.js';
import { DenseStackStep } from './dense-stack.js';
import { type TrainingStep, trainingStep } from './step.js';
import type { TrainableModel } from './training.js';

/**
 * How fit trains, chosen once per fit call: the compiled step of any model (step.ts: recorded, then replayed per
 * batch shape), or, for a stack of Dense layers the native kernels train whole (dense-stack.ts), many batches a
 * native call. Which one applies is decided after the first batch, when the model is built and its metrics resolved.
 */
export class FitStep {
  /** The fused dense-stack step; undefined until the first batch has run, null when it does not apply. */
  denseStack: DenseStackStep | null | undefined;
  private readonly step: TrainingStep;
  constructor(
    private readonly model: TrainableModel,
    variables: readonly Variable[],
    private readonly optimizer: Optimizer,
    private readonly sampleWeights?: (y: Tensor) => Tensor,
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
    if (this.denseStack?.accepts(xs[0], ys[0])) {
      const ran = this.denseStack.train(xs[0], ys[0], order, start, batchSize, want, this.optimizer);
      for (let j = 0; j < ran; j++) add(this.denseStack.values(j), Math.min(batchSize, n - (b + j) * batchSize));
      return ran;
    }
    const end = Math.min(start + batchSize, n);
    add(this.step.run(xs, ys, { start, end, order: order ?? undefined }), end - start);
    if (this.denseStack === undefined) {
      const { loss, metrics, heads } = this.model.compiled('fit');
      this.denseStack =
        this.sampleWeights || xs.length > 1 || heads.length > 1
          ? null
          : DenseStackStep.plan(this.model.layers, loss, metrics);
    }
    return 1;
  }
}
