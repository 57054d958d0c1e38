import type { StepArray } from '../backend/backend.js';
import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks.js';
import type { CompiledStep } from './plan/compiled.js';

/** `steps` consecutive batches of `batch` rows from row `start` (of `order` when given). */
export interface StepRows {
  start: number;
  batch: number;
  steps: number;
  order?: Int32Array;
}

/** A batch's loss tensor (its graph kept when training) and its logged tensors (per-output losses, metrics), named. */
export interface BatchTensors {
  lossT: Tensor;
  named: [string, Tensor][];
}

/** The shape of `rows` samples of t (its first axis cut to them). */
export const shapeOf = (t: Tensor, rows: number): Shape => [rows, ...t.shape.slice(1)];

/** The tensors a step's logs are read from: the loss, then each named one. */
export const outputsOf = (t: BatchTensors): Tensor[] => [t.lossT, ...t.named.map(([, m]) => m)];

/**
 * What a compiled step's runSteps copies in and out (plan/compiled.ts): each input's rows of `steps` consecutive
 * batches, gathered a batch a step into the plan's input arrays, and each logged value, collected a step at a time.
 */
export class StepFeeds {
  private rows = new Int32Array(0);

  /**
   * Gathers [input array, tensor's values] of each tensor of `data`, and the rows they take: rows [start, start +
   * steps·batch) of the tensors, through `order` when given (no copy on this side: the backend takes each batch's
   * rows from the tensors' own values).
   */
  inputs(
    data: readonly Tensor[],
    arrays: readonly Float32Array[],
    start: number,
    batch: number,
    steps: number,
    order: Int32Array | undefined,
  ): { rows: Int32Array; gathers: StepArray[] } {
    const n = steps * batch;
    let rows: Int32Array;
    if (order) rows = order.subarray(start, start + n);
    else {
      if (this.rows.length < n) this.rows = new Int32Array(n);
      rows = this.rows.subarray(0, n);
      for (let i = 0; i < n; i++) rows[i] = start + i;
    }
    return { rows, gathers: data.flatMap((t, i) => [arrays[i], t.data]) }; // data: current on the host
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

  /**
   * Run rows.steps batches of a compiled step in one backend call (CompiledStep.runSteps): each batch's rows of
   * `data` gathered into the step's inputs, `feeds()` fed besides (called only if the batches run), each batch's
   * logs (of the BatchTensors `batchOf` finds in the step's value) given to `add`. The step's value, or null when
   * nothing ran.
   */
  run<T>(
    compiled: CompiledStep<T>,
    data: readonly Tensor[],
    rows: StepRows,
    batchOf: (value: T) => BatchTensors,
    add: (logs: Logs, rows: number) => void,
    feeds: () => StepArray[] = () => [],
  ): T | null {
    const { start, batch, steps, order } = rows;
    let logs: ((j: number) => Logs) | undefined;
    const value = compiled.runSteps(
      data.map((t) => shapeOf(t, batch)),
      steps,
      (arrays, v) => {
        const out = this.outputs(batchOf(v), steps);
        logs = out.logs;
        return { ...this.inputs(data, arrays, start, batch, steps, order), feeds: feeds(), collects: out.collects };
      },
    );
    if (value !== null) for (let j = 0; j < steps; j++) add(logs!(j), batch);
    return value;
  }
}
