package quotecast.streams;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * quotecast's processor job on Kafka Streams: `<prefix>quotes` → `<prefix>bars`, `<prefix>features`,
 * `<prefix>dead-letters`, per-symbol state in a changelogged RocksDB store with caching. Settings
 * as `--name value`; an unknown or bad one exits 2 naming it. Prints `running` once the instance is
 * RUNNING and `progress <epoch ms> <quotes processed> <bars out>` every 100 ms while the count moves.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new HashMap<>(Map.of(
        "bootstrap", "127.0.0.1:9092",
        "topic-prefix", "",
        "application-id", "quotecast-kafka-streams",
        "exactly-once", "true",
        "threads", String.valueOf(Runtime.getRuntime().availableProcessors()),
        "interval", "1d",
        "allowed-lateness-ms", "0",
        "commit-interval-ms", "",
        "cache-max-bytes", String.valueOf(10L * 1024 * 1024),
        "state-dir", ""));
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : args[i];
      if (!settings.containsKey(name) || i + 1 >= args.length) fail(args[i] + ": unknown setting or no value");
      settings.put(name, args[i + 1]);
    }
    BarConfig config;
    try {
      config = BarConfig.of(settings.get("interval"), parseLong(settings, "allowed-lateness-ms"));
    } catch (IllegalArgumentException bad) {
      fail(bad.getMessage());
      return;
    }
    boolean isExactlyOnce = switch (settings.get("exactly-once")) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        fail("--exactly-once: must be true or false");
        yield false;
      }
    };
    String prefix = settings.get("topic-prefix");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.get("application-id"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get("bootstrap"));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        isExactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, (int) parseLong(settings, "threads"));
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, parseLong(settings, "cache-max-bytes"));
    if (!settings.get("commit-interval-ms").isEmpty())
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, parseLong(settings, "commit-interval-ms"));
    String stateDir = settings.get("state-dir").isEmpty()
        ? Files.createTempDirectory("quotecast-kafka-streams-").toString()
        : settings.get("state-dir");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    LongAdder processed = new LongAdder();
    LongAdder barsOut = new LongAdder();
    Topology topology = new Topology();
    topology.addSource("quotes", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), prefix + "quotes");
    topology.addProcessor("processor", () -> new QuoteProcessor(config, processed, barsOut), "quotes");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(QuoteProcessor.STORE), Serdes.String(), new SymbolState.BinarySerde())
            .withCachingEnabled()
            .withLoggingEnabled(Map.of()),
        "processor");
    for (String sink : new String[] {QuoteProcessor.BARS, QuoteProcessor.FEATURES, QuoteProcessor.DEAD_LETTERS})
      topology.addSink(sink, prefix + sink, Serdes.String().serializer(), Serdes.ByteArray().serializer(), "processor");

    KafkaStreams streams = new KafkaStreams(topology, props);
    CountDownLatch stopped = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) System.out.println("running");
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) stopped.countDown();
    });
    streams.setUncaughtExceptionHandler(error -> {
      System.err.println("stream thread failed: " + error);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(30));
      stopped.countDown();
    }));
    System.out.println("settings " + props);
    streams.start();
    long last = -1;
    while (!stopped.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      long count = processed.sum();
      if (count != last) {
        System.out.println("progress " + System.currentTimeMillis() + " " + count + " " + barsOut.sum());
        last = count;
      }
    }
    System.out.flush();
  }

  private static long parseLong(Map<String, String> settings, String name) {
    try {
      return Long.parseLong(settings.get(name));
    } catch (NumberFormatException bad) {
      fail("--" + name + ": must be an integer");
      return 0;
    }
  }

  private static void fail(String message) {
    System.err.println("quotecast kafka-streams: invalid configuration: " + message);
    System.exit(2);
  }
}
