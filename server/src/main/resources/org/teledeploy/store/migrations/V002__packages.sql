-- Packages: the metadata of every package ever published or imported. The files live in
-- <state.dir>/packages/<id>/ (info + <id>-1 … <id>-<fragments>); a row is never deleted, only marked, so that
-- its ID is never reused (agents remember installed IDs forever).
CREATE TABLE packages (
    id                    TEXT    PRIMARY KEY,
    name                  TEXT    NOT NULL,
    description           TEXT    NOT NULL DEFAULT '',
    os                    TEXT    NOT NULL CHECK (os IN ('WINDOWS', 'LINUX', 'MAC')),
    protocol              TEXT    NOT NULL CHECK (protocol IN ('HTTP', 'HTTPS')),
    priority              INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 10),
    action                TEXT    NOT NULL CHECK (action IN ('LAUNCH', 'EXECUTE', 'STORE')),
    -- NAME (LAUNCH), COMMAND (EXECUTE) or PATH (STORE) of the info file.
    action_param          TEXT    NOT NULL,
    notify_user           INTEGER NOT NULL,
    notify_text           TEXT    NOT NULL DEFAULT '',
    -- Seconds; NULL writes NOTIFY_COUNTDOWN="" (the agent's default, 120 s).
    notify_countdown      INTEGER,
    notify_can_abort      INTEGER NOT NULL,
    notify_can_delay      INTEGER NOT NULL,
    need_done_action      INTEGER NOT NULL,
    need_done_action_text TEXT    NOT NULL DEFAULT '',
    -- The PACK POSTCMD value sent with this package: '', 'REBOOT' or 'SHUTDOWN' (never 'NONE').
    post_command          TEXT    NOT NULL DEFAULT '' CHECK (post_command IN ('', 'REBOOT', 'SHUTDOWN')),
    -- The fragment size asked for, in bytes; NULL when a fragment count was asked for instead.
    fragment_size         INTEGER,
    -- Lower-case hex over the whole archive; '' without payload.
    digest                TEXT    NOT NULL,
    digest_algo           TEXT    NOT NULL CHECK (digest_algo IN ('MD5', 'SHA1')),
    archive_size          INTEGER NOT NULL,
    -- FRAGS of the info file: 0 without payload.
    fragments             INTEGER NOT NULL,
    -- 'built' (published here) or 'imported' (from an OCS download directory).
    origin                TEXT    NOT NULL CHECK (origin IN ('built', 'imported')),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    deleted_at            INTEGER,
    -- Why the files on disk do not match this row (found at start), NULL when they do. Broken packages must
    -- not be offered.
    broken_reason         TEXT
);

-- The highest package ID ever issued or imported, so that IDs are never reused, even after a deletion or a
-- clock set back. One row.
CREATE TABLE package_ids (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    highest   INTEGER NOT NULL
);
INSERT INTO package_ids (singleton, highest) VALUES (1, 0);
