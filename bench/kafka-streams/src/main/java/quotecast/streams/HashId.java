package quotecast.streams;

/** cyrb53, the 53-bit hash quotecast keeps quote ids as (src/core/bars/hash-id.ts), over UTF-16 code units. */
final class HashId {
  private HashId() {}

  static long of(String id) {
    int h1 = 0xdeadbeef;
    int h2 = 0x41c6ce57;
    for (int i = 0; i < id.length(); i++) {
      int ch = id.charAt(i);
      h1 = (h1 ^ ch) * (int) 2654435761L;
      h2 = (h2 ^ ch) * 1597334677;
    }
    h1 = (h1 ^ (h1 >>> 16)) * (int) 2246822507L;
    h1 ^= (h2 ^ (h2 >>> 13)) * (int) 3266489909L;
    h2 = (h2 ^ (h2 >>> 16)) * (int) 2246822507L;
    h2 ^= (h1 ^ (h1 >>> 13)) * (int) 3266489909L;
    return ((long) (h2 & 0x1FFFFF) << 32) + (h1 & 0xFFFFFFFFL);
  }
}
