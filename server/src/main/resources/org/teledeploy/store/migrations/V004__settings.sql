-- Per-device and per-group OCS parameters (shared/ocs-protocol.md §7.3: DOWNLOAD_SWITCH, latencies, PROLOG_FREQ,
-- FREQUENCY, ...). No row = not set: the group or server value applies.
CREATE TABLE device_settings (
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (device_id, name)
) WITHOUT ROWID;
CREATE TABLE group_settings (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,
    value    INTEGER NOT NULL,
    PRIMARY KEY (group_id, name)
) WITHOUT ROWID;
