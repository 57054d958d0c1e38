import { TensileError } from '../errors.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type GradNode, noGrad } from './graph.js';
import { backend } from '../backend/index.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * Compute gradients of this tensor with respect to every leaf that requires grad, accumulating into `.grad`.
     * A non-scalar needs the gradient of its output. The graph is released afterwards.
     * @example
     * const w = tl.randn([3], { requiresGrad: true }); w.square().sum().backward(); w.grad;
     */
    backward(grad?: Tensor): void;
    /** The same values, cut from the graph. */
    detach(): Tensor;
  }
}

const RELEASED: GradNode = {
  op: 'released',
  inputs: [],
  backward: () => {
    throw new TensileError(
      'backward',
      'the graph was already released by an earlier backward(); compute the output again',
    );
  },
};

/** Tensors reachable from root through recorded nodes, inputs before their consumers (iterative: no stack overflow). */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const inputs = top[0].node?.inputs ?? [];
    if (top[1] < inputs.length) {
      const next = inputs[top[1]++];
      if (next.requiresGrad && !visited.has(next)) {
        visited.add(next);
        stack.push([next, 0]);
      }
    } else {
      order.push(top[0]);
      stack.pop();
    }
  }
  return order;
}

function accumulate(prev: Tensor | undefined | null, g: Tensor): Tensor {
  if (!prev) return g;
  const out = new Float32Array(g.size);
  backend().binary('add', prev.raw, g.raw, out, { shape: [g.size], strides: [[1], [1]] });
  return new Tensor(out, g.shape);
}

Tensor.prototype.backward = function backward(this: Tensor, grad?: Tensor): void {
  if (!this.requiresGrad)
    throw new TensileError(
      'backward',
      'this tensor does not require grad: no input of its computation had requiresGrad',
    );
  if (grad === undefined) {
    if (this.size !== 1)
      throw new TensileError(
        'backward',
        `called on a tensor of shape ${fmt(this.shape)} without a gradient; pass one of that shape, or reduce to a scalar first (e.g. .sum())`,
      );
    grad = new Tensor(new Float32Array(1).fill(1), this.shape);
  } else if (!shapesEqual(grad.shape, this.shape)) {
    throw new TensileError('backward', `gradient has shape ${fmt(grad.shape)}, expected ${fmt(this.shape)}`);
  }
  const order = topoOrder(this);
  const grads = new Map<Tensor, Tensor>([[this, grad]]);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      if (!t.node) {
        t.grad = accumulate(t.grad, g);
        continue;
      }
      const inputGrads = t.node.backward(g);
      t.node.inputs.forEach((input, j) => {
        const gi = inputGrads[j];
        if (!gi || !input.requiresGrad) return;
        if (!shapesEqual(gi.shape, input.shape))
          throw new TensileError(
            t.node!.op,
            `internal: gradient of input ${j} has shape ${fmt(gi.shape)}, expected ${fmt(input.shape)}`,
          );
        grads.set(input, accumulate(grads.get(input), gi));
      });
    }
  });
  for (const t of order) if (t.node) t.node = RELEASED;
};

Tensor.prototype.detach = function detach(this: Tensor): Tensor {
  return new Tensor(this.raw, this.shape);
};

export {};
