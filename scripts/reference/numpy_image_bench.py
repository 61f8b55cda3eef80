"""Times numpy's lean training loop (numpy_reference.train with lean=True) on random data, for
bench/image-scale.mjs. The data comes from RandomState(data_seed) exactly as the bench makes it
in reglab (X = rand(n_x, m), y = rand(m) < 0.5), so both sides train the same network on the same
numbers and their costs can be compared.

Usage: python3 numpy_image_bench.py LAYERS M ITERATIONS LEARNING_RATE DATA_SEED
  LAYERS is hidden sizes and the input size as "n_x:h1,h2,…" (the output layer is one unit).
Prints one JSON object: seconds (wall clock), cpuSeconds (all threads), costs, and what BLAS numpy runs on (threadpoolctl when present).
"""

import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_reference import train  # noqa: E402


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    return "; ".join(
        f"{p.get('internal_api')} {p.get('version')} {p.get('architecture')} threads={p.get('num_threads')}"
        for p in threadpool_info()
        if p.get("user_api") == "blas"
    )


def main():
    spec, m, iterations, lr, data_seed = sys.argv[1:6]
    n_x, hidden = spec.split(":")
    n_x, m = int(n_x), int(m)
    rng = np.random.RandomState(int(data_seed))
    X = rng.rand(n_x * m).reshape(n_x, m)
    Y = (rng.rand(m) < 0.5).astype(np.float64).reshape(1, m)
    cfg = dict(hidden=[int(h) for h in hidden.split(",")], seed=3, learningRate=float(lr),
               iterations=int(iterations), costEvery=max(1, int(iterations) // 4))
    t0, c0 = time.perf_counter(), time.process_time()
    _, costs = train(X, Y, cfg, lean=True)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu, "costs": costs, "blas": blas_info(),
                      "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE")}}))


if __name__ == "__main__":
    main()
