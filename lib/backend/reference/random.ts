// The draws of tensile's generator (xoshiro128**, lib/tensor/random.ts) that a step makes: the oracle of the
// native kernel (native/src/kernels/cpu/random.cc), which gives the same bits.

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/**
 * out[i] = value where a 53-bit uniform draw (two outputs, as uniform()) is below p, else 0, for each i in order;
 * state (the generator's 4 words) advanced in place, kept in locals meanwhile.
 */
export function bernoulli(state: Int32Array, out: Float32Array, p: number, value: number): void {
  let s0 = state[0],
    s1 = state[1],
    s2 = state[2],
    s3 = state[3];
  for (let i = 0; i < out.length; i++) {
    const hi = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const lo = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    out[i] = (hi * 2 ** 21 + (lo >>> 11)) / 2 ** 53 < p ? value : 0;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}
