import { TensileError } from '../errors.js';
import { lookup, optionsObject, unknownName } from '../internal/names.js';
import { fmt } from '../tensor/shape.js';

// Weight constraints (Keras / tfjs-layers): applied to a weight in place after each optimizer step.

/** Keras' K.epsilon(), added to the norms before dividing. */
const EPS = 1e-7;

/** A weight constraint: projects the weight's values in place after each optimizer step. */
export interface Constraint {
  /** The Keras class name, as saved in model.json. */
  readonly className: string;
  /** Project `w` (of `shape`) in place. */
  apply(w: Float32Array, shape: readonly number[]): void;
  /** The options in the tfjs spelling, as saved with the model. */
  getConfig(): Record<string, unknown>;
}

/** The axes a norm runs over: one axis or several, negative from the end. */
function axesOf(op: string, axis: number | readonly number[], shape: readonly number[]): number[] {
  const list = typeof axis === 'number' ? [axis] : [...axis];
  return list.map((a) => {
    const r = a < 0 ? a + shape.length : a;
    if (!Number.isInteger(a) || r < 0 || r >= shape.length)
      throw new TensileError(op, `axis ${a} is outside a weight of shape ${fmt(shape)}`);
    return r;
  });
}

/** w scaled, per slice along the kept axes, by scale(its L2 norm over `axis`) / (ε + that norm). */
function rescale(
  op: string,
  w: Float32Array,
  shape: readonly number[],
  axis: number | readonly number[],
  desired: (norm: number) => number,
): void {
  const axes = axesOf(op, axis, shape);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  // The slice of index i: its flat index with the reduced axes' coordinates set to 0.
  const key = (i: number) =>
    strides.reduce((k, s, d) => (axes.includes(d) ? k : k + (Math.floor(i / s) % shape[d]) * s), 0);
  const sums = new Map<number, number>();
  for (let i = 0; i < w.length; i++) sums.set(key(i), (sums.get(key(i)) ?? 0) + w[i] * w[i]);
  const factors = new Map<number, number>();
  for (const [k, s] of sums) {
    const norm = Math.sqrt(s);
    factors.set(k, desired(norm) / (EPS + norm));
  }
  for (let i = 0; i < w.length; i++) w[i] *= factors.get(key(i))!;
}

const num = (op: string, name: string, v: unknown, ok: (x: number) => boolean, expected: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
    throw new TensileError(op, `${name} must be ${expected}, got ${String(v)}`);
  return v;
};
/** The axes a norm runs over: one axis or several (negative from the end). */
export type Axis = number | readonly number[];

/**
 * Each slice's L2 norm over `axis` (default 0: a Dense kernel's column, the weights into one unit) at most maxValue.
 * @example tl.layers.dense({ units: 8, kernelConstraint: tl.constraints.maxNorm({ maxValue: 2 }) })
 */
export function maxNorm(args: { maxValue?: number; axis?: Axis } = {}): Constraint {
  const op = 'constraints.maxNorm';
  const o = optionsObject(op, args, ['maxValue', 'axis'], '{ maxValue: 2, axis: 0 }');
  const maxValue = num(op, 'maxValue', o.maxValue ?? 2, (x) => x >= 0, 'a non-negative number');
  const axis = o.axis ?? 0;
  return {
    className: 'MaxNorm',
    apply: (w, shape) => rescale(op, w, shape, axis, (n) => Math.min(Math.max(n, 0), maxValue)),
    getConfig: () => ({ maxValue, axis }),
  };
}

/**
 * Each slice's L2 norm over `axis` (default 0) equal to 1.
 * @example tl.layers.dense({ units: 8, kernelConstraint: tl.constraints.unitNorm() })
 */
export function unitNorm(args: { axis?: Axis } = {}): Constraint {
  const op = 'constraints.unitNorm';
  const axis = optionsObject(op, args, ['axis'], '{ axis: 0 }').axis ?? 0;
  return {
    className: 'UnitNorm',
    apply: (w, shape) => rescale(op, w, shape, axis, () => 1),
    getConfig: () => ({ axis }),
  };
}

/**
 * Negative values set to 0.
 * @example tl.layers.dense({ units: 8, kernelConstraint: tl.constraints.nonNeg() })
 */
export function nonNeg(): Constraint {
  return {
    className: 'NonNeg',
    apply: (w) => {
      for (let i = 0; i < w.length; i++) if (w[i] < 0) w[i] = 0;
    },
    getConfig: () => ({}),
  };
}

/**
 * Each slice's L2 norm over `axis` moved toward [minValue, maxValue] at `rate` (1: clipped into it at once).
 * @example tl.layers.dense({ units: 8, kernelConstraint: tl.constraints.minMaxNorm({ minValue: 0.5, maxValue: 1 }) })
 */
export function minMaxNorm(
  args: { minValue?: number; maxValue?: number; rate?: number; axis?: Axis } = {},
): Constraint {
  const op = 'constraints.minMaxNorm';
  const o = optionsObject(
    op,
    args,
    ['minValue', 'maxValue', 'rate', 'axis'],
    '{ minValue: 0, maxValue: 1, rate: 1, axis: 0 }',
  );
  const minValue = num(op, 'minValue', o.minValue ?? 0, (x) => x >= 0, 'a non-negative number');
  const maxValue = num(op, 'maxValue', o.maxValue ?? 1, (x) => x >= minValue, `a number ≥ minValue (${minValue})`);
  const rate = num(op, 'rate', o.rate ?? 1, (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
  const axis = o.axis ?? 0;
  return {
    className: 'MinMaxNorm',
    apply: (w, shape) =>
      rescale(op, w, shape, axis, (n) => rate * Math.min(Math.max(n, minValue), maxValue) + (1 - rate) * n),
    getConfig: () => ({ minValue, maxValue, rate, axis }),
  };
}

/** A constraint's options, as getConfig() gives them. */
export type Config = Record<string, unknown>;
/** A constraint in its saved form. */
export interface SavedConstraint {
  /** The Keras class name: 'MaxNorm', 'UnitNorm', 'NonNeg' or 'MinMaxNorm'. */
  className: string;
  /** Its options (tfjs spelling). */
  config?: Config;
}
/** The constraints of a layer's weights. */
export interface WeightConstraints {
  /** The kernel's. */
  kernel?: Constraint;
  /** The bias'. */
  bias?: Constraint;
}
const BY_NAME: Readonly<Record<string, (c?: Config) => Constraint>> = {
  maxNorm: (c) => maxNorm(c as never),
  unitNorm: (c) => unitNorm(c as never),
  nonNeg: () => nonNeg(),
  minMaxNorm: (c) => minMaxNorm(c as never),
};
const CLASS: Readonly<Record<string, string>> = {
  MaxNorm: 'maxNorm',
  UnitNorm: 'unitNorm',
  NonNeg: 'nonNeg',
  MinMaxNorm: 'minMaxNorm',
};

/** A layer's constraint option: a constraint, its name ('maxNorm', 'unitNorm', 'nonNeg', 'minMaxNorm'), its saved form or null. */
export type ConstraintArg = Constraint | string | SavedConstraint | null | undefined;

/** Resolve a constraint option (a name, the saved { className, config }, or a constraint object). */
export function getConstraint(op: string, c: ConstraintArg): Constraint | undefined {
  if (c === null || c === undefined) return undefined;
  if (typeof c === 'object' && typeof (c as Constraint).apply === 'function') return c as Constraint;
  const saved = typeof c === 'object' ? (c as { className?: unknown; config?: Config }) : undefined;
  const [name, config] =
    typeof c === 'string'
      ? [c, undefined]
      : typeof saved?.className === 'string'
        ? [saved.className, saved.config]
        : [String(c), undefined];
  const make = lookup(BY_NAME, CLASS[name] ?? name);
  if (!make) throw new TensileError(op, unknownName('constraint', name, Object.keys(BY_NAME)));
  return make(config);
}

/** A constraint as getConfig() gives it (the saved form), or null. */
export const constraintConfig = (c: Constraint | undefined): SavedConstraint | null =>
  c ? { className: c.className, config: c.getConfig() } : null;
