// featlearn native addon: random fills (see random_core.h for the kernels and src/random/ for the
// TypeScript twin and the public API). Every function validates its arguments and throws a JS error
// naming the bad one; the TypeScript wrapper (src/random/native.ts) has already checked the ranges.
//
// Exports:
//   randomFillNormal(k0, k1, out, offset, mean, std[, minChunk])
//   randomFillUniform(k0, k1, out, offset, low, high[, minChunk])
//   randomFillRademacher(k0, k1, out, offset, scale[, minChunk])
//     out: Float64Array | Float32Array, filled with stream positions offset .. offset + out.length - 1,
//     split into chunks of at least minChunk (default 16384) elements over featlearn_threads() threads.
//   randomPhilox(k0, k1, c0, c1, c2, c3) -> Uint32Array(4)                 (known-answer tests)
//   randomPhiloxLanes(k0, k1, j0, c2, c3) -> Uint32Array(4 * LANES)        (SIMD lanes, word-major)
//   randomDetExp(x: Float64Array, out: Float64Array), randomDetLog(u, out) (bit-identity tests)
//   randomZigguratTables() -> { X, F, K } (Float64Array copies)             (table identity test)
#include <napi.h>

#include <cmath>
#include <string>

#include "random_core.h"
#include "threads.h"

namespace {

using namespace featlearn_random;

constexpr double kMaxPosition = 9007199254740992.0;  // 2^53

bool Fail(Napi::Env env, const std::string& msg, bool range = true) {
  if (range) {
    Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
  } else {
    Napi::TypeError::New(env, msg).ThrowAsJavaScriptException();
  }
  return false;
}

bool GetNumber(const Napi::CallbackInfo& info, size_t i, const char* name, double& out) {
  if (info.Length() <= i || !info[i].IsNumber()) return Fail(info.Env(), std::string(name) + ": expected a number", false);
  out = info[i].As<Napi::Number>().DoubleValue();
  return true;
}

bool GetWord(const Napi::CallbackInfo& info, size_t i, const char* name, uint32_t& out) {
  double v;
  if (!GetNumber(info, i, name, v)) return false;
  if (!(v >= 0 && v <= 4294967295.0 && std::floor(v) == v)) {
    return Fail(info.Env(), std::string(name) + ": expected a uint32 word, got " + std::to_string(v));
  }
  out = uint32_t(v);
  return true;
}

// The output array: float64 (is_double) or float32, with its data pointer and length.
struct Out {
  void* data = nullptr;
  size_t length = 0;
  bool is_double = true;
};

bool GetOut(const Napi::CallbackInfo& info, size_t i, Out& out) {
  if (info.Length() <= i || !info[i].IsTypedArray()) return Fail(info.Env(), "out: expected a Float64Array or Float32Array", false);
  auto ta = info[i].As<Napi::TypedArray>();
  if (ta.TypedArrayType() == napi_float64_array) {
    auto a = ta.As<Napi::Float64Array>();
    out = {a.Data(), a.ElementLength(), true};
  } else if (ta.TypedArrayType() == napi_float32_array) {
    auto a = ta.As<Napi::Float32Array>();
    out = {a.Data(), a.ElementLength(), false};
  } else {
    return Fail(info.Env(), "out: expected a Float64Array or Float32Array", false);
  }
  return true;
}

// Common arguments of the fills: key, out, offset, then `nparams` finite numbers, then minChunk.
struct FillArgs {
  uint32_t k0 = 0, k1 = 0;
  Out out;
  uint64_t offset = 0;
  double params[2] = {0, 0};
  size_t min_chunk = 16384;
};

bool GetFillArgs(const Napi::CallbackInfo& info, int nparams, const char* const* names, FillArgs& a) {
  Napi::Env env = info.Env();
  double offset;
  if (!GetWord(info, 0, "key[0]", a.k0) || !GetWord(info, 1, "key[1]", a.k1) || !GetOut(info, 2, a.out) ||
      !GetNumber(info, 3, "offset", offset)) {
    return false;
  }
  if (!(offset >= 0 && std::floor(offset) == offset && double(a.out.length) <= kMaxPosition - offset)) {
    return Fail(env, "offset: expected a non-negative integer with offset + length <= 2^53, got " + std::to_string(offset));
  }
  a.offset = uint64_t(offset);
  for (int p = 0; p < nparams; p++) {
    if (!GetNumber(info, size_t(4 + p), names[p], a.params[p])) return false;
    if (!std::isfinite(a.params[p])) return Fail(env, std::string(names[p]) + ": expected a finite number, got " + std::to_string(a.params[p]));
  }
  const size_t ci = size_t(4 + nparams);
  if (info.Length() > ci && !info[ci].IsUndefined()) {
    double mc;
    if (!GetNumber(info, ci, "minChunk", mc)) return false;
    if (!(mc >= 1 && std::floor(mc) == mc)) return Fail(env, "minChunk: expected a positive integer, got " + std::to_string(mc));
    a.min_chunk = size_t(mc);
  }
  return true;
}

template <class Kernel>
void RunFill(const FillArgs& a, Kernel kernel) {
  parallel_for(a.out.length, a.min_chunk, [&](size_t b, size_t e) {
    if (a.out.is_double) {
      kernel(static_cast<double*>(a.out.data), b, e);
    } else {
      kernel(static_cast<float*>(a.out.data), b, e);
    }
  });
}

Napi::Value FillNormal(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"mean", "std"};
  FillArgs a;
  if (!GetFillArgs(info, 2, names, a)) return info.Env().Undefined();
  if (a.params[1] < 0) {
    Fail(info.Env(), "std: expected a finite number >= 0, got " + std::to_string(a.params[1]));
    return info.Env().Undefined();
  }
  RunFill(a, [&](auto* out, size_t b, size_t e) { fill_normal(a.k0, a.k1, out, a.offset, b, e, a.params[0], a.params[1]); });
  return info.Env().Undefined();
}

Napi::Value FillUniform(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"low", "high"};
  FillArgs a;
  if (!GetFillArgs(info, 2, names, a)) return info.Env().Undefined();
  RunFill(a, [&](auto* out, size_t b, size_t e) { fill_uniform(a.k0, a.k1, out, a.offset, b, e, a.params[0], a.params[1]); });
  return info.Env().Undefined();
}

Napi::Value FillRademacher(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"scale"};
  FillArgs a;
  if (!GetFillArgs(info, 1, names, a)) return info.Env().Undefined();
  RunFill(a, [&](auto* out, size_t b, size_t e) { fill_rademacher(a.k0, a.k1, out, a.offset, b, e, a.params[0]); });
  return info.Env().Undefined();
}

Napi::Value Philox(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"k0", "k1", "c0", "c1", "c2", "c3"};
  uint32_t w[6];
  for (size_t i = 0; i < 6; i++) {
    if (!GetWord(info, i, names[i], w[i])) return info.Env().Undefined();
  }
  auto out = Napi::Uint32Array::New(info.Env(), 4);
  uint32_t r[4];
  philox4x32(w[0], w[1], w[2], w[3], w[4], w[5], r);
  for (size_t i = 0; i < 4; i++) out[i] = r[i];
  return out;
}

Napi::Value PhiloxLanes(const Napi::CallbackInfo& info) {
  uint32_t k0, k1, c2, c3;
  double j0;
  if (!GetWord(info, 0, "k0", k0) || !GetWord(info, 1, "k1", k1) || !GetNumber(info, 2, "j0", j0) ||
      !GetWord(info, 3, "c2", c2) || !GetWord(info, 4, "c3", c3)) {
    return info.Env().Undefined();
  }
  if (!(j0 >= 0 && j0 < kMaxPosition && std::floor(j0) == j0)) {
    Fail(info.Env(), "j0: expected a non-negative safe integer, got " + std::to_string(j0));
    return info.Env().Undefined();
  }
  Lanes s;
  philox_lanes(k0, k1, uint64_t(j0), c2, c3, s);
  auto out = Napi::Uint32Array::New(info.Env(), 4 * LANES);
  for (int l = 0; l < LANES; l++) {
    out[size_t(4 * l)] = s.x0[l];
    out[size_t(4 * l + 1)] = s.x1[l];
    out[size_t(4 * l + 2)] = s.x2[l];
    out[size_t(4 * l + 3)] = s.x3[l];
  }
  return out;
}

template <double (*F)(double)>
Napi::Value Map(const Napi::CallbackInfo& info) {
  if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    Fail(info.Env(), "expected two Float64Arrays (input, output)", false);
    return info.Env().Undefined();
  }
  auto in = info[0].As<Napi::Float64Array>();
  auto out = info[1].As<Napi::Float64Array>();
  if (in.ElementLength() != out.ElementLength()) {
    Fail(info.Env(), "output: expected the length of the input");
    return info.Env().Undefined();
  }
  for (size_t i = 0; i < in.ElementLength(); i++) out[i] = F(in[i]);
  return info.Env().Undefined();
}

Napi::Value ZigguratTables(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto x = Napi::Float64Array::New(env, 257);
  auto f = Napi::Float64Array::New(env, 257);
  auto k = Napi::Float64Array::New(env, 256);
  for (size_t i = 0; i < 257; i++) {
    x[i] = featlearn_zig::X[i];
    f[i] = featlearn_zig::F[i];
  }
  for (size_t i = 0; i < 256; i++) k[i] = double(featlearn_zig::K[i]);
  auto obj = Napi::Object::New(env);
  obj.Set("X", x);
  obj.Set("F", f);
  obj.Set("K", k);
  obj.Set("R", featlearn_zig::R);
  obj.Set("INV_R", featlearn_zig::INV_R);
  return obj;
}

}  // namespace

void InitRandom(Napi::Env env, Napi::Object exports) {
  exports.Set("randomFillNormal", Napi::Function::New(env, FillNormal, "randomFillNormal"));
  exports.Set("randomFillUniform", Napi::Function::New(env, FillUniform, "randomFillUniform"));
  exports.Set("randomFillRademacher", Napi::Function::New(env, FillRademacher, "randomFillRademacher"));
  exports.Set("randomPhilox", Napi::Function::New(env, Philox, "randomPhilox"));
  exports.Set("randomPhiloxLanes", Napi::Function::New(env, PhiloxLanes, "randomPhiloxLanes"));
  exports.Set("randomDetExp", Napi::Function::New(env, Map<det_exp>, "randomDetExp"));
  exports.Set("randomDetLog", Napi::Function::New(env, Map<det_log>, "randomDetLog"));
  exports.Set("randomZigguratTables", Napi::Function::New(env, ZigguratTables, "randomZigguratTables"));
}
