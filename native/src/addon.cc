// Module init: registers the bindings, nothing else. Context-aware (NODE_API_MODULE
// with node-addon-api): no global JS state, so the addon loads in worker_threads.
#include <napi.h>

#include "binding/bindings.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace tensile::binding;
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("gemmF32", Napi::Function::New(env, GemmF32, "gemmF32"));
  exports.Set("denseF32", Napi::Function::New(env, DenseF32, "denseF32"));
  exports.Set("denseBackwardF32", Napi::Function::New(env, DenseBackwardF32, "denseBackwardF32"));
  exports.Set("conv2dF32", Napi::Function::New(env, Conv2dF32, "conv2dF32"));
  exports.Set("conv2dBackwardF32", Napi::Function::New(env, Conv2dBackwardF32, "conv2dBackwardF32"));
  exports.Set("maxPool2dF32", Napi::Function::New(env, MaxPool2dF32, "maxPool2dF32"));
  exports.Set("avgPool2dF32", Napi::Function::New(env, AvgPool2dF32, "avgPool2dF32"));
  exports.Set("maxPool2dBackwardF32", Napi::Function::New(env, MaxPool2dBackwardF32, "maxPool2dBackwardF32"));
  exports.Set("avgPool2dBackwardF32", Napi::Function::New(env, AvgPool2dBackwardF32, "avgPool2dBackwardF32"));
  exports.Set("opNames", Napi::Function::New(env, OpNames, "opNames"));
  exports.Set("unaryF32", Napi::Function::New(env, UnaryF32, "unaryF32"));
  exports.Set("binaryF32", Napi::Function::New(env, BinaryF32, "binaryF32"));
  exports.Set("whereF32", Napi::Function::New(env, WhereF32, "whereF32"));
  exports.Set("broadcastF32", Napi::Function::New(env, BroadcastF32, "broadcastF32"));
  exports.Set("reduceF32", Napi::Function::New(env, ReduceF32, "reduceF32"));
  exports.Set("argmaxF32", Napi::Function::New(env, ArgmaxF32, "argmaxF32"));
  exports.Set("softmaxF32", Napi::Function::New(env, SoftmaxF32, "softmaxF32"));
  exports.Set("maskedSoftmaxF32", Napi::Function::New(env, MaskedSoftmaxF32, "maskedSoftmaxF32"));
  exports.Set("softmaxBackwardF32", Napi::Function::New(env, SoftmaxBackwardF32, "softmaxBackwardF32"));
  exports.Set("layerNormF32", Napi::Function::New(env, LayerNormF32, "layerNormF32"));
  exports.Set("layerNormBackwardF32", Napi::Function::New(env, LayerNormBackwardF32, "layerNormBackwardF32"));
  exports.Set("batchNormF32", Napi::Function::New(env, BatchNormF32, "batchNormF32"));
  exports.Set("batchNormBackwardF32", Napi::Function::New(env, BatchNormBackwardF32, "batchNormBackwardF32"));
  exports.Set("movingAverageF32", Napi::Function::New(env, MovingAverageF32, "movingAverageF32"));
  exports.Set("gemmBatchedF32", Napi::Function::New(env, GemmBatchedF32, "gemmBatchedF32"));
  exports.Set("transposeF32", Napi::Function::New(env, TransposeF32, "transposeF32"));
  exports.Set("gatherF32", Napi::Function::New(env, GatherF32, "gatherF32"));
  exports.Set("scatterAddF32", Napi::Function::New(env, ScatterAddF32, "scatterAddF32"));
  exports.Set("adamUpdateF32", Napi::Function::New(env, AdamUpdateF32, "adamUpdateF32"));
  exports.Set("sgdUpdateF32", Napi::Function::New(env, SgdUpdateF32, "sgdUpdateF32"));
  exports.Set("rmspropUpdateF32", Napi::Function::New(env, RmspropUpdateF32, "rmspropUpdateF32"));
  exports.Set("adagradUpdateF32", Napi::Function::New(env, AdagradUpdateF32, "adagradUpdateF32"));
  exports.Set("lstmCellF32", Napi::Function::New(env, LstmCellF32, "lstmCellF32"));
  exports.Set("lstmCellBackwardF32", Napi::Function::New(env, LstmCellBackwardF32, "lstmCellBackwardF32"));
  exports.Set("gruCellF32", Napi::Function::New(env, GruCellF32, "gruCellF32"));
  exports.Set("gruCellBackwardF32", Napi::Function::New(env, GruCellBackwardF32, "gruCellBackwardF32"));
  exports.Set("rnnCellF32", Napi::Function::New(env, RnnCellF32, "rnnCellF32"));
  exports.Set("rnnCellBackwardF32", Napi::Function::New(env, RnnCellBackwardF32, "rnnCellBackwardF32"));
  exports.Set("mlpTrainF32", Napi::Function::New(env, MlpTrainF32, "mlpTrainF32"));
  exports.Set("mlpForwardF32", Napi::Function::New(env, MlpForwardF32, "mlpForwardF32"));
  exports.Set("CudaBuffer", CudaBufferClass(env));
  exports.Set("cudaInfo", Napi::Function::New(env, CudaInfo, "cudaInfo"));
  exports.Set("cudaLoadCublas", Napi::Function::New(env, CudaLoadCublas, "cudaLoadCublas"));
  exports.Set("cudaUpload", Napi::Function::New(env, CudaUpload, "cudaUpload"));
  exports.Set("cudaDownload", Napi::Function::New(env, CudaDownload, "cudaDownload"));
  exports.Set("cudaCopy", Napi::Function::New(env, CudaCopy, "cudaCopy"));
  exports.Set("cudaFill", Napi::Function::New(env, CudaFill, "cudaFill"));
  exports.Set("cudaSynchronize", Napi::Function::New(env, CudaSynchronize, "cudaSynchronize"));
  exports.Set("cudaGemm", Napi::Function::New(env, CudaGemm, "cudaGemm"));
  exports.Set("cudaUnary", Napi::Function::New(env, CudaUnary, "cudaUnary"));
  exports.Set("cudaBinary", Napi::Function::New(env, CudaBinary, "cudaBinary"));
  exports.Set("cudaWhere", Napi::Function::New(env, CudaWhere, "cudaWhere"));
  exports.Set("cudaBroadcast", Napi::Function::New(env, CudaBroadcast, "cudaBroadcast"));
  exports.Set("cudaReduce", Napi::Function::New(env, CudaReduce, "cudaReduce"));
  exports.Set("cudaArgmax", Napi::Function::New(env, CudaArgmax, "cudaArgmax"));
  exports.Set("cudaSoftmax", Napi::Function::New(env, CudaSoftmax, "cudaSoftmax"));
  exports.Set("cudaBiasActivation", Napi::Function::New(env, CudaBiasActivation, "cudaBiasActivation"));
  exports.Set("cudaActivationBackward", Napi::Function::New(env, CudaActivationBackward, "cudaActivationBackward"));
  exports.Set("cudaIm2col", Napi::Function::New(env, CudaIm2col, "cudaIm2col"));
  exports.Set("cudaCol2im", Napi::Function::New(env, CudaCol2im, "cudaCol2im"));
  exports.Set("cudaPool2d", Napi::Function::New(env, CudaPool2d, "cudaPool2d"));
  exports.Set("cudaPool2dBackward", Napi::Function::New(env, CudaPool2dBackward, "cudaPool2dBackward"));
  exports.Set("cudaAdamUpdate", Napi::Function::New(env, CudaAdamUpdate, "cudaAdamUpdate"));
  exports.Set("cudaSgdUpdate", Napi::Function::New(env, CudaSgdUpdate, "cudaSgdUpdate"));
  exports.Set("cudaCrossentropy", Napi::Function::New(env, CudaCrossentropy, "cudaCrossentropy"));
  exports.Set("cudaCrossentropyBackward",
              Napi::Function::New(env, CudaCrossentropyBackward, "cudaCrossentropyBackward"));
  exports.Set("cudaRmspropUpdate", Napi::Function::New(env, CudaRmspropUpdate, "cudaRmspropUpdate"));
  exports.Set("cudaAdagradUpdate", Napi::Function::New(env, CudaAdagradUpdate, "cudaAdagradUpdate"));
  return exports;
}
}  // namespace

NODE_API_MODULE(tensile, Init)
