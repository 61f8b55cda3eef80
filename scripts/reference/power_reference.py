"""Writes test/fixtures/power-reference.json: scipy's numbers for src/experiments/power.ts and
src/experiments/student-t.ts and the corrected resampled t-test of cross-validation.ts.

McNemar power by Connor (1987): power = Phi((d*sqrt(n) - z_{1-a/2}*sqrt(psi)) / sqrt(psi - d^2)).
Here the smallest detectable gain is found by root-finding on that power (brentq), not by the
closed form reglab uses, so the two routes check each other.
Run: python3 scripts/reference/power_reference.py
"""
import json
import math

import numpy as np
from scipy.optimize import brentq
from scipy.stats import norm, t as student_t


def connor_power(n, psi, d, alpha):
    za = norm.ppf(1 - alpha / 2)
    return norm.cdf((d * math.sqrt(n) - za * math.sqrt(psi)) / math.sqrt(psi - d * d))


def min_gain(n, psi, alpha, power):
    f = lambda d: connor_power(n, psi, d, alpha) - power
    hi = psi * (1 - 1e-15)
    if f(hi) < 0:
        return None
    return brentq(f, 1e-12, hi, xtol=1e-15, rtol=1e-15, maxiter=500)


gains = []
for n, psi, alpha, power in [(50, 0.2, 0.05, 0.8), (50, 0.1, 0.05, 0.8), (50, 0.3, 0.05, 0.8),
                             (10000, 0.05, 0.05, 0.8), (10000, 0.02, 0.05, 0.9), (259, 0.15, 0.05, 0.8),
                             (200, 0.4, 0.01, 0.8), (50, 0.06, 0.05, 0.8), (100, 0.5, 0.05, 0.95)]:
    gains.append({"n": n, "discordance": psi, "alpha": alpha, "power": power, "gain": min_gain(n, psi, alpha, power)})

powers = []
for n, psi, d, alpha in [(50, 0.2, 0.1, 0.05), (50, 0.2, 0.02, 0.05), (1000, 0.1, 0.02, 0.05), (259, 0.3, 0.05, 0.01)]:
    powers.append({"n": n, "discordance": psi, "gain": d, "alpha": alpha, "power": connor_power(n, psi, d, alpha)})

t_values = []
for x, df in [(2.0, 9), (0.5, 1), (3.7, 4), (-1.2, 29), (10.0, 3), (0.01, 50), (2.5, 2.5)]:
    t_values.append({"t": x, "df": df, "sf": float(student_t.sf(x, df))})
t_quantiles = []
for p, df in [(0.975, 9), (0.975, 1), (0.995, 29), (0.9, 4), (0.6, 100), (0.025, 14), (0.999, 2)]:
    t_quantiles.append({"p": p, "df": df, "quantile": float(student_t.ppf(p, df))})

# Corrected resampled t (Nadeau & Bengio 2003) on fixed fold differences, k = 5 folds x r = 2.
d = np.array([0.02, -0.01, 0.05, 0.03, 0.0, 0.04, 0.01, 0.02, -0.02, 0.06])
k = 5
J = len(d)
se = math.sqrt((1 / J + 1 / (k - 1)) * d.var(ddof=1))
tstat = d.mean() / se
corrected = {"differences": d.tolist(), "folds": k, "t": tstat, "df": J - 1,
             "pValue": float(2 * student_t.sf(abs(tstat), J - 1)),
             "halfWidth95": float(student_t.ppf(0.975, J - 1) * se)}

out = {"mcnemarGain": gains, "mcnemarPower": powers, "tSurvival": t_values, "tQuantile": t_quantiles,
       "correctedT": corrected}
with open("test/fixtures/power-reference.json", "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
