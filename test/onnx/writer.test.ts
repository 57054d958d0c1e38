import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { buildOnnxGraph } from '../../lib/onnx/export.js';
import { OnnxGraph, attr } from '../../lib/onnx/graph.js';
import { permuted } from '../../lib/onnx/mapping.js';
import { proto } from '../../lib/onnx/schema.js';
import { optimizeTransposes } from '../../lib/onnx/transposes.js';
import { encodeModel, modelChunks, writeModel } from '../../lib/onnx/writer.js';
import { tempDir } from '../helpers/onnx.js';

const dir = tempDir();
const info = { graphName: 'g', producerVersion: '0.0.0' };
const dense = () =>
  tl.sequential({
    layers: [tl.layers.dense({ units: 5, inputShape: [3], activation: 'relu' }), tl.layers.dense({ units: 2 })],
  });

describe('ONNX writer', () => {
  it("writes a Dense model's weights from the layers' own arrays (no copy)", () => {
    const model = dense();
    const buffers = new Set(model.layers.flatMap((l) => l.weights.map((v) => v.value.data.buffer)));
    const { graph } = buildOnnxGraph(model, 17);
    const big = [...modelChunks(graph, info)].filter(
      (c) => c.bytes.length >= 8 && buffers.has(c.bytes.buffer as ArrayBuffer),
    );
    expect(big.length).toBe(4); // two kernels and two biases, each a view
    expect(big.every((c) => !c.copy)).toBe(true);
  });

  it('encodes what protobufjs decodes back: IR 8, the opset, nodes, initializers with their bytes; the file is the same bytes', async () => {
    const model = dense();
    const { graph } = buildOnnxGraph(model, 15);
    const bytes = encodeModel(graph, info);
    const decoded = proto.model.toObject(proto.model.decode(bytes), { longs: Number }) as {
      irVersion: number;
      opsetImport: { version: number }[];
      producerName: string;
      graph: {
        node: { opType: string }[];
        initializer: { name: string; dims: number[]; rawData: Uint8Array }[];
        input: { name: string }[];
        output: { name: string }[];
      };
    };
    expect(decoded.irVersion).toBe(8);
    expect(decoded.opsetImport[0].version).toBe(15);
    expect(decoded.producerName).toBe('tensile');
    expect(decoded.graph.node.map((n) => n.opType)).toEqual(['MatMul', 'Add', 'Relu', 'MatMul', 'Add']);
    expect(decoded.graph.input[0].name).toBe(`${model.layers[0].name}_input`);
    expect(decoded.graph.output[0].name).toBe(model.layers[1].name);
    const kernel = model.layers[0].weights[0];
    const stored = decoded.graph.initializer.find((t) => t.name === kernel.name)!;
    expect(stored.dims).toEqual([3, 5]);
    expect(Array.from(new Float32Array(stored.rawData.slice().buffer))).toEqual(Array.from(kernel.value.data));
    const file = join(dir, 'dense.onnx');
    expect(await writeModel(file, graph, info)).toBe(bytes.length);
    expect(Buffer.compare(readFileSync(file), Buffer.from(bytes))).toBe(0);
  });

  it('permutes a kernel HWIO → OIHW by index', () => {
    // [2, 1, 1, 3] (kh, kw, in, out) → [3, 1, 2, 1]: element (h, 0, 0, o) goes to (o, 0, h, 0).
    const src = Float32Array.from({ length: 6 }, (_, i) => i);
    expect(Array.from(permuted(src, [2, 1, 1, 3], [3, 2, 0, 1]))).toEqual([0, 3, 1, 4, 2, 5]);
    expect(permuted(new Float32Array(0), [0, 3], [1, 0]).length).toBe(0);
  });
});

describe('transpose optimizer', () => {
  const graph = () => {
    const g = new OnnxGraph(17);
    g.inputs.push({ name: g.claim('x'), dims: ['batch', 4, 4, 2] });
    return g;
  };
  it('moves a Transpose past element-wise ops and cancels it with its inverse', () => {
    const g = graph();
    const a = g.transpose('x', [0, 3, 1, 2]);
    const b = g.op('Relu', [a]);
    const c = g.transpose(b, [0, 2, 3, 1]);
    const y = g.op('Sigmoid', [c]);
    optimizeTransposes(g, new Set([y, 'x']));
    expect(g.nodes.map((n) => n.opType)).toEqual(['Relu', 'Sigmoid']);
    expect(g.nodes[0].inputs).toEqual(['x']);
    expect(g.nodes[1].outputs).toEqual([y]);
  });
  it('merges two Transposes into one, and keeps a value that is an output', () => {
    const g = graph();
    const a = g.transpose('x', [0, 3, 1, 2]);
    const b = g.transpose(a, [0, 1, 3, 2]);
    optimizeTransposes(g, new Set([b, 'x']));
    expect(g.nodes.length).toBe(1);
    expect(g.nodes[0].attributes.perm).toEqual(attr.ints([0, 3, 2, 1]));
    const h = graph();
    const p = h.transpose('x', [0, 3, 1, 2]);
    const q = h.transpose(p, [0, 2, 3, 1]);
    optimizeTransposes(h, new Set([p, q, 'x']));
    expect(h.nodes.length).toBe(2); // p is an output: both stay
  });
});
