// Property-based fuzzing of layers and models (issue 10).
// Layers: every public factory (tl.layers.*) with random options, each sometimes junk (negative, fractional,
// huge, NaN, strings, lists, objects, undefined) or junk instead of the options object, then applied to a random
// input (its rank mostly, sizes 0–4, NaN/Inf values). Models: random small Sequentials driven through random
// sequences of add/compile/fit/evaluate/predict/predictAsync/evaluateAsync/summary/save+load with random data
// (zero and one rows, mismatched x/y batches, nested arrays, { data, shape } of Float64Array/Int32Array/strings,
// bare typed arrays, junk). Every call either succeeds with a sane result (right output shape, finite when its
// inputs and weights are, predictAsync bit-identical to predict, a loaded model predicting bit-identically) or
// throws a TensileError; never another error, a crash or a hang, and never changes its inputs.
// FUZZ_RUNS sets cases per layer factory and model scenarios (npm run fuzz).
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import {
  attempt,
  attemptAsync,
  checkUnchanged,
  collected,
  COLLECT,
  counter,
  describeError,
  dim,
  finding,
  junkValue,
  LAYER_FACTORIES,
  layerConfigArb,
  mostly,
  type Outcome,
  runs,
  SEED,
  show,
  sizeOf,
  snapshotArgs,
  valueArb,
} from './arbitraries.js';

const DEFAULT_LAYER_RUNS = 60; // per factory: 27 factories × 60 ≈ 1.5 s
const DEFAULT_MODEL_RUNS = 40; // scenarios of up to 6 calls each ≈ 2 s

let cases = 0;
/** How the model calls ended, by method: ok / TensileError, so a long run shows that both paths were exercised. */
const outcomes = new Map<string, { ok: number; tensile: number }>();
const tally = (op: string, o: Outcome) => {
  const t = outcomes.get(op) ?? { ok: 0, tensile: 0 };
  if (o.kind !== 'other') t[o.kind]++;
  outcomes.set(op, t);
};
afterAll(() => {
  counter.cases += cases;
  if (process.env.FUZZ_RUNS || COLLECT)
    console.log(
      `layers.fuzz: ${cases} cases; model calls ok/TensileError: ${[...outcomes].map(([k, v]) => `${k} ${v.ok}/${v.tensile}`).join(', ')}`,
    );
  if (COLLECT) for (const [k, v] of collected) console.log(`FINDING ${k}\n  ${v}`);
});

const factory = (name: string) => (tl.layers as unknown as Record<string, (a: unknown) => unknown>)[name];
const isFiniteTensor = (t: tl.Tensor) => t.data.every(Number.isFinite);
/** A non-TensileError is a finding, named by its message with numbers blanked (so one bug is one finding). */
const unexpected = (what: string, label: string, o: Outcome & { kind: 'other' }) => {
  const msg = describeError(o.error);
  finding(`${what}: ${msg.replace(/\d+/g, 'N').slice(0, 120)}`, `${label} threw a non-TensileError: ${msg}`);
};

// ---- layers --------------------------------------------------------------------------------------

/** Open findings in files outside this suite's reach: a non-TensileError matching one is tolerated here (none open now). */
function knownFinding(_factory: string, _error: unknown): boolean {
  return false;
}
const RECURRENT = ['lstm', 'gru', 'simpleRNN'];
/** Linear or relu cells are unbounded: h and c may overflow within a few steps, as in Keras. */
const unboundedCell = (factory: string, config: unknown) =>
  RECURRENT.includes(factory) &&
  ['activation', 'recurrentActivation'].some((k) =>
    ['linear', 'relu', null].includes((config as Record<string, unknown>)[k] as string),
  );

/** A layer's input: its expected rank mostly; values in [-5, 5] (finite) or with NaN/Inf/huge; indices for embeddings. */
function layerInput(rank: number, indices: boolean): fc.Arbitrary<{ x: tl.Tensor; finite: boolean }> {
  const rankArb = fc.oneof(
    { arbitrary: fc.constant(rank), weight: 6 },
    { arbitrary: fc.integer({ min: Math.max(1, rank - 1), max: rank + 1 }), weight: 1 },
  );
  return rankArb
    .chain((r) => fc.array(dim, { minLength: r, maxLength: r }).filter((s) => sizeOf(s) <= 96))
    .chain((shape) => {
      const n = sizeOf(shape);
      const finite = indices ? fc.integer({ min: 0, max: 4 }) : fc.double({ min: -5, max: 5, noNaN: true });
      const wild = indices
        ? fc.oneof(fc.integer({ min: -2, max: 8 }), fc.constantFrom(0.5, NaN, Infinity, 1e10))
        : valueArb();
      return fc.oneof(
        {
          arbitrary: fc
            .array(finite, { minLength: n, maxLength: n })
            .map((v) => ({ x: tl.tensor(Float32Array.from(v), shape), finite: true })),
          weight: 4,
        },
        {
          arbitrary: fc
            .array(wild, { minLength: n, maxLength: n })
            .map((v) => ({ x: tl.tensor(Float32Array.from(v), shape), finite: false })),
          weight: 1,
        },
      );
    });
}

describe('fuzz: layer factories return a working layer or throw a TensileError', () => {
  it('covers every layer factory tl.layers exports', () => {
    const factories = Object.entries(tl.layers)
      .filter(([k, v]) => typeof v === 'function' && /^[a-z]/.test(k))
      .map(([k]) => k);
    expect(factories.sort()).toEqual(Object.keys(LAYER_FACTORIES).sort());
  });

  for (const [name, spec] of Object.entries(LAYER_FACTORIES)) {
    it(name, () => {
      fc.assert(
        fc.property(
          layerConfigArb(name),
          layerInput(spec.rank, spec.indices ?? false),
          fc.boolean(),
          (config, { x, finite }, training) => {
            cases++;
            const label = `tl.layers.${name}(${show([config])})`;
            const configBefore = show([config]);
            const made = attempt(() => factory(name)(config));
            if (show([config]) !== configBefore)
              return finding(`${name} mutated its options`, `${label} changed its options object`);
            if (made.kind === 'other')
              return knownFinding(name, made.error) ? undefined : unexpected(name, label, made);
            if (made.kind === 'tensile') return;
            const layer = made.value;
            if (!(layer instanceof tl.layers.Layer))
              return finding(`${name} non-layer`, `${label} returned ${String(layer)}`);
            const config2 = attempt(() => JSON.stringify(layer.getConfig()));
            if (config2.kind !== 'ok')
              return finding(
                `${name} getConfig`,
                `${label}.getConfig() threw ${describeError((config2 as { error: unknown }).error)}`,
              );

            const call = `${label}.apply(tensor of shape [${x.shape}], { training: ${training} })`;
            const snap = snapshotArgs([x]);
            const out = attempt(() => layer.apply(x, { training }));
            try {
              checkUnchanged(call, snap);
            } catch (e) {
              return finding(`${name} mutated its input`, String(e));
            }
            if (out.kind === 'other')
              return knownFinding(name, out.error) ? undefined : unexpected(`${name}.apply`, call, out);
            if (out.kind === 'tensile') return;
            const y = out.value;
            if (!(y instanceof tl.Tensor)) return finding(`${name}.apply non-tensor`, `${call} returned a non-Tensor`);
            // What shape inference promises must be what apply delivers (Sequential builds the next layer from it).
            const inferred = attempt(() => layer.computeOutputShape([null, ...x.shape.slice(1)]));
            if (inferred.kind === 'other') return unexpected(`${name}.computeOutputShape`, call, inferred);
            if (inferred.kind === 'ok') {
              const s = inferred.value as (number | null)[];
              if (s.length !== y.rank || s.some((d, i) => i > 0 && d !== null && d !== y.shape[i]))
                return finding(
                  `${name} shape inference`,
                  `${call}: output [${y.shape}] but computeOutputShape says [${s.map(String)}]`,
                );
            }
            if (y.shape[0] !== x.shape[0])
              return finding(`${name} batch`, `${call}: output [${y.shape}] lost the batch size ${x.shape[0]}`);
            const weightsFinite = layer.weights.every((v) => isFiniteTensor(v.value));
            // A sample with no elements (a 0 beyond the batch axis) may pool to NaN or -Infinity: the mean or max of nothing.
            const empty = x.shape.slice(1).includes(0);
            if (finite && weightsFinite && !empty && !unboundedCell(name, config) && !isFiniteTensor(y))
              return finding(`${name} not finite`, `${call}: finite input and weights, output has NaN/Inf`);
          },
        ),
        { seed: SEED, numRuns: runs(DEFAULT_LAYER_RUNS) },
      );
    });
  }
});

// ---- models --------------------------------------------------------------------------------------

/** A small random Sequential: an input of one or two axes (sizes 0–3), hidden layers, a dense output of `units`. */
interface ModelSpec {
  sample: number[];
  declare: 'inputShape' | 'inputLayer' | 'none';
  /** For two-axis samples: what turns [steps, features] into rows (none: dense on the last axis). */
  head: 'flatten' | 'lstm' | 'simpleRNN' | 'none';
  hidden: (
    | { kind: 'dense'; units: number; activation: string }
    | { kind: 'dropout'; rate: number }
    | { kind: 'activation'; activation: string }
    | { kind: 'batchNormalization' }
  )[];
  units: number;
  activation: string;
}
const smallDim = fc.constantFrom(0, 1, 1, 2, 3, 3);
const modelSpec: fc.Arbitrary<ModelSpec> = fc.record({
  sample: fc.oneof(
    { arbitrary: fc.tuple(smallDim), weight: 3 },
    { arbitrary: fc.tuple(smallDim, smallDim), weight: 2 },
  ),
  declare: fc.constantFrom('inputShape', 'inputShape', 'inputLayer', 'none'),
  head: fc.constantFrom('flatten', 'lstm', 'simpleRNN', 'none'),
  hidden: fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant('dense' as const),
        units: fc.integer({ min: 1, max: 4 }),
        activation: fc.constantFrom('relu', 'tanh', 'linear', 'sigmoid'),
      }),
      fc.record({ kind: fc.constant('dropout' as const), rate: fc.constantFrom(0, 0.3) }),
      fc.record({ kind: fc.constant('activation' as const), activation: fc.constantFrom('relu', 'elu', 'gelu') }),
      fc.record({ kind: fc.constant('batchNormalization' as const) }),
    ),
    { maxLength: 3 },
  ),
  units: fc.integer({ min: 1, max: 3 }),
  activation: fc.constantFrom('softmax', 'linear', 'sigmoid'),
});

function buildModel(spec: ModelSpec): tl.Sequential {
  const model = tl.sequential();
  const declared = spec.declare === 'inputShape' ? { inputShape: spec.sample } : {};
  if (spec.declare === 'inputLayer') model.add(tl.layers.inputLayer({ inputShape: spec.sample }));
  const layers: ((first: object) => tl.layers.Layer)[] = [];
  if (spec.sample.length === 2 && spec.head !== 'none')
    layers.push((first) =>
      spec.head === 'flatten' ? tl.layers.flatten(first) : tl.layers[spec.head as 'lstm']({ units: 2, ...first }),
    );
  for (const h of spec.hidden)
    layers.push((first) =>
      h.kind === 'dense'
        ? tl.layers.dense({ units: h.units, activation: h.activation, ...first })
        : h.kind === 'dropout'
          ? tl.layers.dropout({ rate: h.rate, ...first })
          : h.kind === 'activation'
            ? tl.layers.activation({ activation: h.activation, ...first })
            : tl.layers.batchNormalization(first),
    );
  layers.push((first) => tl.layers.dense({ units: spec.units, activation: spec.activation, ...first }));
  layers.forEach((make, i) => model.add(make(i === 0 ? declared : {})));
  return model;
}

/** Rows of one sample shape in the forms fit/evaluate/predict take, and forms they must refuse. */
interface Data {
  value: unknown;
  /** The samples' shape when `value` is valid data. */
  shape?: number[];
  /** Every value finite and small. */
  finite: boolean;
}
const nest = (v: number[], shape: number[]): unknown => {
  if (shape.length <= 1) return v;
  const step = sizeOf(shape.slice(1));
  return Array.from({ length: shape[0] }, (_, i) => nest(v.slice(i * step, (i + 1) * step), shape.slice(1)));
};
function dataOf(shape: number[], values: fc.Arbitrary<number>, finite: boolean): fc.Arbitrary<Data> {
  const n = sizeOf(shape);
  return fc
    .tuple(fc.array(values, { minLength: n, maxLength: n }), fc.nat(39), junkValue)
    .map(([v, form, junk]): Data => {
      if (form < 24) return { value: tl.tensor(Float32Array.from(v), shape), shape, finite };
      // Nested arrays of an empty shape cannot say their inner sizes: only tensors and { data, shape } carry them.
      if (form < 29 && n > 0) return { value: nest(v, shape), shape, finite };
      if (form < 31) return { value: { data: Float64Array.from(v), shape }, shape, finite };
      if (form < 33)
        return {
          value: { data: Int32Array.from(v), shape },
          shape,
          finite: finite || v.every((x) => Math.abs(x) < 2 ** 31),
        };
      if (form < 35) return { value: { data: v, shape }, shape, finite };
      if (form < 36) return { value: { data: v.map(String), shape }, finite: false }; // strings: refused or NaN
      if (form < 37) return { value: Float64Array.from(v), finite: false };
      if (form < 38) return { value: Int32Array.from(v), finite: false };
      return { value: junk, finite: false };
    });
}
const finiteValue = fc.double({ min: -3, max: 3, noNaN: true });
const labelValue = (units: number) => fc.integer({ min: 0, max: Math.max(0, units - 1) });

/** x of n samples (usually of the model's sample shape) and y of n (sometimes n ± 1) targets, one-hot-like or labels. */
function xyArb(spec: ModelSpec): fc.Arbitrary<{ x: Data; y: Data }> {
  return fc
    .tuple(fc.constantFrom(0, 1, 2, 3, 5), fc.nat(14), fc.nat(14), fc.nat(5), fc.boolean())
    .chain(([n, xWild, yWild, yKind, special]) => {
      const sample =
        xWild === 0
          ? [...spec.sample.slice(0, -1), spec.sample[spec.sample.length - 1] + 1]
          : xWild === 1
            ? [...spec.sample, 2]
            : spec.sample;
      const yRows = yWild === 0 ? n + 1 : yWild === 1 ? Math.max(0, n - 1) : n;
      const yShape = yKind < 3 ? [yRows, spec.units] : yKind < 5 ? [yRows] : [yRows, 1];
      const xValues = special ? valueArb() : finiteValue;
      const yValues = yKind < 3 ? fc.double({ min: 0, max: 1, noNaN: true }) : labelValue(spec.units);
      return fc.record({ x: dataOf([n, ...sample], xValues, !special), y: dataOf(yShape, yValues, true) });
    });
}

const epochsArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 2 }), weight: 8 },
  { arbitrary: fc.constantFrom(-1, 1.5, NaN, Infinity, '2', null, true), weight: 1 },
);
/** Sometimes junk in place of the options object. */
const optionsOr = (o: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof({ arbitrary: o, weight: 12 }, { arbitrary: fc.constantFrom(undefined, null, 'x', 3, []), weight: 1 });
const batchSize = mostly(fc.integer({ min: 1, max: 4 }));
const fitOptions = optionsOr(
  fc.record(
    {
      epochs: epochsArb,
      batchSize,
      shuffle: mostly(fc.boolean()),
      validationSplit: mostly(fc.constantFrom(0, 0.5, 0.25)),
      verbose: fc.constantFrom(0, 1, 2, 3, 'x'),
      classWeight: mostly(fc.constant({ 0: 2, 1: 0.5 })),
      initialEpoch: mostly(fc.integer({ min: 0, max: 2 })),
      callbacks: fc.oneof(
        { arbitrary: fc.constantFrom([], [{}], [{ onBatchEnd: () => undefined }]), weight: 8 },
        { arbitrary: fc.constantFrom([null], [1], 'x', {}), weight: 1 },
      ),
    },
    { requiredKeys: [] },
  ),
);
const evaluateOptions = optionsOr(
  fc.record({ batchSize, verbose: fc.constantFrom(0, 1, 2, 'x') }, { requiredKeys: [] }),
);
const predictOptions = optionsOr(fc.record({ batchSize }, { requiredKeys: [] }));
const validCompile = fc.record({
  optimizer: fc.constantFrom('sgd', 'adam', 'rmsprop', 'adagrad', 'adamw'),
  loss: fc.constantFrom(
    'meanSquaredError',
    'categoricalCrossentropy',
    'sparseCategoricalCrossentropy',
    'binaryCrossentropy',
    'huber',
  ),
  metrics: fc.constantFrom(undefined, ['accuracy'], ['mae']),
});
const compileArgs = fc.oneof(
  {
    arbitrary: fc.record({
      optimizer: mostly(fc.constantFrom('sgd', 'adam', 'rmsprop', 'adagrad', 'adamw')),
      loss: mostly(
        fc.constantFrom(
          'meanSquaredError',
          'mse',
          'categoricalCrossentropy',
          'sparseCategoricalCrossentropy',
          'binaryCrossentropy',
          'meanAbsoluteError',
          'huber',
        ),
      ),
      metrics: mostly(fc.constantFrom(undefined, [], ['accuracy'], ['accuracy'], ['mse', 'mae'], ['acc'])),
    }),
    weight: 12,
  },
  { arbitrary: junkValue, weight: 1 },
);

type Command =
  | { op: 'compile'; args: unknown }
  | { op: 'fit' | 'evaluate' | 'evaluateAsync'; x: Data; y: Data; options: unknown }
  | { op: 'predict' | 'predictAsync'; x: Data; options: unknown }
  | { op: 'summary'; lineLength: unknown }
  | { op: 'saveLoad'; includeOptimizer: boolean }
  | { op: 'add'; units: unknown };
function commandArb(spec: ModelSpec): fc.Arbitrary<Command> {
  const xy = xyArb(spec);
  return fc.oneof(
    { arbitrary: compileArgs.map((args): Command => ({ op: 'compile', args })), weight: 3 },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom('fit' as const, 'evaluate' as const, 'evaluateAsync' as const),
          xy,
          fitOptions,
          evaluateOptions,
        )
        .map(([op, d, fo, eo]): Command => ({ op, x: d.x, y: d.y, options: op === 'fit' ? fo : eo })),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom('predict' as const, 'predictAsync' as const), xy, predictOptions)
        .map(([op, d, options]): Command => ({ op, x: d.x, options })),
      weight: 4,
    },
    {
      arbitrary: fc
        .oneof(fc.constantFrom(undefined, 40, 65, 100), junkValue)
        .map((lineLength): Command => ({ op: 'summary', lineLength })),
      weight: 1,
    },
    { arbitrary: fc.boolean().map((includeOptimizer): Command => ({ op: 'saveLoad', includeOptimizer })), weight: 1 },
    {
      arbitrary: fc.oneof(fc.integer({ min: 1, max: 3 }), junkValue).map((units): Command => ({ op: 'add', units })),
      weight: 1,
    },
  );
}

const sink = { write: () => true };
/** Options with progress output silenced, when they are an object. */
const quiet = (o: unknown) => (o !== null && typeof o === 'object' && !Array.isArray(o) ? { ...o, output: sink } : o);
const sameBits = (a: tl.Tensor, b: tl.Tensor) =>
  a.shape.join() === b.shape.join() &&
  Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(
    Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength),
  );
const sameNumbers = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
/** Every typed array a data argument holds (a Tensor's, or { data }'s), to check that no call changed them. */
const snapshotData = (...ds: Data[]) =>
  snapshotArgs(ds.flatMap((d) => [d.value, (d.value as { data?: unknown } | null)?.data]));

/** The output shape the spec's model gives for samples of shape x.shape. */
function expectedShape(spec: ModelSpec, x: number[]): number[] {
  const rows = spec.sample.length === 2 && spec.head !== 'none';
  return [x[0], ...(rows ? [] : x.slice(1, -1)), spec.units];
}

let saves = 0;
async function runCommand(model: tl.Sequential, spec: ModelSpec, c: Command, dir: string): Promise<void> {
  const label = `${model.name}: ${c.op}(${show(
    Object.values(c)
      .slice(1)
      .map((v) => (v && typeof v === 'object' && 'value' in v ? (v as Data).value : v)),
  )})`;
  const weightsFinite = () => model.getWeights().every(isFiniteTensor);
  if (c.op === 'compile') {
    const o = attempt(() => model.compile(c.args as tl.CompileArgs));
    tally('compile', o);
    if (o.kind === 'other') unexpected('compile', label, o);
    return;
  }
  if (c.op === 'add') {
    const o = attempt(() =>
      model.add((typeof c.units === 'number' ? tl.layers.dense({ units: c.units }) : c.units) as tl.layers.Layer),
    );
    tally('add', o);
    if (o.kind === 'other') unexpected('add', label, o);
    if (o.kind === 'ok') spec.units = c.units as number; // the new last layer sets the output width
    return;
  }
  if (c.op === 'summary') {
    const lines: string[] = [];
    const o = attempt(() => model.summary(c.lineLength as number, (l) => lines.push(l)));
    tally('summary', o);
    if (o.kind === 'other') unexpected('summary', label, o);
    else if (o.kind === 'ok' && lines.length === 0) finding('summary printed nothing', label);
    return;
  }
  if (c.op === 'saveLoad') {
    const path = join(dir, `m${saves++}`);
    const saved = await attemptAsync(() => model.save(`file://${path}`, { includeOptimizer: c.includeOptimizer }));
    tally('save', saved);
    if (saved.kind === 'other') return unexpected('save', label, saved);
    if (saved.kind === 'tensile') return;
    const loaded = await attemptAsync(() => tl.loadModel(`file://${path}`));
    if (loaded.kind !== 'ok')
      return finding(
        'load after save',
        `${label}: a saved model failed to load: ${describeError((loaded as { error: unknown }).error)}`,
      );
    const copy = loaded.value as tl.Sequential;
    const shape = model.layers[0].inputShape;
    if (!shape || shape.slice(1).includes(null)) return;
    const probe = tl.rand([2, ...(shape.slice(1) as number[])]);
    const a = attempt(() => model.predict(probe));
    const b = attempt(() => copy.predict(probe));
    if (a.kind !== b.kind)
      return finding(
        'load predicts differently',
        `${label}: the model ${a.kind === 'ok' ? 'predicts' : 'throws'}, the loaded copy ${b.kind === 'ok' ? 'predicts' : 'throws'}`,
      );
    if (a.kind === 'ok' && b.kind === 'ok' && !sameBits(a.value as tl.Tensor, b.value as tl.Tensor))
      finding('load predicts differently', `${label}: the loaded copy predicts other values`);
    return;
  }
  const snap = 'y' in c ? snapshotData(c.x, c.y) : snapshotData(c.x);
  const finiteBefore = c.x.finite && weightsFinite();
  let o: Outcome;
  if (c.op === 'fit')
    o = await attemptAsync(() =>
      model.fit(c.x.value as tl.Tensor, c.y.value as tl.Tensor, quiet(c.options) as tl.FitOptions),
    );
  else if (c.op === 'evaluate')
    o = attempt(() =>
      model.evaluate(c.x.value as tl.Tensor, c.y.value as tl.Tensor, quiet(c.options) as tl.EvaluateOptions),
    );
  else if (c.op === 'evaluateAsync')
    o = await attemptAsync(() =>
      model.evaluateAsync(c.x.value as tl.Tensor, c.y.value as tl.Tensor, quiet(c.options) as tl.EvaluateOptions),
    );
  else if (c.op === 'predict') o = attempt(() => model.predict(c.x.value as tl.Tensor, c.options as object));
  else o = await attemptAsync(() => model.predictAsync(c.x.value as tl.Tensor, c.options as object));
  tally(c.op, o);
  try {
    checkUnchanged(label, snap);
  } catch (e) {
    return finding(`${c.op} mutated its input`, String(e));
  }
  if (o.kind === 'other') return unexpected(c.op, label, o);
  if (o.kind === 'tensile') return;
  if (c.op === 'fit') {
    if (!(o.value instanceof tl.History)) finding('fit result', `${label} resolved to ${String(o.value)}`);
    return;
  }
  if (c.op === 'evaluate' || c.op === 'evaluateAsync') {
    const r = o.value as number[];
    if (!Array.isArray(r) || r.length === 0 || r.some((v) => typeof v !== 'number'))
      return finding(`${c.op} result`, `${label} returned ${String(r)}`);
    if (c.op === 'evaluateAsync') {
      const sync = attempt(() =>
        model.evaluate(c.x.value as tl.Tensor, c.y.value as tl.Tensor, quiet(c.options) as tl.EvaluateOptions),
      );
      if (sync.kind !== 'ok' || !sameNumbers(sync.value as number[], r))
        finding(
          'evaluateAsync ≠ evaluate',
          `${label}: [${r}] vs evaluate ${sync.kind === 'ok' ? `[${String(sync.value)}]` : sync.kind}`,
        );
    }
    return;
  }
  const y = o.value as tl.Tensor;
  if (!(y instanceof tl.Tensor)) return finding(`${c.op} result`, `${label} returned a non-Tensor`);
  if (c.x.shape) {
    const want = expectedShape(spec, c.x.shape);
    if (y.shape.join() !== want.join())
      return finding(`${c.op} shape`, `${label}: output [${y.shape}], expected [${want}]`);
  }
  if (finiteBefore && !isFiniteTensor(y))
    return finding(`${c.op} not finite`, `${label}: finite input and weights, output has NaN/Inf`);
  if (c.op === 'predictAsync') {
    const sync = attempt(() => model.predict(c.x.value as tl.Tensor, c.options as object));
    if (sync.kind !== 'ok' || !sameBits(sync.value as tl.Tensor, y))
      finding('predictAsync ≠ predict', `${label}: predict ${sync.kind === 'ok' ? 'gave other values' : 'threw'}`);
  }
}

describe('fuzz: models succeed sanely or throw a TensileError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tensile-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sequential add/compile/fit/evaluate(Async)/predict(Async)/summary/save+load', async () => {
    const firstCompile = fc.oneof({ arbitrary: compileArgs, weight: 1 }, { arbitrary: validCompile, weight: 4 });
    const scenario = modelSpec.chain((spec) =>
      fc.tuple(fc.constant(spec), firstCompile, fc.array(commandArb(spec), { minLength: 1, maxLength: 6 })),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ([spec, compile, commands]) => {
        cases++;
        const made = attempt(() => buildModel(spec));
        if (made.kind === 'other') return unexpected('sequential', `model ${show([spec])}`, made);
        if (made.kind === 'tensile') return;
        const model = made.value as tl.Sequential;
        const state = { ...spec }; // add() changes the output width
        for (const c of [{ op: 'compile', args: compile } as Command, ...commands])
          await runCommand(model, state, c, dir);
      }),
      { seed: SEED, numRuns: runs(DEFAULT_MODEL_RUNS) },
    );
  });
});

// Findings of this suite fixed in lib/, kept as reproducers.
describe('layer fuzz findings (fixed)', () => {
  const expectTensile = (fn: () => unknown) => {
    const o = attempt(fn);
    if (o.kind !== 'tensile')
      throw new Error(`expected a TensileError, got ${o.kind === 'ok' ? 'a result' : describeError(o.error)}`);
  };
  it('L1 conv and pooling layers reject window sizes of 2^31 or more with a TensileError (window.ts sizes())', () => {
    expectTensile(() => tl.layers.depthwiseConv2d({ kernelSize: 1, strides: 2 ** 31 }).apply(tl.zeros([1, 2, 2, 1])));
    expectTensile(() =>
      tl.layers.maxPooling2d({ poolSize: 2 ** 31, strides: 1, padding: 'same' }).apply(tl.zeros([1, 2, 2, 1])),
    );
  });
});
