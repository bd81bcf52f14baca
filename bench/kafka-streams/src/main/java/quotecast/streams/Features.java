package quotecast.streams;

/**
 * quotecast's 19 features of a completed bar (src/core/features/next-features.ts), O(1) per bar,
 * on the same 85-number state laid out as FEATURE_SLOT, with the same double-double window sums
 * (window-sums.ts), so that every value agrees to the last bits. NaN stands for null.
 */
final class Features {
  private Features() {}

  static final String[] NAMES = {
    "r1", "r2", "r3", "r4", "r5", "retMean5", "retStd5", "retMean20", "retStd20", "ewmaVol", "closeToSma20",
    "closeToEma20", "rsi14", "macd", "macdSignal", "macdHist", "bollingerPctB", "volumeZ20", "close"
  };
  static final int W = 20;
  static final int COUNT = 0, LAST_START = 1, CLOSES = 2, RETURNS = 2 + W, VOLUMES = 2 + 2 * W, SUMS = 2 + 3 * W;
  static final int EMA12 = SUMS + 16, EMA20 = EMA12 + 1, EMA26 = EMA12 + 2, MACD_SIGNAL = EMA12 + 3, RSI_GAIN = EMA12 + 4,
      RSI_LOSS = EMA12 + 5, EWMA_VAR = EMA12 + 6, LENGTH = EMA12 + 7;
  private static final int S_CLOSES = SUMS, S_RET5 = SUMS + 4, S_RET20 = SUMS + 8, S_VOLUMES = SUMS + 12;
  private static final int SHORT = 5, RSI_PERIOD = 14, MACD_LONG = 26, MACD_SIGNAL_N = 9;
  private static final double RSI_FACTOR = 1.0 / RSI_PERIOD, LAMBDA = 0.94;
  private static final double K12 = 2.0 / 13, K20 = 2.0 / 21, K26 = 2.0 / 27, K9 = 2.0 / 10;
  private static final double PCT_B_REACH = Math.sqrt(W - 1) / 4, Z_REACH = (W - 1) / Math.sqrt(W);
  private static final double SPLIT = 134_217_729;

  static double[] create() {
    double[] data = new double[LENGTH];
    for (int slot : new int[] {LAST_START, EMA12, EMA20, EMA26, MACD_SIGNAL, EWMA_VAR}) data[slot] = Double.NaN;
    return data;
  }

  /** A row: the gap count and the 19 values in NAMES order (NaN for null). */
  record Row(Bar bar, int gapBars, double[] values) {}

  static Row next(double[] data, Bar bar) {
    double lastStartValue = data[LAST_START];
    boolean hasLast = !Double.isNaN(lastStartValue);
    long lastStart = (long) lastStartValue;
    if (hasLast && bar.start() <= lastStart)
      throw new IllegalStateException("the " + bar.symbol() + " bar at " + bar.start() + " does not follow the bar at " + lastStart);
    double count = data[COUNT];
    double n = count + 1;
    double close = bar.close();
    int slot = (int) (count % W);
    double previousClose = n > 1 ? data[CLOSES + back(slot, 1)] : 0;
    slide(data, S_CLOSES, close, data[CLOSES + slot]);
    data[CLOSES + slot] = close;
    slide(data, S_VOLUMES, bar.volume(), data[VOLUMES + slot]);
    data[VOLUMES + slot] = bar.volume();

    double m = n - 1;
    double rsiGain = data[RSI_GAIN];
    double rsiLoss = data[RSI_LOSS];
    double ewmaVar = data[EWMA_VAR];
    if (m > 0) {
      double r = StrictMath.log(close / previousClose);
      double j = m - 1;
      slide(data, S_RET20, r, data[RETURNS + back(slot, 1)]);
      slide(data, S_RET5, r, j >= SHORT ? data[RETURNS + back(slot, 1 + SHORT)] : 0);
      data[RETURNS + back(slot, 1)] = r;
      if (m == W) ewmaVar = sumOfSquares(data, S_RET20) / W;
      else if (!Double.isNaN(ewmaVar)) ewmaVar = LAMBDA * ewmaVar + (1 - LAMBDA) * r * r;
      double gain = close > previousClose ? close - previousClose : 0;
      double loss = close > previousClose ? 0 : previousClose - close;
      if (m <= RSI_PERIOD) {
        rsiGain += gain;
        rsiLoss += loss;
        if (m == RSI_PERIOD) {
          rsiGain /= RSI_PERIOD;
          rsiLoss /= RSI_PERIOD;
        }
      } else {
        rsiGain = (gain - rsiGain) * RSI_FACTOR + rsiGain;
        rsiLoss = (loss - rsiLoss) * RSI_FACTOR + rsiLoss;
      }
    }

    double ema12 = close * K12 + orElse(data[EMA12], close) * (1 - K12);
    double ema20 = close * K20 + orElse(data[EMA20], close) * (1 - K20);
    double ema26 = close * K26 + orElse(data[EMA26], close) * (1 - K26);
    double macd = n >= MACD_LONG ? ema12 - ema26 : Double.NaN;
    double macdSignal = Double.isNaN(macd) ? Double.NaN : macd * K9 + orElse(data[MACD_SIGNAL], macd) * (1 - K9);
    boolean hasSignal = n >= MACD_LONG + MACD_SIGNAL_N - 1;

    double sma20 = Double.NaN, pctB = Double.NaN, volumeZ = Double.NaN;
    if (n >= W) {
      sma20 = sum(data, S_CLOSES) / W;
      double sigma = Math.sqrt(scaledDeviation(data, S_CLOSES, W)) / W;
      double lower = sma20 - sigma * 2;
      double upper = sma20 + sigma * 2;
      pctB = sigma > 0 ? (close - lower) / (upper - lower) : Double.NaN;
      double volumeDeviation = scaledDeviation(data, S_VOLUMES, W);
      volumeZ = volumeDeviation > 0
          ? (bar.volume() - sum(data, S_VOLUMES) / W) / Math.sqrt(volumeDeviation / (W * (W - 1)))
          : Double.NaN;
    }
    double[] values = new double[NAMES.length];
    for (int k = 1; k <= 5; k++) values[k - 1] = m >= k ? data[RETURNS + back(slot, k)] : Double.NaN;
    values[5] = m >= SHORT ? sum(data, S_RET5) / SHORT : Double.NaN;
    values[6] = m >= SHORT ? sampleStd(data, S_RET5, SHORT) : Double.NaN;
    values[7] = m >= W ? sum(data, S_RET20) / W : Double.NaN;
    values[8] = m >= W ? sampleStd(data, S_RET20, W) : Double.NaN;
    values[9] = Double.isNaN(ewmaVar) ? Double.NaN : Math.sqrt(ewmaVar);
    values[10] = Double.isNaN(sma20) ? Double.NaN : finite(close / sma20 - 1);
    values[11] = n >= W ? finite(close / ema20 - 1) : Double.NaN;
    values[12] = m >= RSI_PERIOD ? (rsiLoss == 0 ? 100 : 100 - 100 / (rsiGain / rsiLoss + 1)) : Double.NaN;
    values[13] = macd;
    values[14] = hasSignal ? macdSignal : Double.NaN;
    values[15] = hasSignal && !Double.isNaN(macd) && !Double.isNaN(macdSignal) ? macd - macdSignal : Double.NaN;
    values[16] = clamp(pctB, 0.5, PCT_B_REACH);
    values[17] = clamp(volumeZ, 0, Z_REACH);
    values[18] = close;
    int gapBars = hasLast ? countGapBars(lastStart, bar.start(), BarConfig.intervalMs(bar.interval())) : 0;
    data[COUNT] = n;
    data[LAST_START] = bar.start();
    data[EMA12] = ema12;
    data[EMA20] = ema20;
    data[EMA26] = ema26;
    data[MACD_SIGNAL] = macdSignal;
    data[RSI_GAIN] = rsiGain;
    data[RSI_LOSS] = rsiLoss;
    data[EWMA_VAR] = ewmaVar;
    return new Row(bar, gapBars, values);
  }

  /** count-gap-bars.ts: every empty grid slot intraday; weekdays only for daily bars. */
  static int countGapBars(long previousStart, long start, long intervalMs) {
    if (intervalMs != BarConfig.DAY_MS) return (int) Math.max(0, Math.round((double) (start - previousStart) / intervalMs) - 1);
    long day = Math.floorDiv(start, BarConfig.DAY_MS);
    return (int) Math.max(0, weekdaysBefore(day) - weekdaysBefore(Math.floorDiv(previousStart, BarConfig.DAY_MS) + 1));
  }

  private static long weekdaysBefore(long day) {
    long sinceMonday = day + 3;
    long weeks = Math.floorDiv(sinceMonday, 7);
    return weeks * 5 + Math.min(sinceMonday - weeks * 7, 5);
  }

  private static int back(int slot, int k) {
    return (slot - k + W) % W;
  }

  private static double orElse(double x, double otherwise) {
    return Double.isNaN(x) ? otherwise : x;
  }

  private static double finite(double x) {
    return Double.isFinite(x) ? x : Double.NaN;
  }

  private static double clamp(double x, double centre, double reach) {
    return Double.isFinite(x) ? Math.min(centre + reach, Math.max(centre - reach, x)) : Double.NaN;
  }

  private static double sampleStd(double[] data, int at, int size) {
    return Math.sqrt(scaledDeviation(data, at, size) / (size * (size - 1)));
  }

  // window-sums.ts: double-double Σx and Σx², [Σx hi, Σx lo, Σx² hi, Σx² lo] at `at`.

  private static double productError(double a, double b, double p) {
    double c = SPLIT * a;
    double aHi = c - (c - a);
    double aLo = a - aHi;
    c = SPLIT * b;
    double bHi = c - (c - b);
    double bLo = b - bHi;
    return aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo;
  }

  private static void accumulate(double[] sums, int at, double a, double b, double tiny) {
    double hi = sums[at];
    double s = hi + a;
    double v = s - hi;
    double e = hi - (s - v) + (a - v);
    double t = s + b;
    v = t - s;
    e += s - (t - v) + (b - v);
    double lo = sums[at + 1] + e + tiny;
    double h = t + lo;
    v = h - t;
    sums[at] = h;
    sums[at + 1] = t - (h - v) + (lo - v);
  }

  private static void slide(double[] sums, int at, double xIn, double xOut) {
    accumulate(sums, at, xIn, -xOut, 0);
    double inSquare = xIn * xIn;
    double outSquare = xOut * xOut;
    accumulate(sums, at + 2, inSquare, -outSquare, productError(xIn, xIn, inSquare) - productError(xOut, xOut, outSquare));
  }

  private static double sum(double[] sums, int at) {
    return sums[at] + sums[at + 1];
  }

  private static double sumOfSquares(double[] sums, int at) {
    return sums[at + 2] + sums[at + 3];
  }

  private static double scaledDeviation(double[] sums, int at, int n) {
    double a = sums[at], b = sums[at + 1], c = sums[at + 2], d = sums[at + 3];
    double square = a * a;
    double scaled = c * n;
    double tail = productError(c, n, scaled) + n * d - productError(a, a, square) - 2 * a * b - b * b;
    return Math.max(0, scaled - square + tail);
  }
}
