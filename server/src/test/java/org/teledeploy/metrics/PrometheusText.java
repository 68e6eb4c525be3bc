package org.teledeploy.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests: every line is a {@code # HELP}, a
 * {@code # TYPE} or a sample {@code name{label="value",...} value}; anything else fails the test with the line.
 * Each sample is kept under its key {@code name{a="x",b="y"}} with the labels sorted, so a test can name a series
 * whatever order the registry writes its labels in.
 */
final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\"\\\\n])*\"";
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(?:\\{(" + LABEL + "(?:," + LABEL + ")*)?\\})? (\\S+)");
    private static final Pattern ONE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")( .*)?");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
        String key() {
            return PrometheusText.key(name, labels);
        }
    }

    private final Map<String, Sample> samples = new LinkedHashMap<>();
    private final Map<String, String> types = new HashMap<>();

    private PrometheusText() {}

    static PrometheusText parse(String text) {
        PrometheusText out = new PrometheusText();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                Matcher m = TYPE.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError("not a TYPE line: " + line);
                }
                out.types.put(m.group(1), m.group(2));
                continue;
            }
            if (line.startsWith("#")) {
                if (!HELP.matcher(line).matches()) {
                    throw new AssertionError("a comment that is neither HELP nor TYPE: " + line);
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a sample line name{labels} value: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = ONE_LABEL.matcher(m.group(2));
                while (l.find()) {
                    if (labels.put(l.group(1), l.group(2)) != null) {
                        throw new AssertionError("label " + l.group(1) + " twice: " + line);
                    }
                }
            }
            Sample sample = new Sample(m.group(1), Collections.unmodifiableMap(labels), number(m.group(3), line));
            if (out.samples.put(sample.key(), sample) != null) {
                throw new AssertionError("the same series twice: " + line);
            }
        }
        return out;
    }

    private static double number(String value, String line) {
        switch (value) {
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            case "NaN": return Double.NaN;
            default:
                try {
                    return Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new AssertionError("not a number in: " + line);
                }
        }
    }

    /** {@code name{a="x",b="y"}} from alternating label names and values (sorted by name). */
    static String key(String name, String... labelsAndValues) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelsAndValues.length; i += 2) {
            labels.put(labelsAndValues[i], labelsAndValues[i + 1]);
        }
        return key(name, labels);
    }

    private static String key(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + "=\"" + v + "\""));
        return name + "{" + String.join(",", parts) + "}";
    }

    Map<String, Sample> samples() {
        return samples;
    }

    /** The value of a series, or 0 when it does not exist (a timer not used yet). */
    double value(String name, String... labelsAndValues) {
        Sample s = samples.get(key(name, labelsAndValues));
        return s == null ? 0 : s.value();
    }

    /** Whether a series exists. */
    boolean has(String name, String... labelsAndValues) {
        return samples.containsKey(key(name, labelsAndValues));
    }

    /** The samples of one metric name. */
    List<Sample> named(String name) {
        return samples.values().stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Every sample name. */
    Set<String> names() {
        Set<String> out = new TreeSet<>();
        samples.values().forEach(s -> out.add(s.name()));
        return out;
    }

    /** The declared type of each metric family (TYPE lines). */
    Map<String, String> types() {
        return types;
    }
}
