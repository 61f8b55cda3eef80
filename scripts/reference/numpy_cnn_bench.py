"""Times one training step of a small CNN in numpy with im2col (matrix products on BLAS), for
bench/cnn.mjs: conv(F1, f1) → ReLU → maxpool(p1) → conv(F2, f2) → ReLU → maxpool(p2) → flatten →
one sigmoid output, 'valid' padding, stride 1, full batch, gradient descent. Layout (m, H, W, C) as
the course's; im2col gathers each layer's patches with numpy's sliding windows, so the products are
one (m·positions × f·f·C) × (f·f·C × F) matmul forward and two backward; col2im adds the patch
gradients back with one np.add.at per kernel offset.

Usage: python3 numpy_cnn_bench.py M H W C F1 f1 p1 F2 f2 p2 STEPS DATA_SEED
Prints one JSON object: seconds per step (median of STEPS after one warm-up step), the costs, BLAS.
"""

import json
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    return "; ".join(
        f"{p.get('internal_api')} {p.get('version')} threads={p.get('num_threads')}"
        for p in threadpool_info()
        if p.get("user_api") == "blas"
    )


def im2col(A, f):
    m, H, W, C = A.shape
    win = sliding_window_view(A, (f, f), axis=(1, 2))  # m, Ho, Wo, C, f, f
    Ho, Wo = H - f + 1, W - f + 1
    return np.ascontiguousarray(win.transpose(0, 1, 2, 4, 5, 3)).reshape(m * Ho * Wo, f * f * C), (m, Ho, Wo)


def col2im(dcols, shape, f, C):
    m, H, W = shape
    Ho, Wo = H - f + 1, W - f + 1
    d = dcols.reshape(m, Ho, Wo, f, f, C)
    dA = np.zeros((m, H, W, C))
    for di in range(f):
        for dj in range(f):
            dA[:, di : di + Ho, dj : dj + Wo, :] += d[:, :, :, di, dj, :]
    return dA


def pool_forward(A, p):
    m, H, W, C = A.shape
    Ho, Wo = H // p, W // p
    a = A[:, : Ho * p, : Wo * p, :].reshape(m, Ho, p, Wo, p, C)
    out = a.max(axis=(2, 4))
    mask = a == out[:, :, None, :, None, :]
    return out, mask


def pool_backward(dout, mask, shape, p):
    m, H, W, C = shape
    Ho, Wo = H // p, W // p
    d = (mask * dout[:, :, None, :, None, :]).reshape(m, Ho * p, Wo * p, C)
    dA = np.zeros(shape)
    dA[:, : Ho * p, : Wo * p, :] = d
    return dA


def step(X, Y, params, spec, lr):
    W1, b1, W2, b2, W3, b3 = params
    (f1, p1, f2, p2) = spec
    m = X.shape[0]
    cols1, s1 = im2col(X, f1)
    Z1 = cols1 @ W1.reshape(-1, W1.shape[3]) + b1
    A1 = np.maximum(Z1, 0).reshape(*s1, -1)
    P1, mask1 = pool_forward(A1, p1)
    cols2, s2 = im2col(P1, f2)
    Z2 = cols2 @ W2.reshape(-1, W2.shape[3]) + b2
    A2 = np.maximum(Z2, 0).reshape(*s2, -1)
    P2, mask2 = pool_forward(A2, p2)
    F = P2.reshape(m, -1)
    z3 = F @ W3.T + b3
    a3 = 1 / (1 + np.exp(-z3))
    cost = float(np.mean(np.logaddexp(0, -z3) * Y + np.logaddexp(0, z3) * (1 - Y)))
    dz3 = (a3 - Y) / m
    dW3 = dz3.T @ F
    db3 = dz3.sum(axis=0)
    dP2 = (dz3 @ W3).reshape(P2.shape)
    dA2 = pool_backward(dP2, mask2, A2.shape, p2)
    dZ2 = (dA2 * (A2 > 0)).reshape(-1, W2.shape[3])
    dW2 = (cols2.T @ dZ2).reshape(W2.shape)
    db2 = dZ2.sum(axis=0)
    dcols2 = dZ2 @ W2.reshape(-1, W2.shape[3]).T
    dP1 = col2im(dcols2, (m, P1.shape[1], P1.shape[2]), f2, P1.shape[3])
    dA1 = pool_backward(dP1, mask1, A1.shape, p1)
    dZ1 = (dA1 * (A1 > 0)).reshape(-1, W1.shape[3])
    dW1 = (cols1.T @ dZ1).reshape(W1.shape)
    db1 = dZ1.sum(axis=0)
    for p, g in zip(params, (dW1, db1, dW2, db2, dW3, db3)):
        p -= lr * g
    return cost


def main():
    m, H, W, C, F1, f1, p1, F2, f2, p2, steps, seed = map(int, sys.argv[1:13])
    rng = np.random.RandomState(seed)
    X = rng.rand(m, H, W, C)
    Y = (rng.rand(m, 1) < 0.5).astype(np.float64)
    H1 = (H - f1 + 1) // p1
    H2 = (H1 - f2 + 1) // p2
    W1 = rng.randn(f1, f1, C, F1) * np.sqrt(2 / (f1 * f1 * C))
    W2 = rng.randn(f2, f2, F1, F2) * np.sqrt(2 / (f2 * f2 * F1))
    W3 = rng.randn(1, H2 * H2 * F2) * np.sqrt(1 / (H2 * H2 * F2))
    params = [W1, np.zeros(F1), W2, np.zeros(F2), W3, np.zeros(1)]
    costs = [step(X, Y, params, (f1, p1, f2, p2), 0.01)]
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        costs.append(step(X, Y, params, (f1, p1, f2, p2), 0.01))
        times.append(time.perf_counter() - t0)
    print(json.dumps({"seconds": float(np.median(times)), "costs": costs, "blas": blas_info()}))


if __name__ == "__main__":
    main()
