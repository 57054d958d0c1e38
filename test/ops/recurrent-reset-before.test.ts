// GRU's reset-before form (resetAfter: false): its four step kernels (Backend.gruResetGates, gruResetCell,
// gruResetCellBackward, gruResetGatesBackward) by hand, native against the reference over random shapes and values,
// in a native plan; and the op built on them: native against reference, central differences at the edge sizes.
// (The op against the cell unrolled with plain ops, and the layer: test/layers/recurrent.test.ts.)
import { describe, expect, it } from 'vitest';
import type { Backend, RnnActs } from '../../lib/backend/backend.js';
import { backend } from '../../lib/backend/index.js';
import { RNN_ACTIVATIONS, type RnnActivation } from '../../lib/backend/kinds.js';
import { nativeBackend } from '../../lib/backend/native/index.js';
import { referenceBackend as ref } from '../../lib/backend/reference/index.js';
import { type Tensor, tensor } from '../../lib/index.js';
import { recurrent } from '../../lib/ops/index.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  expectBackendsAgree,
  expectGradsAgree,
  flavored,
  seeded,
  useBackend,
} from '../helpers/ops.js';
import { rng } from '../helpers/random.js';

const f = (...xs: number[]) => Float32Array.from(xs);
const NONE = new Float32Array(0);
const bits = (a: Float32Array) => Array.from(new Int32Array(a.buffer, a.byteOffset, a.length));

describe.each(availableBackends())('GRU reset-before kernels by hand on %s', (name) => {
  useBackend(name);
  const k = (): Backend => backend();
  const d = { batch: 2, units: 1 };

  it('gruResetGates: z, r = recAct(gates + zr) in place, the candidate left alone; rh = r ⊙ hIn', () => {
    // hard sigmoid: 0.2·x + 0.5
    const gates = f(0.5, -1, 0.3, 2, 0, -0.3),
      rh = new Float32Array(2);
    k().gruResetGates(gates, f(0.25, 1, 0.5, 0.5), f(2, -4), rh, d, 'hardSigmoid');
    expectAllClose(gates, [0.65, 0.5, 0.3, 1, 0.6, -0.3]);
    expectAllClose(rh, [1, -2.4]);
  });

  it('gruResetCell: ĥ = act(gates_h + recH); h = z·hPrev + (1 − z)·ĥ, hPrev on a masked row', () => {
    const gates = f(0.6, 0.5, 0.3, 0.6, 0.5, 0.3),
      h = new Float32Array(2);
    k().gruResetCell(gates, f(0.2, -0.1), f(2, 3), f(1, 0), h, d, 'linear');
    expectAllClose(gates, [0.6, 0.5, 0.5, 0.6, 0.5, 0.2]);
    expectAllClose(h, [0.6 * 2 + 0.4 * 0.5, 3]);
  });

  it('gruResetCellBackward: dh_t = dh + dhOut + dhIn·recMask, then dz, dĥ and dh·z; a masked row passes dh_t on', () => {
    const gates = f(0.6, 0.5, 0.5, 0.6, 0.5, 0.5);
    const dh = f(0.25, 0.25),
      dGates = new Float32Array(6).fill(7),
      dZR = new Float32Array(4).fill(7),
      dC = new Float32Array(2).fill(7);
    const acts: RnnActs = { act: 'tanh', recAct: 'sigmoid' };
    k().gruResetCellBackward(gates, f(2, 2), f(1, 0), f(1, 1), f(0.5, 0.5), f(2, 2), dh, dGates, dZR, dC, d, acts);
    // dh_t = 0.25 + 1 + 0.5·2 = 2.25; dĥ = 2.25·(1 − 0.6)·(1 − 0.5²) = 0.675; dz = 2.25·(2 − 0.5)·0.6·0.4 = 0.81
    expectAllClose(dh, [2.25 * 0.6, 2.25]);
    expectAllClose(dC, [0.675, 0]);
    expectAllClose(dGates, [0.81, 7, 0.675, 0, 7, 0]); // the r blocks are gruResetGatesBackward's
    expectAllClose(dZR, [0.81, 7, 0, 7]);
    // no dhOut, dhIn or recMask
    const dh2 = f(1, 1);
    k().gruResetCellBackward(gates, f(2, 2), NONE, NONE, NONE, NONE, dh2, dGates, dZR, dC, d, acts);
    expectAllClose(dh2, [0.6, 0.6]);
    expectAllClose(dC, [0.3, 0.3]);
  });

  it('gruResetGatesBackward: dr = dRh·hIn·recAct′(r), dhIn = dRh·r, zeros on a masked row, other blocks left', () => {
    const dGates = new Float32Array(6).fill(7),
      dZR = new Float32Array(4).fill(7),
      dhIn = new Float32Array(2).fill(7);
    k().gruResetGatesBackward(
      f(0.6, 0.5, 0.5, 0.6, 0.5, 0.5),
      f(2, 2),
      f(1, 0),
      f(0.4, 0.4),
      dGates,
      dZR,
      dhIn,
      d,
      'sigmoid',
    );
    expectAllClose(dGates, [7, 0.2, 7, 7, 0, 7]);
    expectAllClose(dZR, [7, 0.2, 7, 0]);
    expectAllClose(dhIn, [0.2, 0]);
  });
});

/** Every kernel's arguments for one random case: inputs drawn, outputs prefilled (the kernels leave parts alone). */
function kernelCase(B: number, U: number, seed: number, special: boolean, maskKind: 'none' | 'some' | 'zeros') {
  const r = rng(seed);
  let s = seed * 100;
  const draw = (n: number) => (special ? flavored(n, s++, 'special', 10) : flavored(n, s++, 'normal'));
  const gates01 = (n: number) => Float32Array.from({ length: n }, () => r()); // activations: in [0, 1)
  const mask =
    maskKind === 'none'
      ? NONE
      : Float32Array.from({ length: B }, (_, b) =>
          maskKind === 'zeros' || (b === 0 && B > 1) ? 0 : r() < 0.7 ? 1 : 0,
        );
  const maybe = (n: number) => (r() < 0.3 ? NONE : draw(n));
  return {
    BU: B * U,
    pre: draw(3 * B * U),
    act: gates01(3 * B * U),
    zr: draw(2 * B * U),
    hIn: draw(B * U),
    recH: draw(B * U),
    hPrev: draw(B * U),
    mask,
    dhOut: maybe(B * U),
    dhIn: maybe(B * U),
    recMask: r() < 0.5 ? NONE : Float32Array.from({ length: B * U }, () => (r() < 0.3 ? 0 : 1.5)),
    dh: draw(B * U),
    dRh: draw(B * U),
    fill: (n: number) => draw(n),
  };
}

describe.skipIf(!nativeLoaded)('GRU reset-before kernels: native equals the reference', () => {
  const nat = () => nativeBackend(addon!);
  const SHAPES: [number, number][] = [
    [1, 1],
    [0, 3],
    [2, 0],
    [1, 7],
    [3, 1],
    [5, 4],
    [8, 33],
  ];
  const ACTS: RnnActivation[] = [...RNN_ACTIVATIONS];
  const tol = { rtol: 1e-5, atol: 1e-6 };

  /** Run one kernel on both backends on copies of the same arrays; compare every array afterwards. */
  function agree(run: (k: Backend, a: Float32Array[]) => void, arrays: Float32Array[], label: string) {
    const n = arrays.map((a) => a.slice()),
      r = arrays.map((a) => a.slice());
    run(nat(), n);
    run(ref, r);
    n.forEach((a, i) => {
      try {
        expectAllClose(a, r[i], tol);
      } catch (e) {
        throw new Error(`${label}, array ${i}: ${(e as Error).message}`);
      }
    });
  }

  it.each(SHAPES)('batch %i, units %i: every activation, masks with all-zero rows, NaN and ±Infinity', (B, U) => {
    let seed = B * 31 + U;
    for (const special of [false, true])
      for (const maskKind of ['none', 'some', 'zeros'] as const)
        for (const act of ACTS)
          for (const recAct of ACTS) {
            // relu's derivative times NaN: the C++ keeps 0 where JavaScript's 0·NaN is NaN (as for every cell).
            if (special && (act === 'relu' || recAct === 'relu')) continue;
            const c = kernelCase(B, U, seed++, special, maskKind);
            const d = { batch: B, units: U };
            const label = `${special ? 'special' : 'normal'} values, mask ${maskKind}, act ${act}, recAct ${recAct}`;
            agree(
              (k, [g, zr, hIn, rh]) => k.gruResetGates(g, zr, hIn, rh, d, recAct),
              [c.pre, c.zr, c.hIn, c.fill(c.BU)],
              `gruResetGates, ${label}`,
            );
            agree(
              (k, [g, recH, hp, m, h]) => k.gruResetCell(g, recH, hp, m, h, d, act),
              [c.pre, c.recH, c.hPrev, c.mask, c.fill(c.BU)],
              `gruResetCell, ${label}`,
            );
            agree(
              (k, [g, hp, m, dho, dhi, rm, dh, dg, dzr, dc]) =>
                k.gruResetCellBackward(g, hp, m, dho, dhi, rm, dh, dg, dzr, dc, d, { act, recAct }),
              [
                c.act,
                c.hPrev,
                c.mask,
                c.dhOut,
                c.dhIn,
                c.recMask,
                c.dh,
                c.fill(3 * c.BU),
                c.fill(2 * c.BU),
                c.fill(c.BU),
              ],
              `gruResetCellBackward, ${label}`,
            );
            agree(
              (k, [g, hIn, m, dRh, dg, dzr, dhi]) => k.gruResetGatesBackward(g, hIn, m, dRh, dg, dzr, dhi, d, recAct),
              [c.act, c.hIn, c.mask, c.dRh, c.fill(3 * c.BU), c.fill(2 * c.BU), c.fill(c.BU)],
              `gruResetGatesBackward, ${label}`,
            );
          }
  });

  it('a native plan keeps the four kernels: the bits of the calls made one by one', () => {
    const k = nativeBackend(addon!, { unary: 0, binary: 0, reduce: 0, softmax: 0 });
    const c = kernelCase(3, 5, 7, false, 'some');
    const d = { batch: 3, units: 5 };
    const arrays = () => ({
      g: c.pre.slice(),
      zr: c.zr.slice(),
      hIn: c.hIn.slice(),
      rh: new Float32Array(15),
      recH: c.recH.slice(),
      h: new Float32Array(15),
      dh: c.dh.slice(),
      dg: new Float32Array(45),
      dzr: new Float32Array(30),
      dc: new Float32Array(15),
      dhIn: new Float32Array(15),
    });
    const calls = (a: ReturnType<typeof arrays>) => [
      { method: 'gruResetGates', args: [a.g, a.zr, a.hIn, a.rh, d, 'sigmoid'] },
      { method: 'gruResetCell', args: [a.g, a.recH, c.hPrev, c.mask, a.h, d, 'tanh'] },
      {
        method: 'gruResetCellBackward',
        args: [
          a.g,
          c.hPrev,
          c.mask,
          c.dhOut,
          c.dhIn,
          c.recMask,
          a.dh,
          a.dg,
          a.dzr,
          a.dc,
          d,
          { act: 'tanh', recAct: 'sigmoid' },
        ],
      },
      { method: 'gruResetGatesBackward', args: [a.g, a.hIn, c.mask, c.dRh, a.dg, a.dzr, a.dhIn, d, 'sigmoid'] },
    ];
    const one = arrays(),
      planned = arrays();
    for (const call of calls(one))
      (k as unknown as Record<string, (...x: unknown[]) => void>)[call.method](...call.args);
    const cs = calls(planned);
    expect(cs.every((call) => k.plans!.accepts(call))).toBe(true);
    k.plans!.compile(cs).run();
    for (const key of Object.keys(one) as (keyof typeof one)[]) expect(bits(planned[key]), key).toEqual(bits(one[key]));
  });
});

const weights = (F: number, U: number, seed: number, scale = 0.8) => [
  seeded([F, 3 * U], seed, { lo: -scale, hi: scale }),
  seeded([U, 3 * U], seed + 1, { lo: -scale, hi: scale }),
  seeded([3 * U], seed + 2, { lo: -0.5, hi: 0.5 }),
];

describe.each(availableBackends())('the reset-before op at edge sizes on %s', (name) => {
  useBackend(name);

  it.each([
    [1, 1, 1],
    [1, 3, 1],
    [3, 1, 2],
    [2, 3, 2],
  ])(
    'batch %i, steps %i, units %i: central differences, with masks, an all-zero mask row, a recurrent mask',
    (B, T, U) => {
      const x = seeded([B, T, 2], B * 10 + T);
      const [w, u, b] = weights(2, U, 5);
      const mask = tensor(
        Array.from({ length: B }, (_, i) =>
          Array.from({ length: T }, (_, t) => (i === 1 || (t === 1 && i === 0) ? 0 : 1)),
        ),
      );
      const recurrentMask = Float32Array.from({ length: B * U }, (_, i) => (i % 3 === 1 ? 0 : 1.5));
      const o = { cell: 'gru', resetAfter: false } as const;
      for (const returnSequences of [false, true])
        gradcheck(
          (xi, wi, ui, bi) => recurrent(xi, wi, ui, bi, { ...o, returnSequences, mask, recurrentMask }),
          [x, w, u, b],
          { eps: 5e-3 },
        );
      gradcheck(
        (xi, wi, ui) => recurrent(xi, wi, ui, null, { ...o, goBackwards: true, activation: 'linear' }),
        [x, w, u],
        {
          eps: 5e-3,
        },
      );
    },
  );
});

describe.skipIf(!nativeLoaded)('the reset-before op: native equals the reference', () => {
  it.each(RNN_ACTIVATIONS.map((a) => [a]))('activation %s (and as recurrentActivation)', (act) => {
    const x = seeded([5, 6, 7], 1, { lo: -2, hi: 2 });
    const [w, u, b] = weights(7, 9, 2, 0.3);
    const mask = tensor([
      [1, 1, 1, 1, 1, 1],
      [1, 0, 1, 1, 0, 1],
      [0, 0, 0, 0, 0, 0],
      [1, 1, 1, 0, 0, 0],
      [1, 1, 1, 1, 1, 0],
    ]);
    const recurrentMask = Float32Array.from({ length: 45 }, (_, i) => (i % 4 === 0 ? 0 : 4 / 3));
    for (const opts of [
      { activation: act, returnSequences: true, mask },
      { recurrentActivation: act, goBackwards: true, recurrentMask },
      { activation: act, recurrentActivation: act, returnSequences: true, mask, recurrentMask },
    ]) {
      const fn = (...t: Tensor[]) => recurrent(t[0], t[1], t[2], t[3], { cell: 'gru', resetAfter: false, ...opts });
      expectBackendsAgree(fn, [x, w, u, b], { rtol: 1e-4, atol: 1e-5 });
      expectGradsAgree(fn, [x, w, u, b], { rtol: 1e-3, atol: 1e-4 });
    }
  });

  it('propagates NaN from the input to the same outputs and gradients', () => {
    const data = seeded([3, 4, 2], 3).dataSync().slice();
    data[1 * 8 + 2 * 2] = NaN; // sample 1, step 2
    const x = tensor(data, [3, 4, 2]);
    const [w, u, b] = weights(2, 3, 4);
    const fn = (...t: Tensor[]) =>
      recurrent(t[0], t[1], t[2], t[3], { cell: 'gru', resetAfter: false, returnSequences: true });
    expectBackendsAgree(fn, [x, w, u, b]);
    const out = fn(x, w, u, b).dataSync();
    expect(Number.isNaN(out[1 * 12 + 2 * 3]) && !Number.isNaN(out[0])).toBe(true);
    expectGradsAgree(fn, [x, w, u, b], { rtol: 1e-3, atol: 1e-4 });
  });
});
