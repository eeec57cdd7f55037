// featlearn native linear algebra: BLAS level 2/3 and LAPACK decompositions on row-major typed arrays.
//
// Every function takes its dimensions explicitly and works on the JavaScript typed arrays in place (the
// TypeScript wrapper, src/linalg/native-backend.ts, validates shapes and allocates outputs; this file checks
// again only what it needs to stay memory-safe). Layout tricks, all exact:
//   * BLAS: CBLAS with CblasRowMajor, no copies.
//   * A row-major n x n buffer read column-major is A^T; for a symmetric A whose lower triangle is given
//     (row-major), the column-major UPPER triangle holds the same numbers. dsyevd/dsyevr/dpotrf are therefore
//     called with uplo = 'U' on the row-major buffer itself (after the copy LAPACK needs because it
//     overwrites its input).
//   * SVD: the row-major m x n A is the column-major n x m A^T = V S U^T. dgesdd on A^T writes "U" = V
//     (column-major n x k, i.e. row-major Vt) and "VT" = U^T (column-major k x m, i.e. row-major U): the
//     outputs land in the requested layout with no transpose at all.
// Synchronous versions block the caller; the *Async versions run the same code on the libuv thread pool
// (Napi::AsyncWorker), keep the typed arrays referenced until they settle and return a Promise.
// LAPACK info != 0 becomes a JS Error with properties {routine, kind, info, detail}; the TypeScript wrapper
// turns it into a LinalgError.
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "blas_lapack.h"
#include "napi_args.h"
#include "threads.h"

namespace {

// ---------------------------------------------------------------------------------------------------------
// Status and errors

enum class Kind { Ok, NotPositiveDefinite, Singular, NoConvergence, Invalid };

struct Status {
  Kind kind = Kind::Ok;
  std::string routine;
  long info = 0;
  std::string detail;
  bool ok() const { return kind == Kind::Ok; }
};

Status Fail(Kind kind, const char* routine, long info, std::string detail) {
  Status s;
  s.kind = kind;
  s.routine = routine;
  s.info = info;
  s.detail = std::move(detail);
  return s;
}

const char* KindName(Kind k) {
  switch (k) {
    case Kind::NotPositiveDefinite: return "not-positive-definite";
    case Kind::Singular: return "singular";
    case Kind::NoConvergence: return "no-convergence";
    case Kind::Invalid: return "invalid";
    default: return "ok";
  }
}

Napi::Value MakeError(Napi::Env env, const Status& s) {
  Napi::Error e = Napi::Error::New(env, s.routine + ": " + s.detail);
  Napi::Object o = e.Value();
  o.Set("routine", Napi::String::New(env, s.routine));
  o.Set("kind", Napi::String::New(env, KindName(s.kind)));
  o.Set("info", Napi::Number::New(env, static_cast<double>(s.info)));
  o.Set("detail", Napi::String::New(env, s.detail));
  return o;
}

// LAPACK reports an illegal argument as info < 0; with validated inputs this is a bug, not a user error.
Status IllegalArgument(const char* routine, long info) {
  return Fail(Kind::Invalid, routine, info, "argument " + std::to_string(-info) + " had an illegal value (info=" + std::to_string(info) + ")");
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

// dst (cols x rows) = src^T, src row-major rows x cols. Blocked so both sides stay in cache.
void Transpose(const double* src, size_t rows, size_t cols, double* dst) {
  const size_t B = 32;
  for (size_t i0 = 0; i0 < rows; i0 += B) {
    size_t i1 = std::min(rows, i0 + B);
    for (size_t j0 = 0; j0 < cols; j0 += B) {
      size_t j1 = std::min(cols, j0 + B);
      for (size_t i = i0; i < i1; i++)
        for (size_t j = j0; j < j1; j++) dst[j * rows + i] = src[i * cols + j];
    }
  }
}

void TransposeSquareInPlace(double* a, size_t n) {
  const size_t B = 32;
  for (size_t i0 = 0; i0 < n; i0 += B) {
    for (size_t j0 = i0; j0 < n; j0 += B) {
      size_t i1 = std::min(n, i0 + B), j1 = std::min(n, j0 + B);
      for (size_t i = i0; i < i1; i++) {
        for (size_t j = std::max(j0, i + 1); j < j1; j++) std::swap(a[i * n + j], a[j * n + i]);
      }
    }
  }
}

// Copies the lower triangle of the row-major n x n C into its upper triangle.
template <class T>
void MirrorLowerToUpper(T* c, size_t n) {
  const size_t B = 32;
  for (size_t i0 = 0; i0 < n; i0 += B) {
    for (size_t j0 = i0; j0 < n; j0 += B) {
      size_t i1 = std::min(n, i0 + B), j1 = std::min(n, j0 + B);
      for (size_t i = i0; i < i1; i++)
        for (size_t j = std::max(j0, i + 1); j < j1; j++) c[i * n + j] = c[j * n + i];
    }
  }
}

// Returns the first non-finite entry of the row-major lower triangle (or everything), or -1.
long FirstNonFinite(const double* a, size_t rows, size_t cols, bool lowerOnly) {
  for (size_t i = 0; i < rows; i++) {
    size_t jEnd = lowerOnly ? std::min(cols, i + 1) : cols;
    const double* r = a + i * cols;
    for (size_t j = 0; j < jEnd; j++)
      if (!std::isfinite(r[j])) return static_cast<long>(i * cols + j);
  }
  return -1;
}

Status NonFinite(const char* routine, const char* what, long index, size_t cols) {
  size_t i = static_cast<size_t>(index) / cols, j = static_cast<size_t>(index) % cols;
  return Fail(Kind::Invalid, routine, 0,
              std::string(what) + " contains a non-finite entry (NaN or Infinity) at (" + std::to_string(i) + ", " + std::to_string(j) + ")");
}

// C <- beta C on a rows x cols block (beta == 0 overwrites, so NaNs in C do not survive, as in BLAS).
template <class T>
void ScaleRows(T* c, size_t rows, size_t cols, size_t ldc, T beta, bool lowerOnly) {
  for (size_t i = 0; i < rows; i++) {
    size_t jEnd = lowerOnly ? std::min(cols, i + 1) : cols;
    for (size_t j = 0; j < jEnd; j++) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Operations: one struct per routine; Run() is pure C++ (safe on a worker thread).

struct Op {
  virtual ~Op() = default;
  virtual Status Run() = 0;
};

inline fl_int I(size_t v) { return static_cast<fl_int>(v); }
inline int Ld(size_t v) { return static_cast<int>(std::max<size_t>(1, v)); }

template <class T>
struct GemmOp : Op {
  bool ta = false, tb = false;
  size_t m = 0, n = 0, k = 0;
  T alpha = 0, beta = 0;
  const T* A = nullptr;
  const T* B = nullptr;
  T* C = nullptr;
  Status Run() override {
    if (m == 0 || n == 0) return {};
    if (k == 0) {  // op(A) op(B) is the zero matrix; handled here so every BLAS agrees on beta
      ScaleRows(C, m, n, n, beta, false);
      return {};
    }
    const CBLAS_TRANSPOSE opA = ta ? CblasTrans : CblasNoTrans, opB = tb ? CblasTrans : CblasNoTrans;
    const int lda = Ld(ta ? m : k), ldb = Ld(tb ? k : n), ldc = Ld(n);
    if constexpr (std::is_same_v<T, double>)
      cblas_dgemm(CblasRowMajor, opA, opB, (int)m, (int)n, (int)k, alpha, A, lda, B, ldb, beta, C, ldc);
    else
      cblas_sgemm(CblasRowMajor, opA, opB, (int)m, (int)n, (int)k, alpha, A, lda, B, ldb, beta, C, ldc);
    return {};
  }
};

// C (n x n) <- alpha op(A) op(A)^T + beta C with op(A) = A (n x k) or A^T (A is k x n). BLAS fills the lower
// triangle (reading only the lower triangle of C when beta != 0); the upper one is mirrored from it.
template <class T>
struct SyrkOp : Op {
  bool trans = false;
  size_t n = 0, k = 0;
  T alpha = 0, beta = 0;
  const T* A = nullptr;
  T* C = nullptr;
  Status Run() override {
    if (n == 0) return {};
    if (k == 0) {
      ScaleRows(C, n, n, n, beta, true);
    } else {
      const CBLAS_TRANSPOSE op = trans ? CblasTrans : CblasNoTrans;
      const int lda = Ld(trans ? n : k);
      if constexpr (std::is_same_v<T, double>)
        cblas_dsyrk(CblasRowMajor, CblasLower, op, (int)n, (int)k, alpha, A, lda, beta, C, Ld(n));
      else
        cblas_ssyrk(CblasRowMajor, CblasLower, op, (int)n, (int)k, alpha, A, lda, beta, C, Ld(n));
    }
    MirrorLowerToUpper(C, n);
    return {};
  }
};

// y <- alpha op(A) x + beta y, A row-major m x n.
template <class T>
struct GemvOp : Op {
  bool trans = false;
  size_t m = 0, n = 0;
  T alpha = 0, beta = 0;
  const T* A = nullptr;
  const T* x = nullptr;
  T* y = nullptr;
  Status Run() override {
    const size_t ylen = trans ? n : m;
    if (ylen == 0) return {};
    if (m == 0 || n == 0) {
      ScaleRows(y, 1, ylen, ylen, beta, false);
      return {};
    }
    const CBLAS_TRANSPOSE op = trans ? CblasTrans : CblasNoTrans;
    if constexpr (std::is_same_v<T, double>)
      cblas_dgemv(CblasRowMajor, op, (int)m, (int)n, alpha, A, Ld(n), x, 1, beta, y, 1);
    else
      cblas_sgemv(CblasRowMajor, op, (int)m, (int)n, alpha, A, Ld(n), x, 1, beta, y, 1);
    return {};
  }
};

// All eigenpairs (dsyevd, divide and conquer: numpy.linalg.eigh's driver) or eigenvalues only (jobz = 'N',
// numpy.linalg.eigvalsh's). Reads the lower triangle of the row-major A; Z (n x n, row-major) receives the
// eigenvectors as columns.
struct EighOp : Op {
  size_t n = 0;
  bool vectors = true;
  const double* A = nullptr;
  double* W = nullptr;
  double* Z = nullptr;
  Status Run() override {
    const char* routine = "dsyevd";
    if (n == 0) return {};
    long bad = FirstNonFinite(A, n, n, true);
    if (bad >= 0) return NonFinite(routine, "A", bad, n);
    std::vector<double> scratch;
    double* a = Z;
    if (!vectors) {
      scratch.resize(n * n);
      a = scratch.data();
    }
    std::memcpy(a, A, n * n * sizeof(double));
    const char jobz = vectors ? 'V' : 'N', uplo = 'U';  // column-major upper = row-major lower
    const fl_int nn = I(n), lda = I(n);
    fl_int lwork = -1, liwork = -1, info = 0, iworkQuery = 0;
    double workQuery = 0;
    FL_DSYEVD(&jobz, &uplo, &nn, a, &lda, W, &workQuery, &lwork, &iworkQuery, &liwork, &info);
    if (info != 0) return IllegalArgument(routine, info);
    lwork = static_cast<fl_int>(workQuery);
    liwork = iworkQuery;
    std::vector<double> work(static_cast<size_t>(std::max<fl_int>(1, lwork)));
    std::vector<fl_int> iwork(static_cast<size_t>(std::max<fl_int>(1, liwork)));
    FL_DSYEVD(&jobz, &uplo, &nn, a, &lda, W, work.data(), &lwork, iwork.data(), &liwork, &info);
    if (info < 0) return IllegalArgument(routine, info);
    if (info > 0)
      return Fail(Kind::NoConvergence, routine, info,
                  "the divide-and-conquer eigensolver failed to converge (info=" + std::to_string(info) + ")");
    // Column-major eigenvectors = row-major rows; transpose so that eigenvector k is column k.
    if (vectors) TransposeSquareInPlace(Z, n);
    return {};
  }
};

// Eigenpairs il..iu (0-based, inclusive, ascending) by dsyevr (MRRR), with abstol = safe minimum for
// high relative accuracy (LAPACK's recommendation). Z is row-major n x (iu - il + 1).
struct EighRangeOp : Op {
  size_t n = 0, il = 0, iu = 0;
  const double* A = nullptr;
  double* W = nullptr;
  double* Z = nullptr;
  Status Run() override {
    const char* routine = "dsyevr";
    if (n == 0) return {};
    long bad = FirstNonFinite(A, n, n, true);
    if (bad >= 0) return NonFinite(routine, "A", bad, n);
    const size_t count = iu - il + 1;
    std::vector<double> a(A, A + n * n), w(n), z(n * count);
    std::vector<fl_int> isuppz(2 * count);
    const char jobz = 'V', range = 'I', uplo = 'U';
    const fl_int nn = I(n), lda = I(n), ldz = I(n), ilf = I(il + 1), iuf = I(iu + 1);
    const double vl = 0, vu = 0, abstol = std::numeric_limits<double>::min();
    fl_int mFound = 0, lwork = -1, liwork = -1, info = 0, iworkQuery = 0;
    double workQuery = 0;
    FL_DSYEVR(&jobz, &range, &uplo, &nn, a.data(), &lda, &vl, &vu, &ilf, &iuf, &abstol, &mFound, w.data(), z.data(), &ldz,
              isuppz.data(), &workQuery, &lwork, &iworkQuery, &liwork, &info);
    if (info != 0) return IllegalArgument(routine, info);
    lwork = static_cast<fl_int>(workQuery);
    liwork = iworkQuery;
    std::vector<double> work(static_cast<size_t>(std::max<fl_int>(1, lwork)));
    std::vector<fl_int> iwork(static_cast<size_t>(std::max<fl_int>(1, liwork)));
    FL_DSYEVR(&jobz, &range, &uplo, &nn, a.data(), &lda, &vl, &vu, &ilf, &iuf, &abstol, &mFound, w.data(), z.data(), &ldz,
              isuppz.data(), work.data(), &lwork, iwork.data(), &liwork, &info);
    if (info < 0) return IllegalArgument(routine, info);
    if (info > 0) return Fail(Kind::NoConvergence, routine, info, "internal error in the MRRR eigensolver (info=" + std::to_string(info) + ")");
    if (static_cast<size_t>(mFound) != count)
      return Fail(Kind::NoConvergence, routine, 0,
                  "returned " + std::to_string(mFound) + " eigenpairs, expected " + std::to_string(count));
    std::memcpy(W, w.data(), count * sizeof(double));
    Transpose(z.data(), count, n, Z);  // column-major n x count = row-major count x n
    return {};
  }
};

// Thin SVD by dgesdd (numpy.linalg.svd's driver), jobz = 'S' (vectors) or 'N' (values only). See the file
// comment for why U and Vt need no transpose.
struct SvdOp : Op {
  size_t m = 0, n = 0;
  bool vectors = true;
  const double* A = nullptr;
  double* U = nullptr;   // row-major m x k
  double* s = nullptr;   // k
  double* Vt = nullptr;  // row-major k x n
  Status Run() override {
    const char* routine = "dgesdd";
    const size_t k = std::min(m, n);
    if (k == 0) return {};
    long bad = FirstNonFinite(A, m, n, false);
    if (bad >= 0) return NonFinite(routine, "A", bad, n);
    std::vector<double> a(A, A + m * n);
    std::vector<fl_int> iwork(8 * k);
    const char jobz = vectors ? 'S' : 'N';
    // LAPACK sees the column-major n x m matrix A^T.
    const fl_int mf = I(n), nf = I(m), lda = I(n), ldu = I(vectors ? n : 1), ldvt = I(vectors ? k : 1);
    double dummy = 0;
    double* uOut = vectors ? Vt : &dummy;
    double* vtOut = vectors ? U : &dummy;
    fl_int lwork = -1, info = 0;
    double workQuery = 0;
    FL_DGESDD(&jobz, &mf, &nf, a.data(), &lda, s, uOut, &ldu, vtOut, &ldvt, &workQuery, &lwork, iwork.data(), &info);
    if (info != 0) return IllegalArgument(routine, info);
    lwork = static_cast<fl_int>(workQuery);
    std::vector<double> work(static_cast<size_t>(std::max<fl_int>(1, lwork)));
    FL_DGESDD(&jobz, &mf, &nf, a.data(), &lda, s, uOut, &ldu, vtOut, &ldvt, work.data(), &lwork, iwork.data(), &info);
    if (info < 0) return IllegalArgument(routine, info);
    if (info > 0)
      return Fail(Kind::NoConvergence, routine, info, "the bidiagonal divide-and-conquer SVD (dbdsdc) did not converge (info=" + std::to_string(info) + ")");
    return {};
  }
};

// Lower Cholesky factor L (row-major) of the symmetric A (lower triangle read) by dpotrf.
struct CholeskyOp : Op {
  size_t n = 0;
  const double* A = nullptr;
  double* L = nullptr;
  Status Run() override {
    const char* routine = "dpotrf";
    if (n == 0) return {};
    long bad = FirstNonFinite(A, n, n, true);
    if (bad >= 0) return NonFinite(routine, "A", bad, n);
    std::memcpy(L, A, n * n * sizeof(double));
    // Column-major upper factor R with A = R^T R; read row-major it is the lower factor L = R^T.
    const char uplo = 'U';
    const fl_int nn = I(n), lda = I(n);
    fl_int info = 0;
    FL_DPOTRF(&uplo, &nn, L, &lda, &info);
    if (info < 0) return IllegalArgument(routine, info);
    if (info > 0)
      return Fail(Kind::NotPositiveDefinite, routine, info,
                  "the matrix is not positive definite: the leading minor of order " + std::to_string(info) + " is not positive (info=" + std::to_string(info) + ")");
    for (size_t i = 0; i < n; i++) std::fill(L + i * n + i + 1, L + (i + 1) * n, 0.0);  // strict upper
    return {};
  }
};

// In-place Cholesky (dpotrf on the caller's buffer, no copy): the lower triangle of the row-major A (diagonal
// included) is overwritten by the lower factor L; the strict upper triangle is neither read nor written, so
// a matrix stored with both triangles keeps its off-diagonal entries there (LAPACK's dpotrf convention: the
// column-major lower part, i.e. the row-major upper part, is not referenced with uplo = 'U'). On failure
// (info > 0) the lower triangle is partly overwritten and the upper one still intact.
struct CholeskyInPlaceOp : Op {
  size_t n = 0;
  double* A = nullptr;
  Status Run() override {
    const char* routine = "dpotrf";
    if (n == 0) return {};
    long bad = FirstNonFinite(A, n, n, true);
    if (bad >= 0) return NonFinite(routine, "A", bad, n);
    const char uplo = 'U';
    const fl_int nn = I(n), lda = I(n);
    fl_int info = 0;
    FL_DPOTRF(&uplo, &nn, A, &lda, &info);
    if (info < 0) return IllegalArgument(routine, info);
    if (info > 0)
      return Fail(Kind::NotPositiveDefinite, routine, info,
                  "the matrix is not positive definite: the leading minor of order " + std::to_string(info) + " is not positive (info=" + std::to_string(info) + ")");
    return {};
  }
};

// X (n x nrhs) solving L L^T X = B, L the row-major lower Cholesky factor (only its lower triangle is read,
// so the output of CholeskyInPlaceOp works as is), by dpotrs. With one right-hand
// side the row-major B is also column-major and is solved in place in X; otherwise through a transposed copy.
struct CholeskySolveOp : Op {
  size_t n = 0, nrhs = 0;
  const double* L = nullptr;
  const double* B = nullptr;
  double* X = nullptr;
  Status Run() override {
    const char* routine = "dpotrs";
    if (n == 0 || nrhs == 0) return {};
    for (size_t i = 0; i < n; i++) {
      double d = L[i * n + i];
      if (!(d != 0) || !std::isfinite(d))
        return Fail(d == 0 ? Kind::Singular : Kind::Invalid, routine, static_cast<long>(i + 1),
                    "the Cholesky factor has diagonal entry L(" + std::to_string(i) + ", " + std::to_string(i) + ") = " + std::to_string(d) +
                        (d == 0 ? ": the matrix is singular" : ": expected a finite non-zero number"));
    }
    std::vector<double> col;
    double* b = X;
    if (nrhs == 1) {
      std::memcpy(X, B, n * sizeof(double));
    } else {
      col.resize(n * nrhs);
      Transpose(B, n, nrhs, col.data());
      b = col.data();
    }
    const char uplo = 'U';
    const fl_int nn = I(n), nr = I(nrhs), ld = I(n);
    fl_int info = 0;
    FL_DPOTRS(&uplo, &nn, &nr, L, &ld, b, &ld, &info);
    if (info != 0) return IllegalArgument(routine, info);
    if (nrhs > 1) Transpose(col.data(), nrhs, n, X);
    return {};
  }
};

// X (n x nrhs) solving A X = B by LU with partial pivoting (dgesv, numpy.linalg.solve's driver) on
// column-major copies of A and B.
struct SolveOp : Op {
  size_t n = 0, nrhs = 0;
  const double* A = nullptr;
  const double* B = nullptr;
  double* X = nullptr;
  Status Run() override {
    const char* routine = "dgesv";
    if (n == 0 || nrhs == 0) return {};
    long bad = FirstNonFinite(A, n, n, false);
    if (bad >= 0) return NonFinite(routine, "A", bad, n);
    std::vector<double> a(n * n), col;
    Transpose(A, n, n, a.data());
    double* b = X;
    if (nrhs == 1) {
      std::memcpy(X, B, n * sizeof(double));
    } else {
      col.resize(n * nrhs);
      Transpose(B, n, nrhs, col.data());
      b = col.data();
    }
    std::vector<fl_int> ipiv(n);
    const fl_int nn = I(n), nr = I(nrhs), ld = I(n);
    fl_int info = 0;
    FL_DGESV(&nn, &nr, a.data(), &ld, ipiv.data(), b, &ld, &info);
    if (info < 0) return IllegalArgument(routine, info);
    if (info > 0)
      return Fail(Kind::Singular, routine, info,
                  "the matrix is singular: U(" + std::to_string(info - 1) + ", " + std::to_string(info - 1) + ") of its LU factorization is exactly zero (info=" +
                      std::to_string(info) + ")");
    if (nrhs > 1) Transpose(col.data(), nrhs, n, X);
    return {};
  }
};

Status RunGuarded(Op& op) {
  try {
    return op.Run();
  } catch (const std::bad_alloc&) {
    return Fail(Kind::Invalid, "featlearn_native", 0, "out of memory allocating LAPACK workspace");
  }
}

using featlearn_napi::Args;

using OpPtr = std::unique_ptr<Op>;

// gemm(transA, transB, m, n, k, alpha, A, B, beta, C)
template <class T>
OpPtr ParseGemmT(Args& a) {
  auto op = std::make_unique<GemmOp<T>>();
  op->ta = a.Bool(0, "transA");
  op->tb = a.Bool(1, "transB");
  op->m = a.Dim(2, "m");
  op->n = a.Dim(3, "n");
  op->k = a.Dim(4, "k");
  op->alpha = static_cast<T>(a.Num(5, "alpha"));
  op->A = a.Array<T>(6, "A", op->m * op->k);
  op->B = a.Array<T>(7, "B", op->k * op->n);
  op->beta = static_cast<T>(a.Num(8, "beta"));
  op->C = a.Array<T>(9, "C", op->m * op->n);
  return op;
}
OpPtr ParseGemm(Args& a) {
  if (!a.Count(10)) return nullptr;
  return a.TypeOf(9) == napi_float32_array ? ParseGemmT<float>(a) : ParseGemmT<double>(a);
}

// syrk(trans, n, k, alpha, A, beta, C)
template <class T>
OpPtr ParseSyrkT(Args& a) {
  auto op = std::make_unique<SyrkOp<T>>();
  op->trans = a.Bool(0, "trans");
  op->n = a.Dim(1, "n");
  op->k = a.Dim(2, "k");
  op->alpha = static_cast<T>(a.Num(3, "alpha"));
  op->A = a.Array<T>(4, "A", op->n * op->k);
  op->beta = static_cast<T>(a.Num(5, "beta"));
  op->C = a.Array<T>(6, "C", op->n * op->n);
  return op;
}
OpPtr ParseSyrk(Args& a) {
  if (!a.Count(7)) return nullptr;
  return a.TypeOf(6) == napi_float32_array ? ParseSyrkT<float>(a) : ParseSyrkT<double>(a);
}

// gemv(trans, m, n, alpha, A, x, beta, y)
template <class T>
OpPtr ParseGemvT(Args& a) {
  auto op = std::make_unique<GemvOp<T>>();
  op->trans = a.Bool(0, "trans");
  op->m = a.Dim(1, "m");
  op->n = a.Dim(2, "n");
  op->alpha = static_cast<T>(a.Num(3, "alpha"));
  op->A = a.Array<T>(4, "A", op->m * op->n);
  op->x = a.Array<T>(5, "x", op->trans ? op->m : op->n);
  op->beta = static_cast<T>(a.Num(6, "beta"));
  op->y = a.Array<T>(7, "y", op->trans ? op->n : op->m);
  return op;
}
OpPtr ParseGemv(Args& a) {
  if (!a.Count(8)) return nullptr;
  return a.TypeOf(7) == napi_float32_array ? ParseGemvT<float>(a) : ParseGemvT<double>(a);
}

// eigh(n, A, W, Z)
OpPtr ParseEigh(Args& a) {
  if (!a.Count(4)) return nullptr;
  auto op = std::make_unique<EighOp>();
  op->n = a.Dim(0, "n");
  op->A = a.Array<double>(1, "A", op->n * op->n);
  op->W = a.Array<double>(2, "values", op->n);
  op->Z = a.Array<double>(3, "vectors", op->n * op->n);
  return op;
}

// eigvalsh(n, A, W)
OpPtr ParseEigvalsh(Args& a) {
  if (!a.Count(3)) return nullptr;
  auto op = std::make_unique<EighOp>();
  op->vectors = false;
  op->n = a.Dim(0, "n");
  op->A = a.Array<double>(1, "A", op->n * op->n);
  op->W = a.Array<double>(2, "values", op->n);
  return op;
}

// eighRange(n, A, il, iu, W, Z)
OpPtr ParseEighRange(Args& a) {
  if (!a.Count(6)) return nullptr;
  auto op = std::make_unique<EighRangeOp>();
  op->n = a.Dim(0, "n");
  op->il = a.Dim(2, "il");
  op->iu = a.Dim(3, "iu");
  if (!a.failed && !(op->il <= op->iu && op->iu < op->n)) {
    a.RangeFail("eighRange: expected 0 <= il <= iu < n, got il=" + std::to_string(op->il) + ", iu=" + std::to_string(op->iu) + ", n=" + std::to_string(op->n));
    return nullptr;
  }
  const size_t count = op->iu - op->il + 1;
  op->A = a.Array<double>(1, "A", op->n * op->n);
  op->W = a.Array<double>(4, "values", count);
  op->Z = a.Array<double>(5, "vectors", op->n * count);
  return op;
}

// svd(m, n, A, U, s, Vt)
OpPtr ParseSvd(Args& a) {
  if (!a.Count(6)) return nullptr;
  auto op = std::make_unique<SvdOp>();
  op->m = a.Dim(0, "m");
  op->n = a.Dim(1, "n");
  const size_t k = std::min(op->m, op->n);
  op->A = a.Array<double>(2, "A", op->m * op->n);
  op->U = a.Array<double>(3, "U", op->m * k);
  op->s = a.Array<double>(4, "s", k);
  op->Vt = a.Array<double>(5, "Vt", k * op->n);
  return op;
}

// svdvals(m, n, A, s)
OpPtr ParseSvdvals(Args& a) {
  if (!a.Count(4)) return nullptr;
  auto op = std::make_unique<SvdOp>();
  op->vectors = false;
  op->m = a.Dim(0, "m");
  op->n = a.Dim(1, "n");
  op->A = a.Array<double>(2, "A", op->m * op->n);
  op->s = a.Array<double>(3, "s", std::min(op->m, op->n));
  return op;
}

// cholesky(n, A, L)
OpPtr ParseCholesky(Args& a) {
  if (!a.Count(3)) return nullptr;
  auto op = std::make_unique<CholeskyOp>();
  op->n = a.Dim(0, "n");
  op->A = a.Array<double>(1, "A", op->n * op->n);
  op->L = a.Array<double>(2, "L", op->n * op->n);
  return op;
}

// choleskyInPlace(n, A)
OpPtr ParseCholeskyInPlace(Args& a) {
  if (!a.Count(2)) return nullptr;
  auto op = std::make_unique<CholeskyInPlaceOp>();
  op->n = a.Dim(0, "n");
  op->A = a.Array<double>(1, "A", op->n * op->n);
  return op;
}

// choleskySolve(n, nrhs, L, B, X)
OpPtr ParseCholeskySolve(Args& a) {
  if (!a.Count(5)) return nullptr;
  auto op = std::make_unique<CholeskySolveOp>();
  op->n = a.Dim(0, "n");
  op->nrhs = a.Dim(1, "nrhs");
  op->L = a.Array<double>(2, "L", op->n * op->n);
  op->B = a.Array<double>(3, "B", op->n * op->nrhs);
  op->X = a.Array<double>(4, "X", op->n * op->nrhs);
  return op;
}

// solve(n, nrhs, A, B, X)
OpPtr ParseSolve(Args& a) {
  if (!a.Count(5)) return nullptr;
  auto op = std::make_unique<SolveOp>();
  op->n = a.Dim(0, "n");
  op->nrhs = a.Dim(1, "nrhs");
  op->A = a.Array<double>(2, "A", op->n * op->n);
  op->B = a.Array<double>(3, "B", op->n * op->nrhs);
  op->X = a.Array<double>(4, "X", op->n * op->nrhs);
  return op;
}

// ---------------------------------------------------------------------------------------------------------
// Sync and async entry points generated from the parsers.

class OpWorker : public Napi::AsyncWorker {
 public:
  OpWorker(Napi::Env env, OpPtr op, const std::vector<Napi::Value>& keep)
      : Napi::AsyncWorker(env, "featlearn:linalg"), op_(std::move(op)), deferred_(Napi::Promise::Deferred::New(env)) {
    for (const auto& v : keep) refs_.push_back(Napi::Persistent(v.As<Napi::Object>()));
  }
  Napi::Promise Promise() const { return deferred_.Promise(); }
  void Execute() override { status_ = RunGuarded(*op_); }
  void OnOK() override {
    Napi::HandleScope scope(Env());
    if (status_.ok())
      deferred_.Resolve(Env().Undefined());
    else
      deferred_.Reject(MakeError(Env(), status_));
  }

 private:
  OpPtr op_;
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::ObjectReference> refs_;
  Status status_;
};

using Parser = OpPtr (*)(Args&);

template <Parser P>
Napi::Value Sync(const Napi::CallbackInfo& info) {
  Args a(info);
  OpPtr op = P(a);
  if (a.failed || !op) return info.Env().Undefined();
  Status s = RunGuarded(*op);
  if (!s.ok()) {
    Napi::Error(info.Env(), MakeError(info.Env(), s)).ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}

template <Parser P>
Napi::Value Async(const Napi::CallbackInfo& info) {
  Args a(info);
  OpPtr op = P(a);
  if (a.failed || !op) return info.Env().Undefined();
  auto* worker = new OpWorker(info.Env(), std::move(op), a.keep);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// ---------------------------------------------------------------------------------------------------------
// Threads and library information

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Args a(info);
  if (!a.Count(1)) return info.Env().Undefined();
  double v = a.Num(0, "threads");
  if (a.failed) return info.Env().Undefined();
  if (!(v >= 1) || v > 1024 || std::floor(v) != v) {
    a.RangeFail("setThreads: expected an integer from 1 to 1024, got " + std::to_string(v));
    return info.Env().Undefined();
  }
  int n = static_cast<int>(v);
  featlearn_set_threads(n);
#ifndef FEATLEARN_ACCELERATE
  openblas_set_num_threads(n);
#endif
  return info.Env().Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("threads", Napi::Number::New(env, featlearn_threads()));
#ifdef FEATLEARN_ACCELERATE
  o.Set("library", Napi::String::New(env, "Apple Accelerate"));
  o.Set("config", Napi::String::New(env, "Accelerate (threads set by VECLIB_MAXIMUM_THREADS)"));
  o.Set("corename", Napi::String::New(env, ""));
  o.Set("blasThreads", env.Null());
#else
  o.Set("library", Napi::String::New(env, "OpenBLAS"));
  const char* cfg = openblas_get_config();
  const char* core = openblas_get_corename();
  o.Set("config", Napi::String::New(env, cfg ? cfg : ""));
  o.Set("corename", Napi::String::New(env, core ? core : ""));
  o.Set("blasThreads", Napi::Number::New(env, openblas_get_num_threads()));
#endif
  return o;
}

}  // namespace

void InitLinalg(Napi::Env env, Napi::Object exports) {
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("gemm", Napi::Function::New(env, Sync<ParseGemm>, "gemm"));
  exports.Set("gemmAsync", Napi::Function::New(env, Async<ParseGemm>, "gemmAsync"));
  exports.Set("syrk", Napi::Function::New(env, Sync<ParseSyrk>, "syrk"));
  exports.Set("gemv", Napi::Function::New(env, Sync<ParseGemv>, "gemv"));
  exports.Set("eigh", Napi::Function::New(env, Sync<ParseEigh>, "eigh"));
  exports.Set("eighAsync", Napi::Function::New(env, Async<ParseEigh>, "eighAsync"));
  exports.Set("eighRange", Napi::Function::New(env, Sync<ParseEighRange>, "eighRange"));
  exports.Set("eigvalsh", Napi::Function::New(env, Sync<ParseEigvalsh>, "eigvalsh"));
  exports.Set("svd", Napi::Function::New(env, Sync<ParseSvd>, "svd"));
  exports.Set("svdAsync", Napi::Function::New(env, Async<ParseSvd>, "svdAsync"));
  exports.Set("svdvals", Napi::Function::New(env, Sync<ParseSvdvals>, "svdvals"));
  exports.Set("cholesky", Napi::Function::New(env, Sync<ParseCholesky>, "cholesky"));
  exports.Set("choleskyInPlace", Napi::Function::New(env, Sync<ParseCholeskyInPlace>, "choleskyInPlace"));
  exports.Set("choleskySolve", Napi::Function::New(env, Sync<ParseCholeskySolve>, "choleskySolve"));
  exports.Set("choleskySolveAsync", Napi::Function::New(env, Async<ParseCholeskySolve>, "choleskySolveAsync"));
  exports.Set("solve", Napi::Function::New(env, Sync<ParseSolve>, "solve"));
}
