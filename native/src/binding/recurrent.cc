#include "../kernels/cpu/recurrent.h"

#include "args.h"
#include "bindings.h"
#include "deferred.h"

namespace tensile::binding {

namespace {
struct Step {
  cpu::RnnDims d;
  size_t bu;  // batch·units
};
Step step(const Args& args, size_t i) {
  const size_t batch = args.dim(i, "batch"), units = args.dim(i + 1, "units");
  return {{batch, units}, args.product({batch, units}, "batch*units")};
}
cpu::RnnAct act(const Args& args, size_t i, const char* name) {
  return cpu::RnnAct(args.code(i, name, cpu::kRnnActCount));
}
void expectMask(const Args& args, const F32& mask, size_t batch) {
  if (mask.length != 0) args.expectLength(mask, batch, "batch");
}
void expectOptional(const Args& args, const F32& a, size_t n, const char* expr) {
  if (a.length != 0) args.expectLength(a, n, expr);
}
}  // namespace

// lstmCellF32(gates, cPrev, hPrev, mask, c, h, batch, units, act, recAct): gates [batch, 4·units] in place.
Napi::Value LstmCellF32(const Napi::CallbackInfo& info) {
  Args args(info, "lstmCellF32");
  args.expectCount(10);
  F32 gates = args.f32(0, "gates"), cPrev = args.f32(1, "cPrev"), hPrev = args.f32(2, "hPrev"),
      mask = args.f32(3, "mask"), c = args.f32(4, "c"), h = args.f32(5, "h");
  const Step s = step(args, 6);
  const auto a = act(args, 8, "act"), ra = act(args, 9, "recAct");
  args.expectLength(gates, args.product({s.bu, 4}, "4*batch*units"), "4*batch*units");
  for (const F32* x : {&cPrev, &hPrev, &c, &h}) args.expectLength(*x, s.bu, "batch*units");
  expectMask(args, mask, s.d.batch);
  args.expectDistinct(gates, {&cPrev, &hPrev, &mask});
  args.expectDistinct(c, {&gates, &cPrev, &hPrev, &mask});
  args.expectDistinct(h, {&gates, &cPrev, &hPrev, &mask, &c});
  run([=] { cpu::lstm_cell(gates.data, cPrev.data, hPrev.data, optional(mask), c.data, h.data, s.d, a, ra); });
  return info.Env().Undefined();
}

// lstmCellBackwardF32(gates, cPrev, c, mask, dhOut, dh, dc, dGates, batch, units, act, recAct): dh and dc in place.
Napi::Value LstmCellBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "lstmCellBackwardF32");
  args.expectCount(12);
  F32 gates = args.f32(0, "gates"), cPrev = args.f32(1, "cPrev"), c = args.f32(2, "c"), mask = args.f32(3, "mask"),
      dhOut = args.f32(4, "dhOut"), dh = args.f32(5, "dh"), dc = args.f32(6, "dc"), dGates = args.f32(7, "dGates");
  const Step s = step(args, 8);
  const auto a = act(args, 10, "act"), ra = act(args, 11, "recAct");
  const size_t g = args.product({s.bu, 4}, "4*batch*units");
  args.expectLength(gates, g, "4*batch*units");
  args.expectLength(dGates, g, "4*batch*units");
  for (const F32* x : {&cPrev, &c, &dh, &dc}) args.expectLength(*x, s.bu, "batch*units");
  expectOptional(args, dhOut, s.bu, "batch*units");
  expectMask(args, mask, s.d.batch);
  for (const F32* out : {&dh, &dc, &dGates}) args.expectDistinct(*out, {&gates, &cPrev, &c, &mask, &dhOut});
  args.expectDistinct(dh, {&dc, &dGates});
  args.expectDistinct(dc, {&dGates});
  run([=] {
    cpu::lstm_cell_backward(gates.data, cPrev.data, c.data, optional(mask), optional(dhOut), dh.data, dc.data,
                            dGates.data, s.d, a, ra);
  });
  return info.Env().Undefined();
}

// gruCellF32(gates, rec, recBias, hPrev, mask, h, batch, units, act, recAct): gates and rec [batch, 3·units] in place.
Napi::Value GruCellF32(const Napi::CallbackInfo& info) {
  Args args(info, "gruCellF32");
  args.expectCount(10);
  F32 gates = args.f32(0, "gates"), rec = args.f32(1, "rec"), recBias = args.f32(2, "recBias"),
      hPrev = args.f32(3, "hPrev"), mask = args.f32(4, "mask"), h = args.f32(5, "h");
  const Step s = step(args, 6);
  const auto a = act(args, 8, "act"), ra = act(args, 9, "recAct");
  const size_t g = args.product({s.bu, 3}, "3*batch*units");
  args.expectLength(gates, g, "3*batch*units");
  args.expectLength(rec, g, "3*batch*units");
  expectOptional(args, recBias, args.product({s.d.units, 3}, "3*units"), "3*units");
  args.expectLength(hPrev, s.bu, "batch*units");
  args.expectLength(h, s.bu, "batch*units");
  expectMask(args, mask, s.d.batch);
  args.expectDistinct(gates, {&rec, &recBias, &hPrev, &mask});
  args.expectDistinct(rec, {&recBias, &hPrev, &mask});
  args.expectDistinct(h, {&gates, &rec, &recBias, &hPrev, &mask});
  run([=] { cpu::gru_cell(gates.data, rec.data, optional(recBias), hPrev.data, optional(mask), h.data, s.d, a, ra); });
  return info.Env().Undefined();
}

// gruCellBackwardF32(gates, rec, hPrev, mask, dhOut, dh, dGates, dRec, batch, units, act, recAct): dh in place.
Napi::Value GruCellBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "gruCellBackwardF32");
  args.expectCount(12);
  F32 gates = args.f32(0, "gates"), rec = args.f32(1, "rec"), hPrev = args.f32(2, "hPrev"), mask = args.f32(3, "mask"),
      dhOut = args.f32(4, "dhOut"), dh = args.f32(5, "dh"), dGates = args.f32(6, "dGates"), dRec = args.f32(7, "dRec");
  const Step s = step(args, 8);
  const auto a = act(args, 10, "act"), ra = act(args, 11, "recAct");
  const size_t g = args.product({s.bu, 3}, "3*batch*units");
  for (const F32* x : {&gates, &rec, &dGates, &dRec}) args.expectLength(*x, g, "3*batch*units");
  args.expectLength(hPrev, s.bu, "batch*units");
  args.expectLength(dh, s.bu, "batch*units");
  expectOptional(args, dhOut, s.bu, "batch*units");
  expectMask(args, mask, s.d.batch);
  for (const F32* out : {&dh, &dGates, &dRec}) args.expectDistinct(*out, {&gates, &rec, &hPrev, &mask, &dhOut});
  args.expectDistinct(dh, {&dGates, &dRec});
  args.expectDistinct(dGates, {&dRec});
  run([=] {
    cpu::gru_cell_backward(gates.data, rec.data, hPrev.data, optional(mask), optional(dhOut), dh.data, dGates.data,
                           dRec.data, s.d, a, ra);
  });
  return info.Env().Undefined();
}

// rnnCellF32(gates, hPrev, mask, h, batch, units, act): gates [batch, units] in place.
Napi::Value RnnCellF32(const Napi::CallbackInfo& info) {
  Args args(info, "rnnCellF32");
  args.expectCount(7);
  F32 gates = args.f32(0, "gates"), hPrev = args.f32(1, "hPrev"), mask = args.f32(2, "mask"), h = args.f32(3, "h");
  const Step s = step(args, 4);
  const auto a = act(args, 6, "act");
  for (const F32* x : {&gates, &hPrev, &h}) args.expectLength(*x, s.bu, "batch*units");
  expectMask(args, mask, s.d.batch);
  args.expectDistinct(gates, {&hPrev, &mask});
  args.expectDistinct(h, {&gates, &hPrev, &mask});
  run([=] { cpu::rnn_cell(gates.data, hPrev.data, optional(mask), h.data, s.d, a); });
  return info.Env().Undefined();
}

// rnnCellBackwardF32(gates, mask, dhOut, dh, dGates, batch, units, act): dh in place.
Napi::Value RnnCellBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "rnnCellBackwardF32");
  args.expectCount(8);
  F32 gates = args.f32(0, "gates"), mask = args.f32(1, "mask"), dhOut = args.f32(2, "dhOut"), dh = args.f32(3, "dh"),
      dGates = args.f32(4, "dGates");
  const Step s = step(args, 5);
  const auto a = act(args, 7, "act");
  for (const F32* x : {&gates, &dh, &dGates}) args.expectLength(*x, s.bu, "batch*units");
  expectOptional(args, dhOut, s.bu, "batch*units");
  expectMask(args, mask, s.d.batch);
  for (const F32* out : {&dh, &dGates}) args.expectDistinct(*out, {&gates, &mask, &dhOut});
  args.expectDistinct(dh, {&dGates});
  run([=] { cpu::rnn_cell_backward(gates.data, optional(mask), optional(dhOut), dh.data, dGates.data, s.d, a); });
  return info.Env().Undefined();
}

// gruResetGatesF32(gates, zr, hIn, rh, batch, units, recAct): gates [batch, 3·units] in place.
Napi::Value GruResetGatesF32(const Napi::CallbackInfo& info) {
  Args args(info, "gruResetGatesF32");
  args.expectCount(7);
  F32 gates = args.f32(0, "gates"), zr = args.f32(1, "zr"), hIn = args.f32(2, "hIn"), rh = args.f32(3, "rh");
  const Step s = step(args, 4);
  const auto ra = act(args, 6, "recAct");
  args.expectLength(gates, args.product({s.bu, 3}, "3*batch*units"), "3*batch*units");
  args.expectLength(zr, args.product({s.bu, 2}, "2*batch*units"), "2*batch*units");
  args.expectLength(hIn, s.bu, "batch*units");
  args.expectLength(rh, s.bu, "batch*units");
  args.expectDistinct(gates, {&zr, &hIn});
  args.expectDistinct(rh, {&gates, &zr, &hIn});
  run([=] { cpu::gru_reset_gates(gates.data, zr.data, hIn.data, rh.data, s.d, ra); });
  return info.Env().Undefined();
}

// gruResetCellF32(gates, recH, hPrev, mask, h, batch, units, act): gates [batch, 3·units] in place.
Napi::Value GruResetCellF32(const Napi::CallbackInfo& info) {
  Args args(info, "gruResetCellF32");
  args.expectCount(8);
  F32 gates = args.f32(0, "gates"), recH = args.f32(1, "recH"), hPrev = args.f32(2, "hPrev"),
      mask = args.f32(3, "mask"), h = args.f32(4, "h");
  const Step s = step(args, 5);
  const auto a = act(args, 7, "act");
  args.expectLength(gates, args.product({s.bu, 3}, "3*batch*units"), "3*batch*units");
  for (const F32* x : {&recH, &hPrev, &h}) args.expectLength(*x, s.bu, "batch*units");
  expectMask(args, mask, s.d.batch);
  args.expectDistinct(gates, {&recH, &hPrev, &mask});
  args.expectDistinct(h, {&gates, &recH, &hPrev, &mask});
  run([=] { cpu::gru_reset_cell(gates.data, recH.data, hPrev.data, optional(mask), h.data, s.d, a); });
  return info.Env().Undefined();
}

// gruResetCellBackwardF32(gates, hPrev, mask, dhOut, dhIn, recMask, dh, dGates, dZR, dC, batch, units, act, recAct):
// dh in place; dGates and dZR get their z (and h) blocks.
Napi::Value GruResetCellBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "gruResetCellBackwardF32");
  args.expectCount(14);
  F32 gates = args.f32(0, "gates"), hPrev = args.f32(1, "hPrev"), mask = args.f32(2, "mask"),
      dhOut = args.f32(3, "dhOut"), dhIn = args.f32(4, "dhIn"), recMask = args.f32(5, "recMask"),
      dh = args.f32(6, "dh"), dGates = args.f32(7, "dGates"), dZR = args.f32(8, "dZR"), dC = args.f32(9, "dC");
  const Step s = step(args, 10);
  const auto a = act(args, 12, "act"), ra = act(args, 13, "recAct");
  const size_t g = args.product({s.bu, 3}, "3*batch*units");
  args.expectLength(gates, g, "3*batch*units");
  args.expectLength(dGates, g, "3*batch*units");
  args.expectLength(dZR, args.product({s.bu, 2}, "2*batch*units"), "2*batch*units");
  for (const F32* x : {&hPrev, &dh, &dC}) args.expectLength(*x, s.bu, "batch*units");
  for (const F32* x : {&dhOut, &dhIn, &recMask}) expectOptional(args, *x, s.bu, "batch*units");
  expectMask(args, mask, s.d.batch);
  for (const F32* out : {&dh, &dGates, &dZR, &dC})
    args.expectDistinct(*out, {&gates, &hPrev, &mask, &dhOut, &dhIn, &recMask});
  args.expectDistinct(dh, {&dGates, &dZR, &dC});
  args.expectDistinct(dGates, {&dZR, &dC});
  args.expectDistinct(dZR, {&dC});
  run([=] {
    cpu::gru_reset_cell_backward(gates.data, hPrev.data, optional(mask), optional(dhOut), optional(dhIn),
                                 optional(recMask), dh.data, dGates.data, dZR.data, dC.data, s.d, a, ra);
  });
  return info.Env().Undefined();
}

// gruResetGatesBackwardF32(gates, hIn, mask, dRh, dGates, dZR, dhIn, batch, units, recAct): dGates and dZR get their
// r blocks.
Napi::Value GruResetGatesBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "gruResetGatesBackwardF32");
  args.expectCount(10);
  F32 gates = args.f32(0, "gates"), hIn = args.f32(1, "hIn"), mask = args.f32(2, "mask"), dRh = args.f32(3, "dRh"),
      dGates = args.f32(4, "dGates"), dZR = args.f32(5, "dZR"), dhIn = args.f32(6, "dhIn");
  const Step s = step(args, 7);
  const auto ra = act(args, 9, "recAct");
  const size_t g = args.product({s.bu, 3}, "3*batch*units");
  args.expectLength(gates, g, "3*batch*units");
  args.expectLength(dGates, g, "3*batch*units");
  args.expectLength(dZR, args.product({s.bu, 2}, "2*batch*units"), "2*batch*units");
  for (const F32* x : {&hIn, &dRh, &dhIn}) args.expectLength(*x, s.bu, "batch*units");
  expectMask(args, mask, s.d.batch);
  for (const F32* out : {&dGates, &dZR, &dhIn}) args.expectDistinct(*out, {&gates, &hIn, &mask, &dRh});
  args.expectDistinct(dGates, {&dZR, &dhIn});
  args.expectDistinct(dZR, {&dhIn});
  run([=] {
    cpu::gru_reset_gates_backward(gates.data, hIn.data, optional(mask), dRh.data, dGates.data, dZR.data, dhIn.data, s.d,
                                  ra);
  });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
