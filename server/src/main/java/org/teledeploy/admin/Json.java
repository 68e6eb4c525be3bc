package org.teledeploy.admin;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * JSON in and out of the admin API, with Jackson. Reading is strict, so that a typo never silently does
 * nothing: unknown fields, wrong types, floats for integers and trailing garbage are refused, each as a 400
 * whose detail names the field ({@code "priorty: unknown field (expected: one of action, command, ...)"}).
 */
final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {}

    /**
     * Reads a request body as {@code type}.
     *
     * @throws ApiException 400 for an empty or malformed body, an unknown field or a wrong type
     */
    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("body: empty (expected: a JSON object)");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("body: null (expected: a JSON object)");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest(field(e) + ": unknown field (expected: one of "
                    + known(e.getKnownPropertyIds()) + ")");
        } catch (JsonParseException e) {
            throw ApiException.badRequest("body: malformed JSON (" + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "body" : field(e);
            throw ApiException.badRequest(field + ": wrong type (expected: " + expected(e.getTargetType(),
                    e.getPath().isEmpty()) + ")");
        } catch (JsonMappingException e) {
            // A record constructor that refused its values: a wrong value, not a wrong shape.
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw ApiException.invalid(iae.getMessage());
            }
            throw ApiException.badRequest((e.getPath().isEmpty() ? "body" : field(e)) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("not readable"));
        } catch (IOException e) {
            throw ApiException.badRequest("body: not readable (" + e.getMessage() + ")");
        }
    }

    /** The UTF-8 JSON of a response value (maps, lists, records, strings, numbers, null). */
    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response as JSON: " + e.getMessage(), e);
        }
    }

    /** {@code notification.countdown}, {@code devices[2]}: where in the body the problem is. */
    private static String field(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "body" : sb.toString();
    }

    private static String known(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type, boolean whole) {
        if (type == null) {
            return whole ? "a JSON object" : "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }
}
