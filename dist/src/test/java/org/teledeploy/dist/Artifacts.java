package org.teledeploy.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the build put the distributions (system properties set by dist/pom.xml). */
final class Artifacts {

    private Artifacts() {}

    static Path target() {
        return Path.of(require("dist.target"));
    }

    /** {@code teledeploy-<version>}: the tarball's top directory. */
    static String distName() {
        return require("dist.name");
    }

    static Path tarball() {
        return Path.of(require("dist.tarball"));
    }

    /**
     * The .deb, if this build made one: skips the test where none was built (no dpkg-deb, {@code -Ddeb.skip}),
     * except in CI ({@code CI=true}), where a missing .deb fails it.
     */
    static Path deb() throws IOException {
        List<Path> debs;
        try (Stream<Path> files = Files.list(target())) {
            debs = files.filter(p -> p.getFileName().toString().matches("teledeploy_.+_all\\.deb")).toList();
        }
        if (debs.isEmpty()) {
            String why = "no teledeploy_*_all.deb in " + target() + " (dpkg-deb missing, or -Ddeb.skip=true)";
            if (Commands.inCi()) {
                fail(why + ": CI=true, so the .deb must be built and tested");
            }
            assumeTrue(false, why);
        }
        assertEquals(1, debs.size(), "one .deb expected: " + debs);
        return debs.get(0);
    }

    private static String require(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isEmpty()) {
            fail("system property " + property + " is not set: run these tests through Maven (mvn verify)");
        }
        return value;
    }
}
