import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { bar, formatValue } from '../../lib/models/progress.js';
import { expectTensileError } from '../helpers/ops.js';
import { blobs, capture } from './fixtures.js';

function classifier(seed: number): tl.Sequential {
  tl.setSeed(seed);
  const m = tl.sequential({
    layers: [
      tl.layers.dense({ units: 4, inputShape: [2], activation: 'relu' }),
      tl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

const STEP = String.raw`\d+(s|ms|us)\/step`;
const VALUE = String.raw`\d+\.\d{4}`;

describe('fit progress output', () => {
  const { x, y } = blobs(16, 1);

  it("verbose 1 (not a terminal): one line per epoch, 'Epoch i/n' and Keras' final bar with the logs", async () => {
    const out = capture();
    await classifier(1).fit(x, y, { epochs: 2, batchSize: 4, verbose: 1, output: out });
    const lines = out.text().split('\n');
    expect(lines).toHaveLength(3); // two epochs of one line, then the trailing ''
    lines
      .slice(0, 2)
      .forEach((l, i) =>
        expect(l).toMatch(
          new RegExp(String.raw`^Epoch ${i + 1}/2 4/4 \[={30}\] - \d+s ${STEP} - loss: ${VALUE} - accuracy: ${VALUE}$`),
        ),
      );
    expect(lines[2]).toBe('');
    expect(out.text()).not.toContain('\r');
  });

  it('verbose 1 is the default, and shows val_ values', async () => {
    const out = capture();
    await classifier(2).fit(x, y, { epochs: 1, batchSize: 4, validationSplit: 0.25, output: out });
    expect(out.text()).toMatch(
      new RegExp(
        String.raw`^Epoch 1/1 3/3 \[={30}\] - \d+s ${STEP} - loss: ${VALUE} - accuracy: ${VALUE} - val_loss: ${VALUE} - val_accuracy: ${VALUE}\n$`,
      ),
    );
  });

  it('verbose 1 on a terminal redraws the bar with \\r and ends with the final line', async () => {
    const out = capture(true);
    await classifier(3).fit(x, y, { epochs: 1, batchSize: 1, verbose: 1, output: out });
    const text = out.text();
    expect(text.startsWith('Epoch 1/1\n')).toBe(true);
    expect(text).toMatch(
      new RegExp(String.raw`\r16/16 \[={30}\] - \d+s ${STEP} - loss: ${VALUE} - accuracy: ${VALUE}\n$`),
    );
  });

  it('verbose 2: one line per epoch after its header', async () => {
    const out = capture();
    await classifier(4).fit(x, y, { epochs: 3, batchSize: 8, verbose: 2, output: out });
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    lines.forEach((l, i) => {
      if (i % 2 === 0) expect(l).toBe(`Epoch ${i / 2 + 1}/3`);
      else
        expect(l).toMatch(
          new RegExp(String.raw`^2/2 - \d+s - loss: ${VALUE} - accuracy: ${VALUE} - \d+ms/epoch - ${STEP}$`),
        );
    });
  });

  it('verbose 0 writes nothing', async () => {
    const out = capture();
    await classifier(5).fit(x, y, { epochs: 2, verbose: 0, output: out, validationSplit: 0.25 });
    expect(out.writes).toBe(0);
  });

  it("Keras' number format and bar", () => {
    expect(formatValue(0.69314718)).toBe('0.6931');
    expect(formatValue(0)).toBe('0.0000');
    expect(formatValue(12.5)).toBe('12.5000');
    expect(formatValue(1.5e-5)).toBe('1.5000e-05');
    expect(bar(13, 32)).toBe('13/32 [===========>..................]');
    expect(bar(32, 32)).toBe(`32/32 [${'='.repeat(30)}]`);
    expect(bar(1, 100)).toBe(`  1/100 [${'.'.repeat(30)}]`);
  });
});

describe('summary', () => {
  function lines(m: tl.Sequential, lineLength?: number): string[] {
    const out: string[] = [];
    m.summary(lineLength, (s) => out.push(...s.split('\n')));
    return out;
  }

  it("prints Keras' table with the right parameter counts", () => {
    const m = tl.sequential({
      name: 'mlp',
      layers: [
        tl.layers.flatten({ inputShape: [4, 5], name: 'flat' }),
        tl.layers.dense({ units: 8, activation: 'relu', name: 'hidden' }),
        tl.layers.dropout({ rate: 0.5, name: 'drop' }),
        tl.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
        tl.layers.reshape({ targetShape: [3, 1], name: 'shape' }),
      ],
    });
    const out = lines(m);
    expect(out[0]).toBe('Model: "mlp"');
    expect(out[1]).toBe('_'.repeat(65));
    expect(out[2]).toBe(' Layer (type)                Output Shape              Param #   ');
    expect(out[3]).toBe('='.repeat(65));
    const row = (name: string, shape: string, params: number) =>
      ` ${name}`.padEnd(29) + shape.padEnd(26) + String(params).padEnd(10);
    for (const r of [
      row('flat (Flatten)', '(None, 20)', 0),
      row('hidden (Dense)', '(None, 8)', 168),
      row('drop (Dropout)', '(None, 8)', 0),
      row('out (Dense)', '(None, 3)', 27),
      row('shape (Reshape)', '(None, 3, 1)', 0),
    ])
      expect(out).toContain(r);
    expect(out).toContain('Total params: 195');
    expect(out).toContain('Trainable params: 195');
    expect(out).toContain('Non-trainable params: 0');
    expect(out[out.length - 1]).toBe('_'.repeat(65));
    expect(m.countParams()).toBe(195);
  });

  it('counts thousands with separators, and a rank-3 Dense output', () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 100, inputShape: [7, 784], name: 'big' })] });
    const out = lines(m);
    expect(out).toContain(' big (Dense)'.padEnd(29) + '(None, 7, 100)'.padEnd(26) + '78500'.padEnd(10));
    expect(out).toContain('Total params: 78,500');
  });

  it('honours lineLength', () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 2, inputShape: [3] })] });
    expect(lines(m, 80).every((l) => l.length <= 80 || l.startsWith('Model:'))).toBe(true);
    expect(lines(m, 80)[1]).toBe('_'.repeat(80));
  });

  it('an unbuilt model cannot be summarised', () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 2 })] });
    expectTensileError(() => m.summary(), 'summary', 'not built');
  });

  it('getLayer by name and by index', () => {
    const a = tl.layers.dense({ units: 2, inputShape: [3], name: 'first' });
    const b = tl.layers.dense({ units: 1, name: 'second' });
    const m = tl.sequential({ layers: [a, b] });
    expect(m.getLayer('second')).toBe(b);
    expect(m.getLayer(0)).toBe(a);
    expect(m.getLayer(1)).toBe(b);
    expectTensileError(() => m.getLayer('third'), 'getLayer', "no layer named 'third'", 'first, second');
    expectTensileError(() => m.getLayer(2), 'getLayer', 'no layer at index 2');
  });
});
