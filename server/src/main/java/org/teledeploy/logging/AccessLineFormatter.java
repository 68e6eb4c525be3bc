package org.teledeploy.logging;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** Access log lines are preformatted by the access log; this only puts the time in front. */
final class AccessLineFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        return OneLineFormatter.TIME.format(Instant.ofEpochMilli(record.getMillis())) + ' ' + record.getMessage()
                + System.lineSeparator();
    }
}
