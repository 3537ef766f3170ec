package analytics.websocket;

/**
 * One decoded frame: its FIN bit, its opcode and its (already unmasked) payload.
 *
 * Pattern: immutable value between the decoder and the connection's rules.
 * Lesson:  lessons/05-websocket-frames.md   Spec: RFC 6455 §5.2
 * Not here: RSV bits - no extension is ever negotiated, so the decoder refuses them.
 */
public record Frame(boolean fin, Opcode opcode, byte[] payload) {
}
