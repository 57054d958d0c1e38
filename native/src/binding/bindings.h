// Every function the addon exports; addon.cc registers them.
#pragma once
#include <napi.h>

namespace tensile::binding {
Napi::Value Info(const Napi::CallbackInfo& info);
Napi::Value SetNumThreads(const Napi::CallbackInfo& info);
Napi::Value GetNumThreads(const Napi::CallbackInfo& info);
Napi::Value GemmF32(const Napi::CallbackInfo& info);
Napi::Value DenseF32(const Napi::CallbackInfo& info);
Napi::Value DenseBackwardF32(const Napi::CallbackInfo& info);
Napi::Value Conv2dF32(const Napi::CallbackInfo& info);
Napi::Value Conv2dBackwardF32(const Napi::CallbackInfo& info);
Napi::Value MaxPool2dF32(const Napi::CallbackInfo& info);
Napi::Value AvgPool2dF32(const Napi::CallbackInfo& info);
Napi::Value MaxPool2dBackwardF32(const Napi::CallbackInfo& info);
Napi::Value AvgPool2dBackwardF32(const Napi::CallbackInfo& info);
Napi::Value OpNames(const Napi::CallbackInfo& info);
Napi::Value UnaryF32(const Napi::CallbackInfo& info);
Napi::Value BinaryF32(const Napi::CallbackInfo& info);
Napi::Value WhereF32(const Napi::CallbackInfo& info);
Napi::Value BroadcastF32(const Napi::CallbackInfo& info);
Napi::Value ReduceF32(const Napi::CallbackInfo& info);
Napi::Value ArgmaxF32(const Napi::CallbackInfo& info);
Napi::Value SoftmaxF32(const Napi::CallbackInfo& info);
Napi::Value MaskedSoftmaxF32(const Napi::CallbackInfo& info);
Napi::Value SoftmaxBackwardF32(const Napi::CallbackInfo& info);
Napi::Value LayerNormF32(const Napi::CallbackInfo& info);
Napi::Value LayerNormBackwardF32(const Napi::CallbackInfo& info);
Napi::Value BatchNormF32(const Napi::CallbackInfo& info);
Napi::Value BatchNormBackwardF32(const Napi::CallbackInfo& info);
Napi::Value MovingAverageF32(const Napi::CallbackInfo& info);
Napi::Value GemmBatchedF32(const Napi::CallbackInfo& info);
Napi::Value TransposeF32(const Napi::CallbackInfo& info);
Napi::Value GatherF32(const Napi::CallbackInfo& info);
Napi::Value ScatterAddF32(const Napi::CallbackInfo& info);
Napi::Value AdamUpdateF32(const Napi::CallbackInfo& info);
Napi::Value SgdUpdateF32(const Napi::CallbackInfo& info);
Napi::Value RmspropUpdateF32(const Napi::CallbackInfo& info);
Napi::Value AdagradUpdateF32(const Napi::CallbackInfo& info);
Napi::Value LstmCellF32(const Napi::CallbackInfo& info);
Napi::Value LstmCellBackwardF32(const Napi::CallbackInfo& info);
Napi::Value GruCellF32(const Napi::CallbackInfo& info);
Napi::Value GruCellBackwardF32(const Napi::CallbackInfo& info);
Napi::Value RnnCellF32(const Napi::CallbackInfo& info);
Napi::Value RnnCellBackwardF32(const Napi::CallbackInfo& info);
Napi::Value MlpTrainF32(const Napi::CallbackInfo& info);
Napi::Value MlpForwardF32(const Napi::CallbackInfo& info);
// CUDA (binding/cuda.cc): the same names in every build; without CUDA they throw.
Napi::Value CudaBufferClass(Napi::Env env);
Napi::Value CudaInfo(const Napi::CallbackInfo& info);
Napi::Value CudaLoadCublas(const Napi::CallbackInfo& info);
Napi::Value CudaUpload(const Napi::CallbackInfo& info);
Napi::Value CudaDownload(const Napi::CallbackInfo& info);
Napi::Value CudaCopy(const Napi::CallbackInfo& info);
Napi::Value CudaFill(const Napi::CallbackInfo& info);
Napi::Value CudaSynchronize(const Napi::CallbackInfo& info);
Napi::Value CudaGemm(const Napi::CallbackInfo& info);
Napi::Value CudaUnary(const Napi::CallbackInfo& info);
Napi::Value CudaBinary(const Napi::CallbackInfo& info);
Napi::Value CudaWhere(const Napi::CallbackInfo& info);
Napi::Value CudaBroadcast(const Napi::CallbackInfo& info);
Napi::Value CudaReduce(const Napi::CallbackInfo& info);
Napi::Value CudaArgmax(const Napi::CallbackInfo& info);
Napi::Value CudaSoftmax(const Napi::CallbackInfo& info);
Napi::Value CudaBiasActivation(const Napi::CallbackInfo& info);
Napi::Value CudaActivationBackward(const Napi::CallbackInfo& info);
Napi::Value CudaIm2col(const Napi::CallbackInfo& info);
Napi::Value CudaCol2im(const Napi::CallbackInfo& info);
Napi::Value CudaPool2d(const Napi::CallbackInfo& info);
Napi::Value CudaPool2dBackward(const Napi::CallbackInfo& info);
Napi::Value CudaAdamUpdate(const Napi::CallbackInfo& info);
Napi::Value CudaSgdUpdate(const Napi::CallbackInfo& info);
Napi::Value CudaCrossentropy(const Napi::CallbackInfo& info);
Napi::Value CudaCrossentropyBackward(const Napi::CallbackInfo& info);
Napi::Value CudaRmspropUpdate(const Napi::CallbackInfo& info);
Napi::Value CudaAdagradUpdate(const Napi::CallbackInfo& info);
}  // namespace tensile::binding
