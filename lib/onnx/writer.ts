import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { TensileError } from '../errors.js';
import type { Attribute, GraphIO, Initializer, OnnxGraph } from './graph.js';
import { ATTRIBUTE_TYPE, DATA_TYPE, FIELD, proto, protobuf } from './schema.js';

// The ONNX file: protobufjs encodes every message but the weights' bytes; those are framed here (a field
// key and a length, written with protobufjs' Writer) and go to the file straight from the layers' own
// Float32Arrays, so an export holds no second copy of the model. Protobuf fields may come in any order:
// a GraphProto's initializers after its nodes and inputs parse the same as before them.

const IR_VERSION = 8; // ONNX 1.10–1.12; opsets up to 17
const PROTOBUF_LIMIT = 2 ** 31 - 1; // one protobuf message: 2 GB

export interface ModelInfo {
  readonly graphName: string;
  readonly producerVersion: string;
  readonly docString?: string;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function attributeProto(name: string, a: Attribute): Record<string, unknown> {
  const type = ATTRIBUTE_TYPE[a.kind];
  switch (a.kind) {
    case 'int':
      return { name, type, i: a.value };
    case 'float':
      return { name, type, f: a.value };
    case 'string':
      return { name, type, s: utf8(a.value) };
    case 'ints':
      return { name, type, ints: a.value };
    case 'floats':
      return { name, type, floats: a.value };
    case 'strings':
      return { name, type, strings: a.value.map(utf8) };
  }
}

function valueInfo(io: GraphIO): Record<string, unknown> {
  const dim = io.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name: io.name, type: { tensorType: { elemType: DATA_TYPE.float, shape: { dim } } } };
}

/** A field key (number, wire type 2: length-delimited) and a length. */
function frame(field: number, length: number): Uint8Array {
  return protobuf.Writer.create()
    .uint32((field << 3) | 2)
    .uint32(length)
    .finish();
}

const elementCount = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
const bytesOf = (t: Initializer) => elementCount(t.dims) * (t.data instanceof BigInt64Array ? 8 : 4);
const view = (a: Float32Array | BigInt64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The file as a sequence of byte chunks; weights are views of their arrays (made when reached, for rearranged ones). */
export function* modelChunks(g: OnnxGraph, info: ModelInfo): Generator<{ bytes: Uint8Array; copy: boolean }> {
  if (endianness() !== 'LE')
    throw new TensileError('exportOnnx', 'ONNX raw tensor data is little-endian; this machine is big-endian');
  const model = proto.model
    .encode({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: g.opset }],
      producerName: 'tensile',
      producerVersion: info.producerVersion,
      ...(info.docString ? { docString: info.docString } : {}),
    })
    .finish();
  const graph = proto.graph
    .encode({
      node: g.nodes.map((n) => ({
        input: n.inputs,
        output: n.outputs,
        name: n.name,
        opType: n.opType,
        attribute: Object.entries(n.attributes).map(([k, a]) => attributeProto(k, a)),
      })),
      name: info.graphName,
      input: g.inputs.map(valueInfo),
      output: g.outputs.map(valueInfo),
    })
    .finish();
  const tensors = g.initializers.map((t) => {
    const head = proto.tensor
      .encode({
        dims: t.dims,
        dataType: t.data instanceof BigInt64Array ? DATA_TYPE.int64 : DATA_TYPE.float,
        name: t.name,
      })
      .finish();
    const rawBytes = bytesOf(t);
    const rawFrame = frame(FIELD.tensorRawData, rawBytes);
    const length = head.length + rawFrame.length + rawBytes;
    return { t, head, rawFrame, rawBytes, outer: frame(FIELD.graphInitializer, length), length };
  });
  const graphLength = graph.length + tensors.reduce((n, x) => n + x.outer.length + x.length, 0);
  if (model.length + graphLength + 8 > PROTOBUF_LIMIT)
    throw new TensileError(
      'exportOnnx',
      `the model is ${graphLength} bytes; one ONNX protobuf file holds at most 2 GB`,
    );
  yield { bytes: model, copy: false };
  yield { bytes: frame(FIELD.modelGraph, graphLength), copy: false };
  yield { bytes: graph, copy: false };
  for (const x of tensors) {
    yield { bytes: x.outer, copy: false };
    yield { bytes: x.head, copy: false };
    yield { bytes: x.rawFrame, copy: false };
    const lazy = typeof x.t.data === 'function';
    const data = typeof x.t.data === 'function' ? x.t.data() : x.t.data;
    if (data.byteLength !== x.rawBytes)
      throw new Error(
        `onnx writer: ${x.t.name} has ${data.byteLength} bytes, its dims [${x.t.dims.join(', ')}] say ${x.rawBytes}`,
      );
    yield { bytes: view(data), copy: lazy };
  }
}

/** Write the graph to `path`; returns the file's size in bytes. */
export async function writeModel(path: string, g: OnnxGraph, info: ModelInfo): Promise<number> {
  const file = await open(path, 'w');
  let pending: Uint8Array[] = [];
  let pendingBytes = 0,
    total = 0;
  const flush = async () => {
    // writev may write less than asked: write what is left until done.
    const chunks = pending;
    while (chunks.length > 0) {
      const { bytesWritten } = await file.writev(chunks);
      total += bytesWritten;
      let skip = bytesWritten;
      while (chunks.length > 0 && skip >= chunks[0].length) skip -= chunks.shift()!.length;
      if (skip > 0) chunks[0] = chunks[0].subarray(skip);
    }
    pending = [];
    pendingBytes = 0;
  };
  try {
    for (const { bytes, copy } of modelChunks(g, info)) {
      pending.push(bytes);
      pendingBytes += bytes.length;
      // A rearranged copy is written at once and dropped; views of the model's weights may wait.
      if (copy || pendingBytes > 1 << 24 || pending.length >= 512) await flush();
    }
    await flush();
  } finally {
    await file.close();
  }
  return total;
}

/** The whole file in memory (for an in-process runtime). */
export function encodeModel(g: OnnxGraph, info: ModelInfo): Uint8Array {
  const chunks = [...modelChunks(g, info)].map((c) => c.bytes);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
