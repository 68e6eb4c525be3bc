package org.teledeploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pins the shipped, commented configuration file {@code conf/teledeploy.properties} against {@link ConfigKey}:
 * every key appears exactly once as a setting line ({@code #key = default} or {@code key = value}), a commented
 * line shows the real default, no line names a key that does not exist, and loading the file as shipped gives
 * exactly the built-in defaults. A key added to the code without documentation fails here.
 */
class ConfigFileDocumentationTest {

    /** Relative to the server module, where Maven runs the tests. */
    private static final Path FILE = Path.of("../conf/teledeploy.properties");

    /** A setting line, commented out or not: "#key = value" (no space after '#': prose comments have one). */
    private static final Pattern SETTING = Pattern.compile("^(#?)([A-Za-z][A-Za-z0-9_.]*)\\s*=\\s*(.*)$");

    @Test
    void theFileExists() {
        assertTrue(Files.isRegularFile(FILE), FILE.toAbsolutePath() + " is missing");
    }

    @Test
    void everyKeyIsMentionedExactlyOnce() throws IOException {
        Map<String, List<String>> settings = settings();
        for (ConfigKey key : ConfigKey.values()) {
            List<String> lines = settings.getOrDefault(key.key(), List.of());
            assertEquals(1, lines.size(), key.key() + " should appear once as '#" + key.key() + " = "
                    + key.defaultValue() + "', found " + lines);
        }
    }

    @Test
    void everySettingLineNamesARealKey() throws IOException {
        for (String name : settings().keySet()) {
            assertTrue(ConfigKey.byKey(name).isPresent(), "conf/teledeploy.properties documents an unknown key: " + name);
        }
    }

    @Test
    void commentedSettingsShowTheBuiltInDefault() throws IOException {
        for (Map.Entry<String, List<String>> e : settings().entrySet()) {
            Optional<ConfigKey> key = ConfigKey.byKey(e.getKey());
            for (String line : e.getValue()) {
                Matcher m = SETTING.matcher(line);
                assertTrue(m.matches(), line);
                if (key.isPresent() && m.group(1).equals("#")) {
                    assertEquals(key.get().defaultValue(), m.group(3).strip(), "default shown for " + e.getKey());
                }
            }
        }
    }

    @Test
    void loadingTheFileAsShippedGivesExactlyTheDefaults() {
        TeledeployConfig shipped = TeledeployConfig.load(FILE, Map.of());
        TeledeployConfig defaults = TeledeployConfig.defaults();
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(key.defaultValue(), shipped.rawValue(key), key.key());
        }
        assertEquals(defaults.describe().lines().skip(1).toList(),
                shipped.describe().lines().skip(1).map(l -> l.replace("    # file", "    # default")).toList());
        assertEquals(defaults.ocs(), shipped.ocs());
        assertEquals(defaults.listenHttp(), shipped.listenHttp());
        assertEquals(defaults.listenHttps(), shipped.listenHttps());
        assertEquals(defaults.listenAdmin(), shipped.listenAdmin());
        assertEquals(defaults.stateDir(), shipped.stateDir());
        assertEquals(defaults.maxInflatedSize(), shipped.maxInflatedSize());
        assertEquals(defaults.extraUserAgents(), shipped.extraUserAgents());
    }

    /** key → its setting lines, in file order. */
    private static Map<String, List<String>> settings() throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(FILE, StandardCharsets.ISO_8859_1)) {
            Matcher m = SETTING.matcher(line.strip());
            if (m.matches()) {
                out.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(line.strip());
            }
        }
        return out;
    }
}
