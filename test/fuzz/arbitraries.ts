// Shared fast-check arbitraries and the outcome check for the fuzz suites (test/fuzz/*.fuzz.test.ts).
import fc from 'fast-check';
import { TensileError } from '../../lib/errors.js';
import * as tl from '../../lib/index.js';
import { Tensor, tensor } from '../../lib/tensor/index.js';

/** Cases per property: small by default (CI), FUZZ_RUNS for the long run (`npm run fuzz`). */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 0;
export const runs = (ci: number): number => (RUNS > 0 ? RUNS : ci);
/** A fixed seed (FUZZ_SEED overrides) so that a CI failure reproduces. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
/** How many cases all properties ran, for the report. */
export const counter = { cases: 0 };

export const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** A dimension: mostly 1–3, sometimes 0 or 4. */
export const dim = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 6 },
  { arbitrary: fc.constantFrom(0, 4), weight: 1 },
);
/** A shape of rank 0–5 with at most `maxSize` elements (so kernels stay fast). */
export const shapeArb = (minRank = 0, maxRank = 5, maxSize = 256): fc.Arbitrary<number[]> =>
  fc.array(dim, { minLength: minRank, maxLength: maxRank }).filter((s) => sizeOf(s) <= maxSize);

export const SPECIALS = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-40, 3e38, -3e38, 1, -1] as const;
/** Values: mostly normal, a fifth special (NaN, ±Infinity, −0, subnormals, ±3e38). `large` replaces ±3e38 for accumulating ops. */
export const valueArb = (large = 3e38): fc.Arbitrary<number> =>
  fc.oneof(
    { arbitrary: fc.double({ min: -5, max: 5, noNaN: true }), weight: 4 },
    {
      arbitrary: fc.constantFrom(...SPECIALS.map((v) => (Math.abs(v) === 3e38 ? Math.sign(v) * large : v))),
      weight: 1,
    },
  );
export const tensorOf = (shape: readonly number[], large?: number): fc.Arbitrary<Tensor> =>
  fc
    .array(valueArb(large), { minLength: sizeOf(shape), maxLength: sizeOf(shape) })
    .map((v) => tensor(Float32Array.from(v), shape));
export const tensorArb = (minRank = 0, maxRank = 5, large?: number): fc.Arbitrary<Tensor> =>
  shapeArb(minRank, maxRank).chain((s) => tensorOf(s, large));

/** Things that are not tensors. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    {},
    'abc',
    '',
    '1',
    true,
    1n,
    Symbol('s'),
    () => 1,
    [[1, 2], [3]],
    [[1], 'x'],
    [NaN, undefined],
  ),
  fc.constantFrom(
    Float64Array.of(1, 2),
    Int32Array.of(1, 2),
    new Uint8Array(3),
    new Float32Array(2),
    new ArrayBuffer(8),
    new Map(),
  ),
  fc.array(
    fc.oneof(fc.string({ maxLength: 2 }), fc.constant(null), fc.constant(undefined), fc.object({ maxDepth: 0 })),
    { maxLength: 3 },
  ),
  fc.object({ maxDepth: 1 }),
);
/** A tensor argument: usually a tensor, sometimes a number or nested arrays, rarely junk. */
export const tensorArg = (t: fc.Arbitrary<Tensor>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: t, weight: 12 },
    { arbitrary: fc.double({ min: -5, max: 5, noNaN: true }), weight: 1 },
    {
      arbitrary: fc.array(fc.array(fc.double({ min: -5, max: 5 }), { minLength: 2, maxLength: 2 }), { maxLength: 3 }),
      weight: 1,
    },
    { arbitrary: junk, weight: 2 },
  );
/** An integer axis or size, usually in range, sometimes negative, fractional, NaN, huge or not a number. */
export const intArb = (lo: number, hi: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.integer({ min: lo, max: hi }), weight: 12 },
    {
      arbitrary: fc.constantFrom(
        0.5,
        -1.5,
        NaN,
        Infinity,
        -Infinity,
        2 ** 31,
        2 ** 53,
        2 ** 60,
        -(2 ** 40),
        '1',
        null,
        undefined,
        true,
        [1],
      ),
      weight: 2,
    },
  );

export type Outcome =
  | { kind: 'ok'; value: unknown }
  | { kind: 'tensile'; error: TensileError }
  /** Anything else thrown: a finding unless it matches a known one. */
  | { kind: 'other'; error: unknown };

/** Run fn and classify how it ended. */
export function attempt(fn: () => unknown): Outcome {
  try {
    return { kind: 'ok', value: fn() };
  } catch (e) {
    return e instanceof TensileError ? { kind: 'tensile', error: e } : { kind: 'other', error: e };
  }
}
/** attempt() for a function that may return a promise: a rejection counts as a throw. */
export async function attemptAsync(fn: () => unknown): Promise<Outcome> {
  try {
    return { kind: 'ok', value: await fn() };
  } catch (e) {
    return e instanceof TensileError ? { kind: 'tensile', error: e } : { kind: 'other', error: e };
  }
}
export const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/**
 * FUZZ_COLLECT=1: log every distinct unexpected failure (by message) instead of stopping at the first,
 * to survey findings; the properties then pass.
 */
export const COLLECT = process.env.FUZZ_COLLECT === '1';
export const collected = new Map<string, string>();
export function finding(key: string, example: string): void {
  if (!COLLECT) throw new Error(example);
  if (!collected.has(key)) collected.set(key, example);
}

/** Bytes of every Tensor (and typed array) among args, deep in arrays, to check later that none changed. */
export function snapshotArgs(args: readonly unknown[]): { target: ArrayBufferView; bytes: Uint8Array }[] {
  const out: { target: ArrayBufferView; bytes: Uint8Array }[] = [];
  const visit = (a: unknown, depth: number): void => {
    if (a instanceof Tensor) visit(a.data, depth);
    else if (ArrayBuffer.isView(a) && !(a instanceof DataView))
      out.push({ target: a, bytes: new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice() });
    else if (Array.isArray(a) && depth < 3) a.forEach((x) => visit(x, depth + 1));
  };
  args.forEach((a) => visit(a, 0));
  return out;
}
export function checkUnchanged(label: string, snap: ReturnType<typeof snapshotArgs>): void {
  for (const { target, bytes } of snap) {
    const now = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
    if (now.length !== bytes.length || now.some((v, i) => v !== bytes[i])) throw new Error(`${label} mutated an input`);
  }
}

/** |a − b| ≤ atol + rtol·|b|, NaN matching NaN, ±Infinity exactly; returns a description of the first mismatch. */
export function mismatch(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < b.length; i++) {
    const x = a[i],
      y = b[i];
    if (Number.isNaN(y) || !Number.isFinite(y)) {
      if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) return `element ${i}: ${x} vs ${y}`;
    } else if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return `element ${i}: ${x} vs ${y}`;
  }
  return null;
}

/** A short rendering of arguments for failure messages. */
export function show(args: readonly unknown[]): string {
  return args
    .map((a) => {
      if (a instanceof Tensor) return `tensor([${Array.from(a.data).join(', ')}], [${a.shape.join(', ')}])`;
      if (ArrayBuffer.isView(a))
        return `${a.constructor.name}.of(${Array.from(a as unknown as ArrayLike<number>).join(', ')})`;
      try {
        return fc.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(', ');
}

// ---- layers and models (layers.fuzz.test.ts) -----------------------------------------------------

/** A config value of the wrong kind: fractional, negative, NaN, ±Infinity, too large, a string, a list, an object. */
export const junkValue: fc.Arbitrary<unknown> = fc.constantFrom(
  undefined,
  null,
  -1,
  0,
  0.5,
  1.5,
  NaN,
  Infinity,
  -Infinity,
  2 ** 31,
  2 ** 53,
  1e300,
  -(2 ** 40),
  '',
  '3',
  'relu',
  'bogus',
  true,
  false,
  [],
  [1],
  [2, 'x'],
  [-1, -1],
  {},
  [[1, 1], [1]],
  Symbol('s'),
);
/** A config field or option: a valid value mostly, junk sometimes. */
export const mostly = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: junkValue, weight: 1 });
const small = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const window = fc.oneof(small(1, 3), fc.tuple(small(1, 3), small(1, 3)), fc.tuple(small(1, 3)));
const fraction = fc.double({ min: 0, max: 0.95, noNaN: true });
const initializer = fc.constantFrom(
  'glorotUniform',
  'zeros',
  'ones',
  'heNormal',
  'orthogonal',
  'randomNormal',
  'lecunUniform',
  'glorot_uniform',
);
const activationName = fc.constantFrom(
  'relu',
  'linear',
  'tanh',
  'sigmoid',
  'softmax',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'leakyRelu',
  'gelu',
  'swish',
  'hard_sigmoid',
  'hardSigmoid',
  null,
);

/** Valid values of every layer option; each factory draws the options it takes (plus the common ones). */
const FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.constantFrom('a', 'layer', 'dense_7', 'x y', ''),
  trainable: fc.boolean(),
  inputShape: fc.array(small(0, 4), { minLength: 1, maxLength: 3 }),
  inputDim: small(1, 4),
  batchInputShape: fc.array(fc.oneof(small(0, 4), fc.constant(null)), { minLength: 2, maxLength: 4 }),
  batchSize: small(1, 4),
  units: small(1, 4),
  activation: activationName,
  recurrentActivation: activationName,
  useBias: fc.boolean(),
  kernelInitializer: initializer,
  biasInitializer: initializer,
  recurrentInitializer: initializer,
  embeddingsInitializer: initializer,
  depthwiseInitializer: initializer,
  pointwiseInitializer: initializer,
  gammaInitializer: initializer,
  betaInitializer: initializer,
  movingMeanInitializer: initializer,
  // A variance must not be negative (heNormal, randomNormal… can draw negative ones: NaN by the user's choice).
  movingVarianceInitializer: fc.constantFrom('ones', 'zeros', 'Ones'),
  rate: fraction,
  seed: small(0, 100),
  targetShape: fc.array(small(-1, 4), { minLength: 1, maxLength: 3 }),
  filters: small(1, 3),
  kernelSize: window,
  strides: window,
  convPadding: fc.constantFrom('valid', 'same', 'causal'),
  dilationRate: window,
  depthMultiplier: small(1, 2),
  dataFormat: fc.constantFrom('channelsLast', 'channelsFirst'),
  poolSize: window,
  size: window,
  interpolation: fc.constantFrom('nearest', 'bilinear'),
  zeroPadding: fc.oneof(
    small(0, 2),
    fc.tuple(small(0, 2), small(0, 2)),
    fc.tuple(fc.tuple(small(0, 2), small(0, 2)), fc.tuple(small(0, 2), small(0, 2))),
  ),
  returnSequences: fc.boolean(),
  returnState: fc.boolean(),
  goBackwards: fc.boolean(),
  stateful: fc.boolean(),
  unroll: fc.boolean(),
  dropout: fraction,
  recurrentDropout: fraction,
  unitForgetBias: fc.boolean(),
  resetAfter: fc.boolean(),
  vocabulary: small(1, 5),
  outputDim: small(1, 4),
  maskZero: fc.boolean(),
  inputLength: small(1, 4),
  mergeMode: fc.constantFrom('concat', 'sum', 'mul', 'ave', null),
  axis: fc.oneof(small(-3, 3), fc.tuple(small(-1, 3))),
  momentum: fc.double({ min: 0, max: 1, noNaN: true }),
  epsilon: fc.double({ min: 1e-5, max: 0.1, noNaN: true }),
  center: fc.boolean(),
  scale: fc.boolean(),
  dtype: fc.constantFrom('float32', 'int32', 'float64'),
  numHeads: small(1, 3),
  keyDim: small(1, 3),
  alpha: fc.double({ min: 0, max: 2, noNaN: true }),
  maxValue: fc.oneof(fc.double({ min: 0, max: 6, noNaN: true }), fc.constant(null)),
  n: small(1, 3),
  stddev: fc.double({ min: 0, max: 1, noNaN: true }),
  maskValue: fc.double({ min: -1, max: 1, noNaN: true }),
  offset: fc.double({ min: -1, max: 1, noNaN: true }),
};
/** Option names whose FIELDS entry has another key (an option name that means different things in different layers). */
const RENAMED: Record<string, string> = { convPadding: 'padding', zeroPadding: 'padding', vocabulary: 'inputDim' };

const COMMON = ['name', 'trainable', 'inputShape', 'inputDim', 'batchInputShape', 'batchSize'];
const CONV = [
  'filters',
  'kernelSize',
  'strides',
  'convPadding',
  'dataFormat',
  'dilationRate',
  'activation',
  'useBias',
  'kernelInitializer',
  'biasInitializer',
];
const POOL = ['poolSize', 'strides', 'convPadding', 'dataFormat'];
const RNN = [
  'units',
  'activation',
  'recurrentActivation',
  'useBias',
  'returnSequences',
  'returnState',
  'goBackwards',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'dropout',
  'recurrentDropout',
  'stateful',
  'unroll',
];

/** A fresh layer for the wrappers' `layer` option (a new instance per draw: layers are built once). */
const innerLayer: fc.Arbitrary<unknown> = fc
  .oneof(
    { arbitrary: fc.tuple(fc.constantFrom('lstm', 'gru', 'simpleRNN'), small(1, 3), fc.boolean()), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom('dense'), small(1, 3), fc.boolean()), weight: 2 },
    { arbitrary: junkValue, weight: 1 },
  )
  .map((v) => {
    if (
      !Array.isArray(v) ||
      v.length !== 3 ||
      typeof v[0] !== 'string' ||
      !['lstm', 'gru', 'simpleRNN', 'dense'].includes(v[0])
    )
      return v;
    const [kind, units, returnSequences] = v as [string, number, boolean];
    return kind === 'dense'
      ? tl.layers.dense({ units })
      : (tl.layers as unknown as Record<string, (a: object) => unknown>)[kind]({ units, returnSequences });
  });

/**
 * Every public layer factory: the options it takes, and the input rank it expects (indices: integer inputs).
 * A test checks that this list covers every factory tl.layers exports.
 */
export const LAYER_FACTORIES: Record<
  string,
  {
    fields: string[];
    required?: string[];
    rank: number;
    indices?: boolean;
    extra?: Record<string, fc.Arbitrary<unknown>>;
  }
> = {
  dense: {
    required: ['units'],
    fields: ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'],
    rank: 2,
  },
  activation: { required: ['activation'], fields: ['activation'], rank: 2 },
  dropout: { required: ['rate'], fields: ['rate', 'seed'], rank: 2 },
  flatten: { fields: [], rank: 3 },
  reshape: { required: ['targetShape'], fields: ['targetShape'], rank: 2 },
  inputLayer: { fields: ['dtype'], rank: 2 },
  conv2d: { required: ['filters', 'kernelSize'], fields: CONV, rank: 4 },
  conv1d: { required: ['filters', 'kernelSize'], fields: CONV, rank: 3 },
  conv2dTranspose: { required: ['filters', 'kernelSize'], fields: CONV, rank: 4 },
  depthwiseConv2d: {
    required: ['kernelSize'],
    fields: [
      'kernelSize',
      'strides',
      'convPadding',
      'depthMultiplier',
      'dataFormat',
      'dilationRate',
      'activation',
      'useBias',
      'depthwiseInitializer',
      'biasInitializer',
    ],
    rank: 4,
  },
  separableConv2d: {
    required: ['filters', 'kernelSize'],
    fields: [
      'filters',
      'kernelSize',
      'strides',
      'convPadding',
      'depthMultiplier',
      'dataFormat',
      'dilationRate',
      'activation',
      'useBias',
      'depthwiseInitializer',
      'pointwiseInitializer',
      'biasInitializer',
    ],
    rank: 4,
  },
  maxPooling2d: { fields: POOL, rank: 4 },
  averagePooling2d: { fields: POOL, rank: 4 },
  maxPooling1d: { fields: POOL, rank: 3 },
  averagePooling1d: { fields: POOL, rank: 3 },
  globalAveragePooling2d: { fields: [], rank: 4 },
  globalMaxPooling2d: { fields: [], rank: 4 },
  globalAveragePooling1d: { fields: [], rank: 3 },
  globalMaxPooling1d: { fields: [], rank: 3 },
  zeroPadding2d: { fields: ['zeroPadding', 'dataFormat'], rank: 4 },
  upSampling2d: { fields: ['size', 'interpolation', 'dataFormat'], rank: 4 },
  lstm: { required: ['units'], fields: [...RNN, 'unitForgetBias'], rank: 3 },
  gru: { required: ['units'], fields: [...RNN, 'resetAfter'], rank: 3 },
  simpleRNN: { required: ['units'], fields: RNN, rank: 3 },
  embedding: {
    required: ['vocabulary', 'outputDim'],
    fields: ['vocabulary', 'outputDim', 'maskZero', 'inputLength', 'embeddingsInitializer'],
    rank: 2,
    indices: true,
  },
  bidirectional: { required: ['layer'], fields: ['mergeMode'], rank: 3, extra: { layer: innerLayer } },
  timeDistributed: { required: ['layer'], fields: [], rank: 3, extra: { layer: innerLayer } },
  batchNormalization: {
    fields: [
      'axis',
      'momentum',
      'epsilon',
      'center',
      'scale',
      'gammaInitializer',
      'betaInitializer',
      'movingMeanInitializer',
      'movingVarianceInitializer',
    ],
    rank: 2,
  },
  // Merge layers take a list: a single tensor must be refused with a TensileError.
  add: { fields: [], rank: 2 },
  subtract: { fields: [], rank: 2 },
  multiply: { fields: [], rank: 2 },
  average: { fields: [], rank: 2 },
  maximum: { fields: [], rank: 2 },
  minimum: { fields: [], rank: 2 },
  concatenate: { fields: ['axis'], rank: 2 },
  dot: {
    required: ['axes'],
    fields: [],
    rank: 2,
    extra: {
      axes: fc.oneof(
        fc.integer({ min: -3, max: 3 }),
        fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })),
        junkValue,
      ),
    },
  },
  layerNormalization: { fields: ['axis', 'epsilon', 'center', 'scale'], rank: 3 },
  multiHeadAttention: {
    required: ['numHeads', 'keyDim'],
    fields: ['numHeads', 'keyDim', 'dropout', 'useBias'],
    rank: 3,
  },
  leakyReLU: { fields: ['alpha'], rank: 2 },
  prelu: { fields: [], rank: 2 },
  elu: { fields: ['alpha'], rank: 2 },
  reLU: { fields: ['maxValue'], rank: 2 },
  softmax: { fields: ['axis'], rank: 2 },
  repeatVector: { required: ['n'], fields: ['n'], rank: 2 },
  permute: {
    required: ['dims'],
    fields: [],
    rank: 3,
    extra: { dims: fc.oneof(fc.constantFrom([1, 2], [2, 1]), junkValue) },
  },
  cropping2d: {
    fields: [],
    rank: 4,
    extra: { cropping: fc.oneof(small(0, 1), fc.tuple(small(0, 1), small(0, 1)), junkValue) },
  },
  gaussianNoise: { required: ['stddev'], fields: ['stddev'], rank: 2 },
  gaussianDropout: { required: ['rate'], fields: ['rate'], rank: 2 },
  spatialDropout1d: { required: ['rate'], fields: ['rate'], rank: 3 },
  spatialDropout2d: { required: ['rate'], fields: ['rate'], rank: 4 },
  masking: { fields: ['maskValue'], rank: 3 },
  rescaling: {
    required: ['scale'],
    fields: ['offset'],
    rank: 2,
    extra: { scale: fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), junkValue) },
  },
  normalization: { fields: ['axis'], rank: 2 },
};

/** A layer factory's argument: an options object with some of its options (each sometimes junk), or junk instead of an object. */
export function layerConfigArb(factory: string): fc.Arbitrary<unknown> {
  const spec = LAYER_FACTORIES[factory];
  const entries: Record<string, fc.Arbitrary<unknown>> = {};
  // Own options last: the embedding's vocabulary is `inputDim` too, and wins over the common one.
  for (const f of [...COMMON, ...spec.fields]) entries[RENAMED[f] ?? f] = mostly(FIELDS[f]);
  for (const [k, v] of Object.entries(spec.extra ?? {})) entries[k] = v;
  const requiredKeys = (spec.required ?? []).map((f) => RENAMED[f] ?? f);
  return fc.oneof(
    { arbitrary: fc.record(entries, { requiredKeys }), weight: 10 },
    { arbitrary: fc.constantFrom(undefined, null), weight: 1 },
    { arbitrary: junkValue, weight: 1 },
  );
}
