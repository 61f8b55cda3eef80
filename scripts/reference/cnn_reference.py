"""Writes test/fixtures/cnn-layers.json: convolution and pooling, forward and backward, computed
with the course's step-by-step definitions (conv_single_step, conv_forward, conv_backward,
pool_forward, pool_backward: naive loops over examples, rows, columns and channels, float64),
for test/core/layers/fixtures.test.ts; and a layered network's He initialization drawn with
numpy's RandomState, for the same test.

Run from the repo root:  python3 scripts/reference/cnn_reference.py

Differences from the course, both Keras's: 'same' padding pads max((out-1)*s + f - n, 0) in all,
floor(half) before and the rest after (the course pads p on both sides), and max pooling's
backward sends the gradient to the first maximum of a window in row-major order (the course's
mask x == max(x) sends it to every tied maximum; the inputs here have no ties).
Arrays are (m, n_H, n_W, n_C) as the course's, written flattened row-major; floats with repr.
"""

import json
import math
import pathlib

import numpy as np


def geometry(n, f, s, padding):
    if padding == "same":
        out = -(-n // s)
        total = max((out - 1) * s + f - n, 0)
        return out, total // 2, total - total // 2
    return (n - f) // s + 1, 0, 0


def zero_pad(X, top, bottom, left, right):
    return np.pad(X, ((0, 0), (top, bottom), (left, right), (0, 0)), mode="constant", constant_values=0)


def conv_single_step(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W) + float(b)


def conv_forward(A_prev, W, b, stride, padding):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    n_H, top, bottom = geometry(n_H_prev, f, stride, padding)
    n_W, left, right = geometry(n_W_prev, f, stride, padding)
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, top, bottom, left, right)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_slice_prev = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, W[:, :, :, c], b[0, 0, 0, c])
    return Z, (A_prev, W, b, stride, (top, bottom, left, right))


def conv_backward(dZ, cache):
    A_prev, W, b, stride, (top, bottom, left, right) = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    m, n_H, n_W, n_C = dZ.shape
    dA_prev = np.zeros(A_prev.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, top, bottom, left, right)
    dA_prev_pad = zero_pad(dA_prev, top, bottom, left, right)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        da_prev_pad = dA_prev_pad[i]
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start = h * stride
                    vert_end = vert_start + f
                    horiz_start = w * stride
                    horiz_end = horiz_start + f
                    a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
        dA_prev[i, :, :, :] = da_prev_pad[top : top + n_H_prev, left : left + n_W_prev, :]
    return dA_prev, dW, db


def pool_forward(A_prev, f, stride, mode):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            for w in range(n_W):
                horiz_start = w * stride
                for c in range(n_C):
                    a_prev_slice = A_prev[i, vert_start : vert_start + f, horiz_start : horiz_start + f, c]
                    A[i, h, w, c] = np.max(a_prev_slice) if mode == "max" else np.mean(a_prev_slice)
    return A


def create_mask_from_window(x):
    # The first maximum in row-major order (see the module's note).
    mask = np.zeros(x.shape, dtype=bool)
    mask[np.unravel_index(np.argmax(x), x.shape)] = True
    return mask


def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * (dz / (n_H * n_W))


def pool_backward(dA, A_prev, f, stride, mode):
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        a_prev = A_prev[i]
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start = h * stride
                    vert_end = vert_start + f
                    horiz_start = w * stride
                    horiz_end = horiz_start + f
                    if mode == "max":
                        a_prev_slice = a_prev[vert_start:vert_end, horiz_start:horiz_end, c]
                        mask = create_mask_from_window(a_prev_slice)
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += mask * dA[i, h, w, c]
                    else:
                        da = dA[i, h, w, c]
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += distribute_value(da, (f, f))
    return dA_prev


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


CONV_CASES = [
    # m, n_H, n_W, n_C_prev, f, n_C, stride, padding
    (2, 7, 5, 3, 3, 4, 1, "valid"),
    (3, 6, 7, 2, 3, 5, 2, "same"),
    (2, 5, 5, 1, 4, 3, 3, "same"),
    (1, 8, 6, 3, 5, 2, 2, "valid"),
    (2, 4, 9, 2, 2, 3, 1, "same"),
]
POOL_CASES = [
    # m, n_H, n_W, n_C, f, stride, mode
    (2, 7, 5, 3, 2, 2, "max"),
    (3, 6, 7, 2, 3, 2, "max"),
    (2, 9, 9, 2, 3, 3, "avg"),
    (2, 7, 5, 3, 2, 2, "avg"),
    (1, 5, 8, 4, 4, 1, "max"),
]


def main():
    rs = np.random.RandomState(1)
    conv = []
    for m, H, W_, C, f, K, s, padding in CONV_CASES:
        A_prev = rs.randn(m, H, W_, C)
        W = rs.randn(f, f, C, K)
        b = rs.randn(1, 1, 1, K)
        Z, cache = conv_forward(A_prev, W, b, s, padding)
        dZ = rs.randn(*Z.shape)
        dA_prev, dW, db = conv_backward(dZ, cache)
        conv.append(
            {
                "m": m, "height": H, "width": W_, "channels": C, "size": f, "filters": K,
                "stride": s, "padding": padding, "outHeight": Z.shape[1], "outWidth": Z.shape[2],
                "A_prev": flat(A_prev), "W": flat(W), "b": flat(b), "Z": flat(Z),
                "dZ": flat(dZ), "dA_prev": flat(dA_prev), "dW": flat(dW), "db": flat(db),
            }
        )
    pool = []
    for m, H, W_, C, f, s, mode in POOL_CASES:
        A_prev = rs.randn(m, H, W_, C)
        A = pool_forward(A_prev, f, s, mode)
        dA = rs.randn(*A.shape)
        dA_prev = pool_backward(dA, A_prev, f, s, mode)
        pool.append(
            {
                "m": m, "height": H, "width": W_, "channels": C, "size": f, "stride": s, "mode": mode,
                "outHeight": A.shape[1], "outWidth": A.shape[2],
                "A_prev": flat(A_prev), "A": flat(A), "dA": flat(dA), "dA_prev": flat(dA_prev),
            }
        )
    # He initialization of conv:2:3, maxpool:2, 5 → 3 outputs on 8 × 8 × 1 images, seed 3:
    # each layer's W in order, randn of its shape times sqrt(2 / fan_in) (the output layer 1 / fan_in).
    init_rs = np.random.RandomState(3)
    W1 = init_rs.randn(3, 3, 1, 2) * math.sqrt(2 / 9)
    W2 = init_rs.randn(5, 3 * 3 * 2) * math.sqrt(2 / 18)
    W3 = init_rs.randn(3, 5) * math.sqrt(1 / 5)
    init = {
        "seed": 3, "input": [8, 8, 1], "layers": "conv:2:3,maxpool:2,5", "outputs": 3,
        "weights": [flat(W1), flat(W2), flat(W3)],
    }
    out = {"conv": conv, "pool": pool, "init": init}
    path = pathlib.Path("test/fixtures/cnn-layers.json")
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
