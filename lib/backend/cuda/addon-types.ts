import type { DeviceBuffer } from './device.js';

/** What `cudaInfo()` reports: the build, the driver, the devices and cuBLAS. */
export interface CudaInfo {
  built: boolean;
  /** cudart linked into the addon, e.g. 13000. */
  runtimeVersion: number;
  /** 0 when no driver is installed. */
  driverVersion: number;
  /** 'ok', 'not built', or the CUDA error name (cudaErrorInsufficientDriver, cudaErrorNoDevice, ...). */
  status: string;
  devices: { index: number; name: string; computeCapability: string; memory: number; multiprocessors: number }[];
  cublas: CublasInfo;
}

export interface CublasInfo {
  loaded: boolean;
  path: string;
  /** major·10000 + minor·100 + patch. */
  version: number;
  error: string;
}

type V = [buf: DeviceBuffer, offset: number, length: number];

/**
 * The addon's CUDA functions (native/src/binding/cuda.cc), present in every build; without CUDA they throw
 * "tensile was built without CUDA". A device operand crosses as three arguments: (buffer, offset, length).
 */
export interface CudaAddon {
  CudaBuffer: new (length: number) => DeviceBuffer;
  cudaInfo(): CudaInfo;
  cudaLoadCublas(candidates: string[]): CublasInfo;
  cudaUpload(...a: [...V, src: Float32Array]): void;
  cudaDownload(...a: [...V, dst: Float32Array]): void;
  cudaCopy(...a: [...V, ...V]): void;
  cudaFill(...a: [...V, value: number]): void;
  cudaSynchronize(): void;
  cudaGemm(
    ...a: [
      ...V,
      ...V,
      ...V,
      m: number,
      n: number,
      k: number,
      transA: boolean,
      transB: boolean,
      alpha: number,
      beta: number,
      tf32: boolean,
    ]
  ): void;
  cudaUnary(...a: [code: number, ...V, ...V]): void;
  cudaBinary(
    ...a: [code: number, ...V, ...V, ...V, shape: Float64Array, aStrides: Float64Array, bStrides: Float64Array]
  ): void;
  cudaWhere(
    ...a: [
      ...V,
      ...V,
      ...V,
      ...V,
      shape: Float64Array,
      cStrides: Float64Array,
      aStrides: Float64Array,
      bStrides: Float64Array,
    ]
  ): void;
  cudaBroadcast(...a: [...V, ...V, shape: Float64Array, xStrides: Float64Array]): void;
  cudaReduce(...a: [code: number, ...V, ...V, outer: number, n: number, inner: number]): void;
  cudaArgmax(...a: [...V, ...V, outer: number, n: number, inner: number]): void;
  cudaSoftmax(...a: [...V, ...V, rows: number, cols: number, log: boolean]): void;
  cudaBiasActivation(...a: [...V, ...V, rows: number, cols: number, act: number]): void;
  cudaActivationBackward(...a: [...V, ...V, ...V, rows: number, cols: number, act: number]): void;
  cudaIm2col(...a: [...V, ...V, geom: Float64Array, b0: number, b1: number]): void;
  cudaCol2im(...a: [...V, ...V, geom: Float64Array, b0: number, b1: number]): void;
  cudaPool2d(...a: [max: boolean, ...V, ...V, geom: Float64Array]): void;
  cudaPool2dBackward(...a: [max: boolean, ...V, ...V, ...V, geom: Float64Array]): void;
  cudaAdamUpdate(
    ...a: [
      ...V,
      ...V,
      ...V,
      ...V,
      lr: number,
      beta1: number,
      beta2: number,
      epsilon: number,
      t: number,
      weightDecay: number,
    ]
  ): void;
  cudaSgdUpdate(...a: [...V, ...V, ...V, lr: number, momentum: number, nesterov: boolean]): void;
  cudaRmspropUpdate(
    ...a: [...V, ...V, ...V, ...V, ...V, lr: number, rho: number, momentum: number, epsilon: number, centered: boolean]
  ): void;
  cudaAdagradUpdate(...a: [...V, ...V, ...V, lr: number, epsilon: number]): void;
  cudaCrossentropy(...a: [binary: boolean, ...V, ...V, ...V, rows: number, cols: number, eps: number]): void;
  cudaCrossentropyBackward(
    ...a: [binary: boolean, ...V, ...V, ...V, ...V, rows: number, cols: number, eps: number]
  ): void;
}

/** Every CUDA name the addon exports (test/native/surface.test.ts checks them, bad-input.test.ts calls each). */
export const CUDA_FUNCTIONS: readonly (keyof CudaAddon)[] = [
  'CudaBuffer',
  'cudaInfo',
  'cudaLoadCublas',
  'cudaUpload',
  'cudaDownload',
  'cudaCopy',
  'cudaFill',
  'cudaSynchronize',
  'cudaGemm',
  'cudaUnary',
  'cudaBinary',
  'cudaWhere',
  'cudaBroadcast',
  'cudaReduce',
  'cudaArgmax',
  'cudaSoftmax',
  'cudaBiasActivation',
  'cudaActivationBackward',
  'cudaIm2col',
  'cudaCol2im',
  'cudaPool2d',
  'cudaPool2dBackward',
  'cudaAdamUpdate',
  'cudaSgdUpdate',
  'cudaRmspropUpdate',
  'cudaAdagradUpdate',
  'cudaCrossentropy',
  'cudaCrossentropyBackward',
];
