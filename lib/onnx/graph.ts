import type { SymbolicShape } from '../layers/layer.js';

// An ONNX graph under construction: nodes in execution order, initializers (weights and constants)
// and the graph's inputs and outputs. Names are made unique here; the layer mappings (map-*.ts) only
// say what to compute. Every value a mapping passes on is in tensile's layout (channels-last), so any
// mapping can follow any other; a mapping that needs another layout (Conv, pooling: NCHW) transposes
// in and out, and optimizeTransposes() removes the pairs that cancel.

/** A tensor of the graph: its name and its shape in tensile's layout (null: known only at run time). */
export interface Value {
  readonly name: string;
  readonly shape: SymbolicShape;
}

export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'strings'; readonly value: readonly string[] };

/** Attribute constructors: `{ perm: attr.ints([0, 3, 1, 2]), alpha: attr.float(0.2) }`. */
export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ kind: 'floats', value }),
  strings: (value: readonly string[]): Attribute => ({ kind: 'strings', value }),
};

export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  inputs: string[];
  outputs: string[];
  readonly attributes: Record<string, Attribute>;
}

/**
 * A weight or constant. Float data may be a view of a layer's weight (written as is) or a function that
 * makes a rearranged copy (a transposed kernel): the writer calls it when it reaches the tensor, so at most
 * one rearranged weight is in memory at a time.
 */
export interface Initializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | (() => Float32Array) | BigInt64Array;
}

/** A graph input or output: a float32 tensor with fixed or named dimensions. */
export interface GraphIO {
  readonly name: string;
  readonly dims: readonly (number | string)[];
}

/** `base`, else `base_1`, `base_2`..., whichever `taken` lacks; added to `taken`. */
function unique(taken: Set<string>, base: string): string {
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

export class OnnxGraph {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: Initializer[] = [];
  readonly inputs: GraphIO[] = [];
  readonly outputs: GraphIO[] = [];
  private readonly used = new Set<string>();
  private readonly nodeNames = new Set<string>();

  constructor(readonly opset: number) {}

  /** A name not used yet in the graph: `base`, else `base_1`, `base_2`... */
  fresh(base: string): string {
    return unique(this.used, base);
  }

  /** Append a node; returns its output names (`outputs` of them, named `base/OpType`; null skips an optional output). */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, Attribute> = {},
    base = opType,
    outputs: number | readonly (string | null)[] = 1,
  ): string[] {
    const stem = `${base}/${opType}`;
    const names =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, i) => this.fresh(outputs === 1 ? stem : `${stem}:${i}`))
        : outputs.map((o, i) => (o === null ? '' : this.fresh(o || `${stem}:${i}`)));
    this.nodes.push({ opType, name: unique(this.nodeNames, stem), inputs: [...inputs], outputs: names, attributes });
    return names;
  }

  /** A node with one output. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, base = opType): string {
    return this.node(opType, inputs, attributes, base)[0];
  }

  /** A float32 initializer. */
  weight(base: string, dims: readonly number[], data: Float32Array | (() => Float32Array)): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [...dims], data });
    return name;
  }

  /** A float32 scalar constant. */
  scalar(base: string, value: number): string {
    return this.weight(base, [], Float32Array.of(value));
  }

  /** A 1-D int64 constant (shapes, axes, pads). */
  int64s(base: string, values: readonly (number | bigint)[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values, (v) => BigInt(v)) });
    return name;
  }

  transpose(x: string, perm: readonly number[], base = 'transpose'): string {
    return this.op('Transpose', [x], { perm: attr.ints(perm) }, base);
  }

  /** Squeeze (opset 13+: axes as an input). */
  squeeze(x: string, axes: readonly number[], base = 'squeeze'): string {
    return this.op('Squeeze', [x, this.int64s(`${base}_axes`, axes)], {}, base);
  }

  /** Reshape to `shape` (0 copies the input's dimension, -1 is inferred). */
  reshape(x: string, shape: readonly number[], base = 'reshape'): string {
    return this.op('Reshape', [x, this.int64s(`${base}_shape`, shape)], {}, base);
  }

  /** Reserve an externally chosen name (inputs and outputs of the graph). */
  claim(name: string): string {
    if (this.used.has(name)) throw new Error(`onnx graph: the name '${name}' is taken`);
    this.used.add(name);
    return name;
  }

  /** Make `value` the graph output `to`, a name claimed beforehand (renaming the producing node's output, or an Identity). */
  output(value: Value, to: string, dims: readonly (number | string)[]): void {
    const producer = this.nodes.find((n) => n.outputs.includes(value.name));
    const taken = this.outputs.some((o) => o.name === value.name);
    if (producer && !taken) {
      const target = to;
      for (const n of this.nodes) {
        n.inputs = n.inputs.map((i) => (i === value.name ? target : i));
        n.outputs = n.outputs.map((o) => (o === value.name ? target : o));
      }
    } else
      this.nodes.push({
        opType: 'Identity',
        name: unique(this.nodeNames, `${to}/Identity`),
        inputs: [value.name],
        outputs: [to],
        attributes: {},
      });
    this.outputs.push({ name: to, dims });
  }

  /** Nodes reading `name`. */
  consumers(name: string): OnnxNode[] {
    return this.nodes.filter((n) => n.inputs.includes(name));
  }
}
