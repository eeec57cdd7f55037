#!/usr/bin/env python3
"""numpy/scipy reference of featlearn's one-step protocol, for `npm run bench -- simulate` (bench/run.mjs).

The SAME algorithm as src/simulate (one-step.md section 1; Cui et al. 2024's setting), written the way a
careful numpy user would:
  W0: sphere columns (d x N), a0 = 1/sqrt(N); beta* uniform on the sphere; teacher tanh, noiseless.
  step:    Z = X0 @ W0 (n0 x N); S = tanh(Z) in place; D = 1 - S^2 in place of a second buffer;
           f0 = S @ a0 / sqrt(N); M = D * ((y0 - f0) a0^T / sqrt N) in place;
           W1 = W0 + eta_tilde N (X0^T M) / n0        (the full gradient, one gemm)
  readout: features Phi = tanh(X @ W1) written chunk by chunk into one n x N array (64 MiB input chunks);
           primal ridge (N <= n): A = Phi^T Phi / N by ?syrk (numpy's Phi.T @ Phi), + lambda I,
           Cholesky (numpy.linalg.cholesky, float64; scipy solve_triangular), rhs = Phi^T y / sqrt(N);
           train error. Every level-3 call runs on numpy's OpenBLAS (scipy bundles a second one whose
           threads would compete with numpy's idle spinning ones).
  risk:    Monte Carlo on nTest fresh inputs in 64 MiB chunks: mean (tanh(X beta*) - tanh(X W1) a / sqrt N)^2.
float32: X, W, Phi and the gemms/syrk in float32; the Gram is solved in float64 (as featlearn does).

Usage:  python3 bench/ref/onestep.py --d 2000 --width 2000 --n0 1000 --n 6000 --ntest 5000 \
            --precision float64 --warmup 0 --repeats 3 --seed 0
        prints one JSON object: {"times": [seconds per repeat], "risk", "trainError", "peakRssBytes",
        "baselineRssBytes"};
        python3 bench/ref/onestep.py serve --d ... --precision ...   (what bench/run.mjs uses)
        answers JSON-line requests on stdin: {"cmd": "run", "seed": s} -> {"time", "cpu" (process CPU seconds),
        "risk", "trainError"},
        {"cmd": "mem"} -> {"peakRssBytes", "baselineRssBytes"}, {"cmd": "quit"}.
peakRssBytes is the peak resident memory of this process (ru_maxrss) and baselineRssBytes the resident
memory before the first run (after importing numpy/scipy): peak - baseline is what the runs allocated.
Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS from the parent.
"""
import argparse
import json
import resource
import time

import numpy as np
import scipy.linalg


def rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def chunk_rows(d, N, itemsize):
    return max(1, (64 * 2 ** 20) // ((d + N) * itemsize))


def run(d, N, n0, n, ntest, dtype, seed, eta=1.0, lam=0.01):
    rng = np.random.default_rng(seed)
    sqrtN = np.sqrt(N)
    W0 = rng.standard_normal((d, N))
    W0 /= np.linalg.norm(W0, axis=0)
    W0 = W0.astype(dtype, copy=False)
    a0 = np.full(N, 1 / sqrtN, dtype=dtype)
    beta = rng.standard_normal(d)
    beta /= np.linalg.norm(beta)
    beta = beta.astype(dtype)

    # One large step (scaling sqrtN: eta_eff sqrt(N) = eta N).
    X0 = rng.standard_normal((n0, d), dtype=dtype)
    y0 = np.tanh(X0 @ beta)
    S = X0 @ W0
    np.tanh(S, out=S)
    D = np.multiply(S, S)
    np.subtract(1, D, out=D)
    f0 = (S @ a0) / sqrtN
    del S
    D *= (y0 - f0)[:, None]
    D *= (a0 / sqrtN)[None, :]
    W1 = X0.T @ D
    W1 *= eta * N / n0
    W1 += W0
    del D, X0

    # Readout features, chunked inputs.
    rows = chunk_rows(d, N, np.dtype(dtype).itemsize)
    Phi = np.empty((n, N), dtype=dtype)
    y = np.empty(n, dtype=np.float64)
    for s in range(0, n, rows):
        e = min(n, s + rows)
        X = rng.standard_normal((e - s, d), dtype=dtype)
        y[s:e] = np.tanh(X @ beta)
        np.matmul(X, W1, out=Phi[s:e])
    np.tanh(Phi, out=Phi)
    # Phi.T @ Phi: numpy's matmul recognises a product with its own transpose and calls ?syrk (half the
    # flops of a gemm), on numpy's own OpenBLAS. (scipy.linalg.blas.?syrk would run on scipy's separate
    # OpenBLAS, whose threads then compete with numpy's still-spinning ones: slower, in numpy's disfavour.)
    G = Phi.T @ Phi
    A = np.multiply(G, 1.0 / N, dtype=np.float64)  # the Gram / N in float64, one pass, no extra copy
    del G
    A[np.diag_indices(N)] += lam
    rhs = (Phi.T @ y.astype(dtype)).astype(np.float64) / sqrtN
    # numpy's own Cholesky (again numpy's OpenBLAS: no second thread pool), then two triangular solves
    # (level 2, single-threaded).
    L = np.linalg.cholesky(A)
    del A
    a = scipy.linalg.solve_triangular(L, rhs, lower=True, check_finite=False)
    a = scipy.linalg.solve_triangular(L, a, lower=True, trans="T", check_finite=False)
    pred = (Phi @ a.astype(dtype)) / sqrtN
    train = float(np.mean((y - pred) ** 2))
    del Phi, L

    # Monte Carlo risk, chunked.
    rows = chunk_rows(d, N, np.dtype(dtype).itemsize)
    total = 0.0
    a_t = a.astype(dtype)
    for s in range(0, ntest, rows):
        e = min(ntest, s + rows)
        X = rng.standard_normal((e - s, d), dtype=dtype)
        fs = np.tanh(X @ beta)
        Z = X @ W1
        np.tanh(Z, out=Z)
        fh = (Z @ a_t) / sqrtN
        total += float(np.sum((fs.astype(np.float64) - fh) ** 2))
    return total / ntest, train


def serve(args, dtype):
    import sys
    baseline = rss_bytes()
    for line in sys.stdin:
        req = json.loads(line)
        if req["cmd"] == "quit":
            break
        if req["cmd"] == "mem":
            reply = {"peakRssBytes": rss_bytes(), "baselineRssBytes": baseline}
        elif req["cmd"] == "run":
            t0 = time.perf_counter()
            c0 = time.process_time()
            risk, train = run(args.d, args.width, args.n0, args.n, args.ntest, dtype, int(req.get("seed", 0)))
            reply = {"time": time.perf_counter() - t0, "cpu": time.process_time() - c0, "risk": risk, "trainError": train}
        else:
            reply = {"error": f"unknown command {req['cmd']!r}"}
        print(json.dumps(reply), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", nargs="?", choices=("once", "serve"), default="once")
    for k, v in (("d", 2000), ("width", 2000), ("n0", 1000), ("n", 6000), ("ntest", 5000), ("warmup", 0), ("repeats", 3), ("seed", 0)):
        p.add_argument(f"--{k}", type=int, default=v)
    p.add_argument("--precision", choices=("float64", "float32"), default="float64")
    args = p.parse_args()
    dtype = np.float32 if args.precision == "float32" else np.float64
    if args.mode == "serve":
        return serve(args, dtype)
    baseline = rss_bytes()
    for i in range(args.warmup):
        run(args.d, args.width, args.n0, args.n, args.ntest, dtype, args.seed + i)
    times = []
    for i in range(args.repeats):
        t0 = time.perf_counter()
        risk, train = run(args.d, args.width, args.n0, args.n, args.ntest, dtype, args.seed + i)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"times": times, "risk": risk, "trainError": train, "peakRssBytes": rss_bytes(), "baselineRssBytes": baseline}))


if __name__ == "__main__":
    main()
