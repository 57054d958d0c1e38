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

// A zero-copy view of an Int32Array argument (gather/scatter indices).
struct I32 {
  int32_t* data = nullptr;
  size_t length = 0;
  const char* name = "";
  const std::byte* begin() const { return reinterpret_cast<const std::byte*>(data); }
  const std::byte* end() const { return begin() + length * sizeof(int32_t); }
};

// An optional operand: null when the caller passed an empty array ("not needed").
inline float* optional(const F32& a) { return a.length == 0 ? nullptr : a.data; }

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* fn) : info_(info), fn_(fn) {}

  [[noreturn]] void fail(const std::string& what, bool range = false) const {
    std::string msg = std::string(fn_) + ": " + what;
    if (range) throw Napi::RangeError::New(info_.Env(), msg);
    throw Napi::TypeError::New(info_.Env(), msg);
  }

  void expectCount(size_t n) const {
    if (info_.Length() < n) fail("expected " + std::to_string(n) + " arguments, got " + std::to_string(info_.Length()));
  }

  // Each accessor makes one N-API call: a call costs tens of nanoseconds, and small kernels pay them all.
  F32 f32(size_t i, const char* name) const {
    size_t length = 0;
    void* data = typed(i, napi_float32_array, &length, name, " must be a Float32Array");
    return F32{static_cast<float*>(data), length, name};
  }

  // Argument i, a Float32Array, for bindings with a variable number of them; describe() names it in the error
  // (called only then: formatting a message per argument would cost more than a small kernel).
  template <class Describe>
  F32 f32Named(size_t i, const char* name, Describe&& describe) const {
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (napi_get_typedarray_info(info_.Env(), info_[i], &type, &length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_float32_array)
      fail(describe() + " must be a Float32Array");
    return F32{static_cast<float*>(data), length, name};
  }

  // A Float64Array argument's data, not copied: a kept call reads it each time it runs.
  const double* f64(size_t i, const char* name, size_t* length) const {
    return static_cast<const double*>(typed(i, napi_float64_array, length, name, " must be a Float64Array"));
  }

  I32 i32(size_t i, const char* name) const {
    size_t length = 0;
    void* data = typed(i, napi_int32_array, &length, name, " must be an Int32Array");
    return I32{static_cast<int32_t*>(data), length, name};
  }

  // A short list of integers in [0, max] (a shape, strides, a permutation) passed as a Float64Array,
  // copied out; at most Max entries.
  template <size_t Max>
  struct Ints {
    size_t size = 0;
    size_t data[Max];
    const size_t* begin() const { return data; }
    const size_t* end() const { return data + size; }
    size_t operator[](size_t k) const { return data[k]; }
  };
  template <size_t Max>
  Ints<Max> ints(size_t i, const char* name, double max) const {
    size_t length = 0;
    const double* in =
        static_cast<const double*>(typed(i, napi_float64_array, &length, name, " must be a Float64Array"));
    if (length > Max)
      fail(std::string(name) + " has " + std::to_string(length) + " entries, at most " + std::to_string(Max) +
               " supported",
           true);
    Ints<Max> out;
    out.size = length;
    for (size_t k = 0; k < length; ++k) {
      const double d = in[k];
      if (!std::isfinite(d) || d < 0 || d != std::floor(d) || d > max)
        fail(std::string(name) + "[" + std::to_string(k) + "] must be an integer in [0, " + num(max) + "], got " +
                 num(d),
             true);
      out.data[k] = size_t(d);
    }
    return out;
  }

  // A code from a closed list (op, activation, loss): an integer in [0, count); name says which argument.
  size_t code(size_t i, const char* name, size_t count) const {
    const double d = number(i, name);
    if (!(d >= 0 && d < double(count) && d == std::floor(d)))
      fail(std::string(name) + " code must be an integer in [0, " + std::to_string(count) + "), got " + num(d), true);
    return size_t(d);
  }

  // A non-negative integer dimension, at most INT32_MAX (BLAS takes int).
  size_t dim(size_t i, const char* name) const {
    const double d = number(i, name);
    if (!std::isfinite(d) || d < 0 || d != std::floor(d) || d > double(std::numeric_limits<int32_t>::max()))
      fail(std::string(name) + " must be an integer in [0, 2147483647], got " + num(d), true);
    return size_t(d);
  }

  double number(size_t i, const char* name) const {
    double d = 0;
    if (napi_get_value_double(info_.Env(), info_[i], &d) != napi_ok) fail(std::string(name) + " must be a number");
    return d;
  }

  bool flag(size_t i, const char* name) const {
    bool b = false;
    if (napi_get_value_bool(info_.Env(), info_[i], &b) != napi_ok) fail(std::string(name) + " must be a boolean");
    return b;
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

  // Two views must not share a byte (any element types; an empty view overlaps nothing).
  template <class A, class B>
  void expectApart(const A& a, const B& b) const {
    if (a.length != 0 && b.length != 0 && a.begin() < b.end() && b.begin() < a.end())
      fail(std::string(a.name) + " must not overlap " + b.name);
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
  // The data and length of typed array argument i, which must be of the given type (else fail with what).
  void* typed(size_t i, napi_typedarray_type want, size_t* length, const char* name, const char* what) const {
    napi_typedarray_type type;
    void* data = nullptr;
    if (napi_get_typedarray_info(info_.Env(), info_[i], &type, length, &data, nullptr, nullptr) != napi_ok ||
        type != want)
      fail(std::string(name) + what);
    return data;
  }
  const Napi::CallbackInfo& info_;
  const char* fn_;
};

}  // namespace tensile::binding
