// The closed sets of element-wise and reduction kernels. The order is the wire format of op
// codes across N-API: lib/backend/kinds.ts lists the same names in the same order, and
// test/native/surface.test.ts compares them through the addon's opNames().
#pragma once
#include <cstddef>

namespace tensile::cpu {

enum class UnaryOp { Neg, Exp, Log, Sqrt, Abs, Square, Relu, Sigmoid, Tanh, Step, Sign };
inline constexpr const char* kUnaryNames[] = {"neg",  "exp",     "log",  "sqrt", "abs", "square",
                                              "relu", "sigmoid", "tanh", "step", "sign"};

enum class BinaryOp { Add, Sub, Mul, Div, Pow, Maximum, Minimum, Equal, Greater, GreaterEqual, Less, LessEqual };
inline constexpr const char* kBinaryNames[] = {"add",     "sub",   "mul",     "div",          "pow",  "maximum",
                                               "minimum", "equal", "greater", "greaterEqual", "less", "lessEqual"};

enum class ReduceOp { Sum, Max, Min };
inline constexpr const char* kReduceNames[] = {"sum", "max", "min"};

// Activations a dense layer fuses into its GEMM (forward) and its gradient (backward).
enum class DenseAct { Linear, Relu, Sigmoid, Tanh, Softmax };
inline constexpr const char* kDenseActNames[] = {"linear", "relu", "sigmoid", "tanh", "softmax"};

inline constexpr size_t kUnaryCount = sizeof(kUnaryNames) / sizeof(kUnaryNames[0]);
inline constexpr size_t kBinaryCount = sizeof(kBinaryNames) / sizeof(kBinaryNames[0]);
inline constexpr size_t kReduceCount = sizeof(kReduceNames) / sizeof(kReduceNames[0]);
inline constexpr size_t kDenseActCount = sizeof(kDenseActNames) / sizeof(kDenseActNames[0]);
static_assert(kDenseActCount == size_t(DenseAct::Softmax) + 1, "kDenseActNames lists every DenseAct");
static_assert(kUnaryCount == size_t(UnaryOp::Sign) + 1, "kUnaryNames lists every UnaryOp");
static_assert(kBinaryCount == size_t(BinaryOp::LessEqual) + 1, "kBinaryNames lists every BinaryOp");
static_assert(kReduceCount == size_t(ReduceOp::Min) + 1, "kReduceNames lists every ReduceOp");

}  // namespace tensile::cpu
