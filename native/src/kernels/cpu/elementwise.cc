#include "elementwise.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "multiversion.h"
#include "transcendental.h"

namespace tensile::cpu {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// ---- unary: one functor per op, one loop per functor --------------------------------------
struct Neg {
  static float f(float x) noexcept { return -x; }
};
struct Exp {
  static float f(float x) noexcept { return exp_f32(x); }
};
struct Log {
  static float f(float x) noexcept { return std::log(x); }
};
struct Sqrt {
  static float f(float x) noexcept { return std::sqrt(x); }
};
struct Abs {
  static float f(float x) noexcept { return std::fabs(x); }
};
struct Square {
  static float f(float x) noexcept { return x * x; }
};
struct Relu {
  static float f(float x) noexcept { return x > 0 ? x : (x != x ? x : 0.0f); }
};  // NaN stays NaN
struct Sigmoid {
  static float f(float x) noexcept { return sigmoid_f32(x); }
};
struct Tanh {
  static float f(float x) noexcept { return tanh_f32(x); }
};
struct Step {
  static float f(float x) noexcept { return x > 0 ? 1.0f : (x != x ? x : 0.0f); }
};
struct Sign {
  static float f(float x) noexcept { return x > 0 ? 1.0f : (x < 0 ? -1.0f : x); }
};  // keeps ±0, NaN

template <class F>
void map(const float* __restrict x, float* __restrict out, size_t n) noexcept {
  for (size_t i = 0; i < n; ++i) out[i] = F::f(x[i]);
}

// ---- binary ---------------------------------------------------------------------------------
// Math.pow, not C's pow: x^NaN is NaN, and (±1)^±Infinity is NaN. Computed in double as the reference.
inline float pow_js(float a, float b) noexcept {
  if (b != b || ((a == 1.0f || a == -1.0f) && std::isinf(b))) return kNaN;
  return float(std::pow(double(a), double(b)));
}

struct Add {
  static float f(float a, float b) noexcept { return a + b; }
};
struct Sub {
  static float f(float a, float b) noexcept { return a - b; }
};
struct Mul {
  static float f(float a, float b) noexcept { return a * b; }
};
struct Div {
  static float f(float a, float b) noexcept { return a / b; }
};
struct Pow {
  static float f(float a, float b) noexcept { return pow_js(a, b); }
};
// NaN in either operand propagates, as in NumPy's maximum/minimum.
struct Maximum {
  static float f(float a, float b) noexcept { return a != a || b != b ? kNaN : (a > b ? a : b); }
};
struct Minimum {
  static float f(float a, float b) noexcept { return a != a || b != b ? kNaN : (a < b ? a : b); }
};
struct Equal {
  static float f(float a, float b) noexcept { return a == b ? 1.0f : 0.0f; }
};
struct Greater {
  static float f(float a, float b) noexcept { return a > b ? 1.0f : 0.0f; }
};
struct GreaterEqual {
  static float f(float a, float b) noexcept { return a >= b ? 1.0f : 0.0f; }
};
struct Less {
  static float f(float a, float b) noexcept { return a < b ? 1.0f : 0.0f; }
};
struct LessEqual {
  static float f(float a, float b) noexcept { return a <= b ? 1.0f : 0.0f; }
};

// One innermost run: same-shape, scalar operand (either side) and general strides, so that the
// common cases ([n]+[n], [n]+[1], [rows, cols]+[cols], [n,1]+[1,m]) are unit-stride loops.
template <class F>
void binary_row(const float* a, size_t sa, const float* b, size_t sb, float* __restrict out, size_t n) noexcept {
  if (sa == 1 && sb == 1) {
    for (size_t i = 0; i < n; ++i) out[i] = F::f(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const float bv = *b;
    for (size_t i = 0; i < n; ++i) out[i] = F::f(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const float av = *a;
    for (size_t i = 0; i < n; ++i) out[i] = F::f(av, b[i]);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = F::f(a[i * sa], b[i * sb]);
  }
}

template <class F>
void binary_plan(const float* a, const float* b, float* out, const Strided<2>& plan) noexcept {
  for_each_row(plan, [&](size_t o, const auto& offs, size_t n, const auto& s) {
    binary_row<F>(a + offs[0], s[0], b + offs[1], s[1], out + o, n);
  });
}

}  // namespace

TENSILE_MULTIVERSION void unary(UnaryOp op, const float* x, float* out, size_t n) noexcept {
  switch (op) {
    case UnaryOp::Neg: return map<Neg>(x, out, n);
    case UnaryOp::Exp: return map<Exp>(x, out, n);
    case UnaryOp::Log: return map<Log>(x, out, n);
    case UnaryOp::Sqrt: return map<Sqrt>(x, out, n);
    case UnaryOp::Abs: return map<Abs>(x, out, n);
    case UnaryOp::Square: return map<Square>(x, out, n);
    case UnaryOp::Relu: return map<Relu>(x, out, n);
    case UnaryOp::Sigmoid: return map<Sigmoid>(x, out, n);
    case UnaryOp::Tanh: return map<Tanh>(x, out, n);
    case UnaryOp::Step: return map<Step>(x, out, n);
    case UnaryOp::Sign: return map<Sign>(x, out, n);
  }
}

TENSILE_MULTIVERSION void binary(BinaryOp op, const float* a, const float* b, float* out,
                                 const Strided<2>& plan) noexcept {
  switch (op) {
    case BinaryOp::Add: return binary_plan<Add>(a, b, out, plan);
    case BinaryOp::Sub: return binary_plan<Sub>(a, b, out, plan);
    case BinaryOp::Mul: return binary_plan<Mul>(a, b, out, plan);
    case BinaryOp::Div: return binary_plan<Div>(a, b, out, plan);
    case BinaryOp::Pow: return binary_plan<Pow>(a, b, out, plan);
    case BinaryOp::Maximum: return binary_plan<Maximum>(a, b, out, plan);
    case BinaryOp::Minimum: return binary_plan<Minimum>(a, b, out, plan);
    case BinaryOp::Equal: return binary_plan<Equal>(a, b, out, plan);
    case BinaryOp::Greater: return binary_plan<Greater>(a, b, out, plan);
    case BinaryOp::GreaterEqual: return binary_plan<GreaterEqual>(a, b, out, plan);
    case BinaryOp::Less: return binary_plan<Less>(a, b, out, plan);
    case BinaryOp::LessEqual: return binary_plan<LessEqual>(a, b, out, plan);
  }
}

TENSILE_MULTIVERSION void where(const float* cond, const float* a, const float* b, float* out,
                                const Strided<3>& plan) noexcept {
  for_each_row(plan, [&](size_t o, const auto& offs, size_t n, const auto& s) {
    const float* __restrict c = cond + offs[0];
    const float* __restrict x = a + offs[1];
    const float* __restrict y = b + offs[2];
    float* __restrict dst = out + o;
    if (s[0] == 1 && s[1] == 1 && s[2] == 1) {
      for (size_t i = 0; i < n; ++i) dst[i] = c[i] != 0 ? x[i] : y[i];
    } else {
      for (size_t i = 0; i < n; ++i) dst[i] = c[i * s[0]] != 0 ? x[i * s[1]] : y[i * s[2]];
    }
  });
}

void broadcast(const float* x, float* out, const Strided<1>& plan) noexcept {
  for_each_row(plan, [&](size_t o, const auto& offs, size_t n, const auto& s) {
    const float* src = x + offs[0];
    float* __restrict dst = out + o;
    if (s[0] == 1) {
      std::memcpy(dst, src, n * sizeof(float));
    } else if (s[0] == 0) {
      const float v = *src;
      for (size_t i = 0; i < n; ++i) dst[i] = v;
    } else {
      for (size_t i = 0; i < n; ++i) dst[i] = src[i * s[0]];
    }
  });
}

}  // namespace tensile::cpu
