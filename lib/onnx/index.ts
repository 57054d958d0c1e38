export { exportOnnx } from './export.js';
export type { ExportOnnxOptions, ExportOnnxResult, OnnxTensorInfo } from './export.js';
