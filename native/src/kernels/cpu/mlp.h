// Training steps of a stack of dense layers, fused: for each batch, forward through every layer, the loss
// and its metric on the last layer's output, every layer's gradients and (given a rule) the optimizer's
// update, in one call for many batches. The arithmetic is the dense, dense_backward, crossentropy and
// optimizer kernels' own, so the steps match the op-by-op path to rounding.
#pragma once
#include <cstddef>
#include <cstdint>

#include "kinds.h"
#include "optimizers.h"

namespace tensile::cpu {

struct MlpLayer {
  float* w;   // [k, n]; written by the update
  float* b;   // [n], or null
  float* dw;  // [k, n], or null in every layer: no gradients
  float* db;  // [n], or null
  size_t k, n;
  DenseAct act;
  float* w_slots[kMaxSlots];  // the rule's slots for w and b (optimizers.h); unused ones may be null
  float* b_slots[kMaxSlots];
};

// Keras' losses on probabilities (crossentropies clipped to [eps, 1 − eps]) or on values (mse).
enum class MlpLoss { BinaryCrossentropy, CategoricalCrossentropy, MeanSquaredError };
inline constexpr const char* kMlpLossNames[] = {"binaryCrossentropy", "categoricalCrossentropy", "meanSquaredError"};
inline constexpr size_t kMlpLossCount = sizeof(kMlpLossNames) / sizeof(kMlpLossNames[0]);
static_assert(kMlpLossCount == size_t(MlpLoss::MeanSquaredError) + 1, "kMlpLossNames lists every MlpLoss");
enum class MlpMetric { None, BinaryAccuracy, CategoricalAccuracy };
inline constexpr const char* kMlpMetricNames[] = {"none", "binaryAccuracy", "categoricalAccuracy"};
inline constexpr size_t kMlpMetricCount = sizeof(kMlpMetricNames) / sizeof(kMlpMetricNames[0]);
static_assert(kMlpMetricCount == size_t(MlpMetric::CategoricalAccuracy) + 1, "kMlpMetricNames lists every MlpMetric");

// The samples: x [rows, layers[0].k], y [rows, layers[count−1].n]; batch j takes rows order[start + j·batch …]
// (order null: the rows in order), the last batch cut at rows.
struct MlpData {
  const float* x;
  const float* y;
  size_t rows;
  const int32_t* order;  // [rows], each in [0, rows), or null
};
struct MlpBatches {
  size_t start, batch, steps;  // start + (steps − 1)·batch < rows
};

// Runs `steps` batches. out[2j], out[2j+1] ← batch j's loss and metric (means over its rows; metric 0 with
// MlpMetric::None). Every dw/db holds the last batch's gradients; with a rule, every w and b (and their slots)
// took one update per batch, Adam's t counting from rule->adam.t; without one, the weights are not touched.
// Every dw null (evaluation): forward, loss and metric only, and no rule.
void mlp_train(const MlpData& data, const MlpLayer* layers, size_t count, const MlpBatches& batches, MlpLoss loss,
               float eps, MlpMetric metric, const UpdateRule* rule, double* out);

// Inference: out [rows, layers[count−1].n] = the stack applied to x [rows, layers[0].k], layer by layer through
// dense() (w and b of each layer read; dw, db and slots ignored). One row through a stack whose first two layers
// are large, with linear or relu activations, runs that pair on two threads (parallel.h): each computes half of
// layer 0's columns and its share of layer 1's sums, one join for both layers. Predicting one sample reads every
// weight once, so it is bound by memory bandwidth, which the second core nearly doubles (W6 of BENCH.md).
void mlp_forward(const float* x, const MlpLayer* layers, size_t count, size_t rows, float* out) noexcept;

}  // namespace tensile::cpu
