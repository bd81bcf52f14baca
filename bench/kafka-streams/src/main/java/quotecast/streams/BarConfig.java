package quotecast.streams;

/** How quotes become bars, as quotecast's resolveBarConfig (src/core/bars/resolve-bar-config.ts) resolves it. */
public record BarConfig(
    String interval, long intervalMs, long allowedLatenessMs, long utcOffsetMs, int dedupCapacity, long maxClockSkewMs) {

  static final long DAY_MS = 86_400_000L;

  /** The interval's length in ms, or -1 for an unknown interval. */
  static long intervalMs(String interval) {
    return switch (interval) {
      case "1m" -> 60_000L;
      case "5m" -> 300_000L;
      case "15m" -> 900_000L;
      case "30m" -> 1_800_000L;
      case "1h" -> 3_600_000L;
      case "1d" -> DAY_MS;
      default -> -1L;
    };
  }

  boolean isDaily() {
    return intervalMs == DAY_MS;
  }

  /** Checks the options as resolveBarConfig does; throws naming the bad setting. */
  static BarConfig of(String interval, long allowedLatenessMs) {
    long ms = intervalMs(interval);
    if (ms < 0) throw new IllegalArgumentException("--interval: unknown interval \"" + interval + "\"");
    if (allowedLatenessMs < 0 || allowedLatenessMs > ms)
      throw new IllegalArgumentException("--allowed-lateness-ms: must be an integer from 0 to the interval (" + ms + " ms)");
    return new BarConfig(interval, ms, allowedLatenessMs, 0, 64, 300_000);
  }
}
