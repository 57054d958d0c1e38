import { optionsObject } from '../internal/names.js';
import { readFileSync } from 'node:fs';
import { TensileError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

/** What tl.data.loadCsv returns. */
export interface CsvData {
  /** [rows, features] */
  x: Tensor;
  /** [rows] values of the label column. */
  y: Tensor;
  /** Names of the feature columns, in order. */
  columns: string[];
}

/**
 * A numeric CSV with a header row, split into features and one label column (default: the last, or the one named 'label').
 * @example const { x, y } = tl.data.loadCsv('../shared/data/small/iris.csv');
 */
export function loadCsv(path: string, options: { labelColumn?: string } = {}): CsvData {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length < 1) throw new TensileError('data.loadCsv', `${path} is empty`);
  const header = lines[0].split(',').map((h) => h.trim());
  optionsObject('data.loadCsv', options, ['labelColumn'], "{ labelColumn: 'label' }");
  const labelName = options.labelColumn ?? (header.includes('label') ? 'label' : header[header.length - 1]);
  const li = header.indexOf(labelName);
  if (li < 0)
    throw new TensileError('data.loadCsv', `${path} has no column '${labelName}'; columns: ${header.join(', ')}`);
  const rows = lines.length - 1;
  const f = header.length - 1;
  const x = new Float32Array(rows * f);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1].split(',');
    if (cells.length !== header.length)
      throw new TensileError(
        'data.loadCsv',
        `${path} line ${r + 2} has ${cells.length} fields, expected ${header.length}`,
      );
    let k = 0;
    for (let c = 0; c < cells.length; c++) {
      const v = Number(cells[c]);
      if (cells[c].trim() === '' || Number.isNaN(v))
        throw new TensileError(
          'data.loadCsv',
          `${path} line ${r + 2}, column '${header[c]}': '${cells[c]}' is not a number`,
        );
      if (c === li) y[r] = v;
      else x[r * f + k++] = v;
    }
  }
  return { x: new Tensor(x, [rows, f]), y: new Tensor(y, [rows]), columns: header.filter((_, i) => i !== li) };
}
