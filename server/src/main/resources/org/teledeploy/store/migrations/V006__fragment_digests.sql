-- The SHA-256 of each fragment file, recorded when the package is built or imported (the fragments are hashed in
-- the same pass that cuts or copies them), so that a fragment corrupted on disk is found before it is served:
-- the archive digest of the info file is checked by the agent only after it has fetched every fragment.
-- Packages published before this version get their rows in the background at the next start, once their
-- fragments are found to add up to the archive digest (PackageCatalog); until then they are checked by size only.
CREATE TABLE fragment_digests (
    package_id TEXT    NOT NULL REFERENCES packages (id),
    fragment   INTEGER NOT NULL CHECK (fragment >= 1),
    sha256     TEXT    NOT NULL CHECK (length(sha256) = 64),
    PRIMARY KEY (package_id, fragment)
) WITHOUT ROWID;
