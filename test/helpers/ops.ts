import { afterEach, beforeEach, expect } from 'vitest';
import {
  type BackendName,
  cudaUnavailableReason,
  getBackend,
  nativeAddon,
  setBackend,
  useDevice,
} from '../../lib/backend/index.js';
import { nativeBackend } from '../../lib/backend/native/index.js';
import { TensileError } from '../../lib/errors.js';
import { Tensor, type NestedArray, tensor } from '../../lib/tensor/index.js';
import { nativeLoaded } from './backends.js';
import { expectAllClose } from './close.js';
import { emulatedDevice } from './emulated-device.js';
import { rng } from './random.js';

// ---- backends --------------------------------------------------------------------------------

/** Why this run has no real GPU for the cuda backend ('' when it has one). */
export const cudaSkipReason = nativeLoaded ? cudaUnavailableReason() : 'the native addon did not load';
/** True when 'cuda' in these suites is the in-memory device of test/helpers/emulated-device.ts, not a GPU. */
export const cudaEmulated = cudaSkipReason !== '';

/**
 * The backends this run can use: the reference always, native when the addon loaded, and cuda: on a GPU
 * when one is usable, else on the emulated device (the cuda backend's own logic, kernels from the reference).
 */
export function availableBackends(): BackendName[] {
  return nativeLoaded ? ['reference', 'native', 'cuda'] : ['reference', 'cuda'];
}

/** Switch to a backend by name; 'cuda' without a GPU means a fresh emulated device. */
export function switchBackend(name: BackendName): void {
  if (name === 'cuda' && cudaEmulated) {
    const addon = nativeAddon();
    useDevice(emulatedDevice(), addon ? nativeBackend(addon) : undefined);
  } else {
    setBackend(name);
  }
}

/** Inside a describe: run every test of the block on `name`, restoring the previous backend afterwards. */
export function useBackend(name: BackendName): void {
  let previous: BackendName;
  beforeEach(() => {
    previous = getBackend();
    switchBackend(name);
  });
  afterEach(() => switchBackend(previous));
}

/** fn() computed on one backend; the previous backend is restored even when fn throws. */
export function onBackend<T>(name: BackendName, fn: () => T): T {
  const previous = getBackend();
  switchBackend(name);
  try {
    return fn();
  } finally {
    switchBackend(previous);
  }
}

/** onBackend for async work: the backend stays switched until fn's promise settles. */
export async function onBackendAsync<T>(name: BackendName, fn: () => Promise<T>): Promise<T> {
  const previous = getBackend();
  switchBackend(name);
  try {
    return await fn();
  } finally {
    switchBackend(previous);
  }
}

// ---- inputs ----------------------------------------------------------------------------------

export interface InputOptions {
  /** Values are uniform in [lo, hi). */
  lo?: number;
  hi?: number;
  /** Points to keep away from (kinks, poles): a value closer than `margin` is pushed `margin` past it. */
  avoid?: readonly number[];
  margin?: number;
}

/** A seeded tensor, uniform in [lo, hi) and optionally kept off kinks. */
export function seeded(
  shape: readonly number[],
  seed: number,
  { lo = -1, hi = 1, avoid = [], margin = 0.1 }: InputOptions = {},
): Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = lo + (hi - lo) * r();
    for (const p of avoid) if (Math.abs(v - p) < margin) v = v < p ? p - margin : p + margin;
    d[i] = v;
  }
  return tensor(d, shape);
}

/**
 * A seeded tensor whose values are pairwise at least 0.8·`gap` apart (a shuffled grid plus small jitter):
 * max/min/argmax have no ties, and no central-difference step can swap two values. Two tensors made
 * with offsets 0 and gap/2 differ everywhere by at least 0.3·gap (for maximum/minimum).
 */
export function distinct(shape: readonly number[], seed: number, gap = 0.1, offset = 0): Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = (order[i] - Math.floor(n / 2)) * gap + offset + (r() - 0.5) * gap * 0.2;
  return tensor(d, shape);
}

/** How values are drawn for a native-vs-reference case. */
export type Flavor = 'normal' | 'large' | 'special';
export const FLAVORS: readonly Flavor[] = ['normal', 'large', 'special'];

/**
 * n seeded values: 'normal' uniform in [-3, 3); 'large' up to ±`large` (default 1e30);
 * 'special' mixes NaN, ±Infinity, ±0, ±1, ±`large` and a subnormal into normal values.
 * Accumulating ops pass a `large` whose sums cannot overflow float32, so that the order of
 * accumulation (which a native kernel may choose) cannot turn a finite result into Infinity.
 */
export function flavored(n: number, seed: number, flavor: Flavor, large = 1e30): Float32Array {
  const r = rng(seed);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r() * 2 - 1;
    if (flavor === 'normal') d[i] = 3 * u;
    else if (flavor === 'large') d[i] = u * large * (r() < 0.5 ? 1 : r());
    else if (r() >= 0.3) d[i] = 3 * u;
    else d[i] = [NaN, Infinity, -Infinity, 0, -0, 1, -1, large, -large, 1e-40][Math.floor(r() * 10)];
  }
  return d;
}

export const sizeOfShape = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** A seeded tensor of a flavor. */
export function flavoredTensor(shape: readonly number[], seed: number, flavor: Flavor, large?: number): Tensor {
  return tensor(flavored(sizeOfShape(shape), seed, flavor, large), shape);
}

// ---- expectations ----------------------------------------------------------------------------

export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** Shape and values of t against nested arrays (or a number for a scalar); `shape` when nesting cannot say it (e.g. [0, 3]). */
export function expectTensor(
  t: Tensor,
  expected: NestedArray,
  tol: Tolerance & { shape?: readonly number[] } = {},
): void {
  expect(t).toBeInstanceOf(Tensor);
  const want = tensor(expected as NestedArray);
  expect([...t.shape], 'shape').toEqual([...(tol.shape ?? want.shape)]);
  expectAllClose(t.dataSync(), want.data, { rtol: tol.rtol ?? 1e-6, atol: tol.atol ?? 1e-6 });
}

/** Two tensors agree in shape and (NaN-aware) values. */
export function expectSameTensor(actual: Tensor, expected: Tensor, tol: Tolerance = {}): void {
  expect([...actual.shape], 'shape').toEqual([...expected.shape]);
  expectAllClose(actual.dataSync(), expected.dataSync(), { rtol: tol.rtol ?? 1e-5, atol: tol.atol ?? 1e-6 });
}

/**
 * fn throws a TensileError from `op` whose message mentions each of `mentions` (shapes as the
 * library prints them, e.g. '[2, 3]').
 */
export function expectTensileError(fn: () => unknown, op: string, ...mentions: (string | RegExp)[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) expect.fail(`expected a TensileError from ${op}, but nothing was thrown`);
  if (!(caught instanceof TensileError)) expect.fail(`expected a TensileError from ${op}, got ${String(caught)}`);
  expect(caught.op).toBe(op);
  expect(caught.message.startsWith(`${op}: `), caught.message).toBe(true);
  for (const m of mentions) {
    if (typeof m === 'string') expect(caught.message).toContain(m);
    else expect(caught.message).toMatch(m);
  }
}

/** The bytes of every tensor's data, to compare before and after an op. */
export function snapshot(ts: readonly Tensor[]): Uint8Array[] {
  return ts.map((t) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice());
}

/** No tensor's data changed (bit for bit, NaN payloads included) since `snapshot`. */
export function expectUnchanged(ts: readonly Tensor[], before: readonly Uint8Array[], label = 'input'): void {
  const after = snapshot(ts);
  after.forEach((bytes, i) => {
    // A plain loop: expect().toEqual on large typed arrays is slow.
    const same = bytes.length === before[i].length && bytes.every((v, j) => v === before[i][j]);
    if (!same) expect.fail(`${label} ${i} (shape [${ts[i].shape.join(', ')}]) was mutated`);
  });
}

/**
 * Run an op on fresh copies of the inputs (requiring grad when `grad`), backpropagate a seeded gradient
 * when it is differentiable, and check that no input's values changed.
 */
export function expectPure(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], grad = true): void {
  const xs = inputs.map((x) => tensor(x.dataSync(), x.shape, { requiresGrad: grad }));
  const before = snapshot(xs);
  const y = fn(...xs);
  const yBefore = snapshot([y]);
  if (y.requiresGrad) {
    const dy = tensor(flavored(y.size, 7, 'normal'), y.shape);
    const dyBefore = snapshot([dy]);
    y.backward(dy);
    expectUnchanged([dy], dyBefore, 'the output gradient');
    expectUnchanged([y], yBefore, 'the output');
  }
  expectUnchanged(xs, before);
}

// ---- native vs reference -----------------------------------------------------------------------

/**
 * Compute fn(...inputs) on the native and on the reference backend and compare them (NaN matches NaN,
 * ±Infinity exactly). Inputs are checked unmodified on both. `tol` may depend on the inputs
 * (accumulating kernels get an absolute slack proportional to what they add up).
 */
export function expectBackendsAgree(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  tol: Tolerance & { /** Data movement: every bit must agree (-0 and NaN included). */ bitwise?: boolean } = {},
): void {
  const before = snapshot(inputs);
  const native = onBackend('native', () => fn(...inputs));
  expectUnchanged(inputs, before, 'input (native)');
  const reference = onBackend('reference', () => fn(...inputs));
  expectUnchanged(inputs, before, 'input (reference)');
  expectSameTensor(native, reference, { rtol: tol.rtol ?? 1e-5, atol: tol.atol ?? 1e-6 });
  if (tol.bitwise)
    expectUnchanged([native], snapshot([reference]), 'native result differs in its bits from the reference; result');
}

/** Largest finite |value| among tensors (0 when none), to scale a tolerance. */
export function maxAbs(...ts: readonly Tensor[]): number {
  let m = 0;
  for (const t of ts) for (const v of t.data) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/**
 * Backpropagate a seeded output gradient through fn on both backends and compare the inputs' gradients.
 * Backward passes are ops too, so this covers the kernels a gradient uses (scatterAdd, unslice, ...).
 */
export function expectGradsAgree(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  tol: Tolerance = {},
): void {
  const grads = (name: BackendName): (Tensor | null)[] =>
    onBackend(name, () => {
      const xs = inputs.map((x) => tensor(x.dataSync(), x.shape, { requiresGrad: true }));
      const y = fn(...xs);
      y.backward(tensor(flavored(y.size, 9, 'normal'), y.shape));
      return xs.map((x) => x.grad);
    });
  const native = grads('native');
  const reference = grads('reference');
  reference.forEach((r, i) => {
    if (r === null || native[i] === null) expect(native[i], `gradient of input ${i}`).toBe(r);
    else expectSameTensor(native[i]!, r, { rtol: tol.rtol ?? 1e-5, atol: tol.atol ?? 1e-6 });
  });
}
