// `tensile bench` argument handling: parsed values, and clear errors with a non-zero exit.
import { describe, expect, it } from 'vitest';
import { PEERS, WORKLOADS, parseBenchArgs } from '../../lib/cli/bench.js';
import { runCli } from './run-cli.js';

describe('parseBenchArgs', () => {
  it('defaults to every workload and peer, 5 repetitions', () => {
    const { options, json } = parseBenchArgs([]);
    expect(options).toEqual({
      workloads: [...WORKLOADS],
      peers: [...PEERS],
      repeat: 5,
      unsetOpenblasEnv: false,
      quick: false,
    });
    expect(json).toBeUndefined();
  });

  it('reads lists case-insensitively, drops duplicates, keeps the order given', () => {
    const { options, json } = parseBenchArgs([
      '--workloads',
      'w3,W1,w3',
      '--peers',
      'numpy,TFJS',
      '--repeat',
      '7',
      '--json',
      'out.json',
      '--unset-openblas-env',
      '--quick',
    ]);
    expect(options).toEqual({
      workloads: ['W3', 'W1'],
      peers: ['numpy', 'tfjs'],
      repeat: 7,
      unsetOpenblasEnv: true,
      quick: true,
    });
    expect(json).toBe('out.json');
  });

  it('takes --peers none for tensile alone', () => {
    expect(parseBenchArgs(['--peers', 'none']).options.peers).toEqual([]);
  });

  it.each([
    [['--workloads', 'W1,W9'], "unknown workload 'W9'; expected a comma-separated list of W1, W2, W3, W4, W5, W6, W7"],
    [
      ['--peers', 'tfjs,jax'],
      "unknown peer 'jax'; expected a comma-separated list of tfjs, tfjs-wasm, onnxruntime, torch, numpy",
    ],
    [['--workloads', ','], '--workloads is empty'],
    [['--repeat', '0'], "--repeat must be a positive integer, got '0'"],
    [['--repeat', '2.5'], "--repeat must be a positive integer, got '2.5'"],
    [['--repeat', 'many'], "--repeat must be a positive integer, got 'many'"],
    [['--json', ''], '--json needs a file name'],
    [['--fast'], "Unknown option '--fast'"],
    [['W1'], "Unexpected argument 'W1'"],
  ])('rejects %j', (args, message) => {
    expect(() => parseBenchArgs(args)).toThrow(message);
  });
});

describe('tensile bench on the command line', () => {
  it.each([
    [['--workloads', 'W9'], "tensile bench: unknown workload 'W9'"],
    [['--peers', 'keras'], "tensile bench: unknown peer 'keras'"],
    [['--repeat', '-3'], 'tensile bench: '],
    [['--repeat', 'x'], "tensile bench: --repeat must be a positive integer, got 'x'"],
  ])('%j exits 1 with the reason and the usage on stderr, nothing on stdout', async (args, message) => {
    const r = await runCli(['bench', ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage: tensile bench');
    expect(r.stdout).toBe('');
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await runCli(['bench', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--unset-openblas-env');
  });

  it('is listed in the top-level usage', async () => {
    const r = await runCli(['--help']);
    expect(r.stdout).toMatch(/^\s+bench /m);
  });
});
