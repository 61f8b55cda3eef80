"""An independent numpy implementation of reglab's training contract (see ../shared/DESIGN.md).

It follows the seed article's code (examples as columns, reference initialization from
np.random.seed, cost by nansum, inverted dropout) but generalizes it: any depth, L2 and dropout
together, per-layer keep probabilities, and the two mask policies ("fixed" reseeds
RandomState(1) every iteration as the seed does; "fresh" keeps drawing from the generator that
made the weights). reglab's tests compare against fixtures this script writes; nothing at test
or run time needs python.

Usage:
  python3 numpy_reference.py fixtures OUT.json        # writes the training fixtures
  python3 numpy_reference.py bench DATA.mat K [K …]    # times seed models K (0 none, 1 L2, 2 dropout
                                                       # fixed, 3 dropout fresh), 30 000 iterations
  python3 numpy_reference.py bench-lean DATA.mat K …   # the same runs with reglab's shortcuts: the
                                                       # cost only when recorded, fixed masks drawn once
"""

import json
import sys
import time

import numpy as np


def relu(z):
    return np.maximum(0, z)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def initialize(layers, seed, init="reference"):
    rng = np.random.RandomState(seed)
    params = []
    for l in range(1, len(layers)):
        if init == "reference":
            W = rng.randn(layers[l], layers[l - 1]) / np.sqrt(layers[l - 1])
        elif init == "he":
            W = rng.randn(layers[l], layers[l - 1]) * np.sqrt(2.0 / layers[l - 1])
        else:
            raise ValueError(init)
        params.append([W, np.zeros((layers[l], 1))])
    return params, rng


def forward(X, params, keep, mask_rng, given_masks=None):
    """Returns activations per layer (A0 = X), masks per hidden layer, and the last Z. Masks
    are drawn from mask_rng unless given_masks (an earlier call's) are passed."""
    A = [X]
    masks = []
    L = len(params)
    for l, (W, b) in enumerate(params):
        Z = np.dot(W, A[-1]) + b
        if l == L - 1:
            A.append(sigmoid(Z))
            return A, masks, Z
        a = relu(Z)
        kp = keep[l]
        if kp < 1:
            D = given_masks[l] if given_masks else mask_rng.rand(a.shape[0], a.shape[1]) < kp
            a = a * D / kp
        else:
            D = None
        masks.append(D)
        A.append(a)


def cost_of(AL, Y, params, lambd):
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(AL), Y) + np.multiply(-np.log(1 - AL), 1 - Y)
    cost = 1.0 / m * np.nansum(logprobs)
    if lambd > 0:
        cost += lambd / (2 * m) * sum(np.sum(np.square(W)) for W, _ in params)
    return float(cost)


def backward(A, masks, Y, params, keep, lambd):
    m = Y.shape[1]
    L = len(params)
    grads = [None] * L
    dZ = A[-1] - Y
    for l in range(L - 1, -1, -1):
        W, _ = params[l]
        dW = 1.0 / m * np.dot(dZ, A[l].T) + lambd / m * W
        db = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
        grads[l] = (dW, db)
        if l == 0:
            break
        dA = np.dot(W.T, dZ)
        if masks[l - 1] is not None:
            dA = dA * masks[l - 1] / keep[l - 1]
        dZ = np.multiply(dA, np.int64(A[l] > 0))
    return grads


def train(X, Y, cfg, lean=False):
    """The seed's loop. lean=True skips work whose result is unused or repeated, as reglab does
    (same costs and weights): the cost only on recorded iterations, and under "fixed" the masks of
    RandomState(1) drawn once instead of reseeding and redrawing them every iteration."""
    layers = [X.shape[0]] + cfg["hidden"] + [1]
    params, rng = initialize(layers, cfg["seed"], cfg.get("init", "reference"))
    kp = cfg.get("keepProb", 1)
    keep = kp if isinstance(kp, list) else [kp] * (len(layers) - 2)
    policy = cfg.get("dropoutMasks", "fresh")
    lambd = cfg.get("lambda", 0)
    lr = cfg["learningRate"]
    every = cfg.get("costEvery", 1000)
    costs = []
    fixed_masks = None
    for i in range(cfg["iterations"]):
        record = i % every == 0
        mask_rng = np.random.RandomState(1) if policy == "fixed" and fixed_masks is None else rng
        A, masks, _ = forward(X, params, keep, mask_rng, fixed_masks)
        if lean and policy == "fixed":
            fixed_masks = masks
        if record or not lean:
            cost = cost_of(A[-1], Y, params, lambd)
        grads = backward(A, masks, Y, params, keep, lambd)
        for p, (dW, db) in zip(params, grads):
            p[0] = p[0] - lr * dW
            p[1] = p[1] - lr * db
        if record:
            costs.append(cost)
    return params, costs


def accuracy(X, Y, params):
    A, _, _ = forward(X, params, [1] * (len(params) - 1), None)
    return float(np.mean((A[-1] > 0.5)[0, :] == Y[0, :]))


def toy_data(seed, m, nx):
    """A noisy diagonal problem, different from the football data, for fixtures that ship."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, (nx, m))
    Y = (X[0] - X[1] + 0.3 * np.sin(3 * X[0]) > 0).astype(np.float64).reshape(1, m)
    flip = rng.rand(m) < 0.1
    Y[0, flip] = 1 - Y[0, flip]
    return X, Y


def make_fixtures(out_path):
    configs = [
        dict(hidden=[20, 3], seed=3, learningRate=0.3, iterations=3000, costEvery=100),
        dict(hidden=[20, 3], seed=3, learningRate=0.3, iterations=3000, costEvery=100, **{"lambda": 0.7}),
        dict(hidden=[20, 3], seed=3, learningRate=0.3, iterations=3000, costEvery=100, keepProb=0.86,
             dropoutMasks="fixed"),
        dict(hidden=[20, 3], seed=3, learningRate=0.3, iterations=3000, costEvery=100, keepProb=0.86,
             dropoutMasks="fresh"),
        dict(hidden=[16, 8, 4], seed=7, learningRate=0.1, iterations=2000, costEvery=100, keepProb=[0.8, 0.9, 1],
             dropoutMasks="fresh", **{"lambda": 0.1}),
        dict(hidden=[5], seed=11, learningRate=0.5, iterations=2000, costEvery=100, **{"lambda": 0.03}),
        dict(hidden=[10, 10], seed=0, learningRate=0.2, iterations=2000, costEvery=100, keepProb=[1, 0.7],
             dropoutMasks="fixed", **{"lambda": 0.3}),
        dict(hidden=[12, 6], seed=5, learningRate=0.05, iterations=1500, costEvery=100, init="he", keepProb=0.9),
    ]
    X, Y = toy_data(2026, 150, 2)
    Xt, Yt = toy_data(2027, 100, 2)
    X3, Y3 = toy_data(99, 120, 3)
    cases = []
    for i, cfg in enumerate(configs):
        data = (X3, Y3, X3, Y3) if i == 4 else (X, Y, Xt, Yt)
        params, costs = train(data[0], data[1], cfg)
        cases.append({
            "config": cfg,
            "data": "toy3" if i == 4 else "toy2",
            "costs": costs,
            "trainAccuracy": accuracy(data[0], data[1], params),
            "testAccuracy": accuracy(data[2], data[3], params),
            "W_last": params[-1][0].ravel().tolist(),
        })
    fixture = {
        "generator": "scripts/reference/numpy_reference.py fixtures",
        "numpy": np.__version__,
        "data": {
            "toy2": {"X": X.tolist(), "y": Y.ravel().astype(int).tolist(), "Xtest": Xt.tolist(),
                     "ytest": Yt.ravel().astype(int).tolist()},
            "toy3": {"X": X3.tolist(), "y": Y3.ravel().astype(int).tolist()},
        },
        "cases": cases,
    }
    with open(out_path, "w") as f:
        json.dump(fixture, f)


SEED_MODELS = [
    ("no regularization", dict()),
    ("L2, lambda = 0.7", {"lambda": 0.7}),
    ("dropout, keepProb = 0.86, fixed masks", dict(keepProb=0.86, dropoutMasks="fixed")),
    ("dropout, keepProb = 0.86, fresh masks", dict(keepProb=0.86, dropoutMasks="fresh")),
]


def bench(mat_path, indexes, lean=False):
    import scipy.io
    d = scipy.io.loadmat(mat_path)
    X, Y = d["X"].T.astype(np.float64), d["y"].T.astype(np.float64)
    out = []
    for name, extra in [SEED_MODELS[k] for k in indexes]:
        cfg = dict(hidden=[20, 3], seed=3, learningRate=0.3, iterations=30000, costEvery=1000, **extra)
        t0 = time.perf_counter()
        params, costs = train(X, Y, cfg, lean)
        out.append({"name": name, "seconds": time.perf_counter() - t0, "costs": costs,
                    "trainAccuracy": accuracy(X, Y, params)})
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "fixtures":
        make_fixtures(sys.argv[2])
    elif sys.argv[1] in ("bench", "bench-lean"):
        bench(sys.argv[2], [int(k) for k in sys.argv[3:]] or [0, 1, 2], sys.argv[1] == "bench-lean")
