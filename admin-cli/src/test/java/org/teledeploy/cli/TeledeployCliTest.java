package org.teledeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TeledeployCliTest {

    @Test
    void printsTheBuildVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = TeledeployCli.commandLine(java.util.Map.of());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--version"));
        assertEquals("teledeploy 0.1.0-SNAPSHOT", out.toString().trim());
    }

    @Test
    void withoutCommandPrintsUsageAndExitsWithUsageCode() {
        StringWriter err = new StringWriter();
        CommandLine cli = TeledeployCli.commandLine(java.util.Map.of());
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute());
        assertTrue(err.toString().contains("Missing command"), err.toString());
        assertTrue(err.toString().contains("Usage: teledeploy"), err.toString());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandLine cli = TeledeployCli.commandLine(java.util.Map.of());
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute("--no-such-option"));
    }
}
