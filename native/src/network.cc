// Fused forward/backward passes of the two-layer network f(x) = sum_j a_j sigma(<w_j, x>) + b on a fixed
// training set X (n x d, row-major) with m << d neurons (multi-index.md section 2; the TypeScript side is
// src/simulate/dynamics/network.ts, which documents the formulas and scales the sums returned here).
//
// One pass over X computes, for every row x_i, the m dot products h_i = W x_i, the per-row work (activation,
// loss, its derivatives) and the rank-one update out += g_i x_i^T while x_i is still in cache, so X streams
// from memory ONCE per evaluation (numpy's X @ W.T then G.T @ X reads it twice). Two passes are provided:
//   networkGradient: g_ij = l'(f_i) a_j sigma'(h_ij)   -> sum_i g_i x_i^T, sum_i l(y_i, f_i), sum_i l'(f_i),
//                    sum_i l'(f_i) sigma(h_ij)
//   networkHvp:      the Pearlmutter directional derivative of that gradient along (V, alpha, beta), from the
//                    point's cached sigma, sigma', sigma'', l', l''.
//
// Determinism: the rows are cut into a number of slabs that depends only on (n, m, d); each slab sums its
// rows in order into its own buffer, and the slab buffers are added in slab order. Threads take whole slabs,
// so the result is the same, to the last bit, for every thread count. Each row's dot products and rank-one
// updates use fixed 4-lane partial sums in register tiles (GCC vector extensions: AVX2 when the CPU has it,
// else SSE2 pairs; no FMA contraction), so the summation order is fixed too. The tiles (4 rows x 4 neurons
// for the dot products, 4 neurons x 12 entries for the updates) cut the loads per flop; on the 2-core AMD
// EPYC of bench/RESULTS.md one pass at n = 8000, d = 2000, m = 4 runs near the memory bandwidth.
#include <napi.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "activation_kernels.h"
#include "napi_args.h"
#include "threads.h"

namespace {

using featlearn_activation::Params;

typedef double v4d __attribute__((vector_size(32)));
typedef float v4f __attribute__((vector_size(16)));

#define FL_INLINE inline __attribute__((always_inline))

FL_INLINE v4d Load4(const double* p) {
  v4d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
FL_INLINE v4d Load4(const float* p) {
  v4f v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, v4d);
}
FL_INLINE void Store4(double* p, v4d v) { std::memcpy(p, &v, sizeof v); }
FL_INLINE double Sum4(v4d v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// Register tiles. Dot products: RR rows x MJ weights, each a 4-lane partial sum (acc[r][j] += x_r * w_j per
// 4 entries), lanes added pairwise, then the < 4 leftover entries in order. h[r * ldh + j] = <x_r, W_j>.
template <class T, int MJ, int RR>
FL_INLINE void DotTile(const T* X0, const double* W, size_t d, double* h, size_t ldh) {
  v4d acc[RR][MJ];
  for (int r = 0; r < RR; r++)
    for (int j = 0; j < MJ; j++) acc[r][j] = v4d{0, 0, 0, 0};
  size_t k = 0;
  for (; k + 4 <= d; k += 4) {
    v4d xv[RR];
    for (int r = 0; r < RR; r++) xv[r] = Load4(X0 + r * d + k);
    for (int j = 0; j < MJ; j++) {
      const v4d w = Load4(W + j * d + k);
      for (int r = 0; r < RR; r++) acc[r][j] += xv[r] * w;
    }
  }
  for (int r = 0; r < RR; r++)
    for (int j = 0; j < MJ; j++) {
      double tail = 0;
      for (size_t q = k; q < d; q++) tail += static_cast<double>(X0[r * d + q]) * W[j * d + q];
      h[r * ldh + j] = Sum4(acc[r][j]) + tail;
    }
}

template <class T, int RR>
FL_INLINE void DotRowTile(const T* X0, const double* W, size_t d, size_t m, double* h) {
  for (size_t j0 = 0; j0 < m; j0 += 4) {
    switch (std::min<size_t>(4, m - j0)) {
      case 4: DotTile<T, 4, RR>(X0, W + j0 * d, d, h + j0, m); break;
      case 3: DotTile<T, 3, RR>(X0, W + j0 * d, d, h + j0, m); break;
      case 2: DotTile<T, 2, RR>(X0, W + j0 * d, d, h + j0, m); break;
      default: DotTile<T, 1, RR>(X0, W + j0 * d, d, h + j0, m); break;
    }
  }
}

// H (rows x m) = Xb W^T for a block of rows: tiles of 4 rows, then the 1-3 leftover rows one by one.
template <class T>
FL_INLINE void DotRowsImpl(const T* Xb, size_t rows, size_t d, const double* W, size_t m, double* H) {
  size_t i = 0;
  for (; i + 4 <= rows; i += 4) DotRowTile<T, 4>(Xb + i * d, W, d, m, H + i * m);
  for (; i < rows; i++) DotRowTile<T, 1>(Xb + i * d, W, d, m, H + i * m);
}

// Rank-one updates of MJ output rows over KV x 4 consecutive entries k.. : the accumulators start from out
// and add the block's rows in order (out_j[k] += G[r][j] x_r[k], r = 0, 1, ...), kept in registers.
template <class T, int MJ, int KV>
FL_INLINE void AccumulateTile(const T* Xb, size_t rows, size_t d, const double* G, size_t m, size_t k, double* out) {
  v4d acc[MJ][KV];
  for (int j = 0; j < MJ; j++)
    for (int c = 0; c < KV; c++) acc[j][c] = Load4(out + j * d + k + 4 * c);
  for (size_t r = 0; r < rows; r++) {
    const T* x = Xb + r * d + k;
    v4d xv[KV];
    for (int c = 0; c < KV; c++) xv[c] = Load4(x + 4 * c);
    for (int j = 0; j < MJ; j++) {
      const double g = G[r * m + j];
      const v4d gv = {g, g, g, g};
      for (int c = 0; c < KV; c++) acc[j][c] += gv * xv[c];
    }
  }
  for (int j = 0; j < MJ; j++)
    for (int c = 0; c < KV; c++) Store4(out + j * d + k + 4 * c, acc[j][c]);
}

template <class T, int MJ>
FL_INLINE void AccumulateColumns(const T* Xb, size_t rows, size_t d, const double* G, size_t m, double* out) {
  size_t k = 0;
  for (; k + 12 <= d; k += 12) AccumulateTile<T, MJ, 3>(Xb, rows, d, G, m, k, out);
  for (; k + 4 <= d; k += 4) AccumulateTile<T, MJ, 1>(Xb, rows, d, G, m, k, out);
  for (; k < d; k++)
    for (int j = 0; j < MJ; j++) {
      double acc = out[j * d + k];
      for (size_t r = 0; r < rows; r++) acc += G[r * m + j] * static_cast<double>(Xb[r * d + k]);
      out[j * d + k] = acc;
    }
}

// out (m x d) += G^T Xb, G = rows x m, in groups of 4 output rows.
template <class T>
FL_INLINE void AccumulateRowsImpl(const T* Xb, size_t rows, size_t d, const double* G, size_t m, double* out) {
  for (size_t j0 = 0; j0 < m; j0 += 4) {
    switch (std::min<size_t>(4, m - j0)) {
      case 4: AccumulateColumns<T, 4>(Xb, rows, d, G + j0, m, out + j0 * d); break;
      case 3: AccumulateColumns<T, 3>(Xb, rows, d, G + j0, m, out + j0 * d); break;
      case 2: AccumulateColumns<T, 2>(Xb, rows, d, G + j0, m, out + j0 * d); break;
      default: AccumulateColumns<T, 1>(Xb, rows, d, G + j0, m, out + j0 * d); break;
    }
  }
}

template <class T>
struct Kernels {
  void (*dot)(const T*, size_t, size_t, const double*, size_t, double*);
  void (*accumulate)(const T*, size_t, size_t, const double*, size_t, double*);
};

template <class T>
void DotRowsDefault(const T* Xb, size_t rows, size_t d, const double* W, size_t m, double* H) { DotRowsImpl<T>(Xb, rows, d, W, m, H); }
template <class T>
void AccumulateRowsDefault(const T* Xb, size_t rows, size_t d, const double* G, size_t m, double* out) { AccumulateRowsImpl<T>(Xb, rows, d, G, m, out); }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define FEATLEARN_NETWORK_AVX2 1
template <class T>
__attribute__((target("avx2"))) void DotRowsAvx2(const T* Xb, size_t rows, size_t d, const double* W, size_t m, double* H) {
  DotRowsImpl<T>(Xb, rows, d, W, m, H);
}
template <class T>
__attribute__((target("avx2"))) void AccumulateRowsAvx2(const T* Xb, size_t rows, size_t d, const double* G, size_t m, double* out) {
  AccumulateRowsImpl<T>(Xb, rows, d, G, m, out);
}
#endif

// The AVX2 variants when the CPU has AVX2 (same operations in the same order, so the same numbers), else SSE2.
template <class T>
Kernels<T> PickKernels() {
#ifdef FEATLEARN_NETWORK_AVX2
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return {&DotRowsAvx2<T>, &AccumulateRowsAvx2<T>};
#endif
  return {&DotRowsDefault<T>, &AccumulateRowsDefault<T>};
}

// Rows per block: the block's rows are read by the dot products and again by the update, so keep them in L2.
size_t BlockRows(size_t d, size_t bytes) { return std::max<size_t>(1, std::min<size_t>(8, (size_t(1) << 18) / (d * bytes))); }

// Number of slabs: a function of (n, m, d) only (never of the thread count); at most 16, at least 256 rows
// each, and at most 64 MiB of slab buffers.
size_t SlabCount(size_t n, size_t m, size_t d) {
  size_t s = std::max<size_t>(1, std::min<size_t>(16, n / 256));
  while (s > 1 && s * m * d * sizeof(double) > (size_t(64) << 20)) s--;
  return s;
}

// One fused pass. RowFn: void(size_t i, const double* h, double* g, double* scratch, double* scalars)
// computes row i's g (length m) from h = W x_i (scratch: m doubles of its own) and adds its share to the
// slab's `nscalars` scalars. out (m x d) and
// scalars (nscalars) receive the sums over all rows.
template <class T, class RowFn>
void FusedPass(const T* X, size_t n, size_t d, const double* W, size_t m, size_t nscalars, RowFn rowFn, double* out, double* scalars) {
  static const Kernels<T> kernels = PickKernels<T>();
  const size_t slabs = SlabCount(n, m, d);
  const size_t R = BlockRows(d, sizeof(T));
  std::vector<double> partial(slabs * m * d, 0.0);
  std::vector<double> partialScalars(slabs * nscalars, 0.0);
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    std::vector<double> H(R * m), G(R * m), scratch(m);
    for (size_t s; (s = next.fetch_add(1)) < slabs;) {
      const size_t r0 = s * n / slabs, r1 = (s + 1) * n / slabs;
      double* o = partial.data() + s * m * d;
      double* sc = partialScalars.data() + s * nscalars;
      for (size_t b = r0; b < r1; b += R) {
        const size_t rows = std::min(R, r1 - b);
        const T* Xb = X + b * d;
        kernels.dot(Xb, rows, d, W, m, H.data());
        for (size_t i = 0; i < rows; i++) rowFn(b + i, H.data() + i * m, G.data() + i * m, scratch.data(), sc);
        kernels.accumulate(Xb, rows, d, G.data(), m, o);
      }
    }
  };
  const size_t threads = std::min<size_t>(static_cast<size_t>(featlearn_threads()), slabs);
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; t++) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  const size_t md = m * d;
  for (size_t t = 0; t < md; t++) {
    double acc = 0;
    for (size_t s = 0; s < slabs; s++) acc += partial[s * md + t];
    out[t] = acc;
  }
  for (size_t k = 0; k < nscalars; k++) {
    double acc = 0;
    for (size_t s = 0; s < slabs; s++) acc += partialScalars[s * nscalars + k];
    scalars[k] = acc;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Losses l(y, f) and l'(f): the same formulas as makeLoss in src/simulate/dynamics/network.ts.

enum class Loss { Square, Huber, Logcosh };

inline void EvalLoss(Loss loss, double huberDelta, double y, double f, double& l, double& r) {
  const double e = f - y;
  switch (loss) {
    case Loss::Square:
      l = 0.5 * e * e;
      r = e;
      return;
    case Loss::Huber: {
      const double ae = std::fabs(e);
      if (ae <= huberDelta) {
        l = 0.5 * e * e;
        r = e;
      } else {
        l = huberDelta * (ae - 0.5 * huberDelta);
        r = huberDelta * (e > 0 ? 1.0 : (e < 0 ? -1.0 : e));
      }
      return;
    }
    case Loss::Logcosh: {
      const double ae = std::fabs(e);
      l = ae + std::log1p(std::exp(-2 * ae)) - 0.6931471805599453;  // log 2
      r = std::tanh(e);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Argument checks (the TypeScript wrapper validates shapes exactly; these keep the addon memory-safe).

using featlearn_napi::Args;

// The input matrix X (argument 0) and d (argument 1): n = length / d.
struct Input {
  napi_typedarray_type type = napi_float64_array;
  const void* data = nullptr;
  size_t n = 0, d = 0;
};

bool ReadInput(Args& args, Input& in) {
  const Napi::Value v = args.info[0];
  if (!v.IsTypedArray()) {
    args.TypeFail("X must be a Float64Array or a Float32Array");
    return false;
  }
  auto ta = v.As<Napi::TypedArray>();
  in.type = ta.TypedArrayType();
  if (in.type != napi_float64_array && in.type != napi_float32_array) {
    args.TypeFail("X must be a Float64Array or a Float32Array");
    return false;
  }
  const double d = args.Num(1, "d");
  if (args.failed) return false;
  if (!(d >= 1) || d != std::floor(d) || ta.ElementLength() % static_cast<size_t>(d) != 0) {
    args.TypeFail("d must be a positive integer dividing the length of X");
    return false;
  }
  in.d = static_cast<size_t>(d);
  in.n = ta.ElementLength() / in.d;
  in.data = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
  return true;
}

size_t WeightRows(Args& args, size_t index, const char* name, size_t d) {
  const Napi::Value v = args.info[index];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array || v.As<Napi::TypedArray>().ElementLength() % d != 0 ||
      v.As<Napi::TypedArray>().ElementLength() == 0) {
    args.TypeFail(std::string(name) + " must be a non-empty Float64Array of length m * d");
    return 0;
  }
  return v.As<Napi::TypedArray>().ElementLength() / d;
}

template <class RowFn>
void Dispatch(const Input& in, const double* W, size_t m, size_t nscalars, RowFn rowFn, double* out, double* scalars) {
  if (in.type == napi_float64_array) FusedPass<double>(static_cast<const double*>(in.data), in.n, in.d, W, m, nscalars, rowFn, out, scalars);
  else FusedPass<float>(static_cast<const float*>(in.data), in.n, in.d, W, m, nscalars, rowFn, out, scalars);
}

// networkGradient(X, d, W, a, b, y, kind, offset, coeffs, loss, huberDelta, outW, outA)
//   outW (m*d) <- sum_i l'(f_i) a_j sigma'(h_ij) x_i;  outA (m) <- sum_i l'(f_i) sigma(h_ij)
//   returns [sum_i l(y_i, f_i), sum_i l'(f_i)]
Napi::Value NetworkGradient(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args args(info);
  if (!args.Count(13)) return env.Undefined();
  Input in;
  if (!ReadInput(args, in)) return env.Undefined();
  const size_t m = WeightRows(args, 2, "W", in.d);
  const double* W = args.Array<double>(2, "W", m * in.d);
  const double* a = args.Array<double>(3, "a", m);
  const double b = args.Num(4, "b");
  const double* y = args.Array<double>(5, "y", in.n);
  if (args.failed) return env.Undefined();
  if (!info[6].IsString()) {
    args.TypeFail("kind must be a string");
    return env.Undefined();
  }
  const std::string kind = info[6].As<Napi::String>().Utf8Value();
  const double offset = args.Num(7, "offset");
  Params p;
  if (kind == "poly") {
    if (!info[8].IsTypedArray() || info[8].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      args.TypeFail("poly needs coeffs as a Float64Array");
      return env.Undefined();
    }
    auto c = info[8].As<Napi::Float64Array>();
    p.coeffs = c.Data();
    p.ncoeffs = c.ElementLength();
  }
  const auto act = featlearn_activation::ByName(kind);
  if (!act) {
    args.TypeFail("unknown kernel kind \"" + kind + "\"");
    return env.Undefined();
  }
  const std::string lossName = info[9].IsString() ? info[9].As<Napi::String>().Utf8Value() : "";
  Loss loss;
  if (lossName == "square") loss = Loss::Square;
  else if (lossName == "huber") loss = Loss::Huber;
  else if (lossName == "logcosh") loss = Loss::Logcosh;
  else {
    args.TypeFail("loss must be \"square\", \"huber\" or \"logcosh\", got \"" + lossName + "\"");
    return env.Undefined();
  }
  const double huberDelta = args.Num(10, "huberDelta");
  double* outW = args.Array<double>(11, "outW", m * in.d);
  double* outA = args.Array<double>(12, "outA", m);
  if (args.failed) return env.Undefined();

  // scalars: [sum l, sum l', sum_i l' sigma(h_i0), ..., sum_i l' sigma(h_i,m-1)]
  const size_t nscalars = 2 + m;
  auto row = [=](size_t i, const double* h, double* g, double* sv, double* sc) {
    double f = b;
    for (size_t j = 0; j < m; j++) {
      act(h[j], p, sv[j], g[j]);  // g holds sigma' until r is known
      sv[j] += offset;
      f += a[j] * sv[j];
    }
    double l, r;
    EvalLoss(loss, huberDelta, y[i], f, l, r);
    sc[0] += l;
    sc[1] += r;
    for (size_t j = 0; j < m; j++) {
      g[j] = r * a[j] * g[j];
      sc[2 + j] += r * sv[j];
    }
  };
  std::vector<double> scalars(nscalars);
  Dispatch(in, W, m, nscalars, row, outW, scalars.data());
  for (size_t j = 0; j < m; j++) outA[j] = scalars[2 + j];
  Napi::Float64Array result = Napi::Float64Array::New(env, 2);
  result[0] = scalars[0];
  result[1] = scalars[1];
  return result;
}

// networkHvp(X, d, V, a, alpha, beta, S, S1, S2, r, r2, outW, outA)
//   with hdot_ij = <V_j, x_i>, fdot_i = beta + sum_j (alpha_j S_ij + a_j S1_ij hdot_ij), rdot_i = r2_i fdot_i:
//   outW (m*d) <- sum_i (rdot_i a_j S1_ij + r_i alpha_j S1_ij + r_i a_j S2_ij hdot_ij) x_i
//   outA (m)   <- sum_i (rdot_i S_ij + r_i S1_ij hdot_ij);  returns sum_i rdot_i.  alpha may be null (= 0).
Napi::Value NetworkHvp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args args(info);
  if (!args.Count(13)) return env.Undefined();
  Input in;
  if (!ReadInput(args, in)) return env.Undefined();
  const size_t m = WeightRows(args, 2, "V", in.d);
  const size_t n = in.n;
  const double* V = args.Array<double>(2, "V", m * in.d);
  const double* a = args.Array<double>(3, "a", m);
  const double* alpha = args.ArrayOrNull<double>(4, "alpha", m);
  const double beta = args.Num(5, "beta");
  const double* S = args.Array<double>(6, "S", n * m);
  const double* S1 = args.Array<double>(7, "S1", n * m);
  const double* S2 = args.Array<double>(8, "S2", n * m);
  const double* r = args.Array<double>(9, "r", n);
  const double* r2 = args.Array<double>(10, "r2", n);
  double* outW = args.Array<double>(11, "outW", m * in.d);
  double* outA = args.Array<double>(12, "outA", m);
  if (args.failed) return env.Undefined();

  // scalars: [sum rdot, sum (rdot S_i0 + r S1_i0 hdot_i0), ...]
  const size_t nscalars = 1 + m;
  auto row = [=](size_t i, const double* hd, double* g, double*, double* sc) {
    const double* Si = S + i * m;
    const double* S1i = S1 + i * m;
    const double* S2i = S2 + i * m;
    double fdot = beta;
    for (size_t j = 0; j < m; j++) fdot += (alpha ? alpha[j] * Si[j] : 0.0) + a[j] * S1i[j] * hd[j];
    const double rdot = r2[i] * fdot;
    const double ri = r[i];
    for (size_t j = 0; j < m; j++) {
      const double al = alpha ? alpha[j] : 0.0;
      g[j] = rdot * a[j] * S1i[j] + ri * al * S1i[j] + ri * a[j] * S2i[j] * hd[j];
      sc[1 + j] += rdot * Si[j] + ri * S1i[j] * hd[j];
    }
    sc[0] += rdot;
  };
  std::vector<double> scalars(nscalars);
  Dispatch(in, V, m, nscalars, row, outW, scalars.data());
  for (size_t j = 0; j < m; j++) outA[j] = scalars[1 + j];
  return Napi::Number::New(env, scalars[0]);
}

}  // namespace

void InitNetwork(Napi::Env env, Napi::Object exports) {
  exports.Set("networkGradient", Napi::Function::New(env, NetworkGradient, "networkGradient"));
  exports.Set("networkHvp", Napi::Function::New(env, NetworkHvp, "networkHvp"));
}
