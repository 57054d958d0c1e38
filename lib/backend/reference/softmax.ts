export function softmax(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    // Subtract the row max first: softmax is shift-invariant and exp() of a value ≤ 0 cannot overflow.
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, x[o + j]);
    if (max === -Infinity) max = 0; // a row of -Infinity: give NaN below, not -Infinity - -Infinity
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(x[o + j] - max);
    if (log) {
      const lse = Math.log(sum);
      for (let j = 0; j < cols; j++) out[o + j] = x[o + j] - max - lse;
    } else {
      for (let j = 0; j < cols; j++) out[o + j] = Math.exp(x[o + j] - max) / sum;
    }
  }
}

/** Softmax of the kept entries (mask ≠ 0); a row masked everywhere is uniform (Keras adds −1e9 to masked scores). */
export function maskedSoftmax(
  x: Float32Array,
  mask: Float32Array,
  out: Float32Array,
  rows: number,
  cols: number,
  heads: number,
  inner: number,
): void {
  if (!mask.length) return softmax(x, out, rows, cols, false);
  for (let r = 0; r < rows; r++) {
    const o = r * cols,
      mo = (Math.floor(r / (heads * inner)) * inner + (r % inner)) * cols;
    let max = -Infinity,
      any = false;
    for (let j = 0; j < cols; j++)
      if (mask[mo + j] !== 0) {
        any = true;
        max = Math.max(max, x[o + j]);
      }
    if (!any) {
      out.fill(1 / cols, o, o + cols);
      continue;
    }
    if (max === -Infinity) max = 0;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += mask[mo + j] !== 0 ? Math.exp(x[o + j] - max) : 0;
    for (let j = 0; j < cols; j++) out[o + j] = mask[mo + j] !== 0 ? Math.exp(x[o + j] - max) / sum : 0;
  }
}

/** dx = y ⊙ (dy − Σ dy⊙y), row by row. */
export function softmaxBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += dy[o + j] * y[o + j];
    for (let j = 0; j < cols; j++) dx[o + j] = y[o + j] * (dy[o + j] - dot);
  }
}
