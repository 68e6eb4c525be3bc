package org.teledeploy.cli;

/**
 * A call the server refused or could not answer, with the exit code it means for a script: 1 server or runtime
 * error, 2 invalid input, 3 not found, 4 conflict or invalid state.
 */
public final class ApiException extends RuntimeException {

    public static final int RUNTIME = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int CONFLICT = 4;

    private final int exitCode;

    public ApiException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The exit code of an HTTP error status. */
    static int exitCodeOf(int status) {
        return switch (status) {
            case 400, 413, 422 -> USAGE;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> RUNTIME;
        };
    }

    public int exitCode() {
        return exitCode;
    }
}
