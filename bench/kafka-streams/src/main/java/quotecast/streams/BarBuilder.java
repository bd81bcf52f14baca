package quotecast.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * quotecast's bar rules (src/core/bars/README.md) in Java: applyQuote, placeQuote, mergeQuote and
 * closeDueBarsOnAxis, for daily bars and the plain intraday grid (calendars: null). Every check runs
 * before the first write, so a rejected quote leaves the state as it was.
 */
final class BarBuilder {
  private BarBuilder() {}

  enum Outcome { ACCEPTED, DUPLICATE, REJECTED }

  record Result(Outcome outcome, List<Bar> completed, String reason) {}

  private static final Result DUPLICATE = new Result(Outcome.DUPLICATE, List.of(), null);

  static Result reject(String kind, String reason) {
    return new Result(Outcome.REJECTED, List.of(), kind + ": " + reason);
  }

  static Result apply(BarState state, Quote quote, BarConfig config) {
    if (!quote.symbol().equals(state.symbol))
      return reject("invalid", "quote for " + quote.symbol() + " reached the bar builder of " + state.symbol);
    boolean isDateLabel = quote.isBar() && "1d".equals(quote.interval());
    long asOfInstant = isDateLabel ? quote.asOf() - config.utcOffsetMs() : quote.asOf();
    if (asOfInstant > quote.fetchedAt() + config.maxClockSkewMs())
      return reject("invalid", "asOf " + iso(quote.asOf()) + " is after fetchedAt " + iso(quote.fetchedAt()));
    long spanMs = 0;
    if (quote.isBar()) {
      spanMs = BarConfig.intervalMs(quote.interval());
      if (spanMs > config.intervalMs() || config.intervalMs() % spanMs != 0)
        return reject("invalid", "a " + quote.interval() + " bar cannot be aggregated into " + config.interval() + " bars");
    }
    long idHash = HashId.of(quote.id());
    if (state.isRecent(idHash)) return DUPLICATE;

    // placeQuote
    boolean isDaily = config.isDaily();
    long atMs = isDaily && !isDateLabel ? quote.asOf() + config.utcOffsetMs() : quote.asOf();
    long start = isDaily ? barStart(atMs, BarConfig.DAY_MS, 0) : barStart(atMs, config.intervalMs(), config.utcOffsetMs());
    long end = start + config.intervalMs();
    long eventEndMs = Math.min(atMs + spanMs, end);
    boolean isOhlcUsable = quote.isBar() || isDaily;

    if (state.closedThroughMs != BarState.NONE && start < state.closedThroughMs) {
      if (quote.isBar()) {
        if (state.isRecent(fingerprintOf(quote, start))) return DUPLICATE;
        long comparableMs = (config.dedupCapacity() / 2) * config.intervalMs();
        if (start < state.closedThroughMs - comparableMs) return DUPLICATE;
      }
      return reject("late", "quote at " + iso(quote.asOf()) + " is for the bar starting " + iso(start) + ", already closed"
          + (quote.isBar() ? ", and differs from what closed" : ""));
    }
    merge(state, quote, start, end, atMs, eventEndMs, isOhlcUsable);
    state.eventTimeMs = state.eventTimeMs == BarState.NONE ? eventEndMs : Math.max(state.eventTimeMs, eventEndMs);
    state.remember(idHash);
    return new Result(Outcome.ACCEPTED, closeDue(state, state.eventTimeMs - config.allowedLatenessMs(), config), null);
  }

  /** merge-quote.ts: OHLC by event time, not arrival. */
  private static void merge(BarState state, Quote quote, long start, long end, long atMs, long eventEndMs, boolean isOhlcUsable) {
    double close = quote.price();
    double open = isOhlcUsable ? orElse(quote.open(), close) : close;
    double high = isOhlcUsable ? Math.max(Math.max(orElse(quote.high(), close), open), close) : close;
    double low = isOhlcUsable ? Math.min(Math.min(orElse(quote.low(), close), open), close) : close;
    boolean isBarQuote = quote.isBar();
    double volume = quote.volume();
    double cumVolume = isBarQuote || Double.isNaN(volume) ? Double.NaN : volume;
    BarState.OpenBar bar = null;
    int insertAt = state.open.size();
    for (int i = 0; i < state.open.size(); i++) {
      BarState.OpenBar other = state.open.get(i);
      if (other.start == start) bar = other;
      if (other.start > start && insertAt == state.open.size()) insertAt = i;
    }
    if (bar == null) {
      bar = new BarState.OpenBar();
      bar.start = start;
      bar.end = end;
      bar.open = open;
      bar.high = high;
      bar.low = low;
      bar.close = close;
      bar.openAt = atMs;
      bar.closeAt = eventEndMs;
      bar.count = 1;
      bar.barVolume = isBarQuote ? orElse(volume, 0) : 0;
      bar.hasBarQuote = isBarQuote;
      bar.cumVolume = cumVolume;
      state.open.add(insertAt, bar);
      return;
    }
    if (atMs < bar.openAt) {
      bar.open = open;
      bar.openAt = atMs;
    }
    if (eventEndMs >= bar.closeAt) {
      bar.close = close;
      bar.closeAt = eventEndMs;
    }
    bar.high = Math.max(bar.high, high);
    bar.low = Math.min(bar.low, low);
    bar.count += 1;
    if (isBarQuote) {
      bar.barVolume += orElse(volume, 0);
      bar.hasBarQuote = true;
    }
    if (!Double.isNaN(cumVolume)) bar.cumVolume = Math.max(Double.isNaN(bar.cumVolume) ? 0 : bar.cumVolume, cumVolume);
  }

  /** close-due-bars.ts closeDueBarsOnAxis: closes every open bar that ended at or before the watermark. */
  static List<Bar> closeDue(BarState state, long watermarkMs, BarConfig config) {
    if (state.open.isEmpty() || state.open.get(0).end > watermarkMs) return List.of();
    List<Bar> completed = new ArrayList<>(2);
    while (!state.open.isEmpty() && state.open.get(0).end <= watermarkMs) {
      BarState.OpenBar bar = state.open.remove(0);
      double volume = bar.barVolume;
      if (!Double.isNaN(bar.cumVolume)) {
        long day = Math.floorDiv(config.isDaily() ? bar.start : bar.start + config.utcOffsetMs(), BarConfig.DAY_MS);
        double counted = state.carryDay != BarState.NONE && state.carryDay == day ? state.carryCumVolume : 0;
        if (!bar.hasBarQuote) volume = Math.max(0, bar.cumVolume - counted);
        state.carryDay = day;
        state.carryCumVolume = Math.max(counted, bar.cumVolume);
      }
      completed.add(new Bar(state.symbol, config.interval(), bar.start, bar.end, bar.open, bar.high, bar.low, bar.close,
          volume, bar.count));
      state.closedThroughMs = bar.end;
      state.remember(fingerprint(bar.start, bar.open, bar.high, bar.low, bar.close, volume));
    }
    return completed;
  }

  /** The fingerprint of the bar that this bar quote alone would have closed. */
  private static long fingerprintOf(Quote quote, long start) {
    double close = quote.price();
    double open = orElse(quote.open(), close);
    double high = Math.max(Math.max(orElse(quote.high(), close), open), close);
    double low = Math.min(Math.min(orElse(quote.low(), close), open), close);
    return fingerprint(start, open, high, low, close, orElse(quote.volume(), 0));
  }

  static long fingerprint(long start, double open, double high, double low, double close, double volume) {
    return HashId.of("bar:" + start + ":" + JsonOut.number(open) + ":" + JsonOut.number(high) + ":" + JsonOut.number(low)
        + ":" + JsonOut.number(close) + ":" + JsonOut.number(volume));
  }

  /** bar-start.ts: the interval grid laid from the exchange's local midnight. */
  static long barStart(long atMs, long intervalMs, long utcOffsetMs) {
    long into = (atMs + utcOffsetMs) % intervalMs;
    return atMs - (into < 0 ? into + intervalMs : into);
  }

  private static double orElse(double value, double otherwise) {
    return Double.isNaN(value) ? otherwise : value;
  }

  private static String iso(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }
}
