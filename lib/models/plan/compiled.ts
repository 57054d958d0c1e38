import { isDebug } from '../../autograd/index.js';
import { activeBackend } from '../../backend/index.js';
import type { Backend, CompiledCalls, KernelCall, StepArray, StepIo } from '../../backend/backend.js';
import {
  type Analysis,
  type KernelArray,
  type Recording,
  activeRecording,
  analyse,
  disagreement,
  record,
  restoredBeforeReplay,
} from '../../backend/recording.js';
import { type Shape, sizeOf } from '../../tensor/shape.js';
import { syncHost } from '../../tensor/storage.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * A recorded step as a static plan: its kernel calls on the arrays they used (allocated once, by the recording),
 * replayed in order. Where the backend has plans of its own (the native one), each run of calls it accepts is
 * compiled into one call; the rest (host steps, kernels that run in JavaScript) are called one by one. Before each
 * replay the arrays the step reads and then writes (accumulators, carried states) get their recorded contents back.
 */
export class Plan {
  private readonly calls: (() => void)[] = [];
  private readonly restore: readonly { array: KernelArray; values: KernelArray }[];
  /** How many of the recorded calls run inside the backend's compiled runs (the rest one by one). */
  compiledCalls = 0;
  /** The whole step as one compiled run (every call in it, no host step), which can run many steps a call; or null. */
  readonly whole: CompiledCalls | null = null;
  constructor(
    private readonly real: Backend,
    rec: Recording,
    restore: readonly { array: KernelArray; values: KernelArray }[],
  ) {
    const k = real as unknown as Record<string, (...a: unknown[]) => void>;
    const plans = real.plans;
    let run: KernelCall[] = [];
    let last: CompiledCalls | null = null;
    const flush = () => {
      if (run.length) {
        last = plans!.compile(run);
        this.calls.push(last.run);
        this.compiledCalls += run.length;
      }
      run = [];
    };
    for (const e of rec.entries) {
      if (e.kind === 'kernel' && plans?.accepts(e)) {
        run.push(e);
        continue;
      }
      flush();
      this.calls.push(e.kind === 'host' ? e.run : callOf(k, e));
    }
    flush();
    this.restore = restore;
    if (this.calls.length === 1 && this.compiledCalls === rec.entries.length) this.whole = last;
  }
  /** The arrays put back before each step, as feeds of a compiled run ([to, from, ...]). */
  restoreFeeds(): StepArray[] {
    return this.restore.flatMap((r) => [r.array, r.values]);
  }
  replay(): void {
    for (const r of this.restore) this.real.copy(r.values as Float32Array, r.array as Float32Array);
    for (const c of this.calls) c();
  }
}

function callOf(k: Record<string, (...a: unknown[]) => void>, e: KernelCall): () => void {
  const f = k[e.method],
    args = e.args;
  return () => f(...args);
}

/** Recordings of one input shape: the last one (to compare with), the plan once two agree, or why not. */
interface ShapeState<T> {
  last?: Analysis;
  attempts: number;
  plan?: Plan;
  inputs?: Tensor[];
  /** The inputs' arrays, for fill. */
  arrays?: Float32Array[];
  value?: T;
  whyNot?: string;
}

let plansOn = process.env.TENSILE_STEP_PLANS !== '0';
/**
 * Turn compiled steps on (the default) or off: off, fit, evaluate and predict run every batch op by op (the same
 * numbers, slower). Env TENSILE_STEP_PLANS=0 starts with them off.
 * @example
 * tl.setStepPlans(false); // op by op, e.g. to compare
 */
export function setStepPlans(on: boolean): void {
  plansOn = on === true;
}

/** Recordings of a step that disagree this many times in a row (the model is still changing): run it step by step. */
const MAX_ATTEMPTS = 3;
/** Input shapes whose plans a step keeps (fit needs two: full batches and the last one). */
const MAX_SHAPES = 8;

/**
 * A step compiled per input shape: the first two runs of a shape are recorded (and computed) op by op; when the
 * two recordings agree, later runs replay the second one. `compute` gets tensors it must only read; its result's
 * tensors are the plan's outputs, refreshed in place by each replay (read them before the next run). `guard`
 * lists what the plans depend on beyond the shapes (backend, weights' arrays, trainable flags...): when any entry
 * changes, every plan is dropped and recorded anew. Debug mode runs every step op by op.
 */
export class CompiledStep<T> {
  private readonly shapes = new Map<string, ShapeState<T>>();
  private guarded: readonly unknown[] = [];
  private backendAt: Backend | null = null;
  constructor(
    private readonly compute: (inputs: readonly Tensor[]) => T,
    private readonly outputs: (value: T) => readonly Tensor[],
    private readonly guard: () => readonly unknown[] = () => [],
    /** Why the step cannot be replayed at all (checked when the guard changes), or null. */
    private readonly refuse: () => string | null = () => null,
  ) {}
  private refused: string | null = null;

  /** Why the plan of these shapes was refused ('' while recording, or when it replays). */
  whyNot(shapes: readonly Shape[]): string {
    return this.refused ?? this.shapes.get(keyOf(shapes))?.whyNot ?? '';
  }
  /** How many kernel calls of the plan of these shapes run inside the backend's compiled runs (0 without a plan). */
  compiledCalls(shapes: readonly Shape[]): number {
    return this.shapes.get(keyOf(shapes))?.plan?.compiledCalls ?? 0;
  }
  /** Whether the plan of these shapes is one compiled run (runSteps runs many steps a call). */
  runsWhole(shapes: readonly Shape[]): boolean {
    return !!this.shapes.get(keyOf(shapes))?.plan?.whole;
  }
  /** Whether runs of these shapes replay a plan. */
  replays(shapes: readonly Shape[]): boolean {
    return this.shapes.get(keyOf(shapes))?.plan !== undefined;
  }

  /**
   * Run the step on inputs of these shapes; fill(arrays, k) writes the inputs' values, through kernels of k or in
   * JavaScript (then calling hostWritten on what it wrote).
   */
  run(shapes: readonly Shape[], fill: Fill): T {
    // Inside another step's recording (a step run from a step), the inner one is part of the outer one's plan.
    if (isDebug() || !plansOn || activeRecording()) return this.compute(fresh(shapes, fill));
    this.checkGuard();
    if (this.refused !== null) return this.compute(fresh(shapes, fill));
    const key = this.shapeKey(shapes);
    let s = this.shapes.get(key);
    if (!s) {
      // Plans hold their buffers: keep those of the most recent shapes only (predict on ever new batch sizes).
      if (this.shapes.size >= MAX_SHAPES) this.shapes.delete(this.shapes.keys().next().value!);
      this.shapes.set(key, (s = { attempts: 0 }));
    }
    if (s.plan) {
      fill(s.arrays!, activeBackend());
      s.plan.replay();
      return s.value!;
    }
    const inputs = fresh(shapes, fill);
    if (s.whyNot) return this.compute(inputs);
    const real = activeBackend();
    const { value, rec } = record(
      real,
      () => this.compute(inputs),
      (a) => (a instanceof Float32Array ? syncHost(a) : a),
    );
    if (rec.refused) {
      s.whyNot = rec.refused;
      return value;
    }
    const an = analyse(
      rec,
      inputs.map((t) => t.raw),
    );
    const loose = this.outputs(value).find(
      (t) => !an.written.has(t.raw.buffer) && !inputs.some((i) => i.raw === t.raw),
    );
    if (loose) {
      s.whyNot = 'an output of the step was not computed by a kernel';
      return value;
    }
    const why = s.last ? disagreement(s.last, an) : 'one recording';
    if (why === null) {
      s.plan = new Plan(real, rec, restoredBeforeReplay(s.last!, an));
      s.inputs = inputs;
      s.arrays = inputs.map((t) => t.raw);
      s.value = value;
      s.last = undefined;
    } else {
      if (s.last && ++s.attempts >= MAX_ATTEMPTS) s.whyNot = why;
      s.last = an;
    }
    return value;
  }

  /**
   * Replay the plan of these shapes `steps` times in one backend call, where it is one compiled run (every kernel
   * in the backend's plan, no host step). io(arrays, value) gives what each step copies in (feeds and gathers, the
   * inputs' arrays among their to's) and out (collects): CompiledCalls.runSteps; the plan's restores are fed too. Returns
   * the plan's value (its tensors hold the last step's values), or null, having run nothing, where this cannot be
   * (no plan yet, not one run, plans off, debug mode).
   */
  runSteps(shapes: readonly Shape[], steps: number, io: (arrays: Float32Array[], value: T) => StepIo): T | null {
    if (isDebug() || !plansOn || activeRecording()) return null;
    this.checkGuard();
    const s = this.refused === null ? this.shapes.get(this.shapeKey(shapes)) : undefined;
    const whole = s?.plan?.whole;
    if (!whole) return null;
    const each = io(s!.arrays!, s!.value!);
    whole.runSteps(steps, { ...each, feeds: [...s!.plan!.restoreFeeds(), ...each.feeds] });
    return s!.value!;
  }

  private lastShapes: readonly Shape[] = [];
  private lastKey = '';
  /** The key of these shapes (the previous call's when they are the same, as batch after batch). */
  private shapeKey(shapes: readonly Shape[]): string {
    const last = this.lastShapes;
    let same = last.length === shapes.length;
    for (let i = 0; same && i < shapes.length; i++) {
      const a = shapes[i],
        b = last[i];
      same = a.length === b.length;
      for (let j = 0; same && j < a.length; j++) same = a[j] === b[j];
    }
    if (!same) {
      this.lastShapes = shapes.map((s) => [...s]);
      this.lastKey = keyOf(shapes);
    }
    return this.lastKey;
  }

  private checkGuard(): void {
    const now = this.guard();
    const real = activeBackend();
    if (real === this.backendAt && sameEntries(now, this.guarded)) return;
    this.shapes.clear();
    this.refused = this.refuse();
    this.guarded = now.slice(); // guard() may refill one array
    this.backendAt = real;
  }
}

function sameEntries(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const keyOf = (shapes: readonly Shape[]): string => shapes.map((s) => s.join('x')).join('|');

/** How a step's inputs get their values: into `arrays` (the inputs' own), by kernels of k or in JavaScript. */
export type Fill = (arrays: Float32Array[], k: Backend) => void;

function fresh(shapes: readonly Shape[], fill: Fill): Tensor[] {
  const inputs = shapes.map((s) => new Tensor(new Float32Array(sizeOf(s)), s));
  fill(
    inputs.map((t) => t.raw),
    activeBackend(),
  );
  return inputs;
}
