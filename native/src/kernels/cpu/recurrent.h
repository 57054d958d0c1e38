// The element-wise part of one recurrent step, fused into one pass each way: the gate nonlinearities
// and state update of an LSTM, GRU (reset_after, Keras 2/3's default) or SimpleRNN cell; GRU's reset-before
// form (Keras 1, tfjs-layers) in two passes each way, around its second GEMM. The GEMMs around them (input
// projection, recurrent products) are separate gemm() calls made by the caller.
// Every buffer is row-major [batch, width]; gate blocks follow Keras: LSTM i, f, c, o; GRU z, r, h.
// mask is null (every row steps) or [batch] of 0/1: a 0 row carries its state through unchanged.
// Sizes are validated by the caller; outputs never overlap inputs, except where a buffer is in/out.
#pragma once
#include <cstddef>

namespace tensile::cpu {

// The activations a recurrent cell fuses; each derivative is a function of the activation's output.
// The order is the wire format of lib/backend/kinds.ts' RNN_ACTIVATIONS.
enum class RnnAct { Linear, Relu, Sigmoid, Tanh, HardSigmoid };
inline constexpr const char* kRnnActNames[] = {"linear", "relu", "sigmoid", "tanh", "hardSigmoid"};
inline constexpr size_t kRnnActCount = sizeof(kRnnActNames) / sizeof(kRnnActNames[0]);
static_assert(kRnnActCount == size_t(RnnAct::HardSigmoid) + 1, "kRnnActNames lists every RnnAct");

struct RnnDims {
  size_t batch, units;
};

// gates [B, 4U]: pre-activations in, activations (i, f, g, o) out. c = f·c_prev + i·g, h = o·act(c).
void lstm_cell(float* gates, const float* c_prev, const float* h_prev, const float* mask, float* c, float* h, RnnDims d,
               RnnAct act, RnnAct rec_act) noexcept;
// From the saved activations and c_prev, c: dgates [B, 4U] (pre-activation gradients).
// dh [B, U]: in, dL/dh_t less dh_out (null: none); out, the part that flows straight to h_{t−1} (masked rows).
// dc [B, U]: in dL/dc_t, out dL/dc_{t−1}. The caller adds dgates·Uᵀ to dh.
void lstm_cell_backward(const float* gates, const float* c_prev, const float* c, const float* mask, const float* dh_out,
                        float* dh, float* dc, float* dgates, RnnDims d, RnnAct act, RnnAct rec_act) noexcept;

// gates [B, 3U]: x·W + b_input in, activations (z, r, ĥ) out. rec [B, 3U]: h_prev·U in, plus rec_bias
// (null: none) out. z = σ(x_z + rec_z), r = σ(x_r + rec_r), ĥ = act(x_h + r·rec_h), h = z·h_prev + (1 − z)·ĥ.
void gru_cell(float* gates, float* rec, const float* rec_bias, const float* h_prev, const float* mask, float* h,
              RnnDims d, RnnAct act, RnnAct rec_act) noexcept;
// dgates [B, 3U]: gradients of x_z, x_r, x_h; drec [B, 3U]: of rec_z, rec_r, rec_h. dh as for lstm.
void gru_cell_backward(const float* gates, const float* rec, const float* h_prev, const float* mask,
                       const float* dh_out, float* dh, float* dgates, float* drec, RnnDims d, RnnAct act,
                       RnnAct rec_act) noexcept;

// gates [B, U]: x·W + b + h_prev·U in, act(·) out; h = gates (or h_prev on masked rows).
void rnn_cell(float* gates, const float* h_prev, const float* mask, float* h, RnnDims d, RnnAct act) noexcept;
void rnn_cell_backward(const float* gates, const float* mask, const float* dh_out, float* dh, float* dgates, RnnDims d,
                       RnnAct act) noexcept;

// GRU, reset before (r multiplies h_in = h_prev times the recurrent mask, before the candidate's product). Forward:
// gates [B, 3U]: x·W + b in; z, r = rec_act(x_zr + zr) out over the first 2U (zr [B, 2U] = h_in·U_zr); rh = r·h_in.
void gru_reset_gates(float* gates, const float* zr, const float* h_in, float* rh, RnnDims d, RnnAct rec_act) noexcept;
// ĥ = act(x_h + rec_h) out over the last U of gates (rec_h [B, U] = rh·U_h); h = z·h_prev + (1 − z)·ĥ.
void gru_reset_cell(float* gates, const float* rec_h, const float* h_prev, const float* mask, float* h, RnnDims d,
                    RnnAct act) noexcept;
// Backward. dh [B, U]: in, the carried dL/dh_t, plus dh_out and dh_in·rec_mask (each null: none; rec_mask null:
// ones); out, dh·z (masked rows: unchanged). dz into the z blocks of dgates [B, 3U] and dzr [B, 2U], dĥ into
// dgates' h block and dc [B, U] (all 0 on masked rows).
void gru_reset_cell_backward(const float* gates, const float* h_prev, const float* mask, const float* dh_out,
                             const float* dh_in, const float* rec_mask, float* dh, float* dgates, float* dzr, float* dc,
                             RnnDims d, RnnAct act, RnnAct rec_act) noexcept;
// From drh [B, U] = dĥ·U_hᵀ: dr = drh·h_in·rec_act'(r) into the r blocks of dgates and dzr, dh_in = drh·r (0 on masked
// rows); the caller then adds dzr·U_zrᵀ to dh_in.
void gru_reset_gates_backward(const float* gates, const float* h_in, const float* mask, const float* drh, float* dgates,
                              float* dzr, float* dh_in, RnnDims d, RnnAct rec_act) noexcept;

}  // namespace tensile::cpu
