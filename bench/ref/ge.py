"""Reference for the Gaussian-equivalent curve of the `theory` bench (bench/theory.mjs): an independent,
vectorised numpy/scipy implementation of the asymptotic Gaussian-equivalent ridge risk of
src/theory/gaussian-equivalent/asymptotic.ts (Marchenko-Pastur bulk + rank-one spike of the small step,
one-step.md section 3), for a curve over alpha = n/d.

Moments by scipy.integrate.quad against the Gaussian density (not featlearn's quadrature); the MP Stieltjes
transform in closed form; kappa for all points at once by vectorised bisection (64 halvings of
[lam', lam' + tr Sigma / n]); Q(k) = b^T (Sigma + k)^{-1} b and dQ/dk by batched 5 x 5 solves.

Usage: python3 ge.py serve   (JSON lines: {"cmd": "info"} | {"cmd": "run", "params": {...}} | {"cmd": "quit"})
"""
import json
import sys
import time

import numpy as np
from scipy.integrate import quad

ACT = {
    'tanh': np.tanh,
    'relu': lambda z: np.maximum(z, 0.0),
    'erf': lambda z: __import__('scipy.special', fromlist=['erf']).erf(z),
}


def moments(name):
    f = ACT[name]
    pdf = lambda z: np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
    kw = dict(epsabs=1e-14, epsrel=1e-13, limit=200)
    pts = [0.0] if name == 'relu' else None

    def E(g):
        if pts:
            return quad(lambda z: g(z) * pdf(z), -np.inf, 0, **kw)[0] + quad(lambda z: g(z) * pdf(z), 0, np.inf, **kw)[0]
        return quad(lambda z: g(z) * pdf(z), -np.inf, np.inf, **kw)[0]

    mu0 = E(f)
    mu1 = E(lambda z: z * f(z))
    mu2 = E(lambda z: (z * z - 1) * f(z)) / np.sqrt(2)
    m2 = E(lambda z: f(z) ** 2)
    return mu0, mu1, mu2, m2


def mp_stieltjes(c, s):
    b = 1 - c + s
    disc = np.sqrt(b * b + 4 * c * s)
    G = np.where(b >= 0, 2 / (b + disc), (disc - b) / (2 * c * s))
    dG = -(c * G * G + G) / (2 * c * s * G + b)
    return G, dG


def curve(p):
    mu0, mu1, mu2, m2s_ = moments(p['student'])
    mu0s, mu1s, _, m2s = moments(p['teacher'])
    mup2 = m2s_ - mu0 ** 2 - mu1 ** 2
    noise = p['noise']
    d = p['d']
    N = round(p['psi'] * d)
    c = N / d
    alphas = np.array(p['alphas'], dtype=float)
    n = np.maximum(1, np.round(alphas * d))
    lam = p['lambda'] * N / n  # "sum" normalisation
    # anatomy of the small step (constant a0: f0 = mu0)
    f0 = mu0 if p['init_a'] == 'constant' else 0.0
    M = m2s + noise - 2 * f0 * mu0s + f0 * f0
    unorm = np.sqrt(mu1s ** 2 + M / p['alpha0'])
    theta = p['eta'] * mu1 * unorm
    gam = mu1s / unorm
    rho = np.sqrt(1 - gam * gam)
    q = 0 if p['init_a'] == 'constant' else 4
    a2 = mu1 * mu1

    def bulk(t):
        G, dG = mp_stieltjes(c, t / a2)
        g, dg = G / a2, dG / a2 ** 2
        return g, dg, c * (1 - t * g) / a2, -c * (g + t * dg) / a2

    mean = np.zeros(5)
    mean[0] = mu0 * np.sqrt(N)
    C = np.outer(mean, mean)
    C[2, q] += a2 * theta
    C[q, 2] += a2 * theta
    C[q, q] += a2 * theta * theta
    b = mu0s * mean
    b[2] += mu1 * mu1s * gam
    b[3] += mu1 * mu1s * rho
    b[q] += mu1 * mu1s * theta * gam

    def signal(k):
        t = mup2 + np.atleast_1d(k)
        g, dg, j, dj = bulk(t)
        Gm = np.stack([g, g, j, j, g], axis=1)
        dGm = np.stack([dg, dg, dj, dj, dg], axis=1)
        A = C[None, :, :] + np.einsum('ka,ab->kab', 1 / Gm, np.eye(5))
        y = np.linalg.solve(A, np.broadcast_to(b, (len(t), 5))[..., None])[..., 0]
        return y @ b, np.sum(y * y * dGm / Gm ** 2, axis=1)

    # kappa: 1 - lam/k - df1(k)/n = 0, df1 = N (1 - k g(muPerp^2 + k)); vectorised bisection
    lo = lam.copy()
    hi = lam + N * (a2 + mup2) / n
    for _ in range(64):
        mid = 0.5 * (lo + hi)
        g = bulk(mup2 + mid)[0]
        f = 1 - lam / mid - N * (1 - mid * g) / n
        neg = f < 0
        lo = np.where(neg, mid, lo)
        hi = np.where(neg, hi, mid)
    k = 0.5 * (lo + hi)
    g, dg, _, _ = bulk(mup2 + k)
    df2 = N * (1 - 2 * k * g - k * k * dg)
    Q0 = signal(0.0)[0][0]
    Qk, dQk = signal(k)
    bias = np.maximum(0, Q0 - Qk + k * dQk)
    approx = m2s - Q0
    denom = 1 - df2 / n
    risk = bias / denom + (noise + approx) * df2 / n / denom + approx
    return dict(risk=risk.tolist())


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


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'serve':
        serve()
    else:
        print(json.dumps(curve(json.loads(sys.argv[1]))))
