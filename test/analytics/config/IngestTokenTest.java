package analytics.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** What a sender adds to its requests and its register, with and without a token. */
class IngestTokenTest {

    private static final String TOKEN = "client-side-token-0123456789";
    private static final String REGISTER = "{\"type\":\"register\",\"role\":\"producer\"}";

    @Test
    void aSenderSendsTheBearerHeaderOnlyWhenATokenIsSet() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:4000/metrics"));
        HttpRequest signed = IngestToken.of(TOKEN).authorize(builder).GET().build();
        assertEquals("Bearer " + TOKEN, signed.headers().firstValue("Authorization").orElse(""));
        HttpRequest.Builder open = HttpRequest.newBuilder(URI.create("http://127.0.0.1:4000/metrics"));
        assertSame(open, IngestToken.NONE.authorize(open));
        assertFalse(open.GET().build().headers().firstValue("Authorization").isPresent());
    }

    @Test
    void aProducerRegisterCarriesTheTokenOnlyWhenOneIsSet() {
        assertEquals(Json.parse("{\"type\":\"register\",\"role\":\"producer\",\"token\":\"" + TOKEN + "\"}"),
                Json.parse(IngestToken.of(TOKEN).addTo(REGISTER)));
        assertEquals(REGISTER, IngestToken.NONE.addTo(REGISTER));
    }

    @Test
    void theHeaderTheSenderBuildsIsTheOneTheServerTakes() {
        IngestToken token = IngestToken.of(TOKEN);
        assertTrue(token.authorizes(token.bearer()));
        assertTrue(token.matches(Json.parse(token.addTo(REGISTER)).asObject().getString("token", "")));
    }
}
