import { TensileError } from '../errors.js';
import { bernoulli } from '../backend/reference/random.js';

/**
 * The one random source of tensile (creation, initializers, dropout, shuffling): xoshiro128**,
 * seeded through splitmix32. Unseeded it starts from Math.random; `setSeed` makes every draw reproducible.
 */
export class Xoshiro128 {
  private s = new Uint32Array(4);
  constructor(seed: number) {
    this.seed(seed);
  }
  seed(seed: number): void {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }
  get state(): Uint32Array {
    return this.s.slice();
  }
  set state(s: Uint32Array) {
    this.s.set(s);
  }
  /** @internal The state's 4 words as the bernoulli kernel takes them (the same memory). */
  readonly words = new Int32Array(this.s.buffer);
  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
}
const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

const generator = new Xoshiro128((Math.random() * 2 ** 32) >>> 0);
let spareNormal: number | null = null;

/**
 * Make every random draw reproducible from now on.
 * @example
 * tl.setSeed(42); const a = tl.randn([2]); tl.setSeed(42); // tl.randn([2]) equals a
 */
export function setSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new TensileError('setSeed', `seed must be a finite number, got ${seed}`);
  generator.seed(Math.trunc(seed));
  spareNormal = null;
}

/** Uniform in [0, 1), 53 bits. */
export function uniform(): number {
  return (generator.nextU32() * 2 ** 21 + (generator.nextU32() >>> 11)) / 2 ** 53;
}

/** out[i] = value with probability p (a uniform() draw below p), else 0: the draws of a loop of uniform(), faster. */
export function bernoulliFill(out: Float32Array, p: number, value: number): void {
  bernoulli(generator.words, out, p, value);
}

/** @internal The generator's state, for kernels that draw from it in a step (Backend.bernoulli). */
export function generatorState(): Int32Array {
  return generator.words;
}

/** Standard normal (Box–Muller, both values used). */
export function normal(): number {
  if (spareNormal !== null) {
    const v = spareNormal;
    spareNormal = null;
    return v;
  }
  let u = 0;
  while (u === 0) u = uniform();
  const r = Math.sqrt(-2 * Math.log(u));
  const theta = 2 * Math.PI * uniform();
  spareNormal = r * Math.sin(theta);
  return r * Math.cos(theta);
}

/** A uniform integer in [0, n). */
export function randomInt(n: number): number {
  return Math.floor(uniform() * n);
}

/** An in-place Fisher–Yates shuffle of an index array. */
export function shuffleInPlace(a: Int32Array | number[]): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/**
 * Run fn drawing from a generator seeded with `seed` (as tfjs' per-call seed), leaving the global stream where
 * it was; with no seed (undefined or null, as tfjs programs pass), fn draws from the global stream.
 */
export function withSeed<T>(op: string, seed: number | null | undefined, fn: () => T): T {
  if (seed === undefined || seed === null) return fn();
  if (!Number.isFinite(seed)) throw new TensileError(op, `seed must be a finite number, got ${seed}`);
  const saved = generator.state;
  const spare = spareNormal;
  generator.seed(Math.trunc(seed));
  spareNormal = null;
  try {
    return fn();
  } finally {
    generator.state = saved;
    spareNormal = spare;
  }
}
