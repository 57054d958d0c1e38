import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from '../layers/merge.js';
import type { Layer } from '../layers/layer.js';
import { type OnnxGraph, type Value, attr } from './graph.js';
import { type MappingEntry, mapping } from './mapping.js';

// Merge layers of functional models. Keras broadcasts a lower-rank input by size-1 axes after the batch axis;
// ONNX aligns ranks at the right, so such an input is Unsqueezed first.

const outputOf = (layer: Layer, xs: readonly Value[], name: string): Value => ({
  name,
  shape: layer.computeOutputShape(xs.map((x) => x.shape)),
});

function sameRank(g: OnnxGraph, layer: Layer, xs: readonly Value[]): string[] {
  const rank = Math.max(...xs.map((x) => x.shape.length));
  return xs.map((x) => {
    const missing = rank - x.shape.length;
    if (missing === 0) return x.name;
    return g.op(
      'Unsqueeze',
      [
        x.name,
        g.int64s(
          `${layer.name}/axes`,
          Array.from({ length: missing }, (_, i) => i + 1),
        ),
      ],
      {},
      layer.name,
    );
  });
}

/** An element-wise merge: one variadic op, or a chain of a binary one. */
function elementwise(
  cls: typeof Add | typeof Subtract | typeof Multiply | typeof Average | typeof Maximum | typeof Minimum,
  op: string,
  variadic: boolean,
): MappingEntry {
  return mapping<Layer>(cls, op, ({ g }, layer, inputs) => {
    const xs = sameRank(g, layer, inputs);
    const y = variadic
      ? g.op(op, xs, {}, layer.name)
      : xs.slice(1).reduce((a, b) => g.op(op, [a, b], {}, layer.name), xs[0]);
    return [outputOf(layer, inputs, y)];
  });
}

/** x / max(‖x‖, 1e-6) along an axis (Keras' l2_normalize). */
function l2Normalize(g: OnnxGraph, x: string, axis: number, base: string): string {
  const ss = g.op(
    'ReduceSum',
    [g.op('Mul', [x, x], {}, base), g.int64s(`${base}/axes`, [axis])],
    { keepdims: attr.int(1) },
    base,
  );
  return g.op(
    'Div',
    [x, g.op('Sqrt', [g.op('Max', [ss, g.scalar(`${base}/eps`, 1e-12)], {}, base)], {}, base)],
    {},
    base,
  );
}

export const MERGE: readonly MappingEntry[] = [
  elementwise(Add, 'Sum', true),
  elementwise(Subtract, 'Sub', false),
  elementwise(Multiply, 'Mul', false),
  elementwise(Average, 'Mean', true),
  elementwise(Maximum, 'Max', true),
  elementwise(Minimum, 'Min', true),
  mapping(Concatenate, 'Concat', ({ g }, layer, inputs) => {
    const rank = inputs[0].shape.length;
    return [
      outputOf(
        layer,
        inputs,
        g.op(
          'Concat',
          inputs.map((x) => x.name),
          { axis: attr.int(layer.axis < 0 ? layer.axis + rank : layer.axis) },
          layer.name,
        ),
      ),
    ];
  }),
  // Keras' batch_dot: rank 2 → ReduceSum of the product; rank 3 → MatMul with the summed axes moved into place.
  mapping(Dot, 'Mul + ReduceSum (rank 2), Transpose + MatMul (rank 3)', ({ g }, layer, inputs) => {
    const rank = inputs[0].shape.length;
    const [a1, a2] = layer.axes.map((a) => (a < 0 ? a + rank : a));
    let [x, y] = inputs.map((v) => v.name);
    if (layer.normalize) [x, y] = [l2Normalize(g, x, a1, layer.name), l2Normalize(g, y, a2, layer.name)];
    const out =
      rank === 2
        ? g.op(
            'ReduceSum',
            [g.op('Mul', [x, y], {}, layer.name), g.int64s(`${layer.name}/axes`, [1])],
            { keepdims: attr.int(1) },
            layer.name,
          )
        : g.op(
            'MatMul',
            [
              a1 === 2 ? x : g.transpose(x, [0, 2, 1], layer.name),
              a2 === 1 ? y : g.transpose(y, [0, 2, 1], layer.name),
            ],
            {},
            layer.name,
          );
    return [outputOf(layer, inputs, out)];
  }),
];
