import { TensileError } from '../errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { syncHost } from '../tensor/storage.js';

/**
 * Debug mode: every op's output is scanned for NaN and ±Infinity, and the first op that makes one
 * from finite inputs (or meets a weight holding one) throws, naming itself and the layer it ran in.
 * Off, it costs each op one boolean test.
 */
export let debugEnabled = ['1', 'true'].includes(process.env.TENSILE_DEBUG ?? '');

/** The layer whose forward (or gradient) is running, for debug messages; kept only in debug mode. */
let currentLayer: string | null = null;
/** The op whose gradient is being computed, when in backward. */
let gradientOf: string | null = null;

/**
 * Check every op's output for NaN and Infinity (slow: use it to find where a NaN comes from).
 * Also on with env TENSILE_DEBUG=1.
 * @example
 * tl.setDebug(true); await model.fit(x, y); // throws "log: produced -Infinity ... in layer 'dense_1'"
 */
export function setDebug(on: boolean): void {
  if (typeof on !== 'boolean') throw new TensileError('setDebug', `expected true or false, got ${String(on)}`);
  debugEnabled = on;
}

/** Whether debug mode is on. */
export function isDebug(): boolean {
  return debugEnabled;
}

/** Run a layer's computation so that debug messages can name it; just fn() when debug mode is off. */
export function inLayer<T>(name: string, fn: () => T): T {
  if (!debugEnabled) return fn();
  const prev = currentLayer;
  currentLayer = name;
  try {
    return fn();
  } finally {
    currentLayer = prev;
  }
}

/** A gradient function that, when it runs, reports the op and layer whose gradient it is (debug mode only). */
export function tracedBackward<F extends (dy: Tensor) => readonly (Tensor | null)[]>(op: string, backward: F): F {
  const layer = currentLayer;
  return ((dy: Tensor) => {
    const [prevLayer, prevGrad] = [currentLayer, gradientOf];
    [currentLayer, gradientOf] = [layer, op];
    try {
      return backward(dy);
    } finally {
      [currentLayer, gradientOf] = [prevLayer, prevGrad];
    }
  }) as F;
}

const firstNonFinite = (a: Float32Array): number => {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
};

/**
 * Throw if `out` holds a NaN or Infinity while every input is finite: `op` made it. A non-finite weight
 * is reported too (optimizer updates are not ops); other non-finite inputs came from user data and pass.
 */
export function checkFinite(
  op: string,
  inputs: readonly (Tensor | null | undefined)[],
  out: Float32Array,
  shape: readonly number[],
): void {
  const at = firstNonFinite(syncHost(out));
  if (at < 0) return;
  const where = [gradientOf && `in the gradient of '${gradientOf}'`, currentLayer && `in layer '${currentLayer}'`]
    .filter(Boolean)
    .join(', ');
  const suffix = `${where ? ` ${where}` : ''} [debug mode]`;
  const bad = inputs.findIndex((t) => t && firstNonFinite(t.data) >= 0);
  if (bad >= 0) {
    // A leaf that requires grad is a weight: no op made its value, an optimizer update or setWeights did.
    const t = inputs[bad]!;
    if (t.requiresGrad && !t.node)
      throw new TensileError(
        op,
        `input ${bad} is a weight (shape ${fmt(t.shape)}) holding ${t.data[firstNonFinite(t.data)]}: an optimizer update or setWeights put it there${suffix}`,
      );
    return;
  }
  const shapes = inputs.map((t) => (t ? fmt(t.shape) : 'none')).join(', ');
  throw new TensileError(
    op,
    `produced ${out[at]} at flat index ${at} of its output (shape ${fmt(shape)}) from finite inputs (shapes ${shapes || 'none'})${suffix}`,
  );
}
