import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import * as tf from '../../lib/tfjs/index.js';
import { expectTensileError } from '../helpers/ops.js';

// Calls that tfjs-examples' programs make and that failed on tensile/tfjs (abalone-node, lstm-text-generation).
const dir = mkdtempSync(join(tmpdir(), 'tensile-tfjs-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('tfjs program calls', () => {
  it("tf.data.csv('file://…'): columnNames(), text kept where a column has no dtype and the cell is no number", async () => {
    const p = file('abalone.csv', 'sex,length,rings\nM,0.455,15\nF,0.35,7\n');
    const ds = tf.data.csv(`file://${p}`, { hasHeader: true, columnConfigs: { rings: { isLabel: true } } });
    expect(await ds.columnNames()).toEqual(['sex', 'length', 'rings']);
    expect(await ds.toArray()).toEqual([
      { xs: { sex: 'M', length: 0.455 }, ys: { rings: 15 } },
      { xs: { sex: 'F', length: 0.35 }, ys: { rings: 7 } },
    ]);
    // A configured numeric dtype still refuses text, as tfjs-data does not: a number was asked for.
    await expect(tf.data.csv(p, { columnConfigs: { sex: { dtype: 'float32' } } }).toArray()).rejects.toThrow(
      "'M' is not a number",
    );
    // tensile's own tl.data.csv keeps refusing text in a number column, and takes file:// too.
    await expect(tl.data.csv(`file://${p}`).toArray()).rejects.toThrow("'M' is not a number");
    expect(await tl.data.csv(p, { columnNames: ['a', 'b', 'c'] }).columnNames()).toEqual(['a', 'b', 'c']);
    await expect(tl.data.csv(file('empty.csv', '\n\n')).columnNames()).rejects.toThrow('no header');
    expectTensileError(() => tl.data.csv('file://'), 'data.csv', 'path');
  });

  it('multinomial and the random tensors take a null seed (tfjs programs pass null) as no seed', () => {
    tf.setSeed(5);
    const a = tf.multinomial(tf.tensor1d([0, 1, 2]), 20, null as never, false).dataSync();
    tf.setSeed(5);
    const b = tf.multinomial(tf.tensor1d([0, 1, 2]), 20, undefined, false).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(tf.randomNormal([3], 0, 1, 'float32', null as never).shape).toEqual([3]);
    expectTensileError(() => tf.multinomial(tf.tensor1d([0, 1]), 1, Number.NaN), 'multinomial', 'seed');
  });
});
