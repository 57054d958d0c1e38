import type { Backend } from './backend.js';

/**
 * A recording backend: every kernel call of a computation is forwarded to the real backend and kept, with its
 * arguments (the very arrays), so that the computation can be replayed later kernel call by kernel call, with
 * no tape, no allocation and no JavaScript between the calls (models/plan/). Work done in JavaScript between
 * kernels is replayable only when it is announced with hostStep(); anything else that cannot be replayed says
 * so with notReplayable(), and the recording is refused.
 */

export type KernelArray = Float32Array | Int32Array;

/** One kernel call, or one announced piece of JavaScript (a host step) that writes arrays. */
export type Entry =
  | { readonly kind: 'kernel'; readonly method: string; readonly args: readonly unknown[] }
  | {
      readonly kind: 'host';
      readonly run: () => void;
      readonly writes: readonly KernelArray[];
      readonly reads: readonly KernelArray[];
    };

/**
 * Which arguments each kernel writes (the rest it only reads), by argument position; for denseBackward/
 * conv2dBackward/layerNormBackward the written argument is the gradients object. Kernels missing here cannot be
 * replayed (the optimizer updates given their numbers as arguments, fused stacks); applyUpdate reads its rule live.
 */
const WRITES: Readonly<Record<string, readonly number[]>> = {
  gemm: [2],
  copy: [1],
  unary: [2],
  binary: [3],
  where: [3],
  broadcast: [1],
  reduce: [2],
  argmax: [1],
  softmax: [1],
  transpose: [1],
  gather: [2],
  scatterAdd: [2],
  slice: [3],
  unslice: [3],
  dense: [3],
  denseBackward: [4],
  conv2d: [3],
  conv2dBackward: [4],
  pool2d: [2],
  pool2dBackward: [3],
  crossentropy: [3],
  crossentropyBackward: [4],
  gemmBatched: [2],
  maskedSoftmax: [2],
  softmaxBackward: [2],
  batchNorm: [3, 4, 5, 6],
  batchNormBackward: [5],
  movingAverage: [0],
  layerNorm: [3, 4, 5],
  layerNormBackward: [5],
  lstmCell: [0, 4, 5],
  lstmCellBackward: [5, 6, 7],
  gruCell: [0, 1, 5],
  gruCellBackward: [5, 6, 7],
  rnnCell: [0, 3],
  rnnCellBackward: [3, 4],
  gruResetGates: [0, 3],
  gruResetCell: [0, 4],
  gruResetCellBackward: [6, 7, 8, 9],
  gruResetGatesBackward: [4, 5, 6],
  bernoulli: [0, 1],
  applyUpdate: [1, 3, 4, 5],
};
/**
 * Written arguments whose previous contents the kernel reads: scatterAdd adds, unslice leaves the rest, the
 * recurrent cells work in place (gates, rec) and carry dh/dc through, gruResetGatesBackward leaves the blocks of
 * dGates and dZR that gruResetCellBackward wrote just before, movingAverage updates, bernoulli advances the generator, applyUpdate steps a parameter and its slots, gemm(Batched) with beta ≠ 0.
 */
const READS_WRITTEN: Readonly<Record<string, readonly number[]>> = {
  scatterAdd: [2],
  unslice: [3],
  lstmCell: [0],
  lstmCellBackward: [5, 6],
  gruCell: [0, 1],
  gruCellBackward: [5],
  rnnCell: [0],
  rnnCellBackward: [3],
  gruResetGates: [0],
  gruResetCell: [0],
  gruResetCellBackward: [6],
  gruResetGatesBackward: [4, 5],
  movingAverage: [0],
  bernoulli: [0],
  applyUpdate: [1, 3, 4, 5],
};
/**
 * Arguments read when the kernel runs rather than when it is recorded (applyUpdate's rule: the optimizer rewrites
 * it before each step): compared between two recordings by identity, not by value.
 */
const LIVE: Readonly<Record<string, readonly number[]>> = { applyUpdate: [0] };
const liveIds = new WeakMap<object, number>();
let liveCount = 0;
const liveToken = (a: object): string => {
  let id = liveIds.get(a);
  if (id === undefined) liveIds.set(a, (id = liveCount++));
  return `live#${id}`;
};
const readsWritten = (method: string, args: readonly unknown[]): readonly number[] =>
  (method === 'gemm' || method === 'gemmBatched') && (args[3] as { beta: number }).beta !== 0
    ? [2]
    : (READS_WRITTEN[method] ?? []);

export class Recording {
  readonly entries: Entry[] = [];
  /** Why this recording cannot be replayed (null: it can). */
  refused: string | null = null;
  /** The contents of every buffer a kernel read before anything in the recording wrote it, taken then. */
  readonly firstValues = new Map<ArrayBufferLike, KernelArray>();
  /** readHost: an array's current values on the host (the cuda backend syncs its device copy). */
  constructor(
    readonly real: Backend,
    private readonly readHost: (a: KernelArray) => KernelArray = (a) => a,
  ) {}
  refuse(why: string): void {
    this.refused ??= why;
  }
  /** Keep a's buffer's contents if this is the first the recording sees of it. */
  seen(a: KernelArray, read: boolean): void {
    if (this.firstValues.has(a.buffer) || this.written.has(a.buffer)) return;
    if (read) this.firstValues.set(a.buffer, this.readHost(whole(a)).slice());
    else this.written.add(a.buffer);
  }
  private readonly written = new Set<ArrayBufferLike>();
}

let current: Recording | null = null;

/** The recording in progress, if any. */
export function activeRecording(): Recording | null {
  return current;
}

/**
 * Run JavaScript that reads `reads` and writes `writes` (for example a random mask, or a batch's labels made
 * one-hot): now, and again at each replay of a recording made meanwhile, so that replays compute exactly what
 * the step by step computation would. Declaring what it reads lets a recording whose host step reads a value made
 * in JavaScript from the batch (not by a kernel or another host step) be refused instead of replaying stale data.
 */
export function hostStep(writes: readonly KernelArray[], run: () => void, reads: readonly KernelArray[] = []): void {
  for (const a of reads) current?.seen(a, true);
  for (const a of writes) current?.seen(a, false);
  run();
  current?.entries.push({ kind: 'host', run, writes, reads });
}

/** Mark the recording in progress (if any) as not replayable: `why` names the op and the reason. */
export function notReplayable(why: string): void {
  current?.refuse(why);
}

/** The backend that records into `rec` while forwarding every call to rec.real. */
function recordingBackend(rec: Recording): Backend {
  const real = rec.real as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { name: rec.real.name };
  for (const method of Object.keys(real)) {
    const f = real[method];
    if (typeof f !== 'function') continue;
    const writes = WRITES[method];
    out[method] = (...args: unknown[]) => {
      if (!writes) rec.refuse(`the kernel '${method}' cannot be replayed`);
      else {
        const rmw = readsWritten(method, args);
        args.forEach((arg, i) => {
          if (!writes.includes(i) || rmw.includes(i)) for (const a of arraysIn(arg)) rec.seen(a, true);
        });
        for (const i of writes) for (const a of arraysIn(args[i])) rec.seen(a, false);
      }
      rec.entries.push({ kind: 'kernel', method, args });
      return (f as (...a: unknown[]) => unknown)(...args);
    };
  }
  return out as unknown as Backend;
}

let install: ((b: Backend | null) => void) | null = null;
/** @internal select.ts hands over how to put a backend in front of the active one. */
export function setOverrideInstaller(f: (b: Backend | null) => void): void {
  install = f;
}

/** Run fn with every kernel call recorded (and done) on `real`. Not reentrant: a nested recording is refused. */
export function record<T>(
  real: Backend,
  fn: () => T,
  readHost?: (a: KernelArray) => KernelArray,
): { value: T; rec: Recording } {
  const rec = new Recording(real, readHost);
  if (current) throw new Error('internal: a recording is already in progress');
  current = rec;
  install!(recordingBackend(rec));
  try {
    return { value: fn(), rec };
  } finally {
    install!(null);
    current = null;
  }
}

/** The arrays among a kernel's arguments at position i (the gradients objects hold several). */
function arraysIn(arg: unknown): KernelArray[] {
  if (arg instanceof Float32Array || arg instanceof Int32Array) return [arg];
  if (arg && typeof arg === 'object' && !Array.isArray(arg))
    return Object.values(arg).filter((v): v is KernelArray => v instanceof Float32Array || v instanceof Int32Array);
  return [];
}

/**
 * What a recording reads and writes, by memory: every view of one ArrayBuffer (a step's h_t per time step, a
 * tensor and its reshape) is one array. internal: buffers first written by a kernel or host step (the plan's own);
 * external: buffers read before any write (weights, constants, values made in JavaScript, accumulators a kernel
 * adds into), each with its contents when first read (`externalValues`; `external` holds whole-buffer views); mutated: the externals a later
 * call writes; written: every buffer written. signature: the calls with every array replaced by its buffer's role, offset and length, to compare
 * two recordings of the same step.
 */
export interface Analysis {
  readonly signature: string[];
  readonly external: KernelArray[];
  readonly externalValues: KernelArray[];
  readonly internal: Set<ArrayBufferLike>;
  readonly mutated: Set<number>;
  /** Every buffer a kernel or host step writes (internal ones and mutated externals). */
  readonly written: Set<ArrayBufferLike>;
}

/** A view of all of a's buffer, of a's element type (a itself when it is one). */
function whole(a: KernelArray): KernelArray {
  if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) return a;
  return a instanceof Float32Array ? new Float32Array(a.buffer) : new Int32Array(a.buffer);
}

export function analyse(rec: Recording, inputs: readonly KernelArray[]): Analysis {
  const role = new Map<ArrayBufferLike, string>();
  const externalIndex = new Map<ArrayBufferLike, number>();
  inputs.forEach((a, i) => role.set(a.buffer, `in${i}`));
  const external: KernelArray[] = [],
    externalValues: KernelArray[] = [];
  const internal = new Set<ArrayBufferLike>(),
    mutated = new Set<number>();
  const signature: string[] = [];
  const writtenBuffers = new Set<ArrayBufferLike>();
  const written = (a: KernelArray) => {
    writtenBuffers.add(a.buffer);
    const i = externalIndex.get(a.buffer);
    if (i !== undefined) mutated.add(i);
    if (role.has(a.buffer)) return;
    role.set(a.buffer, `t${internal.size}`);
    internal.add(a.buffer);
  };
  const read = (a: KernelArray) => {
    if (role.has(a.buffer)) return;
    role.set(a.buffer, `e${external.length}`);
    externalIndex.set(a.buffer, external.length);
    external.push(whole(a));
    externalValues.push(rec.firstValues.get(a.buffer)!);
  };
  const token = (v: KernelArray) => `${role.get(v.buffer)}@${v.byteOffset / v.BYTES_PER_ELEMENT}:${v.length}`;
  for (const e of rec.entries) {
    if (e.kind === 'host') {
      for (const a of e.reads) read(a);
      for (const a of e.writes) written(a);
      signature.push(`host(${e.reads.map(token).join(',')} → ${e.writes.map(token).join(',')})`);
      continue;
    }
    const outs = WRITES[e.method] ?? [];
    const rmw = readsWritten(e.method, e.args);
    e.args.forEach((arg, i) => {
      if (!outs.includes(i) || rmw.includes(i)) for (const a of arraysIn(arg)) read(a);
    });
    for (const i of outs) for (const a of arraysIn(e.args[i])) written(a);
    const live = LIVE[e.method] ?? [];
    const key = JSON.stringify(
      e.args.map((arg, i) => (live.includes(i) ? liveToken(arg as object) : arg)),
      (_k, v) => (v instanceof Float32Array || v instanceof Int32Array ? token(v) : v),
    );
    signature.push(`${e.method}${key}`);
  }
  return { signature, external, externalValues, internal, mutated, written: writtenBuffers };
}

/**
 * The arrays to put back before each replay: externals that the step writes (an accumulator it adds into, a
 * state it carries through) and that each recording made anew (a value of the step, not a weight it updates).
 */
export function restoredBeforeReplay(a: Analysis, b: Analysis): { array: KernelArray; values: KernelArray }[] {
  return [...b.mutated]
    .filter((i) => a.external[i].buffer !== b.external[i].buffer)
    .map((i) => ({ array: b.external[i], values: b.externalValues[i] }));
}

const sameBits = (a: KernelArray, b: KernelArray): boolean => {
  if (a.length !== b.length) return false;
  const x = new Int32Array(a.buffer, a.byteOffset, a.length),
    y = new Int32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
};

/**
 * Whether two recordings of the same step, on consecutive batches, describe one replayable computation: the same
 * calls on arrays in the same roles, and every external array either the same one both times (a weight, read
 * live) or one made anew with the same values (a constant). A value made in JavaScript from the batch, or calls
 * that depend on the data, differ: the reason is returned, or null when they agree.
 */
export function disagreement(a: Analysis, b: Analysis): string | null {
  if (a.signature.length !== b.signature.length)
    return `the step made ${a.signature.length} kernel calls, then ${b.signature.length}`;
  for (let i = 0; i < a.signature.length; i++)
    if (a.signature[i] !== b.signature[i])
      return `kernel call ${i} differs between two batches: ${a.signature[i].slice(0, 120)} vs ${b.signature[i].slice(0, 120)}`;
  for (let i = 0; i < a.external.length; i++) {
    if (a.external[i].buffer === b.external[i].buffer) continue;
    if (!sameBits(a.externalValues[i], b.externalValues[i]))
      return `an input of kernel call (${a.signature.find((s) => s.includes(`e${i}@`))?.slice(0, 80)}) was computed in JavaScript from the batch`;
  }
  return null;
}
