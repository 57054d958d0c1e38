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
}  // namespace tensile::binding
