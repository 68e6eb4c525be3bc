package org.teledeploy.metrics;

/**
 * The class of a deployment result code (shared/ocs-protocol.md §5.1), as the {@code result} label of
 * {@code teledeploy_deployment_results_total} says it. Result codes are free text sent by agents; classes keep the
 * label bounded and answer what an operator asks first: did it install, and if not, was it the network, the
 * package or the program?
 */
public enum ResultClass {
    /** {@code SUCCESS}, {@code SUCCESS_0}, {@code SUCCESS_}, {@code SUCCESS_REBOOT_REQUIRED}, ... */
    SUCCESS("success"),
    /** The agent had it already: {@code SUCCESS_ALREADY_SETUP}, {@code ERR_ALREADY_SETUP} (old agents), and
     * {@code SUCCESS_ALREADY_IN_HISTORY} (closed by the server at PROLOG). */
    ALREADY_INSTALLED("already_installed"),
    /** The command ran and exited non-zero: {@code EXIT_CODE_<n>} (Windows), {@code ERR_EXIT_CODE_<n>} (old
     * agents), {@code SUCCESS_<n>} with n ≠ 0 (Unix LAUNCH; statistics count it in SUCCESS, as OCS does). */
    EXIT_CODE("exit_code"),
    /** {@code ERR_DOWNLOAD_*}: the info file or a fragment could not be fetched (TLS, 404, network). */
    DOWNLOAD_ERROR("download_error"),
    /** {@code ERR_BAD_DIGEST}: the fragments did not reassemble into the package. */
    DIGEST_ERROR("digest_error"),
    /** Any other {@code ERR_*}: extraction, execution, timeout, user abort, ... */
    OTHER_ERROR("other_error"),
    /** Anything else ({@code UNKNOWN_CODE} for a report without ERR, codes no agent defines). */
    OTHER("other");

    private final String label;

    ResultClass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The class of a result code as stored. */
    public static ResultClass of(String code) {
        if (code == null) {
            return OTHER;
        }
        switch (code) {
            case "SUCCESS_ALREADY_SETUP", "SUCCESS_ALREADY_IN_HISTORY", "ERR_ALREADY_SETUP":
                return ALREADY_INSTALLED;
            case "ERR_BAD_DIGEST":
                return DIGEST_ERROR;
            default:
                break;
        }
        if (code.startsWith("SUCCESS")) {
            return isNonZeroExit(code, "SUCCESS_".length()) ? EXIT_CODE : SUCCESS;
        }
        if (code.startsWith("EXIT_CODE_") || code.startsWith("ERR_EXIT_CODE_")) {
            return EXIT_CODE;
        }
        if (code.startsWith("ERR_DOWNLOAD")) {
            return DOWNLOAD_ERROR;
        }
        return code.startsWith("ERR") ? OTHER_ERROR : OTHER;
    }

    /** Whether {@code code} is {@code SUCCESS_<n>} with a signed decimal n other than 0. */
    private static boolean isNonZeroExit(String code, int from) {
        if (code.length() <= from || code.charAt(from - 1) != '_') {
            return false;
        }
        int i = code.charAt(from) == '-' ? from + 1 : from;
        if (i == code.length()) {
            return false;
        }
        boolean nonZero = false;
        for (; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }
}
