package org.teledeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DownloadPathTest {

    @Test
    void infoAndFragmentPathsParse() throws DownloadRefusal {
        DownloadPath info = DownloadPath.parse("/download/1709630000/info");
        assertEquals(new DownloadPath("1709630000", 0), info);
        assertTrue(info.isInfo());
        DownloadPath fragment = DownloadPath.parse("/download/1709630000/1709630000-12");
        assertEquals(new DownloadPath("1709630000", 12), fragment);
        assertFalse(fragment.isInfo());
        assertEquals(999_999_999, DownloadPath.parse("/download/1/1-999999999").fragment());
        assertEquals("9".repeat(19), DownloadPath.parse("/download/" + "9".repeat(19) + "/info").packageId(),
                "19 digits, past Long.MAX_VALUE: the ID stays text");
    }

    @Test
    void onlyTheDownloadTreeIsClaimed() {
        assertTrue(DownloadPath.isDownload("/download"));
        assertTrue(DownloadPath.isDownload("/download/"));
        assertTrue(DownloadPath.isDownload("/download/../etc/passwd"));
        assertFalse(DownloadPath.isDownload("/downloads/1/info"));
        assertFalse(DownloadPath.isDownload("/ocsinventory"));
        assertFalse(DownloadPath.isDownload("/Download/1/info"));
        assertFalse(DownloadPath.isDownload("http://host/download/1/info"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/download|no package ID",
        "/download/|no package ID",
        "/download/1|no file name after the package ID",
        "/download/1/|the file must be info or <ID>-<n>",
        "/download/1/info/|the file must be info or <ID>-<n>",
        "/download/1/INFO|the file must be info or <ID>-<n>",
        "/download/1/1-1/x|the file must be info or <ID>-<n>",
        "/download/../etc/passwd|'..' is not accepted",
        "/download/1/..|'..' is not accepted",
        "/download/1/1-1..|'..' is not accepted",
        "/download/%2e%2e/info|percent-encoding is not accepted",
        "/download/1/%2e%2e%2fetc|percent-encoding is not accepted",
        "/download/1%2f1-1|percent-encoding is not accepted",
        "/download/1\\1-1|backslash is not accepted",
        "/download//etc/passwd|empty path segment",
        "/download/1//1-1|empty path segment",
        "/download/abc/info|the package ID must be 1 to 19 digits",
        "/download/-1/info|the package ID must be 1 to 19 digits",
        "/download/+1/info|the package ID must be 1 to 19 digits",
        "/download/12345678901234567890/info|the package ID must be 1 to 19 digits",
        "/download/C:/info|the package ID must be 1 to 19 digits",
        "/download/1/1-01|the fragment number must be 1 to 9 digits without a leading zero",
        "/download/1/1-0|the fragment number must be 1 to 9 digits without a leading zero",
        "/download/1/1-|the fragment number must be 1 to 9 digits without a leading zero",
        "/download/1/1-1234567890|the fragment number must be 1 to 9 digits without a leading zero",
        "/download/1/1-1-2|the fragment number must be 1 to 9 digits without a leading zero",
        "/download/1/1-a|the fragment number must be 1 to 9 digits without a leading zero",
        "/download/1/x-1|the file must be info or <ID>-<n>",
        "/download/1/-1|the file must be info or <ID>-<n>",
    })
    void malformedPathsAre400WithTheReason(String path, String reason) {
        DownloadRefusal refusal = assertThrows(DownloadRefusal.class, () -> DownloadPath.parse(path));
        assertEquals(400, refusal.status().code());
        assertEquals("malformed download path: " + reason
                + "; expected /download/<ID>/info or /download/<ID>/<ID>-<n>", refusal.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/download/1/1-1\u0000", "/download/1/1-1\n", "/download/1/in fo", "/download/1/\u00e9",
        "/download/1/1-1\u007f"})
    void controlSpaceAndNonAsciiAre400(String path) {
        DownloadRefusal refusal = assertThrows(DownloadRefusal.class, () -> DownloadPath.parse(path));
        assertEquals(400, refusal.status().code());
        assertTrue(refusal.getMessage().contains("control, space or non-ASCII character"), refusal.getMessage());
    }

    @Test
    void aFileNamedAfterAnotherPackageIs404() {
        DownloadRefusal refusal = assertThrows(DownloadRefusal.class, () -> DownloadPath.parse("/download/1/2-1"));
        assertEquals(404, refusal.status().code());
        assertEquals("no file 2-1 in package 1 (its fragments are 1-<n>)", refusal.getMessage());
        assertEquals(404, assertThrows(DownloadRefusal.class,
                () -> DownloadPath.parse("/download/01/1-1")).status().code(), "the ID is compared as text");
    }
}
