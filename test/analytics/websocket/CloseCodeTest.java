package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloseCodeTest {

    /**
     * §7.4.1/§7.4.2 and the IANA registry: 0-999 unused; 1004 reserved; 1005, 1006 and 1015
     * only stand for events, never sent; 1016-2999 unassigned; 3000-4999 for libraries and
     * applications; 5000 and up undefined.
     */
    @ParameterizedTest(name = "{0} allowed on the wire: {1}")
    @CsvSource({
        "999,  false",
        "1000, true",
        "1003, true",
        "1004, false",
        "1005, false",
        "1006, false",
        "1007, true",
        "1011, true",
        "1012, true",
        "1014, true",
        "1015, false",
        "1016, false",
        "2999, false",
        "3000, true",
        "4999, true",
        "5000, false",
    })
    void decidesWhichCodesMayAppearOnTheWire(int code, boolean allowed) {
        assertEquals(allowed, CloseCode.isAllowedOnWire(code));
    }

    @Test
    void everyCodeWeSendIsAllowedOnTheWire() {
        EnumSet<CloseCode> neverSent = EnumSet.of(CloseCode.NO_STATUS_RECEIVED, CloseCode.ABNORMAL_CLOSURE);
        for (CloseCode code : CloseCode.values()) {
            assertEquals(!neverSent.contains(code), CloseCode.isAllowedOnWire(code.code()), code.name());
        }
    }

    @Test
    void carriesTheRfcValues() {
        assertEquals(1000, CloseCode.NORMAL_CLOSURE.code());
        assertEquals(1001, CloseCode.GOING_AWAY.code());
        assertEquals(1002, CloseCode.PROTOCOL_ERROR.code());
        assertEquals(1007, CloseCode.INVALID_FRAME_PAYLOAD_DATA.code());
        assertEquals(1008, CloseCode.POLICY_VIOLATION.code());
        assertEquals(1009, CloseCode.MESSAGE_TOO_BIG.code());
        assertTrue(CloseCode.isAllowedOnWire(CloseCode.TRY_AGAIN_LATER.code()));
        assertFalse(CloseCode.isAllowedOnWire(CloseCode.NO_STATUS_RECEIVED.code()));
    }
}
