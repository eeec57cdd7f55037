// Fused elementwise activation kernels (src/linalg/elementwise.ts): one pass over X writing sigma(z) + offset
// and/or sigma'(z), multi-threaded with parallel_for, for Float64Array and Float32Array (float32 entries are
// evaluated in double and rounded once on store). Outputs may alias X: each entry is read before it is written.
//
// The formulas are the same, operation for operation, as the portable backend's
// (src/linalg/portable-elementwise.ts), so the two agree to the last few ulp (the only differences come from
// the C library's tanh/erf/exp/sin/cos against JavaScript's Math.*).
//   tanh      value: glibc's vector tanh (libmvec, AVX2, <= 4 ulp) when available, else std::tanh (see
//             LibmvecTanh below); derivative 1 - t^2 for |z| <= 0.55 (no cancellation there: t^2 < 0.25),
//             else sech^2 z = 4e/(1+e)^2 with e = exp(-2|z|), which keeps full relative accuracy in the tails.
//   sigmoid   with e = exp(-|z|) in (0, 1]: value 1/(1+e) (z >= 0) or e/(1+e) (z < 0); never overflows;
//             derivative e/(1+e)^2 (= s(1-s) without the cancellation of 1 - s).
//   softplus  max(z, 0) + log1p(exp(-|z|)) (no overflow for large z, full accuracy for very negative z);
//             derivative sigmoid(z).
//   erf       value std::erf; derivative (2/sqrt(pi)) exp(-z^2).
//   relu      derivative 1 for z > 0 and 0 for z <= 0 (relu'(0) = 0 by convention).
//   abs       derivative sign(z) with sign(0) = 0.  sign: sign(0) = 0, derivative 0 everywhere (a.e.).
//   poly      sum_k c_k z^k and its derivative by Horner's rule.
// NaN inputs give NaN value and derivative for every kernel (never a silent 0 or 1).
#include <napi.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

#if defined(__x86_64__) && defined(__linux__)
#include <dlfcn.h>
#include <immintrin.h>
#endif

#include "threads.h"

#include "activation_kernels.h"

namespace {

using namespace featlearn_activation;

// Chunks of at least this many entries per thread (a thread start costs ~tens of microseconds).
constexpr size_t kMinChunk = 32768;

template <class T, class F, bool V, bool D>
void Loop(const T* x, T* val, T* der, size_t n, double offset, const Params& p) {
  parallel_for(n, kMinChunk, [=](size_t b, size_t e) {
    for (size_t i = b; i < e; i++) {
      double z = static_cast<double>(x[i]), v = 0, d = 0;
      F::template Eval<V, D>(z, p, v, d);
      if (V) val[i] = static_cast<T>(v + offset);
      if (D) der[i] = static_cast<T>(d);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// tanh through glibc's vector math library (libmvec, glibc >= 2.35, AVX2 variant _ZGVdN4v_tanh; max error
// 4 ulp by glibc's tests, like numpy's own SIMD tanh), found at run time with dlopen so that the addon
// neither links libmvec nor needs AVX2 to load. Every entry, including a chunk's last < 4 entries (padded),
// goes through the same vector function, so results do not depend on the thread count. Without libmvec or
// AVX2 the scalar std::tanh path above is used. FEATLEARN_SCALAR_TANH=1 forces the scalar path.
#if defined(__x86_64__) && defined(__linux__) && !defined(FEATLEARN_NO_LIBMVEC)
#define FEATLEARN_HAVE_LIBMVEC 1
typedef __m256d (*VecTanh)(__m256d);

VecTanh LibmvecTanh() {
  static const VecTanh f = []() -> VecTanh {
    const char* off = std::getenv("FEATLEARN_SCALAR_TANH");
    if (off && off[0] == '1') return nullptr;
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2")) return nullptr;
    void* lib = dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return nullptr;
    return reinterpret_cast<VecTanh>(dlsym(lib, "_ZGVdN4v_tanh"));
  }();
  return f;
}

__attribute__((target("avx2"))) inline __m256d Load4(const double* p) { return _mm256_loadu_pd(p); }
__attribute__((target("avx2"))) inline __m256d Load4(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
__attribute__((target("avx2"))) inline void Store4(double* p, __m256d v) { _mm256_storeu_pd(p, v); }
__attribute__((target("avx2"))) inline void Store4(float* p, __m256d v) { _mm_storeu_ps(p, _mm256_cvtpd_ps(v)); }

// Entries [b, e): values t + offset and/or derivatives from the vector t (each block is read before written).
template <class T, bool V, bool D>
__attribute__((target("avx2"))) void TanhVectorRange(VecTanh f, const T* x, T* val, T* der, size_t b, size_t e, double offset) {
  const __m256d off = _mm256_set1_pd(offset);
  alignas(32) double z[4], t[4], d[4];
  size_t i = b;
  for (; i + 4 <= e; i += 4) {
    __m256d zv = Load4(x + i);
    __m256d tv = f(zv);
    if (D) {
      _mm256_store_pd(z, zv);
      _mm256_store_pd(t, tv);
      for (int k = 0; k < 4; k++) d[k] = TanhDerivative(z[k], t[k]);
    }
    if (V) Store4(val + i, _mm256_add_pd(tv, off));
    if (D) Store4(der + i, _mm256_load_pd(d));
  }
  if (i < e) {
    const size_t m = e - i;
    for (size_t k = 0; k < 4; k++) z[k] = k < m ? static_cast<double>(x[i + k]) : 0.0;
    _mm256_store_pd(t, f(_mm256_load_pd(z)));
    for (size_t k = 0; k < m; k++) {
      if (V) val[i + k] = static_cast<T>(t[k] + offset);
      if (D) der[i + k] = static_cast<T>(TanhDerivative(z[k], t[k]));
    }
  }
}

template <class T, bool V, bool D>
void TanhVector(VecTanh f, const T* x, T* val, T* der, size_t n, double offset) {
  parallel_for(n, kMinChunk, [=](size_t b, size_t e) { TanhVectorRange<T, V, D>(f, x, val, der, b, e, offset); });
}
#endif

template <class T, class F>
void ByMode(int mode, const T* x, T* val, T* der, size_t n, double offset, const Params& p) {
  if (mode == 0) Loop<T, F, true, false>(x, val, der, n, offset, p);
  else if (mode == 1) Loop<T, F, false, true>(x, val, der, n, offset, p);
  else Loop<T, F, true, true>(x, val, der, n, offset, p);
}

template <class T>
bool Dispatch(const std::string& kind, int mode, const T* x, T* val, T* der, size_t n, double offset, const Params& p) {
#ifdef FEATLEARN_HAVE_LIBMVEC
  if (kind == "tanh") {
    if (VecTanh f = LibmvecTanh()) {
      if (mode == 0) TanhVector<T, true, false>(f, x, val, der, n, offset);
      else if (mode == 1) TanhVector<T, false, true>(f, x, val, der, n, offset);
      else TanhVector<T, true, true>(f, x, val, der, n, offset);
      return true;
    }
  }
#endif
  return VisitKernel(kind, [&](auto tag) { ByMode<T, typename decltype(tag)::type>(mode, x, val, der, n, offset, p); });
}

template <class T>
T* OutArray(Napi::Env env, Napi::Value v, const char* name, size_t n, bool& failed) {
  if (v.IsNull() || v.IsUndefined()) return nullptr;
  constexpr napi_typedarray_type want = std::is_same_v<T, double> ? napi_float64_array : napi_float32_array;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != want || v.As<Napi::TypedArray>().ElementLength() != n) {
    Napi::TypeError::New(env, std::string("elementwise: ") + name + " must be null or a " +
                                  (want == napi_float64_array ? "Float64Array" : "Float32Array") + " of the same length as X (" + std::to_string(n) + ")")
        .ThrowAsJavaScriptException();
    failed = true;
    return nullptr;
  }
  return v.As<Napi::TypedArrayOf<T>>().Data();
}

template <class T>
Napi::Value Run(const Napi::CallbackInfo& info, const std::string& kind, int mode, double offset, const Params& p) {
  Napi::Env env = info.Env();
  auto X = info[4].As<Napi::TypedArrayOf<T>>();
  const size_t n = X.ElementLength();
  bool failed = false;
  T* val = OutArray<T>(env, info[5], "value", n, failed);
  if (failed) return env.Undefined();
  T* der = OutArray<T>(env, info[6], "derivative", n, failed);
  if (failed) return env.Undefined();
  if ((mode != 1 && !val) || (mode != 0 && !der)) {
    Napi::TypeError::New(env, "elementwise: the mode needs an output array that is null").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!Dispatch<T>(kind, mode, X.Data(), val, der, n, offset, p))
    Napi::TypeError::New(env, "elementwise: unknown kernel kind \"" + kind + "\"").ThrowAsJavaScriptException();
  return env.Undefined();
}

// elementwise(kind, offset, coeffs: Float64Array | null, mode: 'value' | 'derivative' | 'both', X, value, derivative)
Napi::Value Elementwise(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 7 || !info[0].IsString() || !info[1].IsNumber() || !info[3].IsString() || !info[4].IsTypedArray()) {
    Napi::TypeError::New(env, "elementwise(kind: string, offset: number, coeffs, mode: string, X, value, derivative): bad arguments")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const std::string kind = info[0].As<Napi::String>().Utf8Value();
  const double offset = info[1].As<Napi::Number>().DoubleValue();
  const std::string modeName = info[3].As<Napi::String>().Utf8Value();
  const int mode = modeName == "value" ? 0 : modeName == "derivative" ? 1 : modeName == "both" ? 2 : -1;
  if (mode < 0) {
    Napi::TypeError::New(env, "elementwise: mode must be \"value\", \"derivative\" or \"both\", got \"" + modeName + "\"").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Params p;
  if (kind == "poly") {
    if (!info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      Napi::TypeError::New(env, "elementwise: poly needs coeffs as a Float64Array").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    auto c = info[2].As<Napi::Float64Array>();
    p.coeffs = c.Data();
    p.ncoeffs = c.ElementLength();
  }
  switch (info[4].As<Napi::TypedArray>().TypedArrayType()) {
    case napi_float64_array: return Run<double>(info, kind, mode, offset, p);
    case napi_float32_array: return Run<float>(info, kind, mode, offset, p);
    default:
      Napi::TypeError::New(env, "elementwise: X must be a Float64Array or a Float32Array").ThrowAsJavaScriptException();
      return env.Undefined();
  }
}

// elementwiseInfo(): which implementation the kernels use, for benchmarks and `featlearn doctor`.
Napi::Value ElementwiseInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
#ifdef FEATLEARN_HAVE_LIBMVEC
  o.Set("tanh", Napi::String::New(env, LibmvecTanh() ? "glibc libmvec _ZGVdN4v_tanh (AVX2)" : "std::tanh (scalar)"));
#else
  o.Set("tanh", Napi::String::New(env, "std::tanh (scalar)"));
#endif
  o.Set("threads", Napi::Number::New(env, featlearn_threads()));
  return o;
}

}  // namespace

void InitElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("elementwise", Napi::Function::New(env, Elementwise, "elementwise"));
  exports.Set("elementwiseInfo", Napi::Function::New(env, ElementwiseInfo, "elementwiseInfo"));
}
