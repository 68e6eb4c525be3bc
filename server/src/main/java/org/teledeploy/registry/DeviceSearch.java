package org.teledeploy.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.teledeploy.store.IpFunctions;

/**
 * A search over the device registry, as an admin writes it: clauses {@code field op value} joined by
 * {@code and} (or a comma) / {@code or} ({@code and} binds tighter), for example
 * {@code os ~ windows and tag = paris}, {@code os~windows,tag=PARIS}, {@code ip in 10.1.0.0/16 or name ~ "lab-"},
 * {@code ip=10.1.0.0/16}, {@code software ~ firefox}.
 *
 * <p>Operators: {@code =} and {@code !=} (equal, case-insensitive), {@code ~} and {@code !~} (contains,
 * case-insensitive), {@code in} (IPv4 CIDR, for {@code ip}; {@code ip=} with a CIDR means the same). Values are words or quoted strings. The expression
 * compiles to one parameterised SQL condition over {@code devices d}: values never become SQL text.
 */
public final class DeviceSearch {

    /** Field name → SQL column of {@code devices d}, for the simple fields. */
    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("deviceid", "d.deviceid"), Map.entry("name", "d.name"), Map.entry("os", "d.os_name"),
            Map.entry("osversion", "d.os_version"), Map.entry("oscomments", "d.os_comments"),
            Map.entry("arch", "d.arch"), Map.entry("tag", "d.tag"), Map.entry("workgroup", "d.workgroup"),
            Map.entry("domain", "d.user_domain"), Map.entry("user", "d.user_id"), Map.entry("serial", "d.serial"),
            Map.entry("manufacturer", "d.manufacturer"), Map.entry("model", "d.model"),
            Map.entry("useragent", "d.user_agent"));
    private static final List<String> FIELDS = List.of("deviceid", "name", "os", "osversion", "oscomments", "arch",
            "tag", "workgroup", "domain", "user", "serial", "manufacturer", "model", "useragent", "ip", "mac",
            "software");
    private static final int MAX_LENGTH = 4096;
    private static final int MAX_CLAUSES = 64;

    private final String expression;
    private final String sql;
    private final List<String> parameters;

    private DeviceSearch(String expression, String sql, List<String> parameters) {
        this.expression = expression;
        this.sql = sql;
        this.parameters = List.copyOf(parameters);
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException with a message naming the position and what was expected
     */
    public static DeviceSearch parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("search: empty (expected: field op value, e.g. os ~ windows)");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("search: " + expression.length() + " characters (expected: at most "
                    + MAX_LENGTH + ")");
        }
        List<String> tokens = tokenize(expression);
        List<String> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("(");
        int i = 0;
        int clauses = 0;
        while (true) {
            if (i + 3 > tokens.size()) {
                throw error(expression, "field op value", i < tokens.size() ? tokens.get(i) : "end");
            }
            if (++clauses > MAX_CLAUSES) {
                throw new IllegalArgumentException("search: more than " + MAX_CLAUSES + " clauses");
            }
            sql.append(clause(expression, tokens.get(i).toLowerCase(Locale.ROOT), tokens.get(i + 1),
                    unquote(tokens.get(i + 2)), params));
            i += 3;
            if (i == tokens.size()) {
                break;
            }
            String joiner = tokens.get(i).toLowerCase(Locale.ROOT);
            if (joiner.equals("and") || joiner.equals(",")) {
                sql.append(" AND ");
            } else if (joiner.equals("or")) {
                sql.append(") OR (");
            } else {
                throw error(expression, "and / , / or", tokens.get(i));
            }
            i++;
            if (i == tokens.size()) {
                throw error(expression, "field op value", "end");
            }
        }
        sql.append(')');
        return new DeviceSearch(expression.strip(), "(" + sql + ")", params);
    }

    private static String clause(String expression, String field, String op, String value, List<String> params) {
        if (!FIELDS.contains(field)) {
            throw new IllegalArgumentException("search: unknown field '" + field + "' (expected: one of "
                    + String.join(", ", FIELDS) + ")");
        }
        if (field.equals("ip") && (op.equalsIgnoreCase("in") || op.equals("=") && value.contains("/"))) {
            IpFunctions.parseCidr(value);
            params.add(value);
            params.add(value);
            return "(ip_in_cidr(d.ip_address, ?) OR EXISTS (SELECT 1 FROM device_networks n WHERE n.device_id = d.id "
                    + "AND ip_in_cidr(n.ip_address, ?)))";
        }
        String condition = condition(expression, op, value, params);
        switch (field) {
            case "ip":
                params.add(params.get(params.size() - 1));
                return "(" + "COALESCE(d.ip_address, '')" + condition + " OR EXISTS (SELECT 1 FROM device_networks n "
                        + "WHERE n.device_id = d.id AND COALESCE(n.ip_address, '')" + condition + "))";
            case "mac":
                return "EXISTS (SELECT 1 FROM device_networks n WHERE n.device_id = d.id AND COALESCE(n.mac_address, '')"
                        + condition + ")";
            case "software":
                return "EXISTS (SELECT 1 FROM device_software ds JOIN software s ON s.id = ds.software_id "
                        + "WHERE ds.device_id = d.id AND s.name" + condition + ")";
            default:
                return "COALESCE(" + COLUMNS.get(field) + ", '')" + condition;
        }
    }

    /** The SQL after the column for an operator, adding its parameter. */
    private static String condition(String expression, String op, String value, List<String> params) {
        switch (op) {
            case "=":
                params.add(value);
                return " = ? COLLATE NOCASE";
            case "!=":
                params.add(value);
                return " <> ? COLLATE NOCASE";
            case "~":
                params.add(likePattern(value));
                return " LIKE ? ESCAPE '\\'";
            case "!~":
                params.add(likePattern(value));
                return " NOT LIKE ? ESCAPE '\\'";
            default:
                throw error(expression, "=, !=, ~, !~ (or 'in' for ip)", op);
        }
    }

    private static String likePattern(String value) {
        return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static List<String> tokenize(String expression) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                int end = expression.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("search: unterminated quote at position " + i);
                }
                tokens.add(expression.substring(i, end + 1));
                i = end + 1;
            } else if (c == '=' || c == '~' || c == ',') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '!' && i + 1 < expression.length()
                    && (expression.charAt(i + 1) == '=' || expression.charAt(i + 1) == '~')) {
                tokens.add(expression.substring(i, i + 2));
                i += 2;
            } else {
                int start = i;
                while (i < expression.length() && !Character.isWhitespace(expression.charAt(i))
                        && "=~!,\"'".indexOf(expression.charAt(i)) < 0) {
                    i++;
                }
                if (start == i) {
                    throw new IllegalArgumentException("search: unexpected '" + c + "' at position " + i);
                }
                tokens.add(expression.substring(start, i));
            }
        }
        return tokens;
    }

    private static String unquote(String token) {
        if (token.length() >= 2 && (token.charAt(0) == '"' || token.charAt(0) == '\'')) {
            return token.substring(1, token.length() - 1);
        }
        return token;
    }

    private static IllegalArgumentException error(String expression, String expected, String found) {
        return new IllegalArgumentException("search: '" + expression.strip() + "' near '" + found + "' (expected: "
                + expected + ")");
    }

    public String expression() {
        return expression;
    }

    /** A condition over {@code devices d}, to AND into a query; bind {@link #parameters()} in order. */
    public String sql() {
        return sql;
    }

    public List<String> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return expression;
    }
}
