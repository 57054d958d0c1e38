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
