import { describe, expect, it } from 'vitest';
import { RNN_ACTIVATIONS } from '../../lib/backend/kinds.js';
import { add, concat, matmul, mul, reshape, sigmoid, slice, sub, tanh, tensor, type Tensor } from '../../lib/index.js';
import { recurrent, type RnnCellKind, scalar } from '../../lib/ops/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  expectBackendsAgree,
  expectGradsAgree,
  expectSameTensor,
  expectTensileError,
  seeded,
  useBackend,
} from '../helpers/ops.js';

const GATES: Record<RnnCellKind, number> = { lstm: 4, gru: 3, simpleRNN: 1 };
const cols = (t: Tensor, q: number, u: number) => slice(t, [0, q * u], [t.shape[0], u]);

/** The same cells unrolled with plain ops (Keras' equations), the oracle for the fused op. */
function unrolled(
  cell: RnnCellKind,
  x: Tensor,
  w: Tensor,
  r: Tensor,
  b: Tensor,
  mask?: number[][],
  backwards = false,
): Tensor[] {
  const [B, T, F] = x.shape;
  const u = r.shape[0];
  let h: Tensor = tensor(new Float32Array(B * u), [B, u]);
  let c: Tensor = h;
  const hs: Tensor[] = [];
  for (let s = 0; s < T; s++) {
    const t = backwards ? T - 1 - s : s;
    const xt = reshape(slice(x, [0, t, 0], [B, 1, F]), [B, F]);
    let hn: Tensor,
      cn: Tensor = c;
    if (cell === 'gru') {
      const xg = add(matmul(xt, w), reshape(slice(b, [0, 0], [1, 3 * u]), [3 * u]));
      const rg = add(matmul(h, r), reshape(slice(b, [1, 0], [1, 3 * u]), [3 * u]));
      const z = sigmoid(add(cols(xg, 0, u), cols(rg, 0, u)));
      const rr = sigmoid(add(cols(xg, 1, u), cols(rg, 1, u)));
      const cand = tanh(add(cols(xg, 2, u), mul(rr, cols(rg, 2, u))));
      hn = add(mul(z, h), mul(sub(scalar(1), z), cand));
    } else {
      const pre = add(add(matmul(xt, w), matmul(h, r)), b);
      if (cell === 'simpleRNN') hn = tanh(pre);
      else {
        const [i, f, g, o] = [
          sigmoid(cols(pre, 0, u)),
          sigmoid(cols(pre, 1, u)),
          tanh(cols(pre, 2, u)),
          sigmoid(cols(pre, 3, u)),
        ];
        cn = add(mul(f, c), mul(i, g));
        hn = mul(o, tanh(cn));
      }
    }
    if (mask) {
      const m = tensor(mask.map((row) => [row[t]]));
      const keep = sub(scalar(1), m);
      hn = add(mul(m, hn), mul(keep, h));
      cn = add(mul(m, cn), mul(keep, c));
    }
    h = hn;
    c = cn;
    hs.push(reshape(h, [B, 1, u]));
  }
  return [concat(hs, 1), h, c];
}

function weights(cell: RnnCellKind, F: number, u: number, seed: number): [Tensor, Tensor, Tensor] {
  const g = GATES[cell];
  return [
    seeded([F, g * u], seed, { lo: -0.6, hi: 0.6 }),
    seeded([u, g * u], seed + 1, { lo: -0.6, hi: 0.6 }),
    seeded(cell === 'gru' ? [2, g * u] : [g * u], seed + 2, { lo: -0.3, hi: 0.3 }),
  ];
}

const CELLS: RnnCellKind[] = ['lstm', 'gru', 'simpleRNN'];

describe.each(availableBackends())('recurrent on %s', (backend) => {
  useBackend(backend);

  it.each(CELLS)('%s equals the cell unrolled with ops, forwards and backwards in time', (cell) => {
    const x = seeded([3, 5, 4], 1);
    const [w, r, b] = weights(cell, 4, 3, 2);
    for (const goBackwards of [false, true]) {
      const [seq, last] = unrolled(cell, x, w, r, b, undefined, goBackwards);
      expectSameTensor(recurrent(x, w, r, b, { cell, returnSequences: true, goBackwards }), seq, {
        rtol: 1e-5,
        atol: 1e-6,
      });
      expectSameTensor(recurrent(x, w, r, b, { cell, goBackwards }), reshape(last, [3, 1, 3]), {
        rtol: 1e-5,
        atol: 1e-6,
      });
    }
  });

  it('lstm appends c_T when returnCellState', () => {
    const x = seeded([2, 4, 3], 5);
    const [w, r, b] = weights('lstm', 3, 2, 6);
    const [seq, , c] = unrolled('lstm', x, w, r, b);
    const out = recurrent(x, w, r, b, { cell: 'lstm', returnSequences: true, returnCellState: true });
    expect(out.shape).toEqual([2, 5, 2]);
    expectSameTensor(slice(out, [0, 0, 0], [2, 4, 2]), seq, { rtol: 1e-5, atol: 1e-6 });
    expectSameTensor(reshape(slice(out, [0, 4, 0], [2, 1, 2]), [2, 2]), c, { rtol: 1e-5, atol: 1e-6 });
  });

  it.each(CELLS)('%s carries state through masked steps as Keras does', (cell) => {
    const x = seeded([3, 5, 2], 7);
    const [w, r, b] = weights(cell, 2, 3, 8);
    const m = [
      [1, 1, 1, 0, 0],
      [1, 0, 1, 1, 0],
      [0, 0, 0, 0, 0],
    ];
    const [seq] = unrolled(cell, x, w, r, b, m);
    expectSameTensor(recurrent(x, w, r, b, { cell, returnSequences: true, mask: tensor(m) }), seq, {
      rtol: 1e-5,
      atol: 1e-6,
    });
  });

  it.each(CELLS.flatMap((cell) => [false, true].map((seq) => [cell, seq] as const)))(
    '%s (returnSequences %s) has the gradient of central differences through time for x, kernel, recurrentKernel and bias',
    (cell, returnSequences) => {
      const x = seeded([2, 4, 3], 11);
      const [w, r, b] = weights(cell, 3, 2, 12);
      const mask = tensor([
        [1, 1, 0, 1],
        [1, 1, 1, 1],
      ]);
      gradcheck((xi, wi, ri, bi) => recurrent(xi, wi, ri, bi, { cell, returnSequences, mask }), [x, w, r, b], {
        eps: 5e-3,
      });
      gradcheck((xi, wi, ri) => recurrent(xi, wi, ri, null, { cell, returnSequences, goBackwards: true }), [x, w, r], {
        eps: 5e-3,
      });
    },
  );

  it('lstm has the gradient of central differences through c_T', () => {
    const [w, r, b] = weights('lstm', 3, 2, 21);
    gradcheck(
      (xi, wi, ri, bi) => recurrent(xi, wi, ri, bi, { cell: 'lstm', returnCellState: true }),
      [seeded([2, 3, 3], 20), w, r, b],
      { eps: 5e-3 },
    );
  });

  it('applies a recurrent mask (recurrent dropout) to h before the recurrent product, in the gradient too', () => {
    const [w, r, b] = weights('lstm', 3, 2, 31);
    const recurrentMask = Float32Array.from([2, 0, 2, 2]);
    gradcheck(
      (xi, wi, ri, bi) => recurrent(xi, wi, ri, bi, { cell: 'lstm', returnSequences: true, recurrentMask }),
      [seeded([2, 3, 3], 30), w, r, b],
      { eps: 5e-3 },
    );
  });

  it('keeps 1,000 steps finite, gradients included', () => {
    const x = seeded([2, 1000, 3], 40);
    for (const cell of CELLS) {
      const ws = weights(cell, 3, 4, 41).map((t) => tensor(t.dataSync(), t.shape, { requiresGrad: true }));
      const xi = tensor(x.dataSync(), x.shape, { requiresGrad: true });
      const y = recurrent(xi, ws[0], ws[1], ws[2], { cell, returnSequences: true });
      y.square().sum().backward();
      for (const t of [xi, ...ws])
        expect(t.grad!.dataSync().every(Number.isFinite), `${cell} gradient finite`).toBe(true);
    }
  });

  it('handles a batch of one and a single step', () => {
    const [w, r, b] = weights('gru', 2, 3, 50);
    const x = seeded([1, 1, 2], 51);
    expectSameTensor(recurrent(x, w, r, b, { cell: 'gru' }), reshape(unrolled('gru', x, w, r, b)[1], [1, 1, 3]), {
      rtol: 1e-5,
      atol: 1e-6,
    });
  });

  it('rejects bad shapes naming them', () => {
    const [w, r, b] = weights('lstm', 3, 2, 60);
    expectTensileError(
      () => recurrent(seeded([2, 3], 1), w, r, b, { cell: 'lstm' }),
      'lstm',
      '[batch, timesteps, features]',
      '[2, 3]',
    );
    expectTensileError(() => recurrent(seeded([2, 3, 4], 1), w, r, b, { cell: 'lstm' }), 'lstm', 'kernel [3, 8]');
    expectTensileError(
      () => recurrent(seeded([2, 3, 3], 1), w, r, seeded([4], 2), { cell: 'lstm' }),
      'lstm',
      'bias [8]',
      '[4]',
    );
    expectTensileError(
      () => recurrent(seeded([2, 3, 3], 1), w, r, b, { cell: 'lstm', mask: tensor([[1, 0]]) }),
      'lstm',
      'mask',
      '[2, 3]',
    );
  });
});

describe.skipIf(!nativeLoaded)('recurrent native vs reference', () => {
  const CASES = CELLS.flatMap((cell) => RNN_ACTIVATIONS.map((act) => [cell, act] as const));
  it.each(CASES)('%s with activation %s (and as recurrentActivation)', (cell, act) => {
    const x = seeded([5, 6, 7], 1, { lo: -2, hi: 2 });
    // Weights small enough that linear and relu cells stay bounded over 6 steps.
    const [w, r, b] = weights(cell, 7, 9, 2).map((t) =>
      tensor(
        t.dataSync().map((v) => v * 0.4),
        t.shape,
      ),
    );
    const mask = tensor([
      [1, 1, 1, 1, 1, 1],
      [1, 0, 1, 1, 0, 1],
      [0, 0, 0, 0, 0, 0],
      [1, 1, 1, 0, 0, 0],
      [1, 1, 1, 1, 1, 0],
    ]);
    for (const opts of [
      { cell, activation: act, returnSequences: true, mask },
      { cell, recurrentActivation: act, goBackwards: true },
      { cell, activation: act, recurrentActivation: act, returnCellState: cell === 'lstm' },
    ]) {
      expectBackendsAgree((xi, wi, ri, bi) => recurrent(xi, wi, ri, bi, opts), [x, w, r, b], {
        rtol: 1e-4,
        atol: 1e-5,
      });
      expectGradsAgree((xi, wi, ri, bi) => recurrent(xi, wi, ri, bi, opts), [x, w, r, b], { rtol: 1e-3, atol: 1e-4 });
    }
  });
  it('agrees at the W5 size (batch 64, 32 steps, 128 units)', () => {
    const x = seeded([64, 32, 32], 3);
    const [w, r, b] = weights('lstm', 32, 128, 4).map((t) =>
      tensor(
        t.dataSync().map((v) => v * 0.3),
        t.shape,
      ),
    );
    expectBackendsAgree((xi, wi, ri, bi) => recurrent(xi, wi, ri, bi, { cell: 'lstm' }), [x, w, r, b], {
      rtol: 1e-4,
      atol: 1e-5,
    });
    expectGradsAgree((xi, wi, ri, bi) => recurrent(xi, wi, ri, bi, { cell: 'lstm' }), [x, w, r, b], {
      rtol: 1e-3,
      atol: 1e-4,
    });
  });
});
