import type { RnnActivation } from '../backend/kinds.js';
import { GRU } from '../layers/gru.js';
import { LSTM } from '../layers/lstm.js';
import type { RecurrentLayer } from '../layers/recurrent.js';
import { SimpleRNN } from '../layers/simple-rnn.js';
import { Bidirectional } from '../layers/wrappers.js';
import { type Attribute, type OnnxGraph, type Value, attr } from './graph.js';
import { type MappingEntry, host, mapping, output, single, weight } from './mapping.js';

// LSTM, GRU, SimpleRNN and Bidirectional as ONNX's LSTM, GRU and RNN ops. Those are time-major
// ([T, N, F]; onnxruntime rejects layout = 1), so the input is transposed in. Weights, as tf2onnx writes them:
// W [1, g·U, F] = kernelᵀ, R [1, g·U, U] = recurrent_kernelᵀ, B [1, 2·g·U] = input bias then recurrent bias.
// LSTM's gate blocks go from Keras' i, f, c, o to ONNX's i, o, f, c; GRU's z, r, h are already in ONNX order,
// and Keras' resetAfter (the default) is ONNX's linear_before_reset = 1.

/** ONNX block j takes Keras block ORDER[j]. */
const LSTM_ORDER = [0, 3, 1, 2];

/** [rows, g·U] (Keras: x·kernel) → [g·U, rows] (ONNX: W·x) with the gate blocks in ONNX order. */
function gateMatrix(src: Float32Array, rows: number, units: number, order: readonly number[]): Float32Array {
  const gu = order.length * units;
  const out = new Float32Array(gu * rows);
  for (let j = 0; j < order.length; j++)
    for (let u = 0; u < units; u++) {
      const col = order[j] * units + u,
        at = (j * units + u) * rows;
      for (let r = 0; r < rows; r++) out[at + r] = src[r * gu + col];
    }
  return out;
}

/** The ONNX name and parameters of a cell activation; Keras' hardSigmoid is clip(0.2·x + 0.5, 0, 1). */
const ACTIVATION: Record<RnnActivation, { name: string; alpha: number; beta: number }> = {
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  relu: { name: 'Relu', alpha: 0, beta: 0 },
  sigmoid: { name: 'Sigmoid', alpha: 0, beta: 0 },
  tanh: { name: 'Tanh', alpha: 0, beta: 0 },
  hardSigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
};

function activations(list: readonly RnnActivation[]): Record<string, Attribute> {
  const acts = list.map((a) => ACTIVATION[a]);
  const base = { activations: attr.strings(acts.map((a) => a.name)) };
  // alpha/beta are read in the order of the activations that take them.
  const parametric = acts.filter((a) => a.name === 'Affine' || a.name === 'HardSigmoid');
  if (parametric.length === 0) return base;
  return {
    ...base,
    activation_alpha: attr.floats(parametric.map((a) => a.alpha)),
    activation_beta: attr.floats(parametric.map((a) => a.beta)),
  };
}

interface Cell {
  readonly op: 'LSTM' | 'GRU' | 'RNN';
  readonly order: readonly number[];
  readonly acts: readonly RnnActivation[];
  readonly extra: Record<string, Attribute>;
}

function cellOf(layer: RecurrentLayer): Cell {
  const { activation: act, recurrentActivation: rec } = layer;
  if (layer instanceof LSTM) return { op: 'LSTM', order: LSTM_ORDER, acts: [rec, act, act], extra: {} };
  if (layer instanceof GRU)
    return {
      op: 'GRU',
      order: [0, 1, 2],
      acts: [rec, act],
      extra: layer.resetAfter ? { linear_before_reset: attr.int(1) } : {},
    };
  return { op: 'RNN', order: [0], acts: [act], extra: {} };
}

/** B [1, 2·g·U]: input bias (gate order as W), then recurrent bias (GRU reset-after has its own, else zeros). */
function biasInput(g: OnnxGraph, layer: RecurrentLayer, cell: Cell): string[] {
  const b = weight(layer, 'bias');
  if (!b) return [];
  const gu = cell.order.length * layer.units;
  const data = () => {
    const src = host(b);
    const out = new Float32Array(2 * gu);
    // GRU reset-after: [2, 3U] = input bias, recurrent bias, already in ONNX order and layout.
    if (src.length === 2 * gu) out.set(src);
    else out.set(gateMatrix(src, 1, layer.units, cell.order));
    return out;
  };
  return [g.weight(`${layer.name}/B`, [1, 2 * gu], data)];
}

/**
 * One recurrent layer on a time-major input; returns its Keras output, batch-major: [N, U], or [N, T, U] with
 * the steps in input order when `inputOrder`, else in processing order (Keras' goBackwards output).
 */
function recurrentNode(
  g: OnnxGraph,
  layer: RecurrentLayer,
  xTimeMajor: string,
  features: number,
  inputOrder: boolean,
): string {
  const cell = cellOf(layer);
  const U = layer.units;
  const kernel = weight(layer, 'kernel')!,
    recurrent = weight(layer, 'recurrent_kernel')!;
  const gu = cell.order.length * U;
  const w = g.weight(`${layer.name}/W`, [1, gu, features], () => gateMatrix(host(kernel), features, U, cell.order));
  const r = g.weight(`${layer.name}/R`, [1, gu, U], () => gateMatrix(host(recurrent), U, U, cell.order));
  const attributes = {
    hidden_size: attr.int(U),
    direction: attr.string(layer.goBackwards ? 'reverse' : 'forward'),
    ...activations(cell.acts),
    ...cell.extra,
  };
  const outputs = layer.returnSequences ? [`${layer.name}/Y`, null] : [null, `${layer.name}/Y_h`];
  const [y, yh] = g.node(cell.op, [xTimeMajor, w, r, ...biasInput(g, layer, cell)], attributes, layer.name, outputs);
  if (!layer.returnSequences) return g.squeeze(yh, [0], layer.name); // [1, N, U] → [N, U]
  let seq = g.squeeze(y, [1], layer.name); // [T, 1, N, U] → [T, N, U], step t at input position t
  // Keras' goBackwards sequence is in processing order: ONNX's reverse output, reversed in time.
  if (!inputOrder) seq = reverseTime(g, seq, 0, layer.name);
  return g.transpose(seq, [1, 0, 2], layer.name);
}

function reverseTime(g: OnnxGraph, x: string, axis: number, base: string): string {
  const int64Min = -(2n ** 63n);
  return g.op(
    'Slice',
    [
      x,
      g.int64s(`${base}/starts`, [-1]),
      g.int64s(`${base}/ends`, [int64Min]),
      g.int64s(`${base}/axes`, [axis]),
      g.int64s(`${base}/steps`, [-1]),
    ],
    {},
    base,
  );
}

const timeMajor = (g: OnnxGraph, x: Value, base: string) => g.transpose(x.name, [1, 0, 2], base);

function recurrentMapping(cls: typeof LSTM | typeof GRU | typeof SimpleRNN, op: string): MappingEntry {
  return mapping<LSTM | GRU | SimpleRNN>(
    cls,
    `Transpose, ${op}, Squeeze (, Slice, Transpose)`,
    ({ g }, layer, inputs) => {
      const x = single(layer, inputs);
      const features = weight(layer, 'kernel')!.shape[0];
      return [output(layer, x, recurrentNode(g, layer, timeMajor(g, x, layer.name), features, !layer.goBackwards))];
    },
  );
}

export const RECURRENT: readonly MappingEntry[] = [
  recurrentMapping(LSTM, 'LSTM'),
  recurrentMapping(GRU, 'GRU'),
  recurrentMapping(SimpleRNN, 'RNN'),
  // The forward and the backward layer as two ops on one time-major input; Keras puts the backward sequence
  // back in input order before merging.
  mapping(Bidirectional, 'Transpose, 2 × LSTM/GRU/RNN, Concat/Add/Mul', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const features = weight(layer.forwardLayer, 'kernel')!.shape[0];
    const xt = timeMajor(g, x, layer.name);
    const f = recurrentNode(g, layer.forwardLayer, xt, features, !layer.forwardLayer.goBackwards);
    // Keras reverses the backward layer's processing-order sequence: input order when it ran backwards.
    const b = recurrentNode(g, layer.backwardLayer, xt, features, layer.backwardLayer.goBackwards);
    const y =
      layer.mergeMode === 'concat'
        ? g.op('Concat', [f, b], { axis: attr.int(-1) }, layer.name)
        : layer.mergeMode === 'sum'
          ? g.op('Add', [f, b], {}, layer.name)
          : layer.mergeMode === 'mul'
            ? g.op('Mul', [f, b], {}, layer.name)
            : g.op('Mul', [g.op('Add', [f, b], {}, layer.name), g.scalar(`${layer.name}/half`, 0.5)], {}, layer.name);
    return [output(layer, x, y)];
  }),
];
