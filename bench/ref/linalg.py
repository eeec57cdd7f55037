#!/usr/bin/env python3
"""numpy/scipy reference timings for `npm run bench -- linalg`.

Usage:  python3 bench/ref/linalg.py serve      (used by bench/run.mjs: JSON lines on stdin/stdout)
        python3 bench/ref/linalg.py info
        python3 bench/ref/linalg.py CASE --quick 0|1 --warmup W --repeats R --seed S   (standalone timing)
`serve` answers one JSON object per request line: {"cmd": "info"} -> versions and the OpenBLAS builds in use;
{"cmd": "setup", "case", "quick", "seed"} -> {"shape"}; {"cmd": "run"} -> {"time"} (seconds, one call of the
case set up last); {"cmd": "quit"}. bench/run.mjs alternates featlearn and numpy calls repeat by repeat, so
that both sides see the same machine load. Threads are set by the parent through OPENBLAS_NUM_THREADS /
OMP_NUM_THREADS in this process's environment. Every timed call writes into preallocated outputs where numpy
allows it (matmul out=, tanh out=, standard_normal out=), as featlearn does.
"""
import argparse
import ctypes
import glob
import json
import os
import platform
import sys
import time

import numpy as np
import scipy
import scipy.linalg


def sizes(quick):
    """Problem sizes of each case: full (as in bench/RESULTS.md) or quick (smoke run)."""
    if quick:
        return {"dgemm": 512, "sgemm": 512, "gemm-rect": (1024, 256, 512), "eigh": 256, "svd": (256, 512),
                "cholesky": 512, "tanh": (1024, 512), "normal": (1500, 500)}
    return {"dgemm": 2048, "sgemm": 2048, "gemm-rect": (4096, 1024, 2048), "eigh": 2048, "svd": (1024, 2048),
            "cholesky": 2048, "tanh": (4096, 2048), "normal": (6000, 2000)}


def openblas_builds():
    """Runtime configuration of the OpenBLAS libraries bundled with numpy and scipy (symbols prefixed scipy_)."""
    out = {}
    for owner, mod in (("numpy", np), ("scipy", scipy)):
        libdir = os.path.dirname(mod.__file__) + ".libs"
        for path in sorted(glob.glob(os.path.join(libdir, "libscipy_openblas*"))):
            lib = ctypes.CDLL(path)
            for suffix in ("64_", ""):
                try:
                    cfg = getattr(lib, "scipy_openblas_get_config" + suffix)
                    core = getattr(lib, "scipy_openblas_get_corename" + suffix)
                    nthreads = getattr(lib, "scipy_openblas_get_num_threads" + suffix)
                except AttributeError:
                    continue
                cfg.restype = ctypes.c_char_p
                core.restype = ctypes.c_char_p
                out[owner] = {"config": cfg().decode().strip(), "corename": core().decode(), "threads": nthreads(),
                              "library": os.path.basename(path)}
                break
    return out


def info():
    return {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "openblas": openblas_builds(),
            "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE",
                                                   "OPENBLAS_L2_SIZE")}}


def setup(case, quick, rng):
    """Returns (callable to time, shape description). Inputs: uniform(-1, 1) entries, as on the featlearn side."""
    s = sizes(quick)[case]
    if case in ("dgemm", "sgemm"):
        dtype = np.float64 if case == "dgemm" else np.float32
        a = rng.uniform(-1, 1, (s, s)).astype(dtype)
        b = rng.uniform(-1, 1, (s, s)).astype(dtype)
        c = np.empty((s, s), dtype)
        return (lambda: np.matmul(a, b, out=c)), f"{s}x{s}x{s}"
    if case == "gemm-rect":
        m, n, k = s
        a = rng.uniform(-1, 1, (m, k))
        b = rng.uniform(-1, 1, (k, n))
        c = np.empty((m, n))
        return (lambda: np.matmul(a, b, out=c)), f"C {m}x{n} = A {m}x{k} B {k}x{n}"
    if case == "eigh":
        r = rng.uniform(-1, 1, (s, s))
        a = (r + r.T) / 2
        return (lambda: np.linalg.eigh(a)), f"{s}x{s}, vectors"
    if case == "svd":
        m, n = s
        a = rng.uniform(-1, 1, (m, n))
        return (lambda: np.linalg.svd(a, full_matrices=False)), f"{m}x{n}, thin"
    if case == "cholesky":
        g = rng.uniform(-1, 1, (s, s))
        a = g @ g.T / s + np.eye(s)
        b = rng.uniform(-1, 1, (s, 1))

        def factor_solve():
            c = scipy.linalg.cho_factor(a, lower=True)
            return scipy.linalg.cho_solve(c, b)
        return factor_solve, f"{s}x{s}, 1 rhs"
    if case == "tanh":
        m, n = s
        x = rng.standard_normal((m, n))
        y = np.empty_like(x)
        return (lambda: np.tanh(x, out=y)), f"{m}x{n} float64"
    if case == "normal":
        m, n = s
        out = np.empty((m, n))
        return (lambda: np.random.default_rng(12345).standard_normal(out=out)), f"{m}x{n} float64"
    raise SystemExit(f"linalg.py: unknown case {case!r}")


def serve():
    current = None
    for line in sys.stdin:
        req = json.loads(line)
        cmd = req.get("cmd")
        if cmd == "quit":
            break
        if cmd == "info":
            out = info()
        elif cmd == "setup":
            current, shape = setup(req["case"], bool(req.get("quick")), np.random.default_rng(req.get("seed", 2024)))
            out = {"shape": shape}
        elif cmd == "run":
            t0 = time.perf_counter()
            current()
            out = {"time": time.perf_counter() - t0}
        else:
            out = {"error": f"unknown command {cmd!r}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "info":
        print(json.dumps(info()))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve()
        return
    p = argparse.ArgumentParser()
    p.add_argument("case")
    p.add_argument("--quick", type=int, default=0)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--seed", type=int, default=2024)
    args = p.parse_args()
    f, shape = setup(args.case, bool(args.quick), np.random.default_rng(args.seed))
    for _ in range(args.warmup):
        f()
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    print(json.dumps({"case": args.case, "times": times, "shape": shape}))


if __name__ == "__main__":
    main()
