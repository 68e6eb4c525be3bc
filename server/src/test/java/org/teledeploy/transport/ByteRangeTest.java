package org.teledeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bytes=0-0|0|0",
        "bytes=0-99|0|99",
        "bytes=10-19|10|19",
        "bytes=10-999|10|99",
        "bytes=99-|99|99",
        "bytes=0-|0|99",
        "bytes=-1|99|99",
        "bytes=-10|90|99",
        "bytes=-1000|0|99",
        "BYTES=5-6|5|6",
        "  bytes = 5-6  |5|6",
        "bytes=0-9223372036854775807|0|99",
    })
    void singleRangesResolveAgainstTheSize(String header, long first, long last) throws DownloadRefusal {
        ByteRange range = ByteRange.parse(header, 100);
        assertEquals(new ByteRange(first, last), range);
        assertEquals(last - first + 1, range.length());
        assertEquals("bytes " + first + "-" + last + "/100", range.contentRange(100));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bytes|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "bytes=|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "bytes=-|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "bytes=5|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "bytes=1-2-3|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "bytes=--5|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "bytes=a-5|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "bytes=+1-5|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "bytes=1 -5|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "items=0-5|unit items is not supported, only bytes",
        "=0-5|malformed, expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>",
        "'bytes=0-1,5-6'|only one range is supported",
        "'bytes=0-1,'|only one range is supported",
        "bytes=6-5|first byte 6 is after last byte 5",
        "bytes=99999999999999999999-|number 99999999999999999999 is too large",
        "bytes=0-99999999999999999999|number 99999999999999999999 is too large",
        "bytes=-99999999999999999999|number 99999999999999999999 is too large",
        "bytes=100-|first byte 100 is at or past the end",
        "bytes=100-200|first byte 100 is at or past the end",
        "bytes=-0|a suffix of 0 bytes selects nothing",
    })
    void everyOtherFormIs416WithTheRuleItBroke(String header, String rule) {
        DownloadRefusal refusal = assertThrows(DownloadRefusal.class, () -> ByteRange.parse(header, 100));
        assertEquals(416, refusal.status().code());
        assertEquals("Range not satisfiable: " + rule + " (the file has 100 bytes)", refusal.getMessage());
        assertEquals("bytes */100", refusal.headers().get("Content-Range"));
    }

    @Test
    void nothingIsSatisfiableInAnEmptyFile() {
        assertEquals(416, assertThrows(DownloadRefusal.class, () -> ByteRange.parse("bytes=-5", 0)).status().code());
        assertEquals(416, assertThrows(DownloadRefusal.class, () -> ByteRange.parse("bytes=0-", 0)).status().code());
    }
}
