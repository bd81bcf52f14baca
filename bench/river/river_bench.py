"""River on the same bars as quotecast: prequential one-bar-ahead forecasts of the log return,
with 80 % and 95 % intervals, and the updates per second of doing so.

Usage: python river_bench.py INPUT.json [--timing-only] > OUTPUT.json

INPUT (written by bench/hot-path/run-river.ts):
  {"features": [names], "timingSymbol": "^GSPC", "timingRounds": 3,
   "series": [{"symbol": "^GSPC", "x": [[float] | null per bar], "returns": [float | null per bar]}]}
  x[t] are quotecast's feature values after bar t; returns[t] = ln(close[t] / close[t-1]).

OUTPUT: {"river": version, "python": version,
  "models": [{"id", "description", "stepsPerSecond" (null when not timed),
              "series": [{"symbol", "forecasts": [[pred, lo80, hi80, lo95, hi95] | null per bar]}]}],
  "bareLinearRegression": {"description", "stepsPerSecond"}}
  With --timing-only: only the timed models, without "series".
  forecasts[t] is the forecast of returns[t] made after bar t-1, before returns[t] was seen.

Models: a fixed grid declared here, before any result is seen: River's online linear regression
(StandardScaler | LinearRegression) on quotecast's features, SNARIMAX(1,0,0) and SNARIMAX(5,0,1)
on the returns, each with SGD learning rates 0.01 (River's default), 0.001 and 0.0001.

Intervals: the method of river.conf.RegressionJackknife (running quantiles of the residuals, each
taken before the update, added to the point forecast), at both levels from one regressor so that
it learns once per bar; over the whole history (window_size=None, River's default) and over the
last 250 bars (window_size=250, River's advice when performance changes over time).
"""

from __future__ import annotations

import json
import platform
import sys
import time

from river import __version__ as river_version
from river import linear_model, optim, preprocessing, stats, time_series

QUANTILES = (0.10, 0.90, 0.025, 0.975)
WINDOWS = (None, 250)
LEARNING_RATES = (0.01, 0.001, 0.0001)
DEFAULT_LEARNING_RATE = 0.01


class ResidualIntervals:
    """conf.RegressionJackknife's intervals at 80 % and 95 %, for each window of WINDOWS."""

    def __init__(self, windows=WINDOWS) -> None:
        self.quantiles = [
            [stats.RollingQuantile(q, w) if w else stats.Quantile(q) for q in QUANTILES]
            for w in windows
        ]

    def update(self, residual: float) -> None:
        for window in self.quantiles:
            for quantile in window:
                quantile.update(residual)

    def around(self, pred: float) -> list[list[float]]:
        return [[pred] + [pred + (q.get() or 0.0) for q in window] for window in self.quantiles]


def regressor(learning_rate: float):
    return preprocessing.StandardScaler() | linear_model.LinearRegression(
        optimizer=optim.SGD(learning_rate), intercept_lr=learning_rate
    )


def linear_regression(learning_rate: float, windows=WINDOWS):
    """Regression on quotecast's features of the previous bar."""

    def run(names: list[str], xs: list, returns: list) -> list:
        model = regressor(learning_rate)
        intervals = ResidualIntervals(windows)
        forecasts: list = [None] * len(returns)
        previous = None
        for t, y in enumerate(returns):
            if previous is not None and y is not None:
                intervals.update(y - model.predict_one(previous))
                model.learn_one(previous, y)
            row = xs[t]
            previous = None if row is None else dict(zip(names, row))
            if previous is not None and t + 1 < len(returns):
                forecasts[t + 1] = intervals.around(model.predict_one(previous))
        return forecasts

    return run


def snarimax(p: int, q: int, learning_rate: float, windows=WINDOWS):
    """SNARIMAX(p, 0, q) on the returns themselves."""

    def run(_names: list[str], _xs: list, returns: list) -> list:
        model = time_series.SNARIMAX(p=p, d=0, q=q, regressor=regressor(learning_rate))
        intervals = ResidualIntervals(windows)
        forecasts: list = [None] * len(returns)
        pending = None
        for t, y in enumerate(returns):
            if y is None:
                continue
            if pending is not None:
                intervals.update(y - pending)
            model.learn_one(y)
            pending = model.forecast(horizon=1)[0]
            if t + 1 < len(returns):
                forecasts[t + 1] = intervals.around(pending)
        return forecasts

    return run


KINDS = (
    ("river-lr", "StandardScaler | LinearRegression on quotecast's rls features", linear_regression),
    ("river-ar1", "SNARIMAX(p=1, d=0, q=0), StandardScaler | LinearRegression", lambda lr, w=WINDOWS: snarimax(1, 0, lr, w)),
    ("river-arma51", "SNARIMAX(p=5, d=0, q=1), StandardScaler | LinearRegression", lambda lr, w=WINDOWS: snarimax(5, 1, lr, w)),
)


def run_bare_linear_regression(names: list[str], xs: list, returns: list) -> None:
    """The regressor alone: one forecast and one update per bar, no intervals."""
    model = regressor(DEFAULT_LEARNING_RATE)
    previous = None
    for t, y in enumerate(returns):
        if previous is not None and y is not None:
            model.learn_one(previous, y)
        row = xs[t]
        previous = None if row is None else dict(zip(names, row))
        if previous is not None:
            model.predict_one(previous)


def steps_per_second(run, names: list[str], series: dict, rounds: int) -> float:
    run(names, series["x"], series["returns"])
    started = time.perf_counter()
    for _ in range(rounds):
        run(names, series["x"], series["returns"])
    return rounds * len(series["returns"]) / (time.perf_counter() - started)


def id_of(kind: str, learning_rate: float, window) -> str:
    return f"{kind} lr={learning_rate:g} {'w=all' if window is None else f'w={window}'}"


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as file:
        job = json.load(file)
    names = job["features"]
    timing = next(s for s in job["series"] if s["symbol"] == job["timingSymbol"])
    is_timing_only = "--timing-only" in sys.argv[2:]
    models = []
    for kind, description, make in KINDS:
        # Timed as River runs by default: the default learning rate, whole-history intervals.
        speed = steps_per_second(make(DEFAULT_LEARNING_RATE, (None,)), names, timing, job["timingRounds"])
        if is_timing_only:
            models.append(
                {
                    "id": id_of(kind, DEFAULT_LEARNING_RATE, None),
                    "description": description,
                    "stepsPerSecond": speed,
                    "series": [],
                }
            )
            continue
        for learning_rate in LEARNING_RATES:
            run = make(learning_rate)
            by_series = [(s["symbol"], run(names, s["x"], s["returns"])) for s in job["series"]]
            for w, window in enumerate(WINDOWS):
                is_default = learning_rate == DEFAULT_LEARNING_RATE and window is None
                models.append(
                    {
                        "id": id_of(kind, learning_rate, window),
                        "description": f"{description}, SGD({learning_rate:g}), intervals over "
                        + ("the whole history" if window is None else f"the last {window} bars"),
                        "stepsPerSecond": speed if is_default else None,
                        "series": [
                            {
                                "symbol": symbol,
                                "forecasts": [None if f is None else f[w] for f in forecasts],
                            }
                            for symbol, forecasts in by_series
                        ],
                    }
                )
    bare = {
        "description": "StandardScaler | LinearRegression: predict_one + learn_one per bar, no intervals",
        "stepsPerSecond": steps_per_second(run_bare_linear_regression, names, timing, job["timingRounds"]),
    }
    json.dump(
        {
            "river": river_version,
            "python": platform.python_version(),
            "models": models,
            "bareLinearRegression": bare,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
