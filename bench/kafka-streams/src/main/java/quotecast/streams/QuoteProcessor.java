package quotecast.streams;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The processor's job per quote (src/services/processor/processor-stage.ts): decode and check it,
 * apply it to its symbol's bar builder, step the features of every bar it completed, forward bars
 * and rows to their sinks, put the state back; a bad or late quote goes to the dead-letter sink.
 */
final class QuoteProcessor implements Processor<String, byte[], String, byte[]> {
  static final String STORE = "processor-state";
  static final String BARS = "bars", FEATURES = "features", DEAD_LETTERS = "dead-letters";

  private final BarConfig config;
  private final LongAdder processed;
  private final LongAdder barsOut;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, SymbolState> store;

  QuoteProcessor(BarConfig config, LongAdder processed, LongAdder barsOut) {
    this.config = config;
    this.processed = processed;
    this.barsOut = barsOut;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    processed.increment();
    Quote quote;
    try {
      quote = Quote.parse(record.value());
    } catch (Quote.Invalid invalid) {
      deadLetter(record, invalid.getMessage());
      return;
    }
    if (!quote.symbol().equals(record.key())) {
      deadLetter(record, "key " + record.key() + " is not the quote's symbol " + quote.symbol());
      return;
    }
    long now = System.currentTimeMillis();
    if (quote.fetchedAt() > now + config.maxClockSkewMs()) {
      deadLetter(record, "fetchedAt is in the future (more than " + config.maxClockSkewMs() + " ms after the processor's clock)");
      return;
    }
    SymbolState state = store.get(quote.symbol());
    if (state == null) state = SymbolState.create(quote.symbol(), config);
    BarBuilder.Result result = BarBuilder.apply(state.bars, quote, config);
    switch (result.outcome()) {
      case DUPLICATE -> {
        return;
      }
      case REJECTED -> {
        deadLetter(record, result.reason());
        return;
      }
      case ACCEPTED -> {
        for (Bar bar : result.completed()) {
          Features.Row row = Features.next(state.features, bar);
          context.forward(new Record<>(bar.symbol(), JsonOut.bar(bar), record.timestamp()), BARS);
          context.forward(new Record<>(bar.symbol(), JsonOut.row(row), record.timestamp()), FEATURES);
          barsOut.increment();
        }
        store.put(quote.symbol(), state);
      }
    }
  }

  private void deadLetter(Record<String, byte[]> record, String reason) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    StringBuilder out = new StringBuilder(256);
    out.append("{\"schema\":1,\"sourceTopic\":");
    JsonOut.string(out, source.topic());
    out.append(",\"partition\":").append(source.partition()).append(",\"offset\":\"").append(source.offset())
        .append("\",\"key\":");
    if (record.key() == null) out.append("null");
    else JsonOut.string(out, record.key());
    out.append(",\"reason\":");
    JsonOut.string(out, reason);
    out.append(",\"valueBase64\":\"")
        .append(record.value() == null ? "" : Base64.getEncoder().encodeToString(record.value()))
        .append("\",\"failedAt\":").append(System.currentTimeMillis()).append(",\"service\":\"kafka-streams\"}");
    String key = record.key() == null ? "unknown" : record.key();
    context.forward(new Record<>(key, out.toString().getBytes(StandardCharsets.UTF_8), record.timestamp()), DEAD_LETTERS);
  }
}
