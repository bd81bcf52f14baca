package quotecast.streams;

/** A completed bar (src/core/contracts/bar.ts). */
record Bar(String symbol, String interval, long start, long end, double open, double high, double low, double close,
    double volume, int count) {}
