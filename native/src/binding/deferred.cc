#include "deferred.h"

#include <cstring>
#include <memory>
#include <string>

#include "args.h"
#include "bindings.h"

namespace tensile::binding {

namespace {
// The plan being built on this thread, owned here until planEnd hands it to JS (one JS thread a worker: plans never
// cross threads).
thread_local std::unique_ptr<std::vector<Kernel>> building;
}  // namespace

std::vector<Kernel>* capturing() { return building.get(); }

// planBegin(): from now on this thread's kernel bindings validate and keep their calls instead of running them.
Napi::Value PlanBegin(const Napi::CallbackInfo& info) {
  if (capturing()) throw Napi::Error::New(info.Env(), "planBegin: a plan is already being built");
  building = std::make_unique<std::vector<Kernel>>();
  return info.Env().Undefined();
}

// A plan: the calls kept, and the JS value holding every array they point into (alive while the plan is).
struct KeptPlan {
  std::vector<Kernel> calls;
  Napi::Reference<Napi::Value> arrays;
};

// planEnd(keep, arrays): stop keeping calls; with keep, the calls kept as a plan (an external value for planRun)
// that holds `arrays` (the calls' arguments) so that no array its calls point into is collected before it;
// without keep they are dropped (a binding threw while the plan was built).
Napi::Value PlanEnd(const Napi::CallbackInfo& info) {
  std::unique_ptr<std::vector<Kernel>> calls = std::move(building);  // capturing() is null from here
  Args args(info, "planEnd");
  args.expectCount(1);
  if (!args.flag(0, "keep") || !calls) return info.Env().Null();
  if (info.Length() < 2 || !info[1].IsArray()) args.fail("arrays must be an array (the calls' arguments)");
  auto* plan = new KeptPlan{std::move(*calls), Napi::Persistent(info[1])};
  return Napi::External<KeptPlan>::New(info.Env(), plan, [](Napi::Env, KeptPlan* p) { delete p; });
}

// planRun(plan): run a plan's kernel calls in order.
Napi::Value PlanRun(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsExternal())
    throw Napi::TypeError::New(info.Env(), "planRun: plan must be a plan");
  if (capturing()) throw Napi::Error::New(info.Env(), "planRun: a plan is being built");
  for (const Kernel& k : info[0].As<Napi::External<KeptPlan>>().Data()->calls) k();
  return info.Env().Undefined();
}

namespace {
// A typed array element of a JS array argument, as bytes.
struct Bytes {
  char* data;
  size_t length;
};
Bytes bytesAt(const Args& args, const Napi::Array& list, uint32_t i, const char* name) {
  const Napi::Value v = list.Get(i);
  if (!v.IsTypedArray()) args.fail(std::string(name) + "[" + std::to_string(i) + "] must be a typed array");
  const Napi::TypedArray t = v.As<Napi::TypedArray>();
  return {static_cast<char*>(t.ArrayBuffer().Data()) + t.ByteOffset(), t.ByteLength()};
}
bool overlap(const Bytes& a, const Bytes& b) {
  return a.length && b.length && a.data < b.data + b.length && b.data < a.data + a.length;
}
// The pairs of a list: the first of each is the step's own array, the second holds one block of it a step (a feed's
// from, a collect's to), or, for a feed, one block copied at every step.
std::vector<std::pair<Bytes, Bytes>> readPairs(const Napi::CallbackInfo& info, const Args& args, size_t i,
                                               const char* name, size_t steps, bool feeds) {
  if (!info[i].IsArray()) args.fail(std::string(name) + " must be an array of typed arrays");
  const Napi::Array list = info[i].As<Napi::Array>();
  if (list.Length() % 2) args.fail(std::string(name) + " must hold pairs of typed arrays, got an odd count");
  std::vector<std::pair<Bytes, Bytes>> pairs;
  for (uint32_t k = 0; k < list.Length(); k += 2) {
    const Bytes a = bytesAt(args, list, k, name), b = bytesAt(args, list, k + 1, name);
    const Bytes& one = a;  // the step's own array (a feed's to, a collect's from)
    const Bytes& all = b;
    const bool fits =
        all.length == args.product({steps, one.length}, "steps*bytes") || (feeds && all.length == one.length);
    if (!fits)
      args.fail(std::string(name) + " pair " + std::to_string(k / 2) + ": " + std::to_string(all.length) +
                    " bytes for " + std::to_string(steps) + " steps of " + std::to_string(one.length) + " bytes",
                true);
    if (overlap(a, b)) args.fail(std::string(name) + " pair " + std::to_string(k / 2) + " overlaps itself");
    pairs.emplace_back(a, b);
  }
  return pairs;
}
// A gather [to, from]: to holds a batch of rows, from the rows they are taken from (rows of the same size).
struct Gather {
  Bytes to, from;
  size_t rowBytes;
};
// The gathers of list argument i, for batches of `batch` rows taken by `rows` (every entry checked: a row of each
// from).
std::vector<Gather> readGathers(const Napi::CallbackInfo& info, const Args& args, size_t i, const I32& rows,
                                size_t batch) {
  if (!info[i].IsArray()) args.fail("gathers must be an array of typed arrays");
  const Napi::Array list = info[i].As<Napi::Array>();
  if (list.Length() % 2) args.fail("gathers must hold pairs of typed arrays, got an odd count");
  std::vector<Gather> out;
  for (uint32_t k = 0; k < list.Length(); k += 2) {
    const Bytes to = bytesAt(args, list, k, "gathers"), from = bytesAt(args, list, k + 1, "gathers");
    const std::string which = "gathers pair " + std::to_string(k / 2);
    if (to.length == 0) continue;  // rows of no values: nothing to copy
    if (batch == 0 || to.length % batch)
      args.fail(which + ": " + std::to_string(to.length) + " bytes are not " + std::to_string(batch) + " rows", true);
    const size_t rowBytes = to.length / batch;
    if (from.length % rowBytes)
      args.fail(which + ": " + std::to_string(from.length) + " bytes are not rows of " + std::to_string(rowBytes),
                true);
    const size_t fromRows = from.length / rowBytes;
    for (size_t r = 0; r < rows.length; ++r)
      if (rows.data[r] < 0 || size_t(rows.data[r]) >= fromRows)
        args.fail(which + ": rows[" + std::to_string(r) + "] = " + std::to_string(rows.data[r]) +
                      " is not a row in [0, " + std::to_string(fromRows) + ")",
                  true);
    if (overlap(to, from)) args.fail(which + " overlaps itself");
    out.push_back({to, from, rowBytes});
  }
  return out;
}
}  // namespace

// planRunSteps(plan, steps, feeds, collects, rows, gathers): run a plan `steps` times. Before step j each feed
// [to, from, ...] copies from's block j (or all of from, when it holds one block) into to, and each gather [to, from,
// ...] copies into to's rows the rows of from that rows[j·batch ...] name (batch = rows.length / steps); after it each
// collect [from, to, ...] copies from into to's block j. One call for many steps of a compiled step: a batch's rows
// in, its loss out.
Napi::Value PlanRunSteps(const Napi::CallbackInfo& info) {
  Args args(info, "planRunSteps");
  args.expectCount(6);
  if (!info[0].IsExternal()) args.fail("plan must be a plan");
  if (capturing()) args.fail("a plan is being built");
  const size_t steps = args.dim(1, "steps");
  const auto feeds = readPairs(info, args, 2, "feeds", steps, true);
  const auto collects = readPairs(info, args, 3, "collects", steps, false);
  const I32 rows = args.i32(4, "rows");
  if (steps ? rows.length % steps : rows.length)
    args.fail("rows has " + std::to_string(rows.length) + " entries, not a batch for each of " + std::to_string(steps) +
                  " steps",
              true);
  const size_t batch = steps ? rows.length / steps : 0;
  const auto gathers = readGathers(info, args, 5, rows, batch);
  const std::vector<Kernel>& calls = info[0].As<Napi::External<KeptPlan>>().Data()->calls;
  for (size_t j = 0; j < steps; ++j) {
    for (const auto& [to, from] : feeds)
      std::memcpy(to.data, from.data + (from.length == to.length ? 0 : j * to.length), to.length);
    for (const Gather& g : gathers)
      for (size_t r = 0; r < batch; ++r)
        std::memcpy(g.to.data + r * g.rowBytes, g.from.data + size_t(rows.data[j * batch + r]) * g.rowBytes,
                    g.rowBytes);
    for (const Kernel& k : calls) k();
    for (const auto& [from, to] : collects) std::memcpy(to.data + j * from.length, from.data, from.length);
  }
  return info.Env().Undefined();
}

}  // namespace tensile::binding
