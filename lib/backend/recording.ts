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
  | { readonly kind: 'host'; readonly run: () => void; readonly writes: readonly Float32Array[] };

/**
 * Which arguments each kernel writes (the rest it only reads), and which of those it reads first (accumulates
 * into), by argument position; for denseBackward/conv2dBackward the written argument is the gradients object.
 * Kernels missing here cannot be replayed (optimizer updates, fused stacks, recurrent cells).
 */
const WRITES: Readonly<Record<string, readonly number[]>> = {
  gemm: [2], copy: [1], unary: [2], binary: [3], where: [3], broadcast: [1], reduce: [2], argmax: [1],
  softmax: [1], transpose: [1], gather: [2], scatterAdd: [2], slice: [3], unslice: [3], dense: [3],
  denseBackward: [4], conv2d: [3], conv2dBackward: [4], pool2d: [2], pool2dBackward: [3],
  crossentropy: [3], crossentropyBackward: [4], batchNorm: [3, 4, 5, 6], batchNormBackward: [5], movingAverage: [0],
  layerNorm: [3, 4, 5], layerNormBackward: [5],
};
/** Written arguments whose previous contents the kernel reads: scatterAdd adds, unslice leaves the rest, gemm with beta ≠ 0, movingAverage updates. */
const readsOutput = (method: string, args: readonly unknown[]): boolean =>
  method === 'scatterAdd' || method === 'unslice' || method === 'movingAverage' || (method === 'gemm' && (args[3] as { beta: number }).beta !== 0);

export class Recording {
  readonly entries: Entry[] = [];
  /** Why this recording cannot be replayed (null: it can). */
  refused: string | null = null;
  constructor(readonly real: Backend) {}
  refuse(why: string): void {
    this.refused ??= why;
  }
}

let current: Recording | null = null;

/** The recording in progress, if any. */
export function activeRecording(): Recording | null {
  return current;
}

/**
 * Run JavaScript that writes `writes` (for example a random mask): now, and again at each replay of a recording
 * made meanwhile, so that replays draw exactly what the step by step computation would.
 */
export function hostStep(writes: readonly Float32Array[], run: () => void): void {
  run();
  current?.entries.push({ kind: 'host', run, writes });
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
export function record<T>(real: Backend, fn: () => T): { value: T; rec: Recording } {
  const rec = new Recording(real);
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
 * What a recording reads and writes. internal: arrays first written by a kernel or host step (the plan's own
 * buffers); external: arrays read before any write (weights, constants, or values made in JavaScript); restore:
 * internal arrays whose first writer reads them first, with their contents then (put back before each replay).
 * signature: the calls with every array replaced by its role, to compare two recordings of the same step.
 */
export interface Analysis {
  readonly signature: string[];
  readonly external: KernelArray[];
  readonly externalValues: KernelArray[];
  readonly internal: Set<KernelArray>;
  readonly restore: { array: KernelArray; values: KernelArray }[];
}

export function analyse(rec: Recording, inputs: readonly KernelArray[], readHost: (a: KernelArray) => KernelArray): Analysis {
  const role = new Map<KernelArray, string>();
  inputs.forEach((a, i) => role.set(a, `in${i}`));
  const external: KernelArray[] = [], externalValues: KernelArray[] = [], restore: Analysis['restore'] = [];
  const internal = new Set<KernelArray>();
  const signature: string[] = [];
  const written = (a: KernelArray, rmw: boolean) => {
    if (role.has(a)) return;
    if (rmw) restore.push({ array: a, values: readHost(a).slice() });
    role.set(a, `t${internal.size}`);
    internal.add(a);
  };
  const read = (a: KernelArray) => {
    if (role.has(a)) return;
    role.set(a, `e${external.length}`);
    external.push(a);
    externalValues.push(readHost(a).slice());
  };
  for (const e of rec.entries) {
    if (e.kind === 'host') {
      for (const a of e.writes) written(a, false);
      signature.push(`host(${e.writes.map((a) => `${role.get(a)}:${a.length}`).join(',')})`);
      continue;
    }
    const outs = WRITES[e.method] ?? [];
    const rmw = readsOutput(e.method, e.args);
    e.args.forEach((arg, i) => {
      if (!outs.includes(i) || rmw) for (const a of arraysIn(arg)) read(a);
    });
    for (const i of outs) for (const a of arraysIn(e.args[i])) written(a, rmw);
    const key = JSON.stringify(e.args, (_k, v) =>
      v instanceof Float32Array || v instanceof Int32Array ? `${role.get(v)}:${v.length}` : v,
    );
    signature.push(`${e.method}${key}`);
  }
  return { signature, external, externalValues, internal, restore };
}

const sameBits = (a: KernelArray, b: KernelArray): boolean => {
  if (a.length !== b.length) return false;
  const x = new Int32Array(a.buffer, a.byteOffset, a.length), y = new Int32Array(b.buffer, b.byteOffset, b.length);
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
  if (a.signature.length !== b.signature.length) return `the step made ${a.signature.length} kernel calls, then ${b.signature.length}`;
  for (let i = 0; i < a.signature.length; i++)
    if (a.signature[i] !== b.signature[i]) return `kernel call ${i} differs between two batches: ${a.signature[i].slice(0, 120)} vs ${b.signature[i].slice(0, 120)}`;
  for (let i = 0; i < a.external.length; i++) {
    if (a.external[i] === b.external[i]) continue;
    if (!sameBits(a.externalValues[i], b.externalValues[i]))
      return `an input of kernel call (${a.signature.find((s) => s.includes(`"e${i}:`))?.slice(0, 80)}) was computed in JavaScript from the batch`;
  }
  return null;
}
