#include "recurrent.h"

#include "multiversion.h"
#include "transcendental.h"

namespace tensile::cpu {

namespace {

// y = act(x) over a contiguous span, in place; the switch sits outside the loop so each loop vectorizes.
// hardSigmoid is Keras 2's and tfjs' clip(0.2·x + 0.5, 0, 1).
inline void activate(RnnAct act, float* __restrict x, size_t n) noexcept {
  switch (act) {
    case RnnAct::Linear: break;
    case RnnAct::Relu:
      for (size_t j = 0; j < n; ++j) x[j] = x[j] > 0.0f ? x[j] : 0.0f;
      break;
    case RnnAct::Sigmoid:
      for (size_t j = 0; j < n; ++j) x[j] = sigmoid_f32(x[j]);
      break;
    case RnnAct::Tanh:
      for (size_t j = 0; j < n; ++j) x[j] = tanh_f32(x[j]);
      break;
    case RnnAct::HardSigmoid:
      for (size_t j = 0; j < n; ++j) {
        const float v = 0.2f * x[j] + 0.5f;
        x[j] = v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
      }
      break;
  }
}

// act'(x) written in terms of y = act(x).
inline float derivative(RnnAct act, float y) noexcept {
  switch (act) {
    case RnnAct::Linear: return 1.0f;
    case RnnAct::Relu: return y > 0.0f ? 1.0f : 0.0f;
    case RnnAct::Sigmoid: return y * (1.0f - y);
    case RnnAct::Tanh: return 1.0f - y * y;
    case RnnAct::HardSigmoid: return y > 0.0f && y < 1.0f ? 0.2f : 0.0f;
  }
  return 0.0f;
}

// g[j] *= act'(y[j]) over a span, the switch outside the loop.
inline void times_derivative(RnnAct act, const float* __restrict y, float* __restrict g, size_t n) noexcept {
  switch (act) {
    case RnnAct::Linear: break;
    case RnnAct::Relu:
      for (size_t j = 0; j < n; ++j) g[j] = y[j] > 0.0f ? g[j] : 0.0f;
      break;
    case RnnAct::Sigmoid:
      for (size_t j = 0; j < n; ++j) g[j] *= y[j] * (1.0f - y[j]);
      break;
    case RnnAct::Tanh:
      for (size_t j = 0; j < n; ++j) g[j] *= 1.0f - y[j] * y[j];
      break;
    case RnnAct::HardSigmoid:
      for (size_t j = 0; j < n; ++j) g[j] *= derivative(RnnAct::HardSigmoid, y[j]);
      break;
  }
}

// dc_t = dc + di (di holding dh·o·act'(c) on entry); then do = dh·act(c) (d_o holding act(c) on entry),
// di = dc_t·cand, dcand = dc_t·i, df = dc_t·c_prev, dc = dc_t·f (dc_{t−1}), dh = 0. A function of its own so that
// its pointers are restrict parameters, which g++ honours (restrict locals it does not: the loop stays scalar).
inline void lstm_gate_grads(const float* __restrict i, const float* __restrict f, const float* __restrict cand,
                            const float* __restrict cp, float* __restrict dh, float* __restrict dc,
                            float* __restrict di, float* __restrict df, float* __restrict dcand, float* __restrict d_o,
                            size_t u) noexcept {
  for (size_t j = 0; j < u; ++j) {
    const float dct = dc[j] + di[j];
    d_o[j] *= dh[j];
    di[j] = dct * cand[j];
    dcand[j] = dct * i[j];
    df[j] = dct * cp[j];
    dc[j] = dct * f[j];
    dh[j] = 0.0f;
  }
}

// GRU: from dĥ (dcand, already times act'(ĥ)) and dh: dz (before σ'), dr (before σ'), drec_h = dĥ·r, dh_{t−1} = dh·z.
inline void gru_gate_grads(const float* __restrict z, const float* __restrict r, const float* __restrict cand,
                           const float* __restrict hp, const float* __restrict rec_h, const float* __restrict dcand,
                           float* __restrict dz, float* __restrict dr, float* __restrict drec_h, float* __restrict dh,
                           size_t u) noexcept {
  for (size_t j = 0; j < u; ++j) {
    const float dht = dh[j];
    dz[j] = dht * (hp[j] - cand[j]);
    dr[j] = dcand[j] * rec_h[j];
    drec_h[j] = dcand[j] * r[j];
    dh[j] = dht * z[j];
  }
}

inline bool steps(const float* mask, size_t b) noexcept { return mask == nullptr || mask[b] != 0.0f; }

inline void copy(const float* __restrict from, float* __restrict to, size_t n) noexcept {
  for (size_t j = 0; j < n; ++j) to[j] = from[j];
}

}  // namespace

TENSILE_MULTIVERSION void lstm_cell(float* gates, const float* c_prev, const float* h_prev, const float* mask, float* c,
                                    float* h, RnnDims d, RnnAct act, RnnAct rec_act) noexcept {
  const size_t u = d.units;
  for (size_t b = 0; b < d.batch; ++b) {
    float* __restrict g = gates + b * 4 * u;
    const float* __restrict cp = c_prev + b * u;
    float* __restrict cr = c + b * u;
    float* __restrict hr = h + b * u;
    activate(rec_act, g, 2 * u);      // i, f
    activate(act, g + 2 * u, u);      // candidate
    activate(rec_act, g + 3 * u, u);  // o
    if (!steps(mask, b)) {
      copy(cp, cr, u);
      copy(h_prev + b * u, hr, u);
      continue;
    }
    const float* __restrict i = g;
    const float* __restrict f = g + u;
    const float* __restrict cand = g + 2 * u;
    const float* __restrict o = g + 3 * u;
    for (size_t j = 0; j < u; ++j) cr[j] = f[j] * cp[j] + i[j] * cand[j];
    copy(cr, hr, u);
    activate(act, hr, u);
    for (size_t j = 0; j < u; ++j) hr[j] *= o[j];
  }
}

TENSILE_MULTIVERSION void lstm_cell_backward(const float* gates, const float* c_prev, const float* c, const float* mask,
                                             const float* dh_out, float* dh, float* dc, float* dgates, RnnDims d,
                                             RnnAct act, RnnAct rec_act) noexcept {
  const size_t u = d.units;
  for (size_t b = 0; b < d.batch; ++b) {
    const float* __restrict g = gates + b * 4 * u;
    const float* __restrict cp = c_prev + b * u;
    const float* __restrict cr = c + b * u;
    float* __restrict dhr = dh + b * u;
    float* __restrict dcr = dc + b * u;
    float* __restrict dg = dgates + b * 4 * u;
    if (dh_out)
      for (size_t j = 0; j < u; ++j) dhr[j] += dh_out[b * u + j];
    if (!steps(mask, b)) {  // h_t = h_{t−1}, c_t = c_{t−1}: both gradients pass straight through
      for (size_t j = 0; j < 4 * u; ++j) dg[j] = 0.0f;
      continue;
    }
    const float* __restrict i = g;
    const float* __restrict f = g + u;
    const float* __restrict cand = g + 2 * u;
    const float* __restrict o = g + 3 * u;
    float* __restrict di = dg;
    float* __restrict df = dg + u;
    float* __restrict dcand = dg + 2 * u;
    float* __restrict d_o = dg + 3 * u;
    // d_o holds act(c) for a moment (then do = dh·act(c)), and di dh·o·act'(c) (then di = dc_t·cand): loops
    // without a switch inside, so that each vectorizes.
    copy(cr, d_o, u);
    activate(act, d_o, u);
    for (size_t j = 0; j < u; ++j) di[j] = dhr[j] * o[j];
    times_derivative(act, d_o, di, u);
    lstm_gate_grads(i, f, cand, cp, dhr, dcr, di, df, dcand, d_o, u);
    times_derivative(rec_act, g, dg, 2 * u);
    times_derivative(act, cand, dcand, u);
    times_derivative(rec_act, o, d_o, u);
  }
}

TENSILE_MULTIVERSION void gru_cell(float* gates, float* rec, const float* rec_bias, const float* h_prev,
                                   const float* mask, float* h, RnnDims d, RnnAct act, RnnAct rec_act) noexcept {
  const size_t u = d.units;
  for (size_t b = 0; b < d.batch; ++b) {
    float* __restrict g = gates + b * 3 * u;
    float* __restrict rc = rec + b * 3 * u;
    const float* __restrict hp = h_prev + b * u;
    float* __restrict hr = h + b * u;
    if (rec_bias)
      for (size_t j = 0; j < 3 * u; ++j) rc[j] += rec_bias[j];
    for (size_t j = 0; j < 2 * u; ++j) g[j] += rc[j];
    activate(rec_act, g, 2 * u);  // z, r
    float* __restrict z = g;
    float* __restrict r = g + u;
    float* __restrict cand = g + 2 * u;
    for (size_t j = 0; j < u; ++j) cand[j] += r[j] * rc[2 * u + j];
    activate(act, cand, u);
    if (!steps(mask, b)) {
      copy(hp, hr, u);
      continue;
    }
    for (size_t j = 0; j < u; ++j) hr[j] = z[j] * hp[j] + (1.0f - z[j]) * cand[j];
  }
}

TENSILE_MULTIVERSION void gru_cell_backward(const float* gates, const float* rec, const float* h_prev,
                                            const float* mask, const float* dh_out, float* dh, float* dgates,
                                            float* drec, RnnDims d, RnnAct act, RnnAct rec_act) noexcept {
  const size_t u = d.units;
  for (size_t b = 0; b < d.batch; ++b) {
    const float* __restrict g = gates + b * 3 * u;
    const float* __restrict rc = rec + b * 3 * u;
    const float* __restrict hp = h_prev + b * u;
    float* __restrict dhr = dh + b * u;
    float* __restrict dg = dgates + b * 3 * u;
    float* __restrict dr = drec + b * 3 * u;
    if (dh_out)
      for (size_t j = 0; j < u; ++j) dhr[j] += dh_out[b * u + j];
    if (!steps(mask, b)) {
      for (size_t j = 0; j < 3 * u; ++j) dg[j] = dr[j] = 0.0f;
      continue;
    }
    const float* __restrict z = g;
    const float* __restrict r = g + u;
    const float* __restrict cand = g + 2 * u;
    // dĥ = dh·(1 − z)·act'(ĥ), the derivative applied by a loop of its own so that each loop vectorizes.
    for (size_t j = 0; j < u; ++j) dg[2 * u + j] = dhr[j] * (1.0f - z[j]);
    times_derivative(act, cand, dg + 2 * u, u);
    gru_gate_grads(z, r, cand, hp, rc + 2 * u, dg + 2 * u, dg, dg + u, dr + 2 * u, dhr, u);  // dz, dr: times σ' below
    times_derivative(rec_act, g, dg, 2 * u);
    copy(dg, dr, 2 * u);
  }
}

TENSILE_MULTIVERSION void rnn_cell(float* gates, const float* h_prev, const float* mask, float* h, RnnDims d,
                                   RnnAct act) noexcept {
  const size_t u = d.units;
  activate(act, gates, d.batch * u);
  for (size_t b = 0; b < d.batch; ++b) copy(steps(mask, b) ? gates + b * u : h_prev + b * u, h + b * u, u);
}

TENSILE_MULTIVERSION void rnn_cell_backward(const float* gates, const float* mask, const float* dh_out, float* dh,
                                            float* dgates, RnnDims d, RnnAct act) noexcept {
  const size_t u = d.units;
  for (size_t b = 0; b < d.batch; ++b) {
    float* __restrict dhr = dh + b * u;
    float* __restrict dg = dgates + b * u;
    if (dh_out)
      for (size_t j = 0; j < u; ++j) dhr[j] += dh_out[b * u + j];
    if (!steps(mask, b)) {
      for (size_t j = 0; j < u; ++j) dg[j] = 0.0f;
      continue;
    }
    copy(dhr, dg, u);
    times_derivative(act, gates + b * u, dg, u);
    for (size_t j = 0; j < u; ++j) dhr[j] = 0.0f;
  }
}

TENSILE_MULTIVERSION void gru_reset_gates(float* gates, const float* zr, const float* h_in, float* rh, RnnDims d,
                                          RnnAct rec_act) noexcept {
  const size_t u = d.units;
  for (size_t b = 0; b < d.batch; ++b) {
    float* __restrict g = gates + b * 3 * u;
    const float* __restrict zrr = zr + b * 2 * u;
    const float* __restrict hi = h_in + b * u;
    float* __restrict rhr = rh + b * u;
    for (size_t j = 0; j < 2 * u; ++j) g[j] += zrr[j];
    activate(rec_act, g, 2 * u);  // z, r
    const float* __restrict r = g + u;
    for (size_t j = 0; j < u; ++j) rhr[j] = r[j] * hi[j];
  }
}

TENSILE_MULTIVERSION void gru_reset_cell(float* gates, const float* rec_h, const float* h_prev, const float* mask,
                                         float* h, RnnDims d, RnnAct act) noexcept {
  const size_t u = d.units;
  for (size_t b = 0; b < d.batch; ++b) {
    const float* __restrict z = gates + b * 3 * u;
    float* __restrict cand = gates + b * 3 * u + 2 * u;
    const float* __restrict rc = rec_h + b * u;
    const float* __restrict hp = h_prev + b * u;
    float* __restrict hr = h + b * u;
    for (size_t j = 0; j < u; ++j) cand[j] += rc[j];
    activate(act, cand, u);
    if (!steps(mask, b)) {
      copy(hp, hr, u);
      continue;
    }
    for (size_t j = 0; j < u; ++j) hr[j] = z[j] * hp[j] + (1.0f - z[j]) * cand[j];
  }
}

TENSILE_MULTIVERSION void gru_reset_cell_backward(const float* gates, const float* h_prev, const float* mask,
                                                  const float* dh_out, const float* dh_in, const float* rec_mask,
                                                  float* dh, float* dgates, float* dzr, float* dc, RnnDims d,
                                                  RnnAct act, RnnAct rec_act) noexcept {
  const size_t u = d.units;
  for (size_t b = 0; b < d.batch; ++b) {
    const float* __restrict z = gates + b * 3 * u;
    const float* __restrict cand = gates + b * 3 * u + 2 * u;
    const float* __restrict hp = h_prev + b * u;
    float* __restrict dhr = dh + b * u;
    float* __restrict dg = dgates + b * 3 * u;
    float* __restrict dz = dzr + b * 2 * u;
    float* __restrict dcr = dc + b * u;
    if (dh_out)
      for (size_t j = 0; j < u; ++j) dhr[j] += dh_out[b * u + j];
    if (dh_in && rec_mask)
      for (size_t j = 0; j < u; ++j) dhr[j] += dh_in[b * u + j] * rec_mask[b * u + j];
    else if (dh_in)
      for (size_t j = 0; j < u; ++j) dhr[j] += dh_in[b * u + j];
    if (!steps(mask, b)) {  // h_t = h_{t−1}: the gradient passes on unchanged
      for (size_t j = 0; j < u; ++j) dg[j] = dg[2 * u + j] = dz[j] = dcr[j] = 0.0f;
      continue;
    }
    // dĥ = dh·(1 − z)·act'(ĥ), dz = dh·(h_prev − ĥ)·rec_act'(z): each derivative by a loop of its own.
    for (size_t j = 0; j < u; ++j) dcr[j] = dhr[j] * (1.0f - z[j]);
    times_derivative(act, cand, dcr, u);
    for (size_t j = 0; j < u; ++j) dz[j] = dhr[j] * (hp[j] - cand[j]);
    times_derivative(rec_act, z, dz, u);
    for (size_t j = 0; j < u; ++j) dhr[j] *= z[j];
    copy(dz, dg, u);
    copy(dcr, dg + 2 * u, u);
  }
}

TENSILE_MULTIVERSION void gru_reset_gates_backward(const float* gates, const float* h_in, const float* mask,
                                                   const float* drh, float* dgates, float* dzr, float* dh_in, RnnDims d,
                                                   RnnAct rec_act) noexcept {
  const size_t u = d.units;
  for (size_t b = 0; b < d.batch; ++b) {
    float* __restrict dg = dgates + b * 3 * u + u;
    float* __restrict dr = dzr + b * 2 * u + u;
    float* __restrict dhi = dh_in + b * u;
    if (!steps(mask, b)) {
      for (size_t j = 0; j < u; ++j) dg[j] = dr[j] = dhi[j] = 0.0f;
      continue;
    }
    const float* __restrict r = gates + b * 3 * u + u;
    const float* __restrict hi = h_in + b * u;
    const float* __restrict dr_h = drh + b * u;
    for (size_t j = 0; j < u; ++j) dr[j] = dr_h[j] * hi[j];
    times_derivative(rec_act, r, dr, u);
    copy(dr, dg, u);
    for (size_t j = 0; j < u; ++j) dhi[j] = dr_h[j] * r[j];
  }
}

}  // namespace tensile::cpu
