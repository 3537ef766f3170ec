package analytics.websocket;

/**
 * Status codes of a close frame, in the RFC's words, and the rule for which codes may
 * appear on the wire at all.
 *
 * Pattern: protocol constants as an enum with their wire value and meaning.
 * Lesson:  lessons/06-websocket-messages-and-close.md   Spec: RFC 6455 §7.4, IANA registry
 */
public enum CloseCode {
    /** "a normal closure, meaning that the purpose for which the connection was established has been fulfilled" */
    NORMAL_CLOSURE(1000),
    /** "an endpoint is going away, such as a server going down" - our shutdown */
    GOING_AWAY(1001),
    /** "an endpoint is terminating the connection due to a protocol error" */
    PROTOCOL_ERROR(1002),
    /** "it has received a type of data it cannot accept" */
    UNSUPPORTED_DATA(1003),
    /** never sent: stands for "the close frame had no status code" (§7.4.1) */
    NO_STATUS_RECEIVED(1005),
    /** never sent: stands for "the connection closed without a close frame" */
    ABNORMAL_CLOSURE(1006),
    /** "data within a message that was not consistent with the type" - bad UTF-8 in text */
    INVALID_FRAME_PAYLOAD_DATA(1007),
    /** "a message that violates its policy" - our slow-consumer rule */
    POLICY_VIOLATION(1008),
    /** "a message that is too big for it to process" */
    MESSAGE_TOO_BIG(1009),
    /** "an unexpected condition that prevented it from fulfilling the request" */
    INTERNAL_ERROR(1011),
    /** IANA registry: the server is overloaded, the client should come back later */
    TRY_AGAIN_LATER(1013);

    private final int code;

    CloseCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * Whether a peer may put this code in a close frame (§7.4.1, §7.4.2): the defined
     * codes except 1004-1006 and 1015, the IANA-registered 1012-1014, and 3000-4999 for
     * libraries and applications. Anything else in a received close is a protocol error.
     */
    public static boolean isAllowedOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
