import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectTensileError } from '../helpers/ops.js';
import { expectRejects } from '../models/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tensile-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('tl.data.csv', () => {
  it('rows as objects of numbers; label columns go to ys', async () => {
    const p = file('a.csv', 'a,b,label\n1,2,0\n3.5,-4,1\n');
    expect(await tl.data.csv(p).toArray()).toEqual([
      { a: 1, b: 2, label: 0 },
      { a: 3.5, b: -4, label: 1 },
    ]);
    const ds = tl.data.csv(p, { columnConfigs: { label: { isLabel: true } } });
    expect(await ds.toArray()).toEqual([
      { xs: { a: 1, b: 2 }, ys: { label: 0 } },
      { xs: { a: 3.5, b: -4 }, ys: { label: 1 } },
    ]);
  });

  it('delimiter, no header with columnNames, CRLF, blank lines, quotes, spaces', async () => {
    const p = file('b.tsv', '1\t"2"\r\n\r\n 3 \t4\r\n');
    expect(await tl.data.csv(p, { hasHeader: false, columnNames: ['x', 'y'], delimiter: '\t' }).toArray()).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
    const q = file('q.csv', 'name,v\n"a, ""b""",1\n');
    expect(await tl.data.csv(q, { columnConfigs: { name: { dtype: 'string' } } }).toArray()).toEqual([
      { name: 'a, "b"', v: 1 },
    ]);
  });

  it('column types, defaults and configuredColumnsOnly', async () => {
    const p = file('c.csv', 'f,i,b,s,skip\n1.5,2.7,true,x,9\n,3,0,y,9\n');
    const ds = tl.data.csv(p, {
      configuredColumnsOnly: true,
      columnConfigs: {
        f: { default: -1 },
        i: { dtype: 'int32' },
        b: { dtype: 'bool', isLabel: true },
        s: { dtype: 'string' },
      },
    });
    expect(await ds.toArray()).toEqual([
      { xs: { f: 1.5, i: 2, s: 'x' }, ys: { b: 1 } },
      { xs: { f: -1, i: 3, s: 'y' }, ys: { b: 0 } },
    ]);
  });

  it('a file larger than one read chunk keeps every line and its number', async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `${i},${i % 7}`);
    const p = file('big.csv', `n,m\n${lines.join('\n')}`); // no final line break
    const rows = (await tl.data.csv(p).toArray()) as { n: number; m: number }[];
    expect(rows.length).toBe(20000);
    expect(rows.every((r, i) => r.n === i && r.m === i % 7)).toBe(true);
    const bad = file('bad-late.csv', `n,m\n${lines.join('\n')}\n1,2,3\n`);
    await expectRejects(tl.data.csv(bad).toArray(), 'data.csv', 'line 20002', '3 fields, expected 2');
  });

  it('bad rows: a TensileError with the file and line, or skipped and counted', async () => {
    const p = file('bad.csv', 'a,b\n1,2\n3\n4,x\n5,\n6,7\n');
    await expectRejects(tl.data.csv(p).toArray(), 'data.csv', p, 'line 3', '1 fields, expected 2', 'skipBadRows');
    await expectRejects(tl.data.csv(p).skip(1).toArray(), 'data.csv', 'line 3');
    const lenient = tl.data.csv(p, { skipBadRows: true });
    expect(await lenient.toArray()).toEqual([
      { a: 1, b: 2 },
      { a: 6, b: 7 },
    ]);
    expect(lenient.skippedRows).toBe(3);
    await expectRejects(
      tl.data.csv(file('nan.csv', 'a\nx\n')).toArray(),
      'data.csv',
      'line 2',
      "column 'a'",
      "'x' is not a number",
    );
    await expectRejects(
      tl.data.csv(file('empty.csv', 'a,b\n1,\n')).toArray(),
      'data.csv',
      'line 2',
      "column 'b' is empty",
      'default',
    );
    await expectRejects(tl.data.csv(join(dir, 'missing.csv')).toArray(), 'data.csv', 'no file');
    await expectRejects(
      tl.data.csv(p, { columnConfigs: { zz: { isLabel: true } } }).toArray(),
      'data.csv',
      "'zz'",
      'a, b',
    );
  });

  it('bad options throw at once', () => {
    expectTensileError(() => tl.data.csv(''), 'data.csv', 'path');
    expectTensileError(() => tl.data.csv('x.csv', { delimiter: '' }), 'data.csv', 'delimiter');
    expectTensileError(() => tl.data.csv('x.csv', { hasHeader: false }), 'data.csv', 'columnNames');
    expectTensileError(
      () => tl.data.csv('x.csv', { columnConfigs: { a: { dtype: 'float64' as 'float32' } } }),
      'data.csv',
      'float64',
    );
  });

  it('stopping early closes the file; rows map and batch into { xs, ys } tensors', async () => {
    const p = file('d.csv', 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n');
    const ds = tl.data
      .csv(p, { columnConfigs: { y: { isLabel: true } } })
      .map(({ xs, ys }) => ({ xs: Object.values(xs), ys: Object.values(ys) }));
    const [b] = await ds.batch(2).take(1).toArray();
    expect(b.xs.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(b.ys.arraySync()).toEqual([[0], [1]]);
  });
});
