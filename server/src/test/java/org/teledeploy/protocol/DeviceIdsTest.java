package org.teledeploy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Pins {@link DeviceIds}: the {@code <anything>-YYYY-MM-DD-hh-mm-ss} rule with its length and control-character
 * bounds (shared/ocs-protocol.md §1.8), and {@link DeviceIds#quote}, the bounded, escaped rendering of untrusted
 * values used in logs and 400 messages.
 */
class DeviceIdsTest {

    @Test
    void realAgentDeviceIdsAreValid() {
        assertTrue(DeviceIds.isValid("web01-2024-03-05-09-12-44"));
        assertTrue(DeviceIds.isValid("vm-2026-11-25-11-48-25"));
        assertTrue(DeviceIds.isValid("a-b-c-2024-03-05-09-12-44"));
        assertTrue(DeviceIds.isValid("M\u00fcller-PC-2024-03-05-09-12-44"));
    }

    @Test
    void malformedDeviceIdsAreInvalid() {
        assertFalse(DeviceIds.isValid(null));
        assertFalse(DeviceIds.isValid(""));
        assertFalse(DeviceIds.isValid("web01"));
        assertFalse(DeviceIds.isValid("-2024-03-05-09-12-44"));
        assertFalse(DeviceIds.isValid("web01-2024-03-05-09-12-4"));
        assertFalse(DeviceIds.isValid("web01-2024-03-05-09-12-44x"));
        assertFalse(DeviceIds.isValid("x'; DROP TABLE devices;--"));
        assertFalse(DeviceIds.isValid("web\u000001-2024-03-05-09-12-44"));
        assertFalse(DeviceIds.isValid("web01-2024-03-05-09-12-44\n"));
        assertFalse(DeviceIds.isValid("web\u001b01-2024-03-05-09-12-44"));
        assertFalse(DeviceIds.isValid("web\u007f01-2024-03-05-09-12-44"));
    }

    @Test
    void lengthIsBoundedAt255() {
        String date = "-2024-03-05-09-12-44";
        assertTrue(DeviceIds.isValid("h".repeat(255 - date.length()) + date));
        assertFalse(DeviceIds.isValid("h".repeat(256 - date.length()) + date));
        assertFalse(DeviceIds.isValid("h".repeat(100_000) + date));
    }

    @Test
    void quoteWrapsInDoubleQuotes() {
        assertEquals("\"web01-2024-03-05-09-12-44\"", DeviceIds.quote("web01-2024-03-05-09-12-44"));
        assertEquals("\"\"", DeviceIds.quote(""));
        assertEquals("(none)", DeviceIds.quote(null));
        assertEquals("\"caf\u00e9 x'y\"", DeviceIds.quote("caf\u00e9 x'y"));
    }

    @Test
    void quoteEscapesControlCharactersQuotesAndBackslashes() {
        assertEquals("\"a\\x01b\\x1bc\\x7fd\\x0ae\\x00\"", DeviceIds.quote("a\u0001b\u001bc\u007fd\ne\u0000"));
        assertEquals("\"say \\x22hi\\x22 C:\\x5cx\"", DeviceIds.quote("say \"hi\" C:\\x"));
    }

    @Test
    void quoteKeepsAt80CharactersAndSaysHowLongTheValueWas() {
        String eighty = "a".repeat(80);
        assertEquals("\"" + eighty + "\"", DeviceIds.quote(eighty));
        assertEquals("\"" + eighty + "...(81 chars)\"", DeviceIds.quote(eighty + "b"));
        assertEquals("\"" + eighty + "...(1000000 chars)\"", DeviceIds.quote("a".repeat(1_000_000)));
    }

    @Test
    void quoteEscapesBeforeBoundingSoTheCutIsOn80SourceCharacters() {
        String value = "\u0001".repeat(100);
        assertEquals("\"" + "\\x01".repeat(80) + "...(100 chars)\"", DeviceIds.quote(value));
    }
}
