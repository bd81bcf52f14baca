"""Interval references on the same bars as quotecast: arch's GARCH(1,1) with Student-t errors and
River's conformal intervals, predict then learn, one bar ahead, for the log return.

Usage: python interval_reference.py INPUT.json > OUTPUT.json

INPUT (written by bench/interval-reference/run-references.ts):
  {"firstFit": 250, "refitEvery": 50, "riverWindows": [null, 250],
   "series": [{"symbol": "^GSPC", "returns": [float | null per bar]}]}
  returns[t] = ln(close[t] / close[t-1]) (null for the first bar), as quotecast scores them.

OUTPUT: {"arch", "river", "python", "series": [{"symbol",
   "garch": [[mu, sigma, lo80, hi80, lo95, hi95] | null per bar],
   "river": [[[pred, lo80, hi80, lo95, hi95] | null per bar] per window of riverWindows],
   "fits": [{"at", "mu", "omega", "alpha", "beta", "nu", "flag"}]}]}
  Entry t is the forecast of returns[t], made from returns[:t] only.

GARCH: arch_model(100 * r, mean="Constant", vol="GARCH", p=1, q=1, dist="t") (arch prefers
percent returns; the forecasts are scaled back to log units). Expanding window: first fitted on
the first `firstFit` returns, refitted on every return so far every `refitEvery` bars (starting
from the previous fit's parameters). Between refits the variance is the GARCH recursion with the
last fitted parameters, updated with each new return: h[t+1] = omega + alpha (y[t] - mu)^2 +
beta h[t]. Intervals mu ± sigma q, q the fitted standardised t's 10/90 % and 2.5/97.5 % quantiles.

River: conf.RegressionJackknife (confidence 0.8 and 0.95) around StandardScaler |
LinearRegression(SGD(0.001), intercept_lr=0.001) on the previous return (the hot-path bench's
river-ar1 lr=0.001, its lowest MAE on the S&P 500), its residual quantiles over the whole history
(window_size=None, River's default) and over the last 250 bars.
"""

from __future__ import annotations

import copy
import json
import platform
import sys
import warnings

import numpy as np
from arch import __version__ as arch_version
from arch import arch_model
from river import __version__ as river_version
from river import conf, linear_model, optim, preprocessing

SCALE = 100.0
LEVELS = (0.8, 0.95)
PITS = (0.10, 0.90, 0.025, 0.975)


def fit(y: np.ndarray, start):
    model = arch_model(y, mean="Constant", vol="GARCH", p=1, q=1, dist="t", rescale=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.fit(disp="off", starting_values=start, show_warning=False)
    return model, result


def garch(returns: list, first_fit: int, refit_every: int):
    """GARCH(1,1)-t forecasts of every bar from `first_fit` returns on; None before."""
    index = [t for t, r in enumerate(returns) if r is not None]
    y = np.array([returns[t] for t in index]) * SCALE
    forecasts: list = [None] * len(returns)
    fits = []
    start = None
    h = mu = omega = alpha = beta = 0.0
    quantiles = np.zeros(4)
    for k in range(first_fit, len(y)):
        if (k - first_fit) % refit_every == 0:
            model, result = fit(y[:k], start)
            start = result.params.to_numpy()
            mu, omega, alpha, beta, nu = (float(v) for v in start)
            quantiles = np.asarray(model.distribution.ppf(list(PITS), [nu]))
            h = float(result.forecast(horizon=1, reindex=False).variance.iloc[-1, 0])
            fits.append(
                {"at": index[k], "mu": mu, "omega": omega, "alpha": alpha, "beta": beta, "nu": nu,
                 "flag": int(result.convergence_flag)}
            )
        sigma = h**0.5
        bounds = (mu + sigma * quantiles) / SCALE
        forecasts[index[k]] = [mu / SCALE, sigma / SCALE, *(float(b) for b in bounds)]
        h = omega + alpha * (y[k] - mu) ** 2 + beta * h
    return forecasts, fits


def river(returns: list, windows: list):
    """RegressionJackknife at both levels for each window, on the previous return."""
    base = preprocessing.StandardScaler() | linear_model.LinearRegression(
        optimizer=optim.SGD(0.001), intercept_lr=0.001
    )
    models = [
        [conf.RegressionJackknife(copy.deepcopy(base), confidence_level=level, window_size=w) for level in LEVELS]
        for w in windows
    ]
    out = [[None] * len(returns) for _ in windows]
    previous = None
    for t, y in enumerate(returns):
        if y is None:
            continue
        if previous is not None:
            x = {"r1": previous}
            for w, pair in enumerate(models):
                i80 = pair[0].predict_one(x, with_interval=True)
                i95 = pair[1].predict_one(x, with_interval=True)
                out[w][t] = [pair[0].predict_one(x), i80.lower, i80.upper, i95.lower, i95.upper]
                for model in pair:
                    model.learn_one(x, y)
        previous = y
    return out


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as file:
        job = json.load(file)
    series = []
    for s in job["series"]:
        forecasts, fits = garch(s["returns"], job["firstFit"], job["refitEvery"])
        series.append(
            {"symbol": s["symbol"], "garch": forecasts, "river": river(s["returns"], job["riverWindows"]), "fits": fits}
        )
    json.dump(
        {"arch": arch_version, "river": river_version, "python": platform.python_version(), "series": series},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
