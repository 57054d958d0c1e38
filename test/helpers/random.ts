/** A small seeded generator (mulberry32) for test inputs, independent of tensile's own RNG. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n values uniform in [-1, 1), seeded. */
export function randomArray(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() * 2 - 1;
  return out;
}

/** Values for weights of these shapes, seeded, in [-0.5, 0.5): so that no bias of a compared model is trivial. */
export function randomValues(shapes: number[][], seed: number): Float32Array[] {
  const r = rng(seed);
  return shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => r() - 0.5));
}
