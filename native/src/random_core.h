// featlearn random streams: the native twin of src/random/{philox,detmath,ziggurat,portable}.ts.
// Same stream layout (src/random/layout.ts) and the same floating-point operations in the same order,
// so native and TypeScript fills are bit-identical. Compiled with -ffp-contract=off (no fused
// multiply-add); keep it that way. No N-API here, so the kernels can be benchmarked standalone.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif

#include "random_ziggurat_tables.h"

namespace featlearn_random {

// Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3";
// constants and round function of Random123's philox.h).
constexpr uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;

// Tags of src/random/layout.ts (c3 of every counter).
constexpr uint32_t TAG_NORMAL = 0x6e6f726du;      // 'norm'
constexpr uint32_t TAG_UNIFORM = 0x756e6966u;     // 'unif'
constexpr uint32_t TAG_RADEMACHER = 0x72616465u;  // 'rade'

constexpr double TWO_M53 = 0x1p-53;

inline void philox4x32(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t out[4]) {
  for (int r = 0; r < 10; r++) {
    if (r > 0) {
      k0 += W0;
      k1 += W1;
    }
    const uint64_t p0 = uint64_t(M0) * c0;
    const uint64_t p1 = uint64_t(M1) * c2;
    const uint32_t y0 = uint32_t(p1 >> 32) ^ c1 ^ k0;
    const uint32_t y2 = uint32_t(p0 >> 32) ^ c3 ^ k1;
    c1 = uint32_t(p1);
    c3 = uint32_t(p0);
    c0 = y0;
    c2 = y2;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

// LANES independent Philox blocks at once, counters (j, j >> 32, c2, c3) for j = j0 + lane. On x86-64,
// eight lanes per AVX2 vector when the CPU has AVX2 (checked at run time), else four per SSE2 vector:
// _mm_mul_epu32 forms the 32x32->64 products of the even lanes, a 32-bit shift brings in the odd ones.
// Elsewhere a plain loop (which compilers may vectorise). Integer-only: identical results on every path.
constexpr int LANES = 16;
struct Lanes {
  alignas(32) uint32_t x0[LANES];
  alignas(32) uint32_t x1[LANES];
  alignas(32) uint32_t x2[LANES];
  alignas(32) uint32_t x3[LANES];
};

#if defined(__SSE2__)
// (hi, lo) 32-bit halves of the four products m * x (lane by lane).
inline void mulhilo_sse2(__m128i x, __m128i m, __m128i& hi, __m128i& lo) {
  const __m128i mask = _mm_set_epi32(0, -1, 0, -1);
  const __m128i pe = _mm_mul_epu32(x, m);                       // lanes 0, 2 as 64-bit products
  const __m128i po = _mm_mul_epu32(_mm_srli_epi64(x, 32), m);   // lanes 1, 3
  lo = _mm_or_si128(_mm_and_si128(pe, mask), _mm_slli_epi64(po, 32));
  hi = _mm_or_si128(_mm_srli_epi64(pe, 32), _mm_andnot_si128(mask, po));
}
#endif

// FEATLEARN_RANDOM_NO_AVX2 / FEATLEARN_RANDOM_NO_SIMD (compile-time) select the SSE2 or the plain
// path, to check that all three agree (they are also checked against each other by the KAT tests).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(FEATLEARN_RANDOM_NO_AVX2) && \
    !defined(FEATLEARN_RANDOM_NO_SIMD)
#define FEATLEARN_RANDOM_AVX2 1
// The same rounds, eight lanes per 256-bit vector; used when the CPU has AVX2 (checked at run time).
__attribute__((target("avx2"))) inline void philox_rounds_avx2(uint32_t k0, uint32_t k1, Lanes& s) {
  const __m256i m0 = _mm256_set1_epi32(int32_t(M0)), m1 = _mm256_set1_epi32(int32_t(M1));
  for (int v = 0; v < LANES; v += 8) {
    __m256i x0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.x0 + v));
    __m256i x1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.x1 + v));
    __m256i x2 = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.x2 + v));
    __m256i x3 = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.x3 + v));
    uint32_t kk0 = k0, kk1 = k1;
    for (int r = 0; r < 10; r++) {
      const __m256i pe0 = _mm256_mul_epu32(x0, m0), po0 = _mm256_mul_epu32(_mm256_srli_epi64(x0, 32), m0);
      const __m256i pe1 = _mm256_mul_epu32(x2, m1), po1 = _mm256_mul_epu32(_mm256_srli_epi64(x2, 32), m1);
      const __m256i lo0 = _mm256_blend_epi32(pe0, _mm256_slli_epi64(po0, 32), 0xAA);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(pe0, 32), po0, 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(pe1, _mm256_slli_epi64(po1, 32), 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(pe1, 32), po1, 0xAA);
      x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(int32_t(kk0)));
      x1 = lo1;
      x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(int32_t(kk1)));
      x3 = lo0;
      kk0 += W0;
      kk1 += W1;
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(s.x0 + v), x0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(s.x1 + v), x1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(s.x2 + v), x2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(s.x3 + v), x3);
  }
}

inline bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

inline void philox_lanes(uint32_t k0, uint32_t k1, uint64_t j0, uint32_t c2, uint32_t c3, Lanes& s) {
  for (int l = 0; l < LANES; l++) {
    const uint64_t j = j0 + uint64_t(l);
    s.x0[l] = uint32_t(j);
    s.x1[l] = uint32_t(j >> 32);
    s.x2[l] = c2;
    s.x3[l] = c3;
  }
#if defined(FEATLEARN_RANDOM_AVX2)
  if (cpu_has_avx2()) {
    philox_rounds_avx2(k0, k1, s);
    return;
  }
#endif
#if defined(__SSE2__) && !defined(FEATLEARN_RANDOM_NO_SIMD)
  const __m128i m0 = _mm_set1_epi32(int32_t(M0)), m1 = _mm_set1_epi32(int32_t(M1));
  for (int v = 0; v < LANES; v += 4) {
    __m128i x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(s.x0 + v));
    __m128i x1 = _mm_load_si128(reinterpret_cast<const __m128i*>(s.x1 + v));
    __m128i x2 = _mm_load_si128(reinterpret_cast<const __m128i*>(s.x2 + v));
    __m128i x3 = _mm_load_si128(reinterpret_cast<const __m128i*>(s.x3 + v));
    uint32_t kk0 = k0, kk1 = k1;
    for (int r = 0; r < 10; r++) {
      __m128i hi0, lo0, hi1, lo1;
      mulhilo_sse2(x0, m0, hi0, lo0);
      mulhilo_sse2(x2, m1, hi1, lo1);
      x0 = _mm_xor_si128(_mm_xor_si128(hi1, x1), _mm_set1_epi32(int32_t(kk0)));
      x1 = lo1;
      x2 = _mm_xor_si128(_mm_xor_si128(hi0, x3), _mm_set1_epi32(int32_t(kk1)));
      x3 = lo0;
      kk0 += W0;
      kk1 += W1;
    }
    _mm_store_si128(reinterpret_cast<__m128i*>(s.x0 + v), x0);
    _mm_store_si128(reinterpret_cast<__m128i*>(s.x1 + v), x1);
    _mm_store_si128(reinterpret_cast<__m128i*>(s.x2 + v), x2);
    _mm_store_si128(reinterpret_cast<__m128i*>(s.x3 + v), x3);
  }
#else
  for (int r = 0; r < 10; r++) {
    for (int l = 0; l < LANES; l++) {
      const uint64_t p0 = uint64_t(M0) * s.x0[l];
      const uint64_t p1 = uint64_t(M1) * s.x2[l];
      const uint32_t y0 = uint32_t(p1 >> 32) ^ s.x1[l] ^ k0;
      const uint32_t y2 = uint32_t(p0 >> 32) ^ s.x3[l] ^ k1;
      s.x1[l] = uint32_t(p1);
      s.x3[l] = uint32_t(p0);
      s.x0[l] = y0;
      s.x2[l] = y2;
    }
    k0 += W0;
    k1 += W1;
  }
#endif
}

// Draw d of element p of a paired stream (layout.ts): half p & 1 of block (p >> 1, d, tag), as 64 bits.
inline uint64_t paired_draw(uint32_t k0, uint32_t k1, uint64_t p, uint32_t d, uint32_t tag) {
  const uint64_t j = p >> 1;
  uint32_t b[4];
  philox4x32(k0, k1, uint32_t(j), uint32_t(j >> 32), d, tag, b);
  const int h = int(p & 1) * 2;
  return (uint64_t(b[h + 1]) << 32) | b[h];
}

inline double top53_double(uint64_t w) { return double(int64_t(w >> 11)); }

// fdlibm 5.3 e_exp.c / e_log.c constants: the same decimal literals as detmath.ts (IEEE words in comments).
constexpr double LN2_HI = 0.6931471803691238;  // 0x3fe62e42_fee00000
constexpr double LN2_LO = 1.9082149292705877e-10;  // 0x3dea39ef_35793c76
constexpr double INV_LN2 = 1.4426950408889634;  // 0x3ff71547_652b82fe
constexpr double P1 = 0.16666666666666602;  // 0x3fc55555_5555553e
constexpr double P2 = -0.0027777777777015593;  // 0xbf66c16c_16bebd93
constexpr double P3 = 6.613756321437934e-5;  // 0x3f11566a_af25de2c
constexpr double P4 = -1.6533902205465252e-6;  // 0xbebbbd41_c5d26bf1
constexpr double P5 = 4.1381367970572385e-8;  // 0x3e663769_72bea4d0
constexpr double LG1 = 0.6666666666666735;  // 0x3fe55555_55555593
constexpr double LG2 = 0.3999999999940942;  // 0x3fd99999_9997fa04
constexpr double LG3 = 0.2857142874366239;  // 0x3fd24924_94229359
constexpr double LG4 = 0.22222198432149784;  // 0x3fcc71c5_1d8e78af
constexpr double LG5 = 0.1818357216161805;  // 0x3fc74664_96cb03de
constexpr double LG6 = 0.15313837699209373;  // 0x3fc39a09_d078c69f
constexpr double LG7 = 0.14798198605116586;  // 0x3fc2f112_df3e5244
constexpr double SQRT1_2 = 0.7071067811865476;  // 0x3fe6a09e_667f3bcd

inline double det_exp(double x) {
  const double k = std::floor(x * INV_LN2 + 0.5);
  const double hi = x - k * LN2_HI;
  const double lo = k * LN2_LO;
  const double r = hi - lo;
  const double t = r * r;
  const double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  if (k < 0) {
    for (double i = 0; i > k; i--) y *= 0.5;
  } else {
    for (double i = 0; i < k; i++) y *= 2.0;
  }
  return y;
}

inline double det_log(double u) {
  double k = 0;
  double m = u;
  while (m < SQRT1_2) {
    m *= 2.0;
    k--;
  }
  const double f = m - 1.0;
  const double hfsq = (0.5 * f) * f;
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  const double t1 = w * (LG2 + w * (LG4 + w * LG6));
  const double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const double r = t2 + t1;
  return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
}

// The ziggurat after the first draw missed the rectangle (src/random/ziggurat.ts, normalFromDraw).
inline double normal_slow(uint32_t k0, uint32_t k1, uint64_t p, uint64_t w) {
  using namespace featlearn_zig;
  uint32_t d = 1;
  for (;;) {
    const int i = int(w & 255);
    const bool negative = (w >> 8) & 1;
    const uint64_t m = w >> 11;
    const double x = (double(int64_t(m)) * TWO_M53) * X[i];
    if (m < K[i]) return negative ? -x : x;
    if (i == 0) {
      for (;;) {
        const double a = top53_double(paired_draw(k0, k1, p, d, TAG_NORMAL));
        const double b = top53_double(paired_draw(k0, k1, p, d + 1, TAG_NORMAL));
        d += 2;
        const double s = -det_log((a + 1.0) * TWO_M53) * INV_R;
        const double t = -det_log((b + 1.0) * TWO_M53);
        if (t + t > s * s) return negative ? -(R + s) : R + s;
      }
    }
    const double v = top53_double(paired_draw(k0, k1, p, d, TAG_NORMAL));
    d += 1;
    const double y = F[i] + (v * TWO_M53) * (F[i + 1] - F[i]);
    if (y < det_exp((-0.5 * x) * x)) return negative ? -x : x;
    w = paired_draw(k0, k1, p, d, TAG_NORMAL);
    d += 1;
  }
}

// Negates x when bit 8 of w is set, by flipping the sign bit: the same double as `negative ? -x : x`
// (also for zeros), without a branch that would be mispredicted half the time.
inline double apply_sign(double x, uint64_t w) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits ^= (w & 256u) << 55;
  std::memcpy(&x, &bits, sizeof bits);
  return x;
}

inline double normal_from_draw(uint32_t k0, uint32_t k1, uint64_t p, uint64_t w) {
  const int i = int(w & 255);
  const uint64_t m = w >> 11;
  if (m < featlearn_zig::K[i]) return apply_sign((double(int64_t(m)) * TWO_M53) * featlearn_zig::X[i], w);
  return normal_slow(k0, k1, p, w);
}

// Visits stream positions [pb, pe) of a paired stream in order, calling emit(p, w) with w the first
// 64-bit draw of element p; LANES blocks are generated at once.
template <class Emit>
inline void for_paired(uint32_t k0, uint32_t k1, uint32_t tag, uint64_t pb, uint64_t pe, Emit emit) {
  if (pb >= pe) return;
  const uint64_t jb = pb >> 1, je = (pe + 1) >> 1;
  Lanes s;
  for (uint64_t j0 = jb; j0 < je; j0 += LANES) {
    philox_lanes(k0, k1, j0, 0, tag, s);
    const int nl = je - j0 < uint64_t(LANES) ? int(je - j0) : LANES;
    for (int l = 0; l < nl; l++) {
      const uint64_t p0 = (j0 + uint64_t(l)) << 1;
      if (p0 >= pb) emit(p0, (uint64_t(s.x1[l]) << 32) | s.x0[l]);
      if (p0 + 1 < pe) emit(p0 + 1, (uint64_t(s.x3[l]) << 32) | s.x2[l]);
    }
  }
}

// out[t] = mean + std * z(offset + t) for t in [tb, te).
template <class T>
void fill_normal(uint32_t k0, uint32_t k1, T* out, uint64_t offset, size_t tb, size_t te, double mean, double std_) {
  for_paired(k0, k1, TAG_NORMAL, offset + tb, offset + te, [&](uint64_t p, uint64_t w) {
    out[p - offset] = T(mean + std_ * normal_from_draw(k0, k1, p, w));
  });
}

template <class T>
void fill_uniform(uint32_t k0, uint32_t k1, T* out, uint64_t offset, size_t tb, size_t te, double low, double high) {
  const double width = high - low;
  for_paired(k0, k1, TAG_UNIFORM, offset + tb, offset + te, [&](uint64_t p, uint64_t w) {
    out[p - offset] = T(low + width * (top53_double(w) * TWO_M53));
  });
}

template <class T>
void fill_rademacher(uint32_t k0, uint32_t k1, T* out, uint64_t offset, size_t tb, size_t te, double scale) {
  const uint64_t pb = offset + tb, pe = offset + te;
  if (pb >= pe) return;
  const T plus = T(scale), minus = T(-scale);
  uint32_t b[4];
  for (uint64_t j = pb >> 7; (j << 7) < pe; j++) {
    philox4x32(k0, k1, uint32_t(j), uint32_t(j >> 32), 0, TAG_RADEMACHER, b);
    const uint64_t lo = (j << 7) > pb ? (j << 7) : pb;
    const uint64_t hi = (j << 7) + 128 < pe ? (j << 7) + 128 : pe;
    for (uint64_t p = lo; p < hi; p++) {
      const unsigned bit = unsigned(p & 127);
      out[p - offset] = ((b[bit >> 5] >> (bit & 31)) & 1u) ? plus : minus;
    }
  }
}

}  // namespace featlearn_random
