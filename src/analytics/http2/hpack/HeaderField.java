package analytics.http2.hpack;

import java.util.Objects;

/**
 * One header field as HPACK carries it: a name and a value, each a string of octets held
 * as an ISO-8859-1 {@code String} (one char per octet, so {@code length()} counts octets).
 *
 * Pattern: immutable value between the codec and the HTTP/2 layer.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7541 §1.3, §4.1
 * Not here: HTTP/2's rules on names (lower case, pseudo-headers first); RFC 9113 §8.2
 *           belongs to the stream layer. HPACK itself accepts any octets.
 * Threads: immutable, so share it freely.
 */
public record HeaderField(String name, String value) {

    /** §4.1: "the size of an entry is the sum of its name's length in octets ..., its value's
     *  length in octets, and 32" - the 32 stands for the overhead of an entry in a table. */
    public static final int ENTRY_OVERHEAD = 32;

    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** The size of this field in a dynamic table (§4.1) and a header list (RFC 9113 §6.5.2). */
    public int size() {
        return name.length() + value.length() + ENTRY_OVERHEAD;
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
