package quotecast.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A symbol's whole state, its bar builder and its feature state, and its binary serde for the store. */
final class SymbolState {
  final BarState bars;
  final double[] features;

  SymbolState(BarState bars, double[] features) {
    this.bars = bars;
    this.features = features;
  }

  static SymbolState create(String symbol, BarConfig config) {
    return new SymbolState(new BarState(symbol, config.dedupCapacity()), Features.create());
  }

  static final class BinarySerde implements Serde<SymbolState>, Serializer<SymbolState>, Deserializer<SymbolState> {
    private static final int OPEN_BAR_BYTES = 4 * 8 + 5 * 8 + 4 + 1 + 8;

    @Override
    public byte[] serialize(String topic, SymbolState state) {
      if (state == null) return null;
      BarState b = state.bars;
      byte[] symbol = b.symbol.getBytes(StandardCharsets.UTF_8);
      int size = 2 + symbol.length + 1 + b.open.size() * OPEN_BAR_BYTES + 8 * 4 + 4 * 3 + b.recentIds.length * 8
          + state.features.length * 8;
      ByteBuffer out = ByteBuffer.allocate(size);
      out.putShort((short) symbol.length).put(symbol);
      out.put((byte) b.open.size());
      for (BarState.OpenBar bar : b.open) {
        out.putLong(bar.start).putLong(bar.end).putLong(bar.openAt).putLong(bar.closeAt);
        out.putDouble(bar.open).putDouble(bar.high).putDouble(bar.low).putDouble(bar.close).putDouble(bar.barVolume);
        out.putInt(bar.count).put((byte) (bar.hasBarQuote ? 1 : 0)).putDouble(bar.cumVolume);
      }
      out.putLong(b.closedThroughMs).putLong(b.eventTimeMs).putLong(b.carryDay).putDouble(b.carryCumVolume);
      out.putInt(b.recentIds.length).putInt(b.recentIdsSize).putInt(b.recentIdsNext);
      for (long id : b.recentIds) out.putLong(id);
      for (double x : state.features) out.putDouble(x);
      return out.array();
    }

    @Override
    public SymbolState deserialize(String topic, byte[] bytes) {
      if (bytes == null) return null;
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte[] symbol = new byte[in.getShort()];
      in.get(symbol);
      int openBars = in.get();
      BarState.OpenBar[] open = new BarState.OpenBar[openBars];
      for (int i = 0; i < openBars; i++) {
        BarState.OpenBar bar = new BarState.OpenBar();
        bar.start = in.getLong();
        bar.end = in.getLong();
        bar.openAt = in.getLong();
        bar.closeAt = in.getLong();
        bar.open = in.getDouble();
        bar.high = in.getDouble();
        bar.low = in.getDouble();
        bar.close = in.getDouble();
        bar.barVolume = in.getDouble();
        bar.count = in.getInt();
        bar.hasBarQuote = in.get() == 1;
        bar.cumVolume = in.getDouble();
        open[i] = bar;
      }
      long closedThrough = in.getLong(), eventTime = in.getLong(), carryDay = in.getLong();
      double carryCum = in.getDouble();
      BarState b = new BarState(new String(symbol, StandardCharsets.UTF_8), in.getInt());
      for (BarState.OpenBar bar : open) b.open.add(bar);
      b.closedThroughMs = closedThrough;
      b.eventTimeMs = eventTime;
      b.carryDay = carryDay;
      b.carryCumVolume = carryCum;
      b.recentIdsSize = in.getInt();
      b.recentIdsNext = in.getInt();
      for (int i = 0; i < b.recentIds.length; i++) b.recentIds[i] = in.getLong();
      double[] features = new double[Features.LENGTH];
      for (int i = 0; i < features.length; i++) features[i] = in.getDouble();
      return new SymbolState(b, features);
    }

    @Override
    public void close() {}

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

    @Override
    public Serializer<SymbolState> serializer() {
      return this;
    }

    @Override
    public Deserializer<SymbolState> deserializer() {
      return this;
    }
  }
}
