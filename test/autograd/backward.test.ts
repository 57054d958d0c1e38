import { describe, expect, it } from 'vitest';
import {
  TensileError,
  add,
  exp,
  gather,
  log,
  logSoftmax,
  matmul,
  mean,
  mul,
  noGrad,
  sigmoid,
  square,
  sub,
  sum,
  tanh,
  tensor,
} from '../../lib/index.js';
import { isGradEnabled } from '../../lib/autograd/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { availableBackends, expectTensileError, expectTensor, seeded, useBackend } from '../helpers/ops.js';

const leaf = (v: number[] | number) => tensor(v, undefined, { requiresGrad: true });

describe.each(availableBackends())('backward on %s', (backend) => {
  useBackend(backend);

  describe('composite chains match central differences in every input', () => {
    it('a dense layer: sigmoid(x·w + b), averaged', () => {
      gradcheck(
        (x, w, b) => mean(sigmoid(add(matmul(x, w), b))),
        [seeded([4, 3], 1), seeded([3, 2], 2), seeded([2], 3)],
      );
    });
    it('a mix of unary and broadcasting binary ops', () => {
      gradcheck(
        (a, b, c) => sub(tanh(mul(exp(a), b)), log(add(square(c), 1))),
        [seeded([2, 3], 4), seeded([3], 5), seeded([2, 1], 6)],
      );
    });
    it('a diamond: one intermediate feeding two paths', () => {
      gradcheck(
        (x) => {
          const y = exp(x);
          return add(mul(y, y), y);
        },
        [seeded([4], 7)],
      );
    });
    it('softmax cross-entropy of logits from a matmul', () => {
      gradcheck(
        (x, w) =>
          gather(logSoftmax(matmul(x, w)).reshape([-1]), [0, 4, 5])
            .neg()
            .sum(),
        [seeded([3, 2], 8), seeded([2, 2], 9)],
      );
    });
  });

  describe('accumulation', () => {
    it('a tensor used twice gets the sum of both gradients', () => {
      const x = leaf([1, 2, 3]);
      add(mul(x, x), mul(x, 3)).sum().backward();
      expectTensor(x.grad!, [5, 7, 9]); // 2x + 3
    });
    it('an input passed twice to one op gets both', () => {
      const x = leaf([1, -2]);
      add(x, x).sum().backward();
      expectTensor(x.grad!, [2, 2]);
    });
    it('backward on fresh graphs accumulates into .grad until it is reset', () => {
      const x = leaf([1, 2]);
      mul(x, 2).sum().backward();
      mul(x, 3).sum().backward();
      expectTensor(x.grad!, [5, 5]);
      x.grad = null;
      mul(x, 4).sum().backward();
      expectTensor(x.grad!, [4, 4]);
    });
    it('only leaves that require grad receive one, and gradients record no graph', () => {
      const x = leaf([1, 2]);
      const w = tensor([3, 4]);
      const h = mul(x, w);
      h.sum().backward();
      expectTensor(x.grad!, [3, 4]);
      expect(w.grad).toBeNull();
      expect(h.grad).toBeNull();
      expect(x.grad!.requiresGrad).toBe(false);
      expect(x.grad!.node).toBeNull();
    });
    it('an explicit output gradient weights a non-scalar output', () => {
      const x = leaf([1, 2, 3]);
      square(x).backward(tensor([1, 0, -1]));
      expectTensor(x.grad!, [2, 0, -6]);
    });
    it('backward of a scalar leaf itself gives 1', () => {
      const x = leaf(3);
      x.backward();
      expectTensor(x.grad!, 1);
    });
  });

  describe('noGrad and detach', () => {
    it('noGrad records nothing and returns what fn returns', () => {
      const x = leaf([1, 2]);
      const y = noGrad(() => mul(x, 2));
      expect(y.requiresGrad).toBe(false);
      expect(y.node).toBeNull();
      expectTensor(y, [2, 4]);
      expectTensileError(() => y.sum().backward(), 'backward', 'does not require grad');
      expect(x.grad).toBeNull();
    });
    it('noGrad restores recording afterwards, also after a throw and when nested', () => {
      expect(() =>
        noGrad(() => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(isGradEnabled()).toBe(true);
      noGrad(() => {
        noGrad(() => undefined);
        expect(isGradEnabled()).toBe(false);
      });
      expect(isGradEnabled()).toBe(true);
      expect(mul(leaf([1]), 2).requiresGrad).toBe(true);
    });
    it('detach cuts the graph and keeps the values', () => {
      const x = leaf([1, 2]);
      const y = mul(x, 2);
      const d = y.detach();
      expect(d.requiresGrad).toBe(false);
      expect(d.node).toBeNull();
      expectTensor(d, [2, 4]);
      mul(d, x).sum().backward(); // d is a constant: d/dx (d·x) = d, not 4x
      expectTensor(x.grad!, [2, 4]);
    });
  });

  describe('errors', () => {
    it('backward on a non-scalar without a gradient names the shape', () => {
      expectTensileError(() => mul(leaf([1, 2]), 2).backward(), 'backward', '[2]', '.sum()');
    });
    it('an output gradient of the wrong shape', () => {
      expectTensileError(() => mul(leaf([1, 2]), 2).backward(tensor([1, 2, 3])), 'backward', '[3]', '[2]');
    });
    it('backward on a tensor that does not require grad', () => {
      expectTensileError(() => sum(tensor([1, 2])).backward(), 'backward', 'does not require grad');
    });
    it('backward twice on the same graph says the graph was released', () => {
      const x = leaf([1, 2]);
      const z = mul(x, 2).sum();
      z.backward();
      expectTensileError(() => z.backward(), 'backward', 'already released');
      expectTensor(x.grad!, [2, 2]); // the failed call added nothing
    });
    it('so does a new output built on a released intermediate', () => {
      const x = leaf([1, 2]);
      const y = exp(x);
      y.sum().backward();
      const z = mul(y, 2).sum();
      expect(() => z.backward()).toThrow(TensileError);
    });
  });

  it('a 10,000-op chain backpropagates without overflowing the stack', () => {
    const x = leaf([0.5]);
    let y = x;
    for (let i = 0; i < 10_000; i++) y = i % 2 ? mul(y, 1.0001) : add(y, 0);
    y.sum().backward();
    // d/dx of x·c^5000 is c^5000, with c as float32 holds 1.0001.
    expectTensor(x.grad!, [Math.fround(1.0001) ** 5000], { rtol: 1e-3 });
  });
});
