package analytics.http2.frame;

import java.util.Arrays;

/**
 * The SETTINGS in effect for one endpoint: every parameter's initial value until a
 * SETTINGS frame changes some of them.
 *
 * Pattern: immutable value; {@code with} returns a changed copy, so the old and new
 *          values sit side by side (the writer moves windows by their difference).
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.5.2, §6.5.3
 * Not here: range checks (Setting.validate, applied by the decoder before a value gets here).
 * Threads: immutable.
 */
public final class Settings {

    /** The values before any SETTINGS frame: what both sides assume at first. */
    public static final Settings INITIAL = new Settings(initialValues());

    private final long[] values;

    private Settings(long[] values) {
        this.values = values;
    }

    private static long[] initialValues() {
        Setting[] all = Setting.values();
        long[] values = new long[all.length];
        for (Setting setting : all) {
            values[setting.ordinal()] = setting.initialValue();
        }
        return values;
    }

    public long get(Setting setting) {
        return values[setting.ordinal()];
    }

    public Settings with(Setting setting, long value) {
        long[] copy = values.clone();
        copy[setting.ordinal()] = value;
        return new Settings(copy);
    }

    /** The frame's entries applied in order, as §6.5.3 requires. */
    public Settings with(SettingsFrame frame) {
        long[] copy = values.clone();
        for (SettingsFrame.Entry entry : frame.entries()) {
            copy[entry.setting().ordinal()] = entry.value();
        }
        return new Settings(copy);
    }

    public int headerTableSize() {
        return clampToInt(get(Setting.HEADER_TABLE_SIZE));
    }

    public int initialWindowSize() {
        return (int) get(Setting.INITIAL_WINDOW_SIZE); // at most 2^31-1, validated
    }

    public int maxFrameSize() {
        return (int) get(Setting.MAX_FRAME_SIZE); // at most 2^24-1, validated
    }

    public long maxConcurrentStreams() {
        return get(Setting.MAX_CONCURRENT_STREAMS);
    }

    private static int clampToInt(long value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Settings settings && Arrays.equals(values, settings.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Settings[");
        for (Setting setting : Setting.values()) {
            text.append(setting.ordinal() == 0 ? "" : ", ").append(setting).append('=').append(get(setting));
        }
        return text.append(']').toString();
    }
}
