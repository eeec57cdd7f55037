#!/usr/bin/env python3
"""numpy/scipy reference of featlearn's GD on multi-index targets, for `npm run bench -- dynamics`.

The SAME algorithm as src/simulate/dynamics (multi-index.md section 2), written the way a careful numpy
user would:
  data:  X ~ N(0, I_d) (n x d, float64), Theta* (d x k) orthonormal, y = z1^2 (phase retrieval).
  net:   f(x) = sum_j a_j tanh(<w_j, x>), a_j = 1/m frozen, no bias; W (m x d), w_j ~ N(0, I/d).
  step:  H = X @ W.T; S = tanh(H); f = S @ a; r = f - y; G = (r[:, None] * (1 - S^2) * a) / n;
         gW = G.T @ X; W -= eta gW; plus, like featlearn, every step the gradient norm, the overlap
         M = W @ Theta* and the Gram W @ W.T (O(m (m + k) d), negligible).
  HVP:   at a point W: Hdot = X @ V.T; fdot = (a * S') . Hdot; rdot = fdot (square loss);
         (Hv) = ((rdot[:, None] * a * S' + r[:, None] * a * S'' * Hdot) / n).T @ X  (Pearlmutter, exact),
         the m d parameters of W; scipy.sparse.linalg.eigsh(LinearOperator, k, which='SA', tol).

Usage:  python3 bench/ref/gd.py serve --d 2000 --n 8000 --m 4 --data PREFIX
        (PREFIX.X, PREFIX.y, PREFIX.theta, PREFIX.W0: raw float64 arrays written by bench/dynamics.mjs, so
        both sides run on the same data and the results can be compared number for number)
        answers JSON-line requests on stdin:
          {"cmd": "gd", "steps": 1000, "eta": 0.5, "seed": s} -> {"time", "loss"}
          {"cmd": "lanczos", "k": 20, "tol": 1e-8, "seed": s} -> {"time", "values", "matvecs"}
          {"cmd": "quit"}
Times exclude drawing the data. Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS from the parent.
"""
import argparse
import json
import sys
import time

import numpy as np
from scipy.sparse.linalg import LinearOperator, eigsh


class Problem:
    def __init__(self, d, n, m, data):
        # The SAME data as featlearn: raw float64 files written by bench/dynamics.mjs (row-major).
        self.X = np.fromfile(data + '.X', dtype=np.float64).reshape(n, d)
        self.theta = np.fromfile(data + '.theta', dtype=np.float64).reshape(1, d).T.copy()
        self.y = np.fromfile(data + '.y', dtype=np.float64)
        self.W0 = np.fromfile(data + '.W0', dtype=np.float64).reshape(m, d)
        self.a = np.full(m, 1.0 / m)
        self.n, self.d, self.m = n, d, m

    def gd(self, steps, eta):
        X, y, a, n = self.X, self.y, self.a, self.n
        W = self.W0.copy()
        loss = None
        for _ in range(steps + 1):
            S = np.tanh(X @ W.T)
            r = S @ a - y
            loss = 0.5 * float(r @ r) / n
            G = (r[:, None] * (1.0 - S * S)) * (a / n)
            gW = G.T @ X
            # what featlearn also computes every step: |grad|, W Theta*, W W^T
            _gn = np.linalg.norm(gW)
            _M = W @ self.theta
            _G = W @ W.T
            W -= eta * gW
        return loss

    def hvp_operator(self, W):
        X, y, a, n = self.X, self.y, self.a, self.n
        m, d = W.shape
        H = X @ W.T
        S = np.tanh(H)
        S1 = 1.0 - S * S
        S2 = -2.0 * S * S1
        r = S @ a - y
        aS1 = S1 * a
        raS2 = (r[:, None] * S2) * a
        count = [0]

        def matvec(v):
            count[0] += 1
            V = v.reshape(m, d)
            Hd = X @ V.T
            rdot = (aS1 * Hd).sum(axis=1)
            G = (rdot[:, None] * aS1 + raS2 * Hd) / n
            return (G.T @ X).ravel()

        return LinearOperator((m * d, m * d), matvec=matvec, dtype=np.float64), count


def main():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['serve'])
    p.add_argument('--d', type=int, required=True)
    p.add_argument('--n', type=int, required=True)
    p.add_argument('--m', type=int, required=True)
    p.add_argument('--data', required=True)
    args = p.parse_args()
    prob = Problem(args.d, args.n, args.m, args.data)
    for line in sys.stdin:
        req = json.loads(line)
        try:
            if req['cmd'] == 'quit':
                break
            if req['cmd'] == 'gd':
                t0 = time.perf_counter()
                loss = prob.gd(req['steps'], req['eta'])
                out = {'time': time.perf_counter() - t0, 'loss': loss}
            elif req['cmd'] == 'lanczos':
                op, count = prob.hvp_operator(prob.W0)
                v0 = np.random.default_rng(req.get('seed', 0)).standard_normal(op.shape[0])
                t0 = time.perf_counter()
                vals = eigsh(op, k=req['k'], which='SA', tol=req['tol'], v0=v0, return_eigenvectors=True)[0]
                out = {'time': time.perf_counter() - t0, 'values': sorted(vals.tolist()), 'matvecs': count[0]}
            else:
                out = {'error': f"unknown cmd {req['cmd']}"}
        except Exception as e:  # report to the parent instead of dying silently
            out = {'error': repr(e)}
        sys.stdout.write(json.dumps(out) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
