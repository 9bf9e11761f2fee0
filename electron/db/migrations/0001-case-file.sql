-- The first schema of a Crossline case file. Times are INTEGER UTC epoch milliseconds; the original text of
-- every timestamp is kept beside it. STRICT tables so a wrong type is an error, not a silent coercion.

CREATE TABLE case_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- One row per import run (CLI or app), so the audit trail can say who imported what and when.
CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  inputs      TEXT NOT NULL,            -- JSON array of the paths given
  status      TEXT NOT NULL CHECK (status IN ('running', 'complete', 'cancelled', 'failed')),
  stats       TEXT                      -- JSON ImportStats
) STRICT;

-- Every file read: top-level files and archive members (parent_id points at the archive).
-- complete = 1 once every event of the file is committed; an import killed halfway leaves 0, and re-running
-- the import completes the file (events are deduplicated, so nothing is stored twice).
CREATE TABLE evidence_sources (
  id          INTEGER PRIMARY KEY,
  import_id   INTEGER NOT NULL REFERENCES imports(id),
  parent_id   INTEGER REFERENCES evidence_sources(id),
  path        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  imported_at INTEGER NOT NULL,
  format      TEXT,
  events      INTEGER NOT NULL DEFAULT 0,
  duplicates  INTEGER NOT NULL DEFAULT 0,
  skipped     INTEGER NOT NULL DEFAULT 0,
  errors      INTEGER NOT NULL DEFAULT 0,
  complete    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX evidence_sources_sha ON evidence_sources(sha256, path);

CREATE TABLE import_problems (
  id        INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES imports(id),
  file      TEXT NOT NULL,
  position  TEXT,
  reason    TEXT NOT NULL
) STRICT;

-- The provider-neutral event model (shared/domain/event.ts). Kept narrow: the verbatim record lives in
-- event_raw so scans and indexes of events do not page through kilobytes of JSON per row.
CREATE TABLE events (
  id                   INTEGER PRIMARY KEY,
  source_id            INTEGER NOT NULL REFERENCES evidence_sources(id),
  position             INTEGER NOT NULL,     -- record index within its source file, from 0
  provider             TEXT NOT NULL CHECK (provider IN ('aws', 'azure', 'gcp')),
  native_id            TEXT NOT NULL,
  fingerprint          TEXT NOT NULL,        -- hash of the normalized fields, see events_identity
  time_ms              INTEGER NOT NULL,
  time_text            TEXT NOT NULL,
  service              TEXT,
  action               TEXT NOT NULL,
  event_type           TEXT,
  outcome              TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'unknown')),
  error_code           TEXT,
  read_only            INTEGER,              -- 1, 0, or NULL when the log does not say
  principal_type       TEXT,
  principal_id         TEXT,
  principal_name       TEXT,
  principal_account    TEXT,
  session_issuer       TEXT,
  target_account       TEXT,
  source_ip            TEXT,                 -- a literal IP only; service names go to source_service
  source_service       TEXT,
  user_agent           TEXT,
  region               TEXT,
  credential_id        TEXT,
  issued_credential_id TEXT,
  issued_principal     TEXT,
  shared_event_id      TEXT,
  request_id           TEXT,
  target_resource      TEXT,                 -- e.g. the role ARN an AssumeRole asked for
  identity_provider    TEXT,                 -- SAML provider ARN / OIDC issuer of a federation
  source_identity      TEXT,
  session_created_ms   INTEGER               -- creation time of the session behind credential_id
) STRICT;

-- Deduplication: organisation and account trails (and a console export beside the S3 logs) deliver the same
-- event twice. The key adds a fingerprint of the normalized fields to the native id, so the same event in
-- any wrapper is stored once, while distinct records that reuse an id (public samples use "1") are all kept.
CREATE UNIQUE INDEX events_identity ON events(provider, native_id, fingerprint);
CREATE INDEX events_time ON events(time_ms);
CREATE INDEX events_principal ON events(principal_id, time_ms);
CREATE INDEX events_credential ON events(credential_id) WHERE credential_id IS NOT NULL;
CREATE INDEX events_issued_credential ON events(issued_credential_id) WHERE issued_credential_id IS NOT NULL;
CREATE INDEX events_shared ON events(shared_event_id) WHERE shared_event_id IS NOT NULL;
CREATE INDEX events_source_ip ON events(source_ip) WHERE source_ip IS NOT NULL;
CREATE INDEX events_action ON events(action, time_ms);

-- The original record, byte for byte as it stood in the evidence (UTF-8).
CREATE TABLE event_raw (
  event_id INTEGER PRIMARY KEY REFERENCES events(id),
  raw      BLOB NOT NULL
) STRICT;

-- Case settings (organisation accounts, allowlists, windows); JSON values, evidence-grade writes.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
