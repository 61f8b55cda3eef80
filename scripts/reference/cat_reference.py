"""The course's L-layer cat classifier in numpy, written to be checked against reglab.

[12288, 20, 7, 5, 1], ReLU hidden layers, sigmoid output, W_l = randn(n_l, n_{l-1}) / sqrt(n_{l-1})
from np.random.seed(1) layer by layer, b_l = 0, full-batch gradient descent at 0.0075 for 2 500
iterations, the cost every 100 — as "Deep Neural Network — Application" does it. Pixels are
flattened with reshape(m, -1).T and divided by 255.

Writes test/fixtures/cat-reference.json: the costs and accuracies of the full run, and a short
run (100 iterations, cost every 10) that the test suite repeats. No pixels are copied.

Usage:
  node scripts/reference/cat_h5_to_npy.mjs ../shared/datasets /tmp/cats
  python3 scripts/reference/cat_reference.py /tmp/cats test/fixtures/cat-reference.json
"""

import json
import sys
import time

import numpy as np

LAYERS = [12288, 20, 7, 5, 1]
LEARNING_RATE = 0.0075


def load(folder):
    def part(prefix):
        x = np.load(f"{folder}/{prefix}_set_x.npy")
        y = np.load(f"{folder}/{prefix}_set_y.npy").reshape(1, -1)
        return x.reshape(x.shape[0], -1).T / 255.0, y

    return part("train"), part("test")


def initialize(layers, seed=1):
    np.random.seed(seed)
    params = []
    for l in range(1, len(layers)):
        W = np.random.randn(layers[l], layers[l - 1]) / np.sqrt(layers[l - 1])
        params.append((W, np.zeros((layers[l], 1))))
    return params


def forward(X, params):
    A = X
    caches = []
    for l, (W, b) in enumerate(params):
        Z = W.dot(A) + b
        caches.append((A, Z))
        A = 1 / (1 + np.exp(-Z)) if l == len(params) - 1 else np.maximum(0, Z)
    return A, caches


def cost_of(AL, Y):
    m = Y.shape[1]
    return float(np.squeeze((1.0 / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))))


def backward(AL, Y, params, caches):
    m = Y.shape[1]
    dZ = AL - Y  # sigmoid with cross-entropy
    grads = [None] * len(params)
    for l in reversed(range(len(params))):
        A_prev, _ = caches[l]
        W, _ = params[l]
        grads[l] = (dZ.dot(A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m)
        if l > 0:
            dA = W.T.dot(dZ)
            dZ = dA * (caches[l - 1][1] > 0)
    return grads


def accuracy(params, X, Y):
    AL, _ = forward(X, params)
    return float(np.mean((AL > 0.5) == Y))


def run(train, test, iterations, every):
    X, Y = train
    params = initialize(LAYERS)
    costs = []
    for i in range(iterations):
        AL, caches = forward(X, params)
        if i % every == 0:
            costs.append(cost_of(AL, Y))
        grads = backward(AL, Y, params, caches)
        params = [(W - LEARNING_RATE * dW, b - LEARNING_RATE * db) for (W, b), (dW, db) in zip(params, grads)]
    return {
        "iterations": iterations,
        "costEvery": every,
        "costs": costs,
        "trainAccuracy": accuracy(params, X, Y),
        "testAccuracy": accuracy(params, *test),
    }


def main():
    folder, out = sys.argv[1], sys.argv[2]
    train, test = load(folder)
    t0 = time.perf_counter()
    full = run(train, test, 2500, 100)
    seconds = time.perf_counter() - t0
    fixture = {
        "layers": LAYERS,
        "learningRate": LEARNING_RATE,
        "seed": 1,
        "numpySeconds": round(seconds, 2),
        "full": full,
        "short": run(train, test, 100, 10),
    }
    with open(out, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"full run {seconds:.1f} s: cost {full['costs'][0]:.6f} → {full['costs'][-1]:.6f}, "
          f"train {full['trainAccuracy']}, test {full['testAccuracy']}")


if __name__ == "__main__":
    main()
