package quotecast.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * A quote as quotecast writes it (src/core/contracts/quote.ts), checked like its zod schema: the
 * same fields, bounds and cross-field rules. Absent numbers are NaN, an absent interval null.
 */
public record Quote(
    String id,
    String symbol,
    boolean isBar,
    String interval,
    double price,
    double open,
    double high,
    double low,
    double volume,
    long asOf,
    long fetchedAt) {

  static final double MIN_PRICE = 1e-6;
  static final double MAX_PRICE = 1e9;
  static final double MAX_VOLUME = 1e15;
  static final long MIN_EPOCH = 0L;
  static final long MAX_EPOCH = 7258118400000L; // 2200-01-01
  private static final Pattern SYMBOL = Pattern.compile("^[A-Z0-9^][A-Z0-9.^=_-]*$");
  private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
  private static final JsonFactory JSON = new JsonFactory();

  /** Thrown with `path: reason`, as quotecast's decodeMessage words its errors. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  public static Quote parse(byte[] bytes) throws Invalid {
    if (bytes == null) throw new Invalid("value: is missing");
    if (bytes.length > 256 * 1024) throw new Invalid("value: is larger than 262144 bytes");
    Integer schema = null;
    String id = null, symbol = null, exchange = null, currency = null, kind = null, interval = null, source = null;
    double price = Double.NaN, open = Double.NaN, high = Double.NaN, low = Double.NaN, volume = Double.NaN;
    Long asOf = null, fetchedAt = null;
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new Invalid("value: must be an object");
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "schema" -> schema = (int) number(p, v, field);
          case "id" -> id = text(p, v, field);
          case "symbol" -> symbol = text(p, v, field);
          case "exchange" -> exchange = text(p, v, field);
          case "currency" -> currency = text(p, v, field);
          case "kind" -> kind = text(p, v, field);
          case "interval" -> interval = text(p, v, field);
          case "source" -> source = text(p, v, field);
          case "price" -> price = number(p, v, field);
          case "open" -> open = number(p, v, field);
          case "high" -> high = number(p, v, field);
          case "low" -> low = number(p, v, field);
          case "volume" -> volume = number(p, v, field);
          case "asOf" -> asOf = epoch(p, v, field);
          case "fetchedAt" -> fetchedAt = epoch(p, v, field);
          default -> throw new Invalid(field + ": is not a known field");
        }
      }
      if (p.nextToken() != null) throw new Invalid("value: has trailing data");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Invalid("value: is not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new Invalid("value: could not be read (" + e.getMessage() + ")");
    }
    if (schema == null || schema != 1) throw new Invalid("schema: must be 1");
    if (id == null || id.isEmpty() || id.length() > 128) throw new Invalid("id: must be 1 to 128 characters");
    if (symbol == null || symbol.length() > 32 || !SYMBOL.matcher(symbol).matches())
      throw new Invalid("symbol: must be an upper-case ticker such as AAPL, ^GSPC or 7203.T");
    shortText(exchange, "exchange");
    shortText(source, "source");
    if (currency == null || !CURRENCY.matcher(currency).matches())
      throw new Invalid("currency: must be an ISO 4217 code such as USD");
    if (!"bar".equals(kind) && !"snapshot".equals(kind)) throw new Invalid("kind: must be \"snapshot\" or \"bar\"");
    if (interval != null && BarConfig.intervalMs(interval) < 0) throw new Invalid("interval: unknown interval");
    if (Double.isNaN(price)) throw new Invalid("price: is required");
    price("price", price);
    if (!Double.isNaN(open)) price("open", open);
    if (!Double.isNaN(high)) price("high", high);
    if (!Double.isNaN(low)) price("low", low);
    if (!Double.isNaN(volume) && (volume < 0 || volume > MAX_VOLUME))
      throw new Invalid("volume: must be from 0 to 1e15 (MAX_VOLUME)");
    if (asOf == null) throw new Invalid("asOf: is required");
    if (fetchedAt == null) throw new Invalid("fetchedAt: is required");
    boolean isBar = kind.equals("bar");
    if (isBar && interval == null) throw new Invalid("interval: is required when kind is \"bar\"");
    if (!Double.isNaN(high) && !Double.isNaN(low) && high < low) throw new Invalid("high: must not be below low");
    for (double value : new double[] {open, price}) {
      if (Double.isNaN(value)) continue;
      if ((!Double.isNaN(high) && value > high * (1 + 1e-9)) || (!Double.isNaN(low) && value < low * (1 - 1e-9)))
        throw new Invalid((value == open ? "open" : "price") + ": must lie between low and high");
    }
    return new Quote(id, symbol, isBar, interval, price, open, high, low, volume, asOf, fetchedAt);
  }

  private static void shortText(String value, String field) throws Invalid {
    if (value == null || value.isEmpty() || value.length() > 64) throw new Invalid(field + ": must be 1 to 64 characters");
  }

  private static void price(String field, double value) throws Invalid {
    if (!(value >= MIN_PRICE && value <= MAX_PRICE)) throw new Invalid(field + ": must be from 1e-6 to 1e9");
  }

  private static String text(JsonParser p, JsonToken v, String field) throws Invalid, IOException {
    if (v != JsonToken.VALUE_STRING) throw new Invalid(field + ": must be a string");
    return p.getText();
  }

  private static double number(JsonParser p, JsonToken v, String field) throws Invalid, IOException {
    if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) throw new Invalid(field + ": must be a number");
    return p.getDoubleValue();
  }

  private static long epoch(JsonParser p, JsonToken v, String field) throws Invalid, IOException {
    double value = number(p, v, field);
    if (value != Math.rint(value) || value < MIN_EPOCH || value > MAX_EPOCH)
      throw new Invalid(field + ": must be epoch milliseconds from 1970 to 2200");
    return (long) value;
  }
}
