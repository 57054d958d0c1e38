import { parseArgs } from 'node:util';
import { benchCommand } from './bench.js';
import { exportOnnxCommand } from './export-onnx.js';
import { formatInfo, infoReport } from './info.js';
import { plotCommand } from './plot.js';

const USAGE = `usage: tensile <command> [options]

commands:
  info [--json]   version, active backend, GEMM library and core, threads, CUDA
  bench [...]     tensile against its peers on the workloads of bench/README.md (tensile bench --help)
  export-onnx <model.json> <out.onnx> [--opset N] [--check]
                  write a saved model as ONNX; --check runs it in onnxruntime-node against predict
  plot <logdir>   training curves of a TensorBoard log folder to an SVG file (-o curves.svg)`;

/** The `tensile` command line: parses arguments and dispatches; the work lives elsewhere. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'info': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
      const report = infoReport();
      console.log(values.json ? JSON.stringify(report, null, 2) : formatInfo(report));
      return 0;
    }
    case 'bench':
      return benchCommand(rest);
    case 'export-onnx':
      return exportOnnxCommand(rest);
    case 'plot':
      return plotCommand(rest);
    case undefined:
    case '-h':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`tensile: unknown command '${command}'\n${USAGE}`);
      return 1;
  }
}
