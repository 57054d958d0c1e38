import { readFileSync, rmSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectRejects } from '../models/fixtures.js';
import { type Json, mlp, readJsonFile, tempDirs, writeJsonFile } from './fixtures.js';

const tmp = tempDirs();

describe('loadModel refuses damaged files with an error naming the file and the problem', () => {
  let dir: string;
  let file: string;
  let json: Json;
  beforeEach(async () => {
    dir = tmp();
    const model = mlp();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await model.fit(tl.zeros([4, 5]), tl.utils.toCategorical([0, 1, 2, 0], 3), { verbose: 0 });
    await model.save(dir, { includeOptimizer: true });
    file = join(dir, 'model.json');
    json = readJsonFile(file);
  });
  const edit = (change: (j: Json) => void) => {
    change(json);
    writeJsonFile(file, json);
  };
  const shard = () => join(dir, 'group1-shard1of1.bin');

  it('a truncated shard', async () => {
    truncateSync(shard(), 100);
    await expectRejects(tl.loadModel(file), 'loadModel', shard(), 'truncated', 'need 300 bytes', 'hold 100');
  });

  it('a shard with bytes the manifest does not describe', async () => {
    appendFileSync(shard(), Buffer.alloc(8));
    await expectRejects(tl.loadModel(file), 'loadModel', shard(), 'more bytes than the manifest describes', '308');
  });

  it('manifest shapes whose byte count does not match the shard', async () => {
    edit((j) => (j.weightsManifest[0].weights[0].shape = [5, 9]));
    await expectRejects(tl.loadModel(file), 'loadModel', 'need 320 bytes', 'hold 300');
  });

  it('a weight whose shape does not fit its layer', async () => {
    const w = json.weightsManifest[0].weights;
    edit(() => (w[0].shape = [8, 5])); // the same byte count, transposed
    await expectRejects(
      tl.loadModel(file),
      'loadModel',
      file,
      `${w[0].name} has shape [8, 5] in the file, but the layer needs [5, 8]`,
    );
  });

  it('a wrong dtype', async () => {
    edit((j) => (j.weightsManifest[0].weights[1].dtype = 'int32'));
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'dtype "int32"', 'float32');
    edit((j) => {
      j.weightsManifest[0].weights[1].dtype = 'float32';
      j.modelTopology.config.layers[0].config.dtype = 'float64';
    });
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'dtype "float64" is not supported');
  });

  it('a missing shard, a missing model.json, a missing optimizer file', async () => {
    rmSync(join(dir, 'optimizer.bin'));
    await expectRejects(
      tl.loadModel(file),
      'loadModel',
      join(dir, 'optimizer.bin'),
      `listed in ${join(dir, 'optimizer.json')}`,
      'no such file',
    );
    rmSync(shard());
    await expectRejects(tl.loadModel(file), 'loadModel', shard(), `listed in ${file}`, 'no such file');
    await expectRejects(
      tl.loadModel(join(dir, 'nothing.json')),
      'loadModel',
      join(dir, 'nothing.json'),
      'no such file',
    );
  });

  it('a weight the file does not have', async () => {
    edit((j) => (j.weightsManifest[0].weights[3].name = 'other/bias'));
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'has no values for', '/bias', 'other/bias');
  });

  it('an unknown layer class, naming the class and the layer', async () => {
    edit((j) => (j.modelTopology.config.layers[1].class_name = 'SpatialDropout3D'));
    await expectRejects(
      tl.loadModel(file),
      'loadModel',
      file,
      'SpatialDropout3D',
      'cannot be loaded',
      /it loads Activation, .*Dense, .*Dropout, .*InputLayer, .*Reshape/,
    );
  });

  it('a bad value in a layer config, naming the layer and the key', async () => {
    edit((j) => (j.modelTopology.config.layers[0].config.activation = 'hard_swish'));
    await expectRejects(
      tl.loadModel(file),
      'loadModel',
      file,
      `layer '${json.modelTopology.config.layers[0].config.name}' (Dense)`,
      "activation: activation 'hard_swish' is not supported",
    );
    edit((j) => {
      j.modelTopology.config.layers[0].config.activation = 'relu';
      j.modelTopology.config.layers[0].config.units = -2;
    });
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'units must be a positive integer, got -2');
    edit((j) => {
      j.modelTopology.config.layers[0].config.units = 8;
      j.modelTopology.config.layers[0].config.kernel_initializer = { class_name: 'Identity', config: { gain: 1 } };
    });
    await expectRejects(
      tl.loadModel(file),
      'loadModel',
      'kernel_initializer',
      "initializer class 'Identity' is not supported",
    );
  });

  it('malformed JSON, JSON that is no model, a graph model', async () => {
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 200));
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'is not valid JSON');
    writeJsonFile(file, [1, 2]);
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'is not a model.json object');
    writeJsonFile(file, { format: 'graph-model', modelTopology: { node: [] } });
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'format "graph-model"', "'layers-model'");
    writeJsonFile(file, { format: 'layers-model', weightsManifest: [] });
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'modelTopology is missing');
  });

  it('JSON nested deeper than the engine can recurse: in the file, in a layer config, in model_config', async () => {
    // 100,000 levels: V8's JSON.parse reads it, and any recursive reader of the value would throw RangeError.
    const deep = (n: number, open: string, close: string, inner: string) => open.repeat(n) + inner + close.repeat(n);
    const original = JSON.stringify(json);
    const withExtra = (value: string) => original.replace('"units":8', `"units":8,"extra":${value}`);
    expect(withExtra('1')).not.toBe(original);
    writeFileSync(file, deep(100_000, '[', ']', '1'));
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'more than 512 levels deep');
    writeFileSync(file, withExtra(deep(100_000, '{"a":', '}', '1')));
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'more than 512 levels deep');
    edit((j) => (j.modelTopology = { model_config: deep(100_000, '[', ']', '1') }));
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'model_config nests', 'more than 512 levels deep');
    // Deep but within the limit (a junk key in the first layer): loaded or refused, never a RangeError.
    writeFileSync(file, withExtra(deep(500, '[', ']', '1')));
    await tl.loadModel(file).then(
      () => undefined,
      (e: unknown) => expect(e).toBeInstanceOf(tl.TensileError),
    );
  });

  it('a manifest path that leaves the model folder', async () => {
    edit((j) => (j.weightsManifest[0].paths = ['../../etc/passwd']));
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'outside the model');
  });

  it('a truncated or mismatched optimizer file', async () => {
    truncateSync(join(dir, 'optimizer.bin'), 12);
    await expectRejects(tl.loadModel(file), 'loadModel', join(dir, 'optimizer.bin'), 'holds 12 bytes');
    const opt = readJsonFile(join(dir, 'optimizer.json'));
    opt.optimizer.className = 'Lion';
    writeJsonFile(join(dir, 'optimizer.json'), opt);
    await expectRejects(tl.loadModel(file), 'loadModel', join(dir, 'optimizer.json'), "unknown optimizer class 'Lion'");
  });

  it('loads a Dense constraint, and refuses one it does not know, naming the file', async () => {
    // Regularizers load (test/regularizers); Dense and Conv constraints load (test/layers/constraints).
    edit(
      (j) =>
        (j.modelTopology.config.layers[0].config.kernel_constraint = {
          class_name: 'MaxNorm',
          config: { max_value: 2 },
        }),
    );
    const m = await tl.loadModel(file);
    expect(m.layers[0].getConfig().kernelConstraint).toEqual({
      className: 'MaxNorm',
      config: { maxValue: 2, axis: 0 },
    });
    edit(
      (j) =>
        (j.modelTopology.config.layers[0].config.kernel_constraint = { class_name: 'RadialConstraint', config: {} }),
    );
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'RadialConstraint');
  });
});

describe('never a half-loaded model', () => {
  it('a failure in the last weight leaves no model and changes no existing one', async () => {
    const dir = tmp();
    const model = mlp(2);
    await model.save(dir);
    const loaded = await tl.loadModel(dir);
    const before = loaded.getWeights().map((w) => Array.from(w.data));
    truncateSync(join(dir, 'group1-shard1of1.bin'), 296);
    await expectRejects(tl.loadModel(dir), 'loadModel', 'truncated');
    expect(loaded.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  });
});
