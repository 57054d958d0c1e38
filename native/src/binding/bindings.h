// Every function the addon exports, in one list: its JS name and C++ function. The list declares them here, and
// addon.cc registers them by iterating it (adding a binding is one line here and its definition).
#pragma once
#include <napi.h>

// X(name, Function) for each binding; the CUDA ones (binding/cuda_*.cc) are in every build and throw without CUDA.
#define TENSILE_BINDINGS(X)                               \
  X("info", Info)                                         \
  X("setNumThreads", SetNumThreads)                       \
  X("getNumThreads", GetNumThreads)                       \
  X("gemmF32", GemmF32)                                   \
  X("denseF32", DenseF32)                                 \
  X("denseBackwardF32", DenseBackwardF32)                 \
  X("conv2dF32", Conv2dF32)                               \
  X("conv2dBackwardF32", Conv2dBackwardF32)               \
  X("maxPool2dF32", MaxPool2dF32)                         \
  X("avgPool2dF32", AvgPool2dF32)                         \
  X("maxPool2dBackwardF32", MaxPool2dBackwardF32)         \
  X("avgPool2dBackwardF32", AvgPool2dBackwardF32)         \
  X("opNames", OpNames)                                   \
  X("unaryF32", UnaryF32)                                 \
  X("binaryF32", BinaryF32)                               \
  X("whereF32", WhereF32)                                 \
  X("broadcastF32", BroadcastF32)                         \
  X("reduceF32", ReduceF32)                               \
  X("argmaxF32", ArgmaxF32)                               \
  X("softmaxF32", SoftmaxF32)                             \
  X("maskedSoftmaxF32", MaskedSoftmaxF32)                 \
  X("softmaxBackwardF32", SoftmaxBackwardF32)             \
  X("crossentropyF32", CrossentropyF32)                   \
  X("crossentropyBackwardF32", CrossentropyBackwardF32)   \
  X("bernoulliF32", BernoulliF32)                         \
  X("layerNormF32", LayerNormF32)                         \
  X("layerNormBackwardF32", LayerNormBackwardF32)         \
  X("batchNormF32", BatchNormF32)                         \
  X("batchNormBackwardF32", BatchNormBackwardF32)         \
  X("movingAverageF32", MovingAverageF32)                 \
  X("gemmBatchedF32", GemmBatchedF32)                     \
  X("transposeF32", TransposeF32)                         \
  X("gatherF32", GatherF32)                               \
  X("scatterAddF32", ScatterAddF32)                       \
  X("adamUpdateF32", AdamUpdateF32)                       \
  X("sgdUpdateF32", SgdUpdateF32)                         \
  X("rmspropUpdateF32", RmspropUpdateF32)                 \
  X("adagradUpdateF32", AdagradUpdateF32)                 \
  X("applyUpdateF32", ApplyUpdateF32)                     \
  X("lstmCellF32", LstmCellF32)                           \
  X("lstmCellBackwardF32", LstmCellBackwardF32)           \
  X("gruCellF32", GruCellF32)                             \
  X("gruCellBackwardF32", GruCellBackwardF32)             \
  X("rnnCellF32", RnnCellF32)                             \
  X("rnnCellBackwardF32", RnnCellBackwardF32)             \
  X("gruResetGatesF32", GruResetGatesF32)                 \
  X("gruResetCellF32", GruResetCellF32)                   \
  X("gruResetCellBackwardF32", GruResetCellBackwardF32)   \
  X("gruResetGatesBackwardF32", GruResetGatesBackwardF32) \
  X("mlpForwardF32", MlpForwardF32)                       \
  X("planBegin", PlanBegin)                               \
  X("planEnd", PlanEnd)                                   \
  X("planRun", PlanRun)                                   \
  X("planRunSteps", PlanRunSteps)                         \
  X("cudaInfo", CudaInfo)                                 \
  X("cudaLoadCublas", CudaLoadCublas)                     \
  X("cudaUpload", CudaUpload)                             \
  X("cudaDownload", CudaDownload)                         \
  X("cudaCopy", CudaCopy)                                 \
  X("cudaFill", CudaFill)                                 \
  X("cudaSynchronize", CudaSynchronize)                   \
  X("cudaGemm", CudaGemm)                                 \
  X("cudaUnary", CudaUnary)                               \
  X("cudaBinary", CudaBinary)                             \
  X("cudaWhere", CudaWhere)                               \
  X("cudaBroadcast", CudaBroadcast)                       \
  X("cudaReduce", CudaReduce)                             \
  X("cudaArgmax", CudaArgmax)                             \
  X("cudaSoftmax", CudaSoftmax)                           \
  X("cudaBiasActivation", CudaBiasActivation)             \
  X("cudaActivationBackward", CudaActivationBackward)     \
  X("cudaIm2col", CudaIm2col)                             \
  X("cudaCol2im", CudaCol2im)                             \
  X("cudaPool2d", CudaPool2d)                             \
  X("cudaPool2dBackward", CudaPool2dBackward)             \
  X("cudaAdamUpdate", CudaAdamUpdate)                     \
  X("cudaSgdUpdate", CudaSgdUpdate)                       \
  X("cudaCrossentropy", CudaCrossentropy)                 \
  X("cudaCrossentropyBackward", CudaCrossentropyBackward) \
  X("cudaRmspropUpdate", CudaRmspropUpdate)               \
  X("cudaAdagradUpdate", CudaAdagradUpdate)

namespace tensile::binding {
#define TENSILE_DECLARE_BINDING(name, fn) Napi::Value fn(const Napi::CallbackInfo& info);
TENSILE_BINDINGS(TENSILE_DECLARE_BINDING)
#undef TENSILE_DECLARE_BINDING
// The CudaBuffer class (binding/cuda_memory.cc).
Napi::Value CudaBufferClass(Napi::Env env);
}  // namespace tensile::binding
