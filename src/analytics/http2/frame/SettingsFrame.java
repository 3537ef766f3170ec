package analytics.http2.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * SETTINGS: parameters the sender announces about itself, applied in order; or, with the
 * ACK flag and no payload, "I have applied yours".
 *
 * <pre>
 *  +-------------------------------+
 *  |       Identifier (16)         |
 *  +-------------------------------+-------------------------------+
 *  |                        Value (32)                             |
 *  +---------------------------------------------------------------+
 * </pre>
 * (the payload is zero or more of these six-byte entries)
 *
 * Pattern: one record per frame type, parser beside its diagram; values checked here,
 *          at the edge, so the connection only ever sees valid ones.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.5 (diagram as in RFC 7540)
 * Not here: what a value changes (the connection applies them).
 * Threads: immutable.
 */
public record SettingsFrame(boolean ack, List<Entry> entries) implements Frame {

    public static final int ACK = 0x1;
    static final int ENTRY_LENGTH = 6;

    /** The acknowledgement: ACK flag, no entries. */
    public static final SettingsFrame ACKNOWLEDGEMENT = new SettingsFrame(true, List.of());

    /** One parameter and its value; unknown identifiers never become an Entry. */
    public record Entry(Setting setting, long value) {
    }

    public SettingsFrame {
        entries = List.copyOf(entries);
        if (ack && !entries.isEmpty()) {
            throw new IllegalArgumentException("a SETTINGS acknowledgement carries no entries");
        }
    }

    static SettingsFrame parse(int flags, int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireConnection(streamId, FrameType.SETTINGS);
        boolean ack = (flags & ACK) != 0;
        if (ack) {
            if (payload.hasRemaining()) {
                throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR,
                        "SETTINGS acknowledgement with a payload of " + payload.remaining() + " bytes");
            }
            return ACKNOWLEDGEMENT;
        }
        return new SettingsFrame(false, parseEntries(payload));
    }

    /**
     * The entries of a SETTINGS payload; also what an h2c upgrade's HTTP2-Settings field
     * carries (RFC 7540 §3.2.1). Unknown identifiers are skipped, as §6.5.2 requires.
     */
    public static List<Entry> parseEntries(ByteBuffer payload) throws Http2Exception {
        if (payload.remaining() % ENTRY_LENGTH != 0) {
            throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR,
                    "SETTINGS payload of " + payload.remaining() + " bytes is not a multiple of 6");
        }
        List<Entry> entries = new ArrayList<>(payload.remaining() / ENTRY_LENGTH);
        while (payload.hasRemaining()) {
            Setting setting = Setting.fromId(payload.getShort() & 0xFFFF);
            long value = Integer.toUnsignedLong(payload.getInt());
            if (setting != null) {
                entries.add(new Entry(setting, setting.validate(value)));
            }
        }
        return entries;
    }

    @Override
    public int streamId() {
        return 0;
    }

    @Override
    public String toString() {
        if (ack) {
            return "SETTINGS ACK";
        }
        StringBuilder text = new StringBuilder("SETTINGS");
        for (Entry entry : entries) {
            text.append(' ').append(entry.setting()).append('=').append(entry.value());
        }
        return text.toString();
    }
}
