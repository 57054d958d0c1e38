// The CUDA bindings' memory side: the device buffer object, what the build and machine offer (cudaInfo,
// cudaLoadCublas), and copies between host and device. A device operand travels as three arguments (buffer,
// offset, length in elements), checked against the buffer before any kernel sees a pointer. In a build without
// CUDA every function exists and throws.
#include <string>
#include <vector>

#include "../kernels/cuda/cuda.h"
#include "args.h"
#include "bindings.h"
#include "cuda_args.h"

namespace tensile::binding {

namespace {

// Marks objects made by CudaBuffer, so a look-alike object is never taken for one.
constexpr napi_type_tag kBufferTag = {0x7e45f1a2c3b4d5e6ULL, 0x9a8b7c6d5e4f3a2bULL};

// Device memory owned by a JS object: freed by dispose() (idempotent) or by the finalizer.
class CudaBuffer : public Napi::ObjectWrap<CudaBuffer> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "CudaBuffer",
        {InstanceAccessor<&CudaBuffer::Length>("length"), InstanceAccessor<&CudaBuffer::Disposed>("disposed"),
         InstanceMethod<&CudaBuffer::Dispose>("dispose")});
  }

  explicit CudaBuffer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CudaBuffer>(info) {
    Args args(info, "CudaBuffer");
    args.expectCount(1);
    length_ = args.dim(0, "length");
    try {
      data_ = cuda::alloc(length_);
    } catch (const cuda::Error& e) {
      args.fail(e.what());
    }
    // V8 cannot see device memory: tell it, so that garbage collection runs when buffers pile up.
    Napi::MemoryManagement::AdjustExternalMemory(info.Env(), int64_t(length_ * sizeof(float)));
    info.This().As<Napi::Object>().TypeTag(&kBufferTag);
  }
  ~CudaBuffer() override { release(Env()); }

  float* data() const { return data_; }
  size_t length() const { return length_; }
  bool disposed() const { return disposed_; }

 private:
  void release(Napi::Env env) {
    if (disposed_) return;
    disposed_ = true;
    cuda::free(data_);
    data_ = nullptr;
    Napi::MemoryManagement::AdjustExternalMemory(env, -int64_t(length_ * sizeof(float)));
  }
  Napi::Value Length(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(length_)); }
  Napi::Value Disposed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), disposed_); }
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    release(info.Env());
    return info.Env().Undefined();
  }

  float* data_ = nullptr;
  size_t length_ = 0;
  bool disposed_ = false;
};

Napi::Object cublas_object(Napi::Env env, const cuda::CublasInfo& c) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("loaded", c.loaded);
  o.Set("path", c.path);
  o.Set("version", c.version);
  o.Set("error", c.error);
  return o;
}

}  // namespace

// Device operand i: arguments i, i+1, i+2 = (CudaBuffer, offset, length). The view is an F32 whose
// data is a device pointer, so the CPU bindings' length and overlap checks apply unchanged.
F32 device(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name) {
  const Napi::Value v = info[i];
  if (!v.IsObject() || !v.As<Napi::Object>().CheckTypeTag(&kBufferTag))
    args.fail(std::string(name) + " must be a CudaBuffer");
  const CudaBuffer* buf = CudaBuffer::Unwrap(v.As<Napi::Object>());
  if (buf->disposed()) args.fail(std::string(name) + " was disposed");
  const size_t offset = args.dim(i + 1, "offset"), length = args.dim(i + 2, "length");
  if (offset > buf->length() || length > buf->length() - offset)
    args.fail(std::string(name) + " [" + std::to_string(offset) + ", " + std::to_string(offset + length) +
                  ") lies outside its buffer of " + std::to_string(buf->length()) + " elements",
              true);
  return F32{buf->data() == nullptr ? nullptr : buf->data() + offset, length, name};
}

// cudaInfo(): what the build and the machine offer. Never throws.
Napi::Value CudaInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const cuda::RuntimeInfo r = cuda::runtime_info();
  Napi::Object o = Napi::Object::New(env);
  o.Set("built", r.built);
  o.Set("runtimeVersion", r.runtime_version);
  o.Set("driverVersion", r.driver_version);
  o.Set("status", r.status);
  Napi::Array devices = Napi::Array::New(env, r.devices.size());
  for (size_t i = 0; i < r.devices.size(); ++i) {
    const cuda::Device& d = r.devices[i];
    Napi::Object dev = Napi::Object::New(env);
    dev.Set("index", d.index);
    dev.Set("name", d.name);
    dev.Set("computeCapability", std::to_string(d.major) + "." + std::to_string(d.minor));
    dev.Set("memory", double(d.memory));
    dev.Set("multiprocessors", d.multiprocessors);
    devices.Set(uint32_t(i), dev);
  }
  o.Set("devices", devices);
  o.Set("cublas", cublas_object(env, cuda::cublas_info()));
  return o;
}

// cudaLoadCublas(candidates: string[]): dlopen the first that works; returns the cuBLAS part of cudaInfo().
Napi::Value CudaLoadCublas(const Napi::CallbackInfo& info) {
  Args args(info, "cudaLoadCublas");
  args.expectCount(1);
  if (!info[0].IsArray()) args.fail("candidates must be an array of strings");
  const Napi::Array list = info[0].As<Napi::Array>();
  std::vector<std::string> paths;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    const Napi::Value v = list.Get(i);
    if (!v.IsString()) args.fail("candidates[" + std::to_string(i) + "] must be a string");
    paths.push_back(v.As<Napi::String>().Utf8Value());
  }
  return cublas_object(info.Env(), cuda::load_cublas(paths));
}

Napi::Value CudaBufferClass(Napi::Env env) { return CudaBuffer::Define(env); }

// cudaUpload(dst(3), src: Float32Array): src.length must equal the view's length.
Napi::Value CudaUpload(const Napi::CallbackInfo& info) {
  Args args(info, "cudaUpload");
  args.expectCount(4);
  F32 dst = device(args, info, 0, "dst"), src = args.f32(3, "src");
  args.expectLength(src, dst.length, "the view's length");
  return run(args, info, [&] { cuda::upload(dst.data, src.data, src.length); });
}

// cudaDownload(src(3), dst: Float32Array).
Napi::Value CudaDownload(const Napi::CallbackInfo& info) {
  Args args(info, "cudaDownload");
  args.expectCount(4);
  F32 src = device(args, info, 0, "src"), dst = args.f32(3, "dst");
  args.expectLength(dst, src.length, "the view's length");
  return run(args, info, [&] { cuda::download(dst.data, src.data, dst.length); });
}

// cudaCopy(dst(3), src(3)): equal lengths, not overlapping.
Napi::Value CudaCopy(const Napi::CallbackInfo& info) {
  Args args(info, "cudaCopy");
  args.expectCount(6);
  F32 dst = device(args, info, 0, "dst"), src = device(args, info, 3, "src");
  args.expectLength(src, dst.length, "dst's length");
  args.expectDistinct(dst, {&src});
  return run(args, info, [&] { cuda::copy(dst.data, src.data, dst.length); });
}

// cudaFill(dst(3), value).
Napi::Value CudaFill(const Napi::CallbackInfo& info) {
  Args args(info, "cudaFill");
  args.expectCount(4);
  F32 dst = device(args, info, 0, "dst");
  const float v = float(args.number(3, "value"));
  return run(args, info, [&] { cuda::fill(dst.data, dst.length, v); });
}

Napi::Value CudaSynchronize(const Napi::CallbackInfo& info) {
  Args args(info, "cudaSynchronize");
  return run(args, info, [] { cuda::synchronize(); });
}

}  // namespace tensile::binding
