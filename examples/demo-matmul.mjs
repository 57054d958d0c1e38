// A small matmul through the active backend, checked against the obvious answer.
import * as tl from 'tensile';

const a = tl.tensor([
  [1, 2],
  [3, 4],
]);
const b = tl.tensor([
  [5, 6],
  [7, 8],
]);
const c = tl.matmul(a, b);
console.log(`${tl.getBackend()} backend: [[1, 2], [3, 4]] · [[5, 6], [7, 8]] =`);
console.log(c.toString());
const ok =
  JSON.stringify(c.arraySync()) ===
  JSON.stringify([
    [19, 22],
    [43, 50],
  ]);
console.log(ok ? 'correct' : 'WRONG');
process.exitCode = ok ? 0 : 1;
