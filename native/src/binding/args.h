// Argument checking for every binding: typed arrays viewed without copying,
// dimensions validated before any kernel sees them. Errors name the function.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>

namespace tensile::binding {

// A zero-copy view of a Float32Array argument.
struct F32 {
  float* data = nullptr;
  size_t length = 0;
  const char* name = "";
  const std::byte* begin() const { return reinterpret_cast<const std::byte*>(data); }
  const std::byte* end() const { return begin() + length * sizeof(float); }
};

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* fn) : info_(info), fn_(fn) {}

  [[noreturn]] void fail(const std::string& what, bool range = false) const {
    std::string msg = std::string(fn_) + ": " + what;
    if (range) throw Napi::RangeError::New(info_.Env(), msg);
    throw Napi::TypeError::New(info_.Env(), msg);
  }

  void expectCount(size_t n) const {
    if (info_.Length() < n)
      fail("expected " + std::to_string(n) + " arguments, got " + std::to_string(info_.Length()));
  }

  F32 f32(size_t i, const char* name) const {
    Napi::Value v = info_[i];
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
      fail(std::string(name) + " must be a Float32Array");
    auto arr = v.As<Napi::Float32Array>();
    return F32{arr.Data(), arr.ElementLength(), name};
  }

  // A non-negative integer dimension, at most INT32_MAX (BLAS takes int).
  size_t dim(size_t i, const char* name) const {
    Napi::Value v = info_[i];
    if (!v.IsNumber()) fail(std::string(name) + " must be a number");
    const double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || d < 0 || d != std::floor(d) || d > double(std::numeric_limits<int32_t>::max()))
      fail(std::string(name) + " must be an integer in [0, 2147483647], got " + num(d), true);
    return size_t(d);
  }

  double number(size_t i, const char* name) const {
    Napi::Value v = info_[i];
    if (!v.IsNumber()) fail(std::string(name) + " must be a number");
    return v.As<Napi::Number>().DoubleValue();
  }

  bool flag(size_t i, const char* name) const {
    Napi::Value v = info_[i];
    if (!v.IsBoolean()) fail(std::string(name) + " must be a boolean");
    return v.As<Napi::Boolean>().Value();
  }

  // a*b without overflow (both already ≤ INT32_MAX, so a size_t product of two fits; three may not).
  size_t product(std::initializer_list<size_t> dims, const char* what) const {
    size_t p = 1;
    for (size_t d : dims) {
      if (d != 0 && p > std::numeric_limits<size_t>::max() / d) fail(std::string(what) + " overflows", true);
      p *= d;
    }
    return p;
  }

  void expectLength(const F32& a, size_t n, const char* expr) const {
    if (a.length != n)
      fail(std::string(a.name) + " has " + std::to_string(a.length) + " elements, expected " + expr + " = " +
               std::to_string(n),
           true);
  }

  // out must not share any byte with an input: kernels write while they read.
  void expectDistinct(const F32& out, std::initializer_list<const F32*> inputs) const {
    for (const F32* in : inputs) {
      if (out.length == 0 || in->length == 0) continue;
      if (out.begin() < in->end() && in->begin() < out.end())
        fail(std::string(out.name) + " must not overlap " + in->name);
    }
  }

 private:
  static std::string num(double d) {
    if (std::isnan(d)) return "NaN";
    std::string s = std::to_string(d);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  const Napi::CallbackInfo& info_;
  const char* fn_;
};

}  // namespace tensile::binding
