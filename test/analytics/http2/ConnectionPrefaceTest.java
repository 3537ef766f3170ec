package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One port, two protocols: what the first bytes say, and that they are all still there after. */
class ConnectionPrefaceTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n      | HTTP2
            GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n      | HTTP1
            POST /metrics HTTP/1.1\\r\\n                | HTTP1
            \\r\\nGET / HTTP/1.1\\r\\n                   | HTTP1
            PRI * HTTP/2.0\\r\\n\\r\\nXX\\r\\n\\r\\n      | INVALID
            \\u0000\\u0000\\u0000\\u0004\\u0000          | INVALID
            ''                                          | EMPTY
            """)
    void tellsTheProtocolFromTheFirstBytesAndPutsThemBack(String escaped, ConnectionPreface.Kind expected)
            throws Exception {
        byte[] bytes = escaped.strip().replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\0")
                .replace("\\u0004", "\u0004").getBytes(StandardCharsets.ISO_8859_1);
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(bytes));
        assertEquals(expected, ConnectionPreface.sniff(in));
        assertArrayEquals(bytes, in.readAllBytes(), "every byte is still there for the parser");
    }
}
