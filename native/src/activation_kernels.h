// Scalar activation kernels shared by the fused elementwise pass (elementwise.cc) and the fused two-layer
// network pass (network.cc): F::Eval<V, D>(z, params, value, derivative) writes sigma(z) when V and sigma'(z)
// when D. The formulas and their conventions are documented at the top of elementwise.cc; they are the same,
// operation for operation, as the portable backend's (src/linalg/portable-elementwise.ts).
#pragma once
#include <cmath>
#include <cstddef>
#include <string>

namespace featlearn_activation {

struct Params {
  const double* coeffs = nullptr;
  size_t ncoeffs = 0;
};

inline double SignOf(double z) { return z > 0 ? 1.0 : (z < 0 ? -1.0 : (z == 0 ? 0.0 : z)); }
inline double NanOr(double z, double c) { return std::isnan(z) ? z : c; }

// Each kernel: template <bool V, bool D> static void Eval(double z, const Params&, double& v, double& d).
struct Linear {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    if (V) v = z;
    if (D) d = NanOr(z, 1.0);
  }
};
// tanh'(z) given z and t = tanh(z) (t is used only where |z| <= 0.55).
inline double TanhDerivative(double z, double t) {
  double a = std::fabs(z);
  if (a > 0.55) {
    double e = std::exp(-2.0 * a), q = 1.0 + e;
    return 4.0 * e / (q * q);
  }
  return 1.0 - t * t;
}
struct Tanh {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    double t = 0;
    if (V || std::fabs(z) <= 0.55 || std::isnan(z)) t = std::tanh(z);
    if (V) v = t;
    if (D) d = TanhDerivative(z, t);
  }
};
struct Relu {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    if (V) v = z > 0 ? z : (z <= 0 ? 0.0 : z);
    if (D) d = z > 0 ? 1.0 : (z <= 0 ? 0.0 : z);
  }
};
struct Erf {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    if (V) v = std::erf(z);
    if (D) d = 1.1283791670955126 * std::exp(-z * z);  // 2/sqrt(pi)
  }
};
struct Sigmoid {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    double e = std::exp(-std::fabs(z)), q = 1.0 + e;
    if (V) v = z >= 0 ? 1.0 / q : e / q;
    if (D) d = e / (q * q);
  }
};
struct Softplus {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    double e = std::exp(-std::fabs(z));
    if (V) v = (z > 0 ? z : 0.0) + std::log1p(e);
    if (D) {
      double q = 1.0 + e;
      d = z >= 0 ? 1.0 / q : e / q;
    }
  }
};
struct Sin {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    if (V) v = std::sin(z);
    if (D) d = std::cos(z);
  }
};
struct Cos {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    if (V) v = std::cos(z);
    if (D) d = -std::sin(z);
  }
};
struct Abs {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    if (V) v = std::fabs(z);
    if (D) d = SignOf(z);
  }
};
struct Sign {
  template <bool V, bool D>
  static void Eval(double z, const Params&, double& v, double& d) {
    if (V) v = SignOf(z);
    if (D) d = NanOr(z, 0.0);
  }
};
// p(z) = sum_k c[k] z^k; Horner for p and p' (p' = sum_k k c[k] z^(k-1)). The wrapper trims trailing zero
// coefficients, so a constant (n <= 1) is the only case where z does not enter; NaN still propagates there.
struct Poly {
  template <bool V, bool D>
  static void Eval(double z, const Params& p, double& v, double& d) {
    const size_t n = p.ncoeffs;
    const double* c = p.coeffs;
    if (V) {
      if (n <= 1) {
        v = NanOr(z, n == 1 ? c[0] : 0.0);
      } else {
        double acc = c[n - 1];
        for (size_t k = n - 1; k-- > 0;) acc = acc * z + c[k];
        v = acc;
      }
    }
    if (D) {
      if (n <= 1) {
        d = NanOr(z, 0.0);
      } else {
        double acc = static_cast<double>(n - 1) * c[n - 1];
        for (size_t k = n - 1; k-- > 1;) acc = acc * z + static_cast<double>(k) * c[k];
        d = acc;
      }
    }
  }
};


// The kernels by name, in one table: visit(KernelTag<F>{}) for the kernel F named `kind`; false for an
// unknown name (the names are ELEMENTWISE_KINDS of src/linalg/elementwise.ts).
template <class F>
struct KernelTag {
  using type = F;
};
template <class Visit>
bool VisitKernel(const std::string& kind, Visit&& visit) {
  if (kind == "linear") visit(KernelTag<Linear>{});
  else if (kind == "tanh") visit(KernelTag<Tanh>{});
  else if (kind == "relu") visit(KernelTag<Relu>{});
  else if (kind == "erf") visit(KernelTag<Erf>{});
  else if (kind == "sigmoid") visit(KernelTag<Sigmoid>{});
  else if (kind == "softplus") visit(KernelTag<Softplus>{});
  else if (kind == "sin") visit(KernelTag<Sin>{});
  else if (kind == "cos") visit(KernelTag<Cos>{});
  else if (kind == "abs") visit(KernelTag<Abs>{});
  else if (kind == "sign") visit(KernelTag<Sign>{});
  else if (kind == "poly") visit(KernelTag<Poly>{});
  else return false;
  return true;
}

// A kernel chosen at run time by its name: value and derivative together (nullptr for an unknown name).
typedef void (*ValueAndDerivative)(double z, const Params& p, double& v, double& d);
inline ValueAndDerivative ByName(const std::string& kind) {
  ValueAndDerivative f = nullptr;
  VisitKernel(kind, [&f](auto tag) { f = &decltype(tag)::type::template Eval<true, true>; });
  return f;
}

}  // namespace featlearn_activation
