#!/usr/bin/env python3
"""Reference implementation of the sRF theory (Cui et al. 2024, arXiv 2402.04980; ../../../shared/spec/srf.md
sections 1-4) in vectorised numpy, for `npm run bench -- theory`: the same equations as src/theory/srf,
written independently:

* Hermite moments and the conditional tables by a FIXED piecewise Gauss-Legendre rule in z (the TypeScript
  code uses closed forms or adaptive Gauss-Hermite / piecewise quadrature per node), Gauss-Hermite in kappa;
* the Marchenko-Pastur law DISCRETISED (midpoint rule in the angle t of x = 1 + y + 2 sqrt(y) cos t, 4000
  nodes; the TypeScript 'mp' spectrum integrates it exactly through the Stieltjes transform);
* the reduced solver: Newton on log(V1, V2), then psi, (theta, m), (q1, q2) from 2 x 2 solves.

Usage: srf.py '<json>' with {"student", "teacher", "eta", "alpha0", "lambda", "noise", "psi", "alphas": [...],
"repeats": R}; prints JSON {"risk": [...], "trainError": [...], "residual": [...], "seconds": median}.
`srf.py serve` answers JSON lines {"cmd": "run", "params": {...}} with {"time", "risk", "trainError", "residual"}
(one timed curve per request; bench/theory.mjs alternates them with featlearn's), {"cmd": "info"}, {"cmd": "quit"}.
Smooth activations only (tanh, erf, sin, sigmoid): no kinks in the fixed rule.
"""
import json
import math
import sys
import time

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from numpy.polynomial.legendre import leggauss
from scipy.special import erf

SQ2PI = math.sqrt(2 * math.pi)


def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


ACTS = {
    'tanh': (np.tanh, lambda z: 1 / np.cosh(z) ** 2),
    'erf': (erf, lambda z: 2 / math.sqrt(math.pi) * np.exp(-z * z)),
    'sin': (np.sin, np.cos),
    'sigmoid': (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))),
}


def z_rule(half=16.0, width=0.25, m=10):
    """E f(Z) ~ sum w f(z): Gauss-Legendre with m points on panels of `width` over [-half, half], density in w."""
    x, w = leggauss(m)
    edges = np.arange(-half, half + 1e-12, width)
    a, b = edges[:-1, None], edges[1:, None]
    z = ((a + b) / 2 + (b - a) / 2 * x[None, :]).ravel()
    wz = ((b - a) / 2 * w[None, :]).ravel() * np.exp(-z * z / 2) / SQ2PI
    return z, wz


Z, WZ = z_rule()


def moments(name):
    f, fp = ACTS[name]
    v = f(Z)
    mu0 = WZ @ v
    mu1 = WZ @ (Z * v)
    mu2 = WZ @ ((Z * Z - 1) * v) / math.sqrt(2)
    m2 = WZ @ (v * v)
    dp2 = WZ @ (fp(Z) ** 2)
    return mu0, mu1, mu2, m2, dp2


def srf_map(student, teacher, eta, alpha0, noise):
    """srf.md section 1, constant a0 (f0 = mu0)."""
    mu0, mu1, mu2, _, dp2 = moments(student)
    t0, t1, _, t2, _ = moments(teacher)
    f0 = mu0
    M = t2 + noise - 2 * f0 * t0 + f0 * f0
    if eta == 0:
        g = t1 / math.sqrt(t1 ** 2 + M / alpha0)
        return 1.0, 0.0, g, math.sqrt(1 - g * g)
    s0 = 1 + eta * math.sqrt(2) * mu2 * (t0 - f0)
    r = eta * mu1 * math.sqrt(t1 ** 2 + M / alpha0)
    g = t1 / math.sqrt(t1 ** 2 + M / alpha0)
    c = s0 ** 2 + eta ** 2 * M * (dp2 - mu1 ** 2) / alpha0
    return c, r, g, math.sqrt(1 - g * g)


def tables(student, teacher, c, r, g, rho, K=96):
    k, w = hermegauss(K)
    w = w / SQ2PI
    f = ACTS[student][0]
    ft = ACTS[teacher][0]
    sc = math.sqrt(c)
    S = f(r * k[:, None] + sc * Z[None, :])
    mu0 = S @ WZ
    mu1 = (S * Z[None, :]) @ WZ / sc
    mu2sq = np.maximum(0, (S * S) @ WZ - mu0 ** 2 - c * mu1 ** 2)
    T = ft(g * k[:, None] + rho * Z[None, :])
    h = T @ WZ
    h1 = (T * Z[None, :]) @ WZ
    hh = (T * T) @ WZ
    if math.sqrt(w @ mu0 ** 2) < 1e-13:
        mu0 = np.zeros_like(mu0)
    return dict(k=k, w=w, mu0=mu0, mu1=mu1, mu1sq=mu1 * mu1, mu2sq=mu2sq, h=h, h1=h1, hh=hh)


def mp_spectrum(c, y, n=4000):
    t = (np.arange(n) + 0.5) * math.pi / n
    x = 1 + y + 2 * math.sqrt(y) * np.cos(t)
    om = 2 * np.sin(t) ** 2 / (n * x)
    D = c * x
    if y > 1:
        D = np.append(D, 0.0)
        om = np.append(om, 1 - 1 / y)
    om = om / om.sum()
    return dict(D=D, F=np.full_like(D, c * y), H=y * D, om=om)


def spec_sums(sp, lam, Vh1, Vh2):
    D, F, H, om = sp['D'], sp['F'], sp['H'], sp['om']
    iS = 1 / (lam + Vh1 * D + Vh2)
    w1 = om * iS
    w2 = w1 * iS
    return dict(A0=w1.sum(), A1=w1 @ D, AF=w1 @ F, AH=w1 @ H, B0=w2.sum(), B1=w2 @ D, B2=w2 @ (D * D),
                BF=w2 @ F, BDF=w2 @ (D * F), BH=w2 @ H, BDH=w2 @ (D * H))


def T_of(tb, sp, alpha, lam, V):
    g = 1 / (1 + tb['mu1sq'] * V[0] + tb['mu2sq'] * V[1])
    wg = tb['w'] * g
    Vh1 = alpha * (wg @ tb['mu1sq'])
    Vh2 = alpha * (wg @ tb['mu2sq'])
    wg2 = wg * g
    b = (wg2 @ (tb['mu1sq'] ** 2), wg2 @ (tb['mu1sq'] * tb['mu2sq']), wg2 @ (tb['mu2sq'] ** 2))
    s = spec_sums(sp, lam, Vh1, Vh2)
    return np.array([s['A1'], s['A0']]), s, b, (Vh1, Vh2)


def solve_V(tb, sp, alpha, lam, V0=None):
    if V0 is None:
        V = np.zeros(2)
        for _ in range(3):
            V = T_of(tb, sp, alpha, lam, V)[0]
    else:
        V = np.array(V0, dtype=float)
    TV, s, b, _ = T_of(tb, sp, alpha, lam, V)
    R = np.log(TV / V)
    for _ in range(100):
        if np.abs(R).max() <= 1e-14:
            break
        S2 = np.array([[s['B2'], s['B1']], [s['B1'], s['B0']]])
        B = np.array([[b[0], b[1]], [b[1], b[2]]])
        JT = alpha * S2 @ B
        J = (JT * V[None, :]) / TV[:, None] - np.eye(2)
        d = -np.linalg.solve(J, R)
        big = np.abs(d).max()
        if big > 5:
            d *= 5 / big
        step = 1.0
        r0 = np.abs(R).max()
        for _ in range(40):
            Vn = V * np.exp(step * d)
            TVn, sn, bn, _ = T_of(tb, sp, alpha, lam, Vn)
            Rn = np.log(TVn / Vn)
            if np.abs(Rn).max() < (1 - 1e-4 * step) * r0 or np.abs(Rn).max() <= 1e-14:
                V, TV, s, b, R = Vn, TVn, sn, bn, Rn
                break
            step /= 2
        else:
            raise RuntimeError('line search failed')
    return V, s, b


def complete(tb, sp, alpha, lam, noise, V, s, b):
    k, w, mu0, mu1, m1, m2 = tb['k'], tb['w'], tb['mu0'], tb['mu1'], tb['mu1sq'], tb['mu2sq']
    h, h1, hh = tb['h'], tb['h1'], tb['hh']
    g = 1 / (1 + m1 * V[0] + m2 * V[1])
    wg = w * g
    psh = alpha * (wg @ (mu1 * h1))
    psi = psh * s['AH']
    th, t0, t1 = wg @ (k * mu1 * h), wg @ (k * mu1 * mu0), wg @ (k * k * m1)
    e00, eh = wg @ (mu0 * mu0), wg @ (mu0 * h)
    aF = alpha * s['AF']
    if e00 == 0:
        m = 0.0
        theta = aF * th / (1 + aF * t1)
    else:
        theta, m = np.linalg.solve(np.array([[1 + aF * t1, aF * t0], [t0, e00]]), np.array([aF * th, eh]))
    thh = alpha * (th - m * t0 - theta * t1)
    p = mu0 * m + mu1 * k * theta
    E0 = hh - 2 * p * h + p * p - 2 * mu1 * psi * h1 + noise
    wg2 = wg * g
    cvec = np.array([wg2 @ (m1 * E0), wg2 @ (m2 * E0)])
    S2 = np.array([[s['B2'], s['B1']], [s['B1'], s['B0']]])
    B = np.array([[b[0], b[1]], [b[1], b[2]]])
    R = np.array([thh ** 2 * s['BDF'] + psh ** 2 * s['BDH'], thh ** 2 * s['BF'] + psh ** 2 * s['BH']])
    q = np.linalg.solve(np.eye(2) - alpha * S2 @ B, alpha * S2 @ cvec + R)
    x = dict(q1=q[0], q2=q[1], V1=V[0], V2=V[1], theta=theta, psi=psi, m=m)
    E = E0 + m1 * q[0] + m2 * q[1]
    risk = w @ E - noise
    train = w @ (E * g * g)
    return x, risk, train


def seven_map(tb, sp, alpha, lam, noise, x):
    """The full seven-parameter map, for the residual."""
    k, w, mu0, mu1, m1, m2 = tb['k'], tb['w'], tb['mu0'], tb['mu1'], tb['mu1sq'], tb['mu2sq']
    h, h1, hh = tb['h'], tb['h1'], tb['hh']
    g = 1 / (1 + m1 * x['V1'] + m2 * x['V2'])
    p = mu0 * x['m'] + mu1 * k * x['theta']
    E = hh - 2 * p * h + p * p - 2 * mu1 * x['psi'] * h1 + m1 * x['q1'] + m2 * x['q2'] + noise
    wg = w * g
    wg2 = wg * g
    qh1, qh2 = alpha * (wg2 @ (m1 * E)), alpha * (wg2 @ (m2 * E))
    Vh1, Vh2 = alpha * (wg @ m1), alpha * (wg @ m2)
    thh, psh = alpha * (wg @ (k * mu1 * (h - p))), alpha * (wg @ (mu1 * h1))
    s = spec_sums(sp, lam, Vh1, Vh2)
    e00 = wg @ (mu0 * mu0)
    mnew = (wg @ (mu0 * (h - mu1 * k * x['theta']))) / e00 if e00 > 0 else 0.0
    return dict(q1=qh1 * s['B2'] + qh2 * s['B1'] + thh ** 2 * s['BDF'] + psh ** 2 * s['BDH'],
                q2=qh1 * s['B1'] + qh2 * s['B0'] + thh ** 2 * s['BF'] + psh ** 2 * s['BH'],
                V1=s['A1'], V2=s['A0'], theta=thh * s['AF'], psi=psh * s['AH'], m=mnew)


def curve(p):
    c, r, g, rho = srf_map(p['student'], p['teacher'], p['eta'], p['alpha0'], p['noise'])
    tb = tables(p['student'], p['teacher'], c, r, g, rho)
    sp = mp_spectrum(c, p['psi'])
    out = dict(risk=[], trainError=[], residual=[])
    V = None
    for a in p['alphas']:
        alpha = a / p['psi']
        V, s, b = solve_V(tb, sp, alpha, p['lambda'], V)
        x, risk, train = complete(tb, sp, alpha, p['lambda'], p['noise'], V, s, b)
        nx = seven_map(tb, sp, alpha, p['lambda'], p['noise'], x)
        res = max(abs(nx[key] - x[key]) for key in x) / max(1.0, max(abs(v) for v in x.values()))
        out['risk'].append(float(risk))
        out['trainError'].append(float(train))
        out['residual'].append(float(res))
    return out


def serve():
    for line in sys.stdin:
        try:
            req = json.loads(line)
            if req.get('cmd') == 'quit':
                break
            if req.get('cmd') == 'info':
                import scipy
                out = dict(python=sys.version.split()[0], numpy=np.__version__, scipy=scipy.__version__)
            else:
                t0 = time.perf_counter()
                out = curve(req['params'])
                out['time'] = time.perf_counter() - t0
        except Exception as e:  # report to the harness instead of dying silently
            out = dict(error=f'{type(e).__name__}: {e}')
        sys.stdout.write(json.dumps(out) + '\n')
        sys.stdout.flush()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == 'serve':
        serve()
        return
    p = json.loads(sys.argv[1])
    repeats = int(p.get('repeats', 5))
    curve(p)  # warm-up
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = curve(p)
        times.append(time.perf_counter() - t0)
    out['seconds'] = float(np.median(times))
    out['numpy'] = np.__version__
    print(json.dumps(out))


if __name__ == '__main__':
    main()
