import { AsyncLocalStorage } from 'node:async_hooks';
import { TensileError } from '../errors.js';

// A model's state while fit runs. fit is async: between its batches other code runs, and a second fit, a
// compile or a setWeights from there would interleave with the training without a word. The rules:
// - a second fit (or fitDataset) on a model that is training is refused, as tfjs refuses it;
// - compile, add, setBackend and changing `trainable` are refused while fit runs, even from its callbacks;
// - setWeights, evaluateAsync and predictAsync are refused from outside, and allowed from fit's own callbacks
//   (fit is paused there: EarlyStopping restores weights in onTrainEnd, a callback may evaluate); fit waits for
//   an evaluateAsync/predictAsync a callback started before it trains on;
// - fit is refused while evaluateAsync/predictAsync run on the model (they would see weights change mid-way);
// - save is always allowed: it copies every value before its first await, so it writes the state after a
//   whole batch.
// Which code is "fit's own callbacks" is known exactly through AsyncLocalStorage, not guessed from timing.

/** One fit in progress, shared by the model and its layers. */
class Run {
  private readers = 0;
  private wake: (() => void) | undefined;
  constructor(
    readonly op: string,
    readonly model: string,
  ) {}
  beginRead(): void {
    this.readers++;
  }
  endRead(): void {
    if (--this.readers === 0) this.wake?.();
  }
  /** Resolves once no evaluateAsync/predictAsync started from a callback still runs. */
  async settled(): Promise<void> {
    while (this.readers > 0) await new Promise<void>((resolve) => (this.wake = resolve));
  }
}

export type FitRun = Run;

const runs = new WeakMap<object, Run>();
const readers = new WeakMap<object, { op: string; count: number }>();
const callbackScope = new AsyncLocalStorage<Run>();
let fitsRunning = 0;

const why = (run: Run) => `fit() is running on model '${run.model}'`;

/** Mark the model (and its layers) as training; throws when it already trains or is being read asynchronously. */
export function beginFit(op: string, model: { readonly name: string }, parts: readonly object[]): Run {
  for (const o of [model, ...parts]) {
    const run = runs.get(o);
    if (run)
      throw new TensileError(
        op,
        `cannot start training because another ${run.op}() call is ongoing on model '${run.model}'; await it first`,
      );
  }
  const r = readers.get(model);
  if (r && r.count > 0)
    throw new TensileError(op, `cannot start training while ${r.op}() runs on model '${model.name}'; await it first`);
  const run = new Run(op, model.name);
  for (const o of [model, ...parts]) runs.set(o, run);
  fitsRunning++;
  return run;
}

export function endFit(run: Run, model: object, parts: readonly object[]): void {
  for (const o of [model, ...parts]) if (runs.get(o) === run) runs.delete(o);
  fitsRunning--;
}

/** Run fit's callbacks in its scope (where setWeights and the async reads are allowed), then wait for those reads. */
export async function inCallbacks(run: Run, fn: () => Promise<void>): Promise<void> {
  await callbackScope.run(run, fn);
  await run.settled();
}

/** Refuse a change to `target` while fit runs on it; `fromCallbacks` allows it from fit's own callbacks. */
export function checkNotTraining(op: string, target: object, fromCallbacks = false): void {
  const run = runs.get(target);
  if (!run || (fromCallbacks && callbackScope.getStore() === run)) return;
  const hint = fromCallbacks ? ' (from a callback of that fit it is allowed)' : '';
  throw new TensileError(op, `cannot run while ${why(run)}; await fit first${hint}`);
}

/** evaluateAsync/predictAsync on a model: refused while fit runs outside its callbacks. Returns the release. */
export function beginRead(op: string, model: { readonly name: string }): () => void {
  checkNotTraining(op, model, true);
  const run = runs.get(model);
  run?.beginRead();
  const r = readers.get(model) ?? { op, count: 0 };
  r.op = op;
  r.count++;
  readers.set(model, r);
  return () => {
    r.count--;
    run?.endRead();
  };
}

/** setBackend while any fit runs would move its weights between devices mid-epoch: refused. */
export function checkNoFitRunning(op: string): void {
  if (fitsRunning > 0)
    throw new TensileError(
      op,
      `cannot change the backend while fit() is running (${fitsRunning} running); await it first`,
    );
}
