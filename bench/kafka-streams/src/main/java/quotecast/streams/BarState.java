package quotecast.streams;

import java.util.ArrayList;
import java.util.List;

/**
 * One symbol's bar builder, the fields of quotecast's BarBuilderState (src/core/bars/bar-builder-state.ts):
 * at most two open bars, the end of the last closed bar, the furthest event time, the dedup ring of
 * 53-bit hashes and the day's volume carry. Long.MIN_VALUE stands for null.
 */
final class BarState {
  static final long NONE = Long.MIN_VALUE;

  static final class OpenBar {
    long start, end, openAt, closeAt;
    double open, high, low, close, barVolume;
    int count;
    boolean hasBarQuote;
    /** NaN when no snapshot with a volume was merged. */
    double cumVolume = Double.NaN;
  }

  final String symbol;
  final List<OpenBar> open = new ArrayList<>(2);
  long closedThroughMs = NONE;
  long eventTimeMs = NONE;
  long[] recentIds;
  int recentIdsSize;
  int recentIdsNext;
  long carryDay = NONE;
  double carryCumVolume;

  BarState(String symbol, int capacity) {
    this.symbol = symbol;
    this.recentIds = new long[capacity];
  }

  boolean isRecent(long hash) {
    for (int i = 0; i < recentIdsSize; i++) if (recentIds[i] == hash) return true;
    return false;
  }

  /** remember-hash.ts: appended until the ring is full, then over the oldest. */
  void remember(long hash) {
    if (recentIdsSize < recentIds.length) {
      recentIds[recentIdsSize++] = hash;
      return;
    }
    recentIds[recentIdsNext % recentIdsSize] = hash;
    recentIdsNext = (recentIdsNext + 1) % recentIdsSize;
  }
}
