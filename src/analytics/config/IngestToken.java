package analytics.config;

import com.eclipsesource.json.Json;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The shared secret a producer must present when INGEST_TOKEN is set: as
 * {@code Authorization: Bearer <token>} on System 1's POST routes, as {@code "token"} in a
 * producer's {@code register} on System 2. Unset, ingest stays open, as in the original.
 *
 * Pattern: constant-time comparison of a secret. A plain equals() stops at the first byte
 *          that differs, so how long a refusal takes tells an attacker how much of a guess
 *          was right. Both sides are hashed with SHA-256 and the digests compared with
 *          MessageDigest.isEqual, whose time depends on the length only - and digests all
 *          have the same length, so not even the token's length shows.
 * Lesson:  lessons/03-validating-untrusted-input.md
 * Spec:    RFC 6750 §2.1 (Bearer, b64token), RFC 9110 §11.1 (the scheme is case-insensitive)
 * Not here: issuing, rotating or scoping tokens, one identity per producer, TLS. A bearer
 *           token on cleartext HTTP or ws:// can be read by anyone on the path; production
 *           sends it over TLS only, and usually gives each producer a token of its own.
 * Threads: immutable.
 */
public final class IngestToken {

    /** No token configured: every producer is let in. */
    public static final IngestToken NONE = new IngestToken(null, null);

    /** Shorter is guessable; {@code openssl rand -hex 16} prints 32 characters. */
    static final int MIN_LENGTH = 16;
    /** RFC 6750 §2.1 b64token: what a Bearer header can carry without quoting. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final String SCHEME = "bearer";

    private final String token;
    private final byte[] digest;

    private IngestToken(String token, byte[] digest) {
        this.token = token;
        this.digest = digest;
    }

    /**
     * The token from its setting; blank means none. A bad one is refused without echoing
     * it: the error line would otherwise print the secret into the log.
     */
    static IngestToken of(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        if (text.length() < MIN_LENGTH || !B64TOKEN.matcher(text).matches()) {
            throw new ConfigException("INGEST_TOKEN must be at least " + MIN_LENGTH
                    + " characters of A-Z a-z 0-9 - . _ ~ + / (then = padding); the value given has "
                    + text.length() + " characters and is not shown");
        }
        return new IngestToken(text, sha256(text));
    }

    /**
     * What this process's senders present: INGEST_TOKEN of the environment (or of .env),
     * read once. For the fake servers and the load driver, which send where they are told.
     */
    public static IngestToken fromEnvironment() {
        return FromEnvironment.TOKEN;
    }

    /** Read on first use, so a program that never sends never reads it. */
    private static final class FromEnvironment {
        static final IngestToken TOKEN = of(Config.variables(System.getenv(), Path.of(".env"))
                .getOrDefault("INGEST_TOKEN", ""));
    }

    /** Whether producers must present the token. */
    public boolean required() {
        return token != null;
    }

    /** The token itself, for a client to send; null when none is set. */
    public String value() {
        return token;
    }

    /** {@code Bearer <token>}: the Authorization value a client sends. */
    public String bearer() {
        return "Bearer " + token;
    }

    /** A client's request with {@code Authorization: Bearer <token>}, or unchanged when none is set. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", bearer());
    }

    /**
     * A client's JSON object message (a System 2 register) with {@code "token"} added, or
     * unchanged when none is set.
     */
    public String addTo(String jsonObject) {
        return token == null ? jsonObject : Json.parse(jsonObject).asObject().add("token", token).toString();
    }

    /** Whether {@code presented} is the token; false for null. Constant time (see above). */
    public boolean matches(String presented) {
        if (token == null) {
            return true;
        }
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /**
     * Whether an Authorization field value carries the token: {@code Bearer <token>}, the
     * scheme in any case, one or more spaces before the token (RFC 6750 §2.1 asks for one;
     * accepting more costs nothing). True for anything when no token is set.
     */
    public boolean authorizes(String authorization) {
        if (token == null) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return false;
        }
        return matches(authorization.substring(space + 1).strip());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e); // Java SE requires it
        }
    }

    /** Never the secret: a token in a log line or a test failure is a leaked token. */
    @Override
    public String toString() {
        return token == null ? "IngestToken[none]" : "IngestToken[set]";
    }
}
