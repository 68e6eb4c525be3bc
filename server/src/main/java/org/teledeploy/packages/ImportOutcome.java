package org.teledeploy.packages;

import java.util.Optional;

/**
 * What happened to one package directory of an OCS import: imported, or why not (one bad package does not stop
 * the others).
 *
 * @param id the directory name
 * @param imported the new record, when imported
 * @param error why not, when not
 * @param errorKind the kind of that failure (an ID that exists already is a conflict, a bad directory invalid)
 */
public record ImportOutcome(String id, Optional<PackageRecord> imported, Optional<String> error,
                            Optional<PackageException.Kind> errorKind) {

    static ImportOutcome imported(String id, PackageRecord record) {
        return new ImportOutcome(id, Optional.of(record), Optional.empty(), Optional.empty());
    }

    static ImportOutcome failed(String id, PackageException e) {
        return new ImportOutcome(id, Optional.empty(), Optional.of(e.getMessage()), Optional.of(e.kind()));
    }
}
