-- Activation: a package offered to agents, and where they fetch it (OCS download_enable). One per package:
-- re-activating moves it; two activations of one package must never both reach a device anyway (§3.8).
CREATE TABLE activations (
    package_id   TEXT    PRIMARY KEY,
    fragments    INTEGER NOT NULL,
    info_loc     TEXT    NOT NULL,
    pack_loc     TEXT    NOT NULL,
    cert_path    TEXT    NOT NULL,
    cert_file    TEXT    NOT NULL,
    activated_at INTEGER NOT NULL
);

-- One row per device and package: the state machine of §3.9. state NULL = waiting for notification,
-- 'NOTIFIED', or the last result code reported (kept verbatim).
CREATE TABLE assignments (
    id           INTEGER PRIMARY KEY,
    device_id    INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    package_id   TEXT    NOT NULL,
    state        TEXT,
    state_at     INTEGER,
    assigned_at  INTEGER NOT NULL,
    force        INTEGER NOT NULL DEFAULT 0,
    schedule     TEXT    NOT NULL DEFAULT '',
    post_command TEXT    NOT NULL DEFAULT '',
    origin       TEXT    NOT NULL,
    UNIQUE (device_id, package_id)
);
CREATE INDEX assignments_package_state ON assignments (package_id, state);

-- What happened to a device's package, in order: the per-device timeline.
CREATE TABLE deployment_events (
    id         INTEGER PRIMARY KEY,
    device_id  INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    package_id TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    event      TEXT    NOT NULL,
    detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX deployment_events_device ON deployment_events (device_id, package_id, at);

-- Groups: static (explicit members) or dynamic (a saved search re-evaluated at every inventory).
CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    expression  TEXT,
    created_at  INTEGER NOT NULL
);
CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    excluded  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, device_id)
) WITHOUT ROWID;
CREATE TABLE group_assignments (
    group_id     INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    package_id   TEXT    NOT NULL,
    force        INTEGER NOT NULL DEFAULT 0,
    schedule     TEXT    NOT NULL DEFAULT '',
    post_command TEXT    NOT NULL DEFAULT '',
    assigned_at  INTEGER NOT NULL,
    PRIMARY KEY (group_id, package_id)
) WITHOUT ROWID;
