import { ACTIVATIONS, getActivation } from '../layers/activations.js';
import type { SymbolicShape } from '../layers/layer.js';
import { isRecord, show } from './format.js';
import { problem } from './problem.js';

// How one config value is read from a file (Keras/tfjs spelling → constructor argument) and written
// back. The layer table (layer-configs.ts) says which key of which class uses which codec.

export interface ValueCodec {
  /**
   * The file's value → the constructor argument (undefined: the constructor's default). Throws a ConfigProblem.
   * `ignored` collects skipped keys (a wrapped layer's own).
   */
  read(value: unknown, ignored?: string[]): unknown;
  /** The layer's value (its getConfig entry) → the file's value. */
  write(value: unknown): unknown;
}

const same = (v: unknown) => v;

export const number: ValueCodec = {
  read: (v) =>
    v === null || v === undefined
      ? undefined
      : typeof v === 'number' && Number.isFinite(v)
        ? v
        : problem(`expected a number, got ${show(v)}`),
  write: same,
};

export const integer: ValueCodec = {
  read: (v) =>
    v === null || v === undefined
      ? undefined
      : Number.isInteger(v)
        ? v
        : problem(`expected an integer, got ${show(v)}`),
  write: (v) => v ?? null,
};

export const boolean: ValueCodec = {
  read: (v) =>
    v === null || v === undefined
      ? undefined
      : typeof v === 'boolean'
        ? v
        : problem(`expected true or false, got ${show(v)}`),
  write: same,
};

export const integerList: ValueCodec = {
  read: (v) =>
    Array.isArray(v) && v.every((d) => Number.isInteger(d))
      ? [...(v as number[])]
      : problem(`expected a list of integers, got ${show(v)}`),
  write: (v) => [...(v as number[])],
};

/** A window size or stride: one integer (tfjs may write 2 for [2, 2]) or a list of them; written as a list (Keras) or, for 1-D layers, as written by getConfig. */
export const integerOrList: ValueCodec = {
  read: (v) => (v === null || v === undefined ? undefined : Number.isInteger(v) ? v : integerList.read(v)),
  write: (v) => (Array.isArray(v) ? [...(v as number[])] : v),
};

/** One of a closed set of strings (padding 'valid' | 'same'). */
export const oneOf = (...allowed: readonly string[]): ValueCodec => ({
  read: (v) =>
    v === null || v === undefined
      ? undefined
      : allowed.includes(v as string)
        ? v
        : problem(`expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(v)}`),
  write: same,
});

/** Any JSON value, as it is (a nested padding list); the layer's constructor validates it. */
export const asIs: ValueCodec = { read: (v) => (v === null ? undefined : v), write: same };

/** Keras' snake_case spelling of an activation (tfjs-layers writes the same for the one-word names). */
const KERAS_ACTIVATION: Readonly<Record<string, string>> = { leakyRelu: 'leaky_relu' };

/** 'relu', 'leaky_relu', Keras 3's {class_name: 'function', config: 'relu'}; null means linear. */
export const activation: ValueCodec = {
  read(v) {
    const name = isRecord(v) ? (typeof v.config === 'string' ? v.config : v.class_name) : v;
    if (name === null || name === undefined) return 'linear';
    if (typeof name !== 'string') problem(`an activation must be a name, got ${show(v)}`);
    try {
      return getActivation('activation', name).name;
    } catch {
      return problem(`activation '${name}' is not supported; supported: ${Object.keys(ACTIVATIONS).join(', ')}`);
    }
  },
  write: (v) => KERAS_ACTIVATION[v as string] ?? v,
};

/** A shape with a batch axis: integers ≥ 0, null for unknown. */
export function readBatchShape(v: unknown): SymbolicShape {
  if (!Array.isArray(v) || v.length === 0 || !v.every((d) => d === null || (Number.isInteger(d) && d >= 0)))
    problem(`a batch shape must be a list of non-negative integers or null, got ${show(v)}`);
  return v as SymbolicShape;
}

/**
 * A layer's dtype: 'float32', or a Keras dtype policy ({class_name: 'DTypePolicy' | 'Policy', config: {name}}).
 * tensile computes in float32; integer inputs are accepted where they are converted (InputLayer).
 */
export function readDtype(v: unknown, allowed: readonly string[]): string | undefined {
  const name = isRecord(v) ? (isRecord(v.config) ? v.config.name : undefined) : v;
  if (name === null || name === undefined) return undefined;
  if (typeof name !== 'string' || !allowed.includes(name))
    problem(
      `dtype ${show(name)} is not supported: tensile computes in float32${allowed.length > 1 ? ` (accepted here: ${allowed.join(', ')})` : ''}`,
    );
  return name;
}
