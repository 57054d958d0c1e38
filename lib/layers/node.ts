import type { Layer } from './layer.js';
import { type SymbolicTensor, symbolicKwargs } from './symbolic-tensor.js';

/**
 * One call of a layer in a graph: the symbolic tensors it took, its keyword arguments and the outputs it made.
 * A layer applied twice has two nodes and one set of weights (a shared layer); `layer.inboundNodes[i]` is call i.
 */
export class Node {
  constructor(
    readonly layer: Layer,
    /** The inputs, in call order. */
    readonly inputs: readonly SymbolicTensor[],
    /** True when apply got a list (merge layers take one), false when one tensor. */
    readonly inputIsList: boolean,
    /** Keyword arguments beside the inputs; symbolic tensors among them are substituted at run time. */
    readonly kwargs: Readonly<Record<string, unknown>>,
    readonly outputs: readonly SymbolicTensor[],
    /** True when call returned a list. */
    readonly outputIsList: boolean,
  ) {}

  /** The nodes whose outputs this one takes: its inputs' and its symbolic kwargs'. */
  get dependencies(): SymbolicTensor[] {
    return [...this.inputs, ...symbolicKwargs(this.kwargs)];
  }
}

/** The node that made t. */
export const producer = (t: SymbolicTensor): Node => t.sourceLayer.inboundNodes[t.nodeIndex];
