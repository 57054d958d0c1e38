import type { Layer, SymbolicShape } from './layer.js';

let nextId = 0;

/**
 * A placeholder for a tensor in a model's graph: its shape (batch axis null) and where it comes from, output
 * `tensorIndex` of call `nodeIndex` of `sourceLayer` (Keras' keras_history). Made by tl.input() and by
 * layer.apply() on symbolic inputs; tl.model({ inputs, outputs }) runs the calls between them.
 */
export class SymbolicTensor {
  /** Unique in the process: execution maps it to the real tensor of a run. */
  readonly id = nextId++;
  /** The data type; always 'float32'. */
  readonly dtype = 'float32';
  constructor(
    /** The shape, with null for the batch axis and other unknown sizes. */
    readonly shape: SymbolicShape,
    /** The layer whose call made this tensor. */
    readonly sourceLayer: Layer,
    /** Which call (node) of sourceLayer made it. */
    readonly nodeIndex: number,
    /** Which of that call's outputs it is. */
    readonly tensorIndex: number,
  ) {}
  get rank(): number {
    return this.shape.length;
  }
  /** The layer's name, with the call and output index when not the first: dense_1, lstm/1:2. */
  get name(): string {
    const { nodeIndex: n, tensorIndex: t } = this;
    return n === 0 && t === 0 ? this.sourceLayer.name : `${this.sourceLayer.name}/${n}:${t}`;
  }
  /** A readable summary: name and shape. */
  toString(): string {
    return `SymbolicTensor ${this.name} [${this.shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
  }
}

export const isSymbolic = (v: unknown): v is SymbolicTensor => v instanceof SymbolicTensor;

/** The symbolic tensors among keyword arguments (e.g. a mask), which a call depends on like its inputs. */
export function symbolicKwargs(kwargs: Readonly<Record<string, unknown>>): SymbolicTensor[] {
  const found: SymbolicTensor[] = [];
  for (const v of Object.values(kwargs)) {
    if (isSymbolic(v)) found.push(v);
    else if (Array.isArray(v)) for (const e of v) if (isSymbolic(e)) found.push(e);
  }
  return found;
}
