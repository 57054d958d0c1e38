import { TensileError } from '../errors.js';
import { LayerNormalization } from '../layers/layer-normalization.js';
import { MultiHeadAttention } from '../layers/multi-head-attention.js';
import type { Variable } from '../layers/variable.js';
import { attr, type OnnxGraph } from './graph.js';
import { type MappingEntry, host, known, mapping, output, single, weight } from './mapping.js';

// LayerNormalization (ONNX's own op from opset 17) and MultiHeadAttention, decomposed into MatMul, Reshape,
// Transpose and Softmax exactly as the layer computes it (Keras 3's einsums).

/** x [B, T, D] · kernel [D, H, P] (+ bias [H, P]) → [B, H, T, P]: one MatMul on the kernel viewed as [D, H·P]. */
function project(g: OnnxGraph, x: string, kernel: Variable, bias: Variable | undefined, base: string): string {
  const [d, h, p] = kernel.shape;
  let y = g.op('MatMul', [x, g.weight(`${base}/kernel`, [d, h * p], host(kernel))], {}, base);
  if (bias) y = g.op('Add', [y, g.weight(`${base}/bias`, [h * p], host(bias))], {}, base);
  return g.transpose(g.reshape(y, [0, 0, h, p], base), [0, 2, 1, 3], base);
}

export const ATTENTION: readonly MappingEntry[] = [
  mapping(LayerNormalization, 'LayerNormalization (opset 17)', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const r = x.shape.length;
    const axes = (typeof layer.axis === 'number' ? [layer.axis] : layer.axis)
      .map((a) => (a < 0 ? a + r : a))
      .sort((a, b) => a - b);
    // ONNX normalizes the axes from `axis` to the last: Keras' default (the last axis) and any trailing run.
    if (axes.some((a, i) => a !== r - axes.length + i))
      throw new TensileError(
        'exportOnnx',
        `layer '${layer.name}' (LayerNormalization) normalizes axes [${axes.join(', ')}] of a rank-${r} input; ONNX's LayerNormalization takes trailing axes only`,
      );
    if (g.opset < 17)
      throw new TensileError(
        'exportOnnx',
        `layer '${layer.name}' (LayerNormalization) needs opset 17 (ONNX's LayerNormalization op), got ${g.opset}`,
      );
    const dims = known(layer, x.shape, axes, 'size of the normalized axes');
    const size = dims.reduce((a, b) => a * b, 1);
    const gamma = weight(layer, 'gamma'),
      beta = weight(layer, 'beta');
    const scale = g.weight(`${layer.name}/gamma`, dims, gamma ? host(gamma) : new Float32Array(size).fill(1));
    const shift = g.weight(`${layer.name}/beta`, dims, beta ? host(beta) : new Float32Array(size));
    const y = g.op(
      'LayerNormalization',
      [x.name, scale, shift],
      { axis: attr.int(axes[0]), epsilon: attr.float(layer.epsilon) },
      layer.name,
    );
    return [output(layer, x, y)];
  }),
  mapping(MultiHeadAttention, 'MatMul, Add, Reshape, Transpose, Softmax', ({ g }, layer, inputs) => {
    if (inputs.length < 2 || inputs.length > 3)
      throw new TensileError(
        'exportOnnx',
        `layer '${layer.name}' (MultiHeadAttention) takes [query, value] or [query, value, key], got ${inputs.length} inputs`,
      );
    const [query, value, key = value] = inputs;
    const w = (n: string) => weight(layer, n);
    const base = layer.name;
    const q = g.op(
      'Mul',
      [
        project(g, query.name, w('query/kernel')!, w('query/bias'), `${base}/query`),
        g.scalar(`${base}/scale`, 1 / Math.sqrt(layer.keyDim)),
      ],
      {},
      base,
    );
    const k = project(g, key.name, w('key/kernel')!, w('key/bias'), `${base}/key`);
    const v = project(g, value.name, w('value/kernel')!, w('value/bias'), `${base}/value`);
    const scores = g.op('MatMul', [q, g.transpose(k, [0, 1, 3, 2], base)], {}, base); // [B, H, T, S]
    const probs = g.op('Softmax', [scores], { axis: attr.int(-1) }, base);
    const o = g.transpose(g.op('MatMul', [probs, v], {}, base), [0, 2, 1, 3], base); // [B, T, H, V]
    const outKernel = w('attention_output/kernel')!,
      outBias = w('attention_output/bias');
    const [h, vd, out] = outKernel.shape;
    let y = g.op(
      'MatMul',
      [g.reshape(o, [0, 0, h * vd], base), g.weight(`${base}/attention_output/kernel`, [h * vd, out], host(outKernel))],
      {},
      base,
    );
    if (outBias) y = g.op('Add', [y, g.weight(`${base}/attention_output/bias`, [out], host(outBias))], {}, base);
    return [{ name: y, shape: layer.computeOutputShape(inputs.map((i) => i.shape)) }];
  }),
];
