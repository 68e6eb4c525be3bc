package org.teledeploy.packages;

import java.util.Optional;

/**
 * What happened to one package directory of an OCS import: imported, or why not (one bad package does not stop
 * the others).
 *
 * @param id the directory name
 * @param imported the new record, when imported
 * @param error why not, when not
 */
public record ImportOutcome(String id, Optional<PackageRecord> imported, Optional<String> error) {}
