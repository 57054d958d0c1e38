// A minimal ONNX writer: enough protobuf to express a Dense stack (Gemm + Relu/Softmax) with float
// initializers, so onnxruntime-node can run the W6 model without the Python onnx package.
// Field numbers from onnx/onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto).

/** Protobuf wire encoding: a message is a list of already-encoded fields. */
class Message {
  private parts: Uint8Array[] = [];
  private static varint(v: number): Uint8Array {
    const out: number[] = [];
    // Non-negative integers up to 2^53: 7 bits a byte, little end first.
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
    return Uint8Array.from(out);
  }
  private key(field: number, wire: 0 | 2): void {
    this.parts.push(Message.varint(field * 8 + wire));
  }
  int(field: number, v: number): this {
    this.key(field, 0);
    this.parts.push(Message.varint(v));
    return this;
  }
  bytes(field: number, b: Uint8Array): this {
    this.key(field, 2);
    this.parts.push(Message.varint(b.length), b);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  message(field: number, m: Message): this {
    return this.bytes(field, m.encode());
  }
  encode(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

const FLOAT = 1; // TensorProto.DataType.FLOAT

/** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian float32). */
function tensorProto(name: string, dims: readonly number[], data: Float32Array): Message {
  const m = new Message();
  for (const d of dims) m.int(1, d);
  m.int(2, FLOAT).string(8, name);
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength); // x86-64 and arm64 are little-endian
  return m.bytes(9, raw.slice());
}

/** ValueInfoProto { name = 1, type = 2 { tensor_type = 1 { elem_type = 1, shape = 2 { dim = 1 { dim_value = 1 | dim_param = 2 } } } } }. */
function valueInfo(name: string, dims: readonly (number | string)[]): Message {
  const shape = new Message();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new Message().int(1, d) : new Message().string(2, d));
  const tensorType = new Message().int(1, FLOAT).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensorType));
}

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4 (attributes left at their defaults). */
function node(op: string, name: string, inputs: string[], outputs: string[]): Message {
  const m = new Message();
  for (const i of inputs) m.string(1, i);
  for (const o of outputs) m.string(2, o);
  return m.string(3, name).string(4, op);
}

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
  const graph = new Message();
  let h = 'x';
  layers.forEach((l, i) => {
    const gemmOut = l.activation === 'linear' && i === layers.length - 1 ? 'y' : `dense${i}`;
    graph.message(1, node('Gemm', `gemm${i}`, [h, `W${i}`, `b${i}`], [gemmOut]));
    h = gemmOut;
    if (l.activation !== 'linear') {
      const out = i === layers.length - 1 ? 'y' : `act${i}`;
      graph.message(1, node(l.activation === 'relu' ? 'Relu' : 'Softmax', `${l.activation}${i}`, [h], [out]));
      h = out;
    }
  });
  graph.string(2, 'dense_stack'); // GraphProto.name
  layers.forEach((l, i) => {
    graph.message(5, tensorProto(`W${i}`, [l.inputs, l.units], l.weight)); // initializer
    graph.message(5, tensorProto(`b${i}`, [l.units], l.bias));
  });
  graph.message(11, valueInfo('x', ['N', layers[0].inputs])); // input
  graph.message(12, valueInfo('y', ['N', layers[layers.length - 1].units])); // output
  // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 { domain = 1, version = 2 }.
  return new Message()
    .int(1, 8)
    .string(2, 'tensile-bench')
    .message(7, graph)
    .message(8, new Message().string(1, '').int(2, 13))
    .encode();
}
