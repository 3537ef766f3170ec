package analytics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template rendered for this machine; no nginx runs here (NginxFrontWireTest runs one). */
class NginxTemplateTest {

    private static final Map<String, String> LOOPBACK = Map.of(
            "NGINX_HTTP_LISTEN", "127.0.0.1:14000",
            "NGINX_HTTP2_LISTEN", "127.0.0.1:14001",
            "NGINX_WS_LISTEN", "127.0.0.1:14002",
            "NGINX_INGEST_HTTP_SERVERS", NginxTemplate.servers(14010, 14020),
            "NGINX_INGEST_HTTP2_SERVERS", NginxTemplate.servers(14011, 14021),
            "NGINX_BROADCASTER_SERVERS", NginxTemplate.servers(14012));

    @Test
    void refusesAPlaceholderWithoutAValueByName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> NginxTemplate.render("listen ${NGINX_HTTP_LISTEN};", Map.of()));
        assertEquals("no value for ${NGINX_HTTP_LISTEN} in scripts/nginx/nginx.conf.template",
                refused.getMessage());
    }

    @Test
    void leavesNginxsOwnVariablesForNginx() {
        assertEquals("log '$remote_addr ${request_time}s';",
                NginxTemplate.render("log '$remote_addr ${request_time}s';", Map.of()));
    }

    @Test
    void upstreamMembersAreOneServerLinePerPort() {
        assertEquals("server 127.0.0.1:4010; server 127.0.0.1:4020;", NginxTemplate.servers(4010, 4020));
    }

    @Test
    void theShippedTemplateRendersCompletelyWithTheStreamModuleLoadedWhereItIsAFile()
            throws Exception {
        String rendered = NginxTemplate.render(Files.readString(NginxTemplate.TEMPLATE), LOOPBACK);
        assertTrue(rendered.lines().filter(line -> !line.strip().startsWith("#"))
                .noneMatch(line -> line.contains("${NGINX_")), "every placeholder filled in:\n" + rendered);
        assertTrue(rendered.contains("listen 127.0.0.1:14001;"), "the h2c door");
        assertTrue(rendered.contains("server 127.0.0.1:14010; server 127.0.0.1:14020;"), "both ingests");
        assertEquals(Files.exists(NginxTemplate.STREAM_MODULE),
                rendered.contains("\nload_module " + NginxTemplate.STREAM_MODULE + ";\n"));
        // The Docker image has the module built in and passes an empty value.
        Map<String, String> docker = new HashMap<>(LOOPBACK);
        docker.put("NGINX_LOAD_MODULES", "");
        assertFalse(NginxTemplate.render(Files.readString(NginxTemplate.TEMPLATE), docker)
                .contains("\nload_module "));
    }
}
