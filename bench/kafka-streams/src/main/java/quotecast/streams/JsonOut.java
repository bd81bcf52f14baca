package quotecast.streams;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Bars and feature rows as quotecast writes them (encodeMessage of src/core/contracts/bar.ts and
 * feature-row.ts): the same fields in the same order, numbers as JavaScript prints them, null for none.
 */
final class JsonOut {
  private JsonOut() {}

  static byte[] bar(Bar bar) {
    StringBuilder out = new StringBuilder(200);
    out.append("{\"schema\":1,\"symbol\":");
    string(out, bar.symbol());
    out.append(",\"interval\":\"").append(bar.interval()).append("\",\"start\":").append(bar.start())
        .append(",\"end\":").append(bar.end())
        .append(",\"open\":").append(number(bar.open()))
        .append(",\"high\":").append(number(bar.high()))
        .append(",\"low\":").append(number(bar.low()))
        .append(",\"close\":").append(number(bar.close()))
        .append(",\"volume\":").append(number(bar.volume()))
        .append(",\"count\":").append(bar.count()).append('}');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] row(Features.Row row) {
    Bar bar = row.bar();
    StringBuilder out = new StringBuilder(700);
    out.append("{\"schema\":1,\"symbol\":");
    string(out, bar.symbol());
    out.append(",\"interval\":\"").append(bar.interval()).append("\",\"barStart\":").append(bar.start())
        .append(",\"barEnd\":").append(bar.end())
        .append(",\"close\":").append(number(bar.close()))
        .append(",\"open\":").append(number(bar.open()))
        .append(",\"high\":").append(number(bar.high()))
        .append(",\"low\":").append(number(bar.low()))
        .append(",\"featureVersion\":1,\"gapBars\":").append(row.gapBars())
        .append(",\"values\":{");
    double[] values = row.values();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) out.append(',');
      out.append('"').append(Features.NAMES[i]).append("\":");
      out.append(Double.isNaN(values[i]) ? "null" : number(values[i]));
    }
    out.append("}}");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    out.append('"');
  }

  /** A finite double as JavaScript's Number#toString prints it (exponent below 1e-6 and from 1e21). */
  static String number(double d) {
    if (d == 0) return "0";
    double abs = Math.abs(d);
    if (d == Math.rint(d) && abs < 9.2e18) return Long.toString((long) d);
    String s = Double.toString(d);
    int e = s.indexOf('E');
    if (e < 0) return s;
    int exponent = Integer.parseInt(s.substring(e + 1));
    if (exponent >= -6 && exponent < 21) return new BigDecimal(s).toPlainString();
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
    return mantissa + "e" + (exponent > 0 ? "+" : "") + exponent;
  }
}
