// The W6 model for the onnxruntime contender: a Dense stack (Gemm + Relu/Softmax) written with tensile's ONNX
// graph builder and writer (lib/onnx), without building a tensile model, so the contender's process loads no addon.
import { OnnxGraph, attr } from '../../lib/onnx/graph.js';
import { encodeModel } from '../../lib/onnx/writer.js';

export interface DenseLayer {
  /** [inputs, units], row-major, as x·W. */
  weight: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
  activation: 'relu' | 'softmax' | 'linear';
}

/**
 * An ONNX model (IR 8, opset 13) of a Dense stack: input 'x' [N, inputs] → output 'y' [N, units of the last].
 * Each layer is Gemm(x, W, b) (alpha = beta = 1, no transposes) then Relu or Softmax (axis -1).
 */
export function denseStackToOnnx(layers: readonly DenseLayer[]): Uint8Array {
  const g = new OnnxGraph(13);
  g.inputs.push({ name: g.claim('x'), dims: ['N', layers[0].inputs] });
  g.claim('y');
  let h = 'x';
  layers.forEach((l, i) => {
    h = g.op(
      'Gemm',
      [h, g.weight(`W${i}`, [l.inputs, l.units], l.weight), g.weight(`b${i}`, [l.units], l.bias)],
      {},
      `dense${i}`,
    );
    if (l.activation === 'relu') h = g.op('Relu', [h], {}, `dense${i}`);
    if (l.activation === 'softmax') h = g.op('Softmax', [h], { axis: attr.int(-1) }, `dense${i}`);
  });
  g.output({ name: h, shape: [null, layers[layers.length - 1].units] }, 'y', ['N', layers[layers.length - 1].units]);
  return encodeModel(g, { graphName: 'dense_stack', producerVersion: 'bench' });
}
