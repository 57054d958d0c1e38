import { TensileError } from '../errors.js';
import { type Layer, type SymbolicShape, fmtSym } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import { type OnnxGraph, type Value, attr } from './graph.js';

// What a layer mapping is: a function from a layer and its input values to its output values, adding
// ONNX nodes and weights to the graph. One mapping per layer class, grouped by family in map-*.ts.

export interface MapContext {
  readonly g: OnnxGraph;
  /** Map another layer (a wrapper's inner layer) on values. */
  map(layer: Layer, inputs: readonly Value[]): Value[];
}

export type LayerMapping<L extends Layer> = (ctx: MapContext, layer: L, inputs: readonly Value[]) => Value[];

/** A layer class, its mapping, and the ONNX ops it becomes (for the coverage table and errors). */
export interface MappingEntry {
  readonly cls: abstract new (...args: never[]) => Layer;
  readonly ops: string;
  readonly map: LayerMapping<never>;
}

export function mapping<L extends Layer>(
  cls: abstract new (...args: never[]) => L,
  ops: string,
  map: LayerMapping<L>,
): MappingEntry {
  return { cls, ops, map: map as LayerMapping<never> };
}

/** The single input of a one-input layer. */
export function single(layer: Layer, inputs: readonly Value[]): Value {
  if (inputs.length !== 1)
    throw new TensileError(
      'exportOnnx',
      `layer '${layer.name}' (${layer.className}) takes one input, got ${inputs.length}`,
    );
  return inputs[0];
}

/** The value named `name` with the layer's output shape for input x. */
export const output = (layer: Layer, x: Value, name: string): Value => ({
  name,
  shape: layer.computeOutputShape(x.shape),
});

/** A layer's weight by its Keras name (kernel, bias, ...), as its host array; undefined when absent. */
export function weight(layer: Layer, name: string): Variable | undefined {
  return layer.weights.find((v) => v.name === `${layer.name}/${name}` || v.name.endsWith(`/${name}`));
}
export function host(v: Variable): Float32Array {
  return v.value.data;
}

/** Dimensions known at export time, or a TensileError naming the layer and what needs them. */
export function known(layer: Layer, shape: SymbolicShape, axes: readonly number[], why: string): number[] {
  const dims = axes.map((a) => shape[a]);
  if (dims.some((d) => d === null || d === undefined))
    throw new TensileError(
      'exportOnnx',
      `layer '${layer.name}' (${layer.className}) needs a known ${why} to be exported; its input is ${fmtSym(shape)}: give the model a full inputShape`,
    );
  return dims as number[];
}

/**
 * Copy of `src` with its axes permuted: `src` has shape `dims`, result axis i is source axis perm[i]
 * (kernels HWIO → OIHW is perm [3, 2, 0, 1]).
 */
export function permuted(src: Float32Array, dims: readonly number[], perm: readonly number[]): Float32Array {
  const rank = dims.length;
  const strides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    strides[i] = s;
    s *= dims[i];
  }
  const outDims = perm.map((p) => dims[p]);
  const outStrides = perm.map((p) => strides[p]);
  const out = new Float32Array(src.length);
  const idx = new Array<number>(rank).fill(0);
  let from = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = src[from];
    // Advance the output index like an odometer, moving `from` by the source strides.
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]++;
      from += outStrides[a];
      if (idx[a] < outDims[a]) break;
      from -= outStrides[a] * outDims[a];
      idx[a] = 0;
    }
  }
  return out;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Keras' activations (tfjs-layers names, lib/layers/activations.ts) as ONNX ops on x; linear adds nothing. */
export function activate(g: OnnxGraph, x: string, activation: string, base: string): string {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x], {}, base);
    case 'sigmoid':
      return g.op('Sigmoid', [x], {}, base);
    case 'tanh':
      return g.op('Tanh', [x], {}, base);
    case 'softmax':
      return g.op('Softmax', [x], { axis: attr.int(-1) }, base);
    case 'elu':
      return g.op('Elu', [x], { alpha: attr.float(1) }, base);
    case 'selu':
      return g.op('Selu', [x], { alpha: attr.float(SELU_ALPHA), gamma: attr.float(SELU_SCALE) }, base);
    case 'softplus':
      return g.op('Softplus', [x], {}, base);
    case 'softsign':
      return g.op('Softsign', [x], {}, base);
    case 'leakyRelu':
      return g.op('LeakyRelu', [x], { alpha: attr.float(0.2) }, base);
    case 'swish':
      return g.op('Mul', [x, g.op('Sigmoid', [x], {}, base)], {}, base);
    case 'gelu': {
      // Keras' exact gelu, 0.5·x·(1 + erf(x/√2)); opset 17 has Erf but not yet Gelu (opset 20).
      const e = g.op('Erf', [g.op('Mul', [x, g.scalar(`${base}_rsqrt2`, Math.SQRT1_2)], {}, base)], {}, base);
      const half = g.op('Mul', [x, g.scalar(`${base}_half`, 0.5)], {}, base);
      return g.op('Mul', [half, g.op('Add', [e, g.scalar(`${base}_one`, 1)], {}, base)], {}, base);
    }
    default:
      throw new TensileError('exportOnnx', `activation '${activation}' of layer '${base}' has no ONNX mapping`);
  }
}
