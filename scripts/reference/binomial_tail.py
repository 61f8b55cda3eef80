"""Prints the scipy reference values hard-coded in test/experiments/stats.test.ts (binomialUpperTail).

P(X >= k) for X ~ Binomial(n, p) is binom.sf(k - 1, n, p). Run: python3 scripts/reference/binomial_tail.py
"""
from scipy.stats import binom

CASES = [(191, 200, 0.95), (196, 200, 0.95), (200, 200, 0.95), (0, 10, 0.3), (1, 10, 0.3), (7, 10, 0.3),
         (10, 10, 0.3), (60, 100, 0.5), (5, 5, 0.999), (5000, 9000, 0.5), (4600, 9000, 0.5),
         (120, 200, 0.6), (950, 1000, 0.95), (30, 30, 0.5)]

for k, n, p in CASES:
    print(f"[{k}, {n}, {p}, {float(binom.sf(k - 1, n, p))!r}],")
