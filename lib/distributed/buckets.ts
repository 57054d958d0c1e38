import { hostWritten } from '../tensor/storage.js';
import type { Collectable } from './world.js';

/**
 * Gradients fused into buckets of at most `bucketElements` floats, in the fixed order of the variables (PyTorch
 * DDP's buckets): fewer, larger messages, the same on every rank. Bucket 0 also carries one flag per variable
 * saying whether this rank has its gradient, so that a variable no rank reached keeps no gradient.
 */
export class GradientBuckets {
  private readonly lengths: number[] = [];
  private buffers?: Float32Array[];
  /** Per variable: its bucket and offset there. */
  private readonly place: { bucket: number; offset: number }[] = [];

  constructor(
    private readonly sizes: readonly number[],
    bucketElements: number,
  ) {
    let fill = sizes.length; // the flags come first
    const lengths = this.lengths;
    sizes.forEach((n) => {
      if (fill > 0 && fill + n > bucketElements) {
        lengths.push(fill);
        fill = 0;
      }
      this.place.push({ bucket: lengths.length, offset: fill });
      fill += n;
    });
    lengths.push(fill);
    this.lengths = lengths;
  }

  get bucketCount(): number {
    return this.lengths.length;
  }

  /**
   * Sums scale × gradient over the ranks: each bucket is packed and handed to `reduce` at once (the next one is
   * packed while it travels), then all are awaited. Returns the summed gradients as views of the buckets, valid
   * until the next call (fit clears every gradient before the next step); null where no rank had one.
   */
  async sum(
    grads: readonly (Float32Array | null)[],
    scale: number,
    reduce: (b: Collectable) => Promise<void>,
  ): Promise<(Float32Array | null)[]> {
    const buffers = (this.buffers ??= this.lengths.map((n) => new Float32Array(n)));
    const flags = buffers[0];
    grads.forEach((g, i) => (flags[i] = g ? 1 : 0));
    const sent: Promise<void>[] = [];
    let next = 0;
    for (let b = 0; b < buffers.length; b++) {
      const buf = buffers[b];
      for (; next < grads.length && this.place[next].bucket === b; next++) {
        const g = grads[next];
        const { offset } = this.place[next];
        if (!g) buf.fill(0, offset, offset + this.sizes[next]);
        else if (scale === 1) buf.set(g, offset);
        else for (let j = 0; j < g.length; j++) buf[offset + j] = g[j] * scale;
      }
      sent.push(reduce(buf));
    }
    await Promise.all(sent);
    // JavaScript and MPI rewrote the buckets: on the cuda backend their device copies are stale now.
    for (const buf of buffers) hostWritten(buf);
    return grads.map((_, i) => {
      if (flags[i] === 0) return null;
      const { bucket, offset } = this.place[i];
      return buffers[bucket].subarray(offset, offset + this.sizes[i]);
    });
  }
}
