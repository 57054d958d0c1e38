import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { blobs } from '../models/fixtures.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tensile-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The polylines of an SVG as arrays of [x, y] points, in document order. */
const polylines = (svg: string) =>
  [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));

describe('training curves to SVG', () => {
  it('niceTicks: round steps covering the range', () => {
    expect(tl.plot.niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(tl.plot.niceTicks(0.13, 0.71)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(tl.plot.niceTicks(1, 20, 6)).toEqual([5, 10, 15, 20]);
    expect(tl.plot.niceTicks(3, 3)).toEqual([3]);
  });

  it('curvesSvg: a panel per quantity, loss first, with its val_ curve; y falls as the value rises', () => {
    const svg = tl.plot.curvesSvg(
      { accuracy: [0.5, 0.8, 0.9], loss: [1, 0.5, 0.25], val_loss: [1.2, 0.7, 0.6] },
      { title: 'a <b>' },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="840" height="330"')).toBe(true);
    expect(svg).toContain('a &lt;b&gt;');
    const titles = [...svg.matchAll(/font-weight="bold">([^<]+)</g)].map((m) => m[1]);
    expect(titles).toEqual(['loss', 'accuracy']);
    const [loss, valLoss, acc] = polylines(svg);
    expect(loss).toHaveLength(3);
    expect(loss[0][1]).toBeLessThan(loss[2][1]); // the loss falls: its line goes down the page (y grows)
    expect(valLoss[2][1]).toBeLessThan(loss[2][1]); // val_loss 0.6 is above loss 0.25
    expect(acc[0][1]).toBeGreaterThan(acc[2][1]);
    expect(loss.map((p) => p[0])).toEqual(acc.map((p) => p[0]));
  });

  it('NaN breaks a line; bad input is a TensileError', () => {
    const svg = tl.plot.curvesSvg({ loss: [1, Number.NaN, 0.5, 0.4] });
    expect(polylines(svg)).toHaveLength(1); // [0.5, 0.4]; the lone first point is a dot
    expect(svg).toContain('<circle');
    expect(() => tl.plot.curvesSvg({ loss: ['a'] as unknown as number[] })).toThrow(
      /plot.curvesSvg: 'loss' must be an array of numbers/,
    );
    expect(() => tl.plot.curvesSvg({ loss: [1] }, { metrics: ['acc'] })).toThrow(/no curve 'acc'; there are: loss/);
  });

  it('historySvg of a fit, and `tensile plot` of its TensorBoard log draw the same curves', async () => {
    const { x, y } = blobs(32, 1);
    tl.setSeed(1);
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const logdir = join(dir, 'logs');
    const history = await m.fit(x, y, {
      epochs: 4,
      verbose: 0,
      validationSplit: 0.25,
      callbacks: [tl.callbacks.tensorBoard(logdir)],
    });
    const fromHistory = tl.plot.historySvg(history, { metrics: ['loss', 'accuracy'] });
    const out = join(dir, 'curves.svg');
    const r = await runCli(['plot', logdir, '-o', out, '--metrics', 'loss,accuracy']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}`);
    const fromLog = readFileSync(out, 'utf8');
    // The log holds float32 values: the same points to drawing precision.
    const a = polylines(fromHistory).flat(2);
    const b = polylines(fromLog).flat(2);
    expect(b).toHaveLength(a.length);
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 1));
  }, 60_000);

  it('`tensile plot` explains a folder without event files, and a corrupt file', async () => {
    const r = await runCli(['plot', dir, '-o', join(dir, 'x.svg')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tensile plot: .* has no train\/ or validation\/ folder with an event file/);
    mkdirSync(join(dir, 'bad', 'train'), { recursive: true });
    writeFileSync(join(dir, 'bad', 'train', 'events.out.tfevents.1.host.1.0.v2'), Buffer.alloc(40, 7));
    const c = await runCli(['plot', join(dir, 'bad')]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/bad length checksum/);
  }, 60_000);
});
