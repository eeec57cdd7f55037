// The BLAS/LAPACK entry points featlearn uses, behind one set of names so that linalg.cc compiles against
// OpenBLAS + reference LAPACK headers (Linux, the tested configuration) and against Apple Accelerate
// (macOS, FEATLEARN_ACCELERATE; untested here: it follows Apple's ACCELERATE_NEW_LAPACK headers).
//
// BLAS is called through CBLAS with CblasRowMajor (no copies). LAPACK is called through its Fortran
// (column-major) interface directly, not through LAPACKE: a row-major buffer read column-major is the
// transpose, which is exact for symmetric inputs and is absorbed into the call for the SVD, so LAPACKE's
// row-major copies are never needed (see linalg.cc for each routine).
#pragma once

#ifdef FEATLEARN_ACCELERATE
#include <Accelerate/Accelerate.h>
typedef __LAPACK_int fl_int;
#define FL_DSYEVD dsyevd_
#define FL_DSYEVR dsyevr_
#define FL_DGESDD dgesdd_
#define FL_DPOTRF dpotrf_
#define FL_DPOTRS dpotrs_
#define FL_DGESV dgesv_
#else
#include <cblas.h>
#include <lapack.h>
typedef lapack_int fl_int;
// These lapack.h macros append the hidden Fortran string-length arguments where the ABI needs them.
#define FL_DSYEVD LAPACK_dsyevd
#define FL_DSYEVR LAPACK_dsyevr
#define FL_DGESDD LAPACK_dgesdd
#define FL_DPOTRF LAPACK_dpotrf
#define FL_DPOTRS LAPACK_dpotrs
#define FL_DGESV LAPACK_dgesv
#endif
