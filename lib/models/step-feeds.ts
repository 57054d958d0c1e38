import type { StepArray } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks.js';
import { copyRows } from './data.js';

/** A batch's loss tensor (its graph kept when training) and its logged tensors (per-output losses, metrics), named. */
export interface BatchTensors {
  lossT: Tensor;
  named: [string, Tensor][];
}

/** The tensors a step's logs are read from: the loss, then each named one. */
export const outputsOf = (t: BatchTensors): Tensor[] => [t.lossT, ...t.named.map(([, m]) => m)];

/**
 * What a compiled step's runSteps copies in and out (plan/compiled.ts): each input's rows of `steps` consecutive
 * batches, fed one batch a step into the plan's input arrays, and each logged value, collected a step at a time.
 * The rows' buffers are kept and grown as needed.
 */
export class StepFeeds {
  private readonly rows: Float32Array[] = [];

  /** Feeds [input array, rows] for rows [start, start + steps·batch) of each tensor of `data` (through order). */
  inputs(
    data: readonly Tensor[],
    arrays: readonly Float32Array[],
    start: number,
    batch: number,
    steps: number,
    order: Int32Array | undefined,
  ): StepArray[] {
    const feeds: StepArray[] = [];
    data.forEach((t, i) => {
      const need = steps * arrays[i].length;
      if ((this.rows[i]?.length ?? 0) < need) this.rows[i] = new Float32Array(need);
      const rows = this.rows[i].subarray(0, need);
      copyRows(t, start, start + steps * batch, order, rows);
      feeds.push(arrays[i], rows);
    });
    return feeds;
  }

  /** Collects of a step's logged values over `steps` steps, and step j's logs once they ran. */
  outputs(t: BatchTensors, steps: number): { collects: StepArray[]; logs: (j: number) => Logs } {
    const outs = outputsOf(t);
    const names = ['loss', ...t.named.map(([name]) => name)];
    const values = outs.map((o) => new Float32Array(steps * o.size));
    return {
      collects: outs.flatMap((o, i) => [o.raw, values[i]]),
      logs: (j) => {
        const logs: Logs = {};
        names.forEach((name, i) => (logs[name] = values[i][j * outs[i].size]));
        return logs;
      },
    };
  }
}
