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

-- The original records, byte for byte as they stood in the evidence, in blocks of consecutive records
-- compressed together: CloudTrail JSON shrinks about tenfold, so the case file stays small and the single
-- writer is not bound by writing a gigabyte of text. A small gzip evidence file (an S3 delivery) is itself
-- the block (codec gzip, offsets into its inflated content); other records go in deflated blocks of about
-- 128 KiB. An event points at its bytes by block, offset and length; reading one record inflates one block.
CREATE TABLE raw_blocks (
  id    INTEGER PRIMARY KEY,
  codec TEXT NOT NULL CHECK (codec IN ('deflate-raw', 'gzip', 'none')),  -- gzip: the evidence file's own bytes
  data  BLOB NOT NULL
) STRICT;

-- Strings that repeat across millions of events (services, actions, principals, role ARNs, user agents) are
-- stored once here; events hold their ids (columns ending in _sid). It halves the row, which is what bounds
-- the single writer's speed and the index builds. Read events through the events_v view, which has the names
-- of shared/domain/event.ts and resolves every _sid.
CREATE TABLE strings (
  id    INTEGER PRIMARY KEY,
  value TEXT NOT NULL UNIQUE
) STRICT;

-- The provider-neutral event model (shared/domain/event.ts). Kept narrow: the verbatim record lives in
-- raw_blocks so scans and indexes of events do not page through kilobytes of JSON per row.
CREATE TABLE events (
  id                   INTEGER PRIMARY KEY,
  source_id            INTEGER NOT NULL REFERENCES evidence_sources(id),
  position             INTEGER NOT NULL,     -- record index within its source file, from 0
  provider             TEXT NOT NULL CHECK (provider IN ('aws', 'azure', 'gcp')),
  native_id            TEXT NOT NULL,
  fingerprint          INTEGER NOT NULL,     -- 53-bit hash of the normalized fields, see events_identity
  time_ms              INTEGER NOT NULL,
  time_text            TEXT NOT NULL,
  service_sid          INTEGER,
  action_sid           INTEGER NOT NULL,
  event_type_sid       INTEGER,
  outcome              TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'unknown')),
  error_code           TEXT,
  read_only            INTEGER,              -- 1, 0, or NULL when the log does not say
  principal_type_sid   INTEGER,
  principal_id_sid     INTEGER,
  principal_name_sid   INTEGER,
  principal_account    TEXT,
  session_issuer_sid   INTEGER,
  target_account       TEXT,
  source_ip            TEXT,                 -- a literal IP only; service names go to source_service
  source_service       TEXT,
  user_agent_sid       INTEGER,
  region_sid           INTEGER,
  credential_id        TEXT,
  issued_credential_id TEXT,
  issued_principal     TEXT,
  shared_event_id      TEXT,
  request_id           TEXT,
  target_resource      TEXT,                 -- e.g. the role ARN an AssumeRole asked for
  identity_provider    TEXT,                 -- SAML provider ARN / OIDC issuer of a federation
  source_identity      TEXT,
  session_created_ms   INTEGER,              -- creation time of the session behind credential_id
  raw_block            INTEGER NOT NULL REFERENCES raw_blocks(id),
  raw_offset           INTEGER NOT NULL,     -- byte offset of the record in its block (uncompressed)
  raw_length           INTEGER NOT NULL      -- byte length of the record
) STRICT;

-- Deduplication: organisation and account trails (and a console export beside the S3 logs) deliver the same
-- event twice. The key adds a fingerprint of the normalized fields to the native id, so the same event in
-- any wrapper is stored once, while distinct records that reuse an id (public samples use "1") are all kept.
CREATE UNIQUE INDEX events_identity ON events(provider, native_id, fingerprint);
CREATE INDEX events_time ON events(time_ms);
CREATE INDEX events_principal ON events(principal_id_sid, time_ms);
CREATE INDEX events_credential ON events(credential_id) WHERE credential_id IS NOT NULL;
CREATE INDEX events_issued_credential ON events(issued_credential_id) WHERE issued_credential_id IS NOT NULL;
CREATE INDEX events_shared ON events(shared_event_id) WHERE shared_event_id IS NOT NULL;
CREATE INDEX events_source_ip ON events(source_ip) WHERE source_ip IS NOT NULL;
CREATE INDEX events_action ON events(action_sid, time_ms);


-- Events with their strings resolved, under the names of the domain model. The _sid columns stay visible so
-- queries can filter on them (and use the indexes): `action_sid IN (SELECT id FROM strings WHERE value IN …)`.
CREATE VIEW events_v AS
SELECT e.id,
       e.source_id,
       e.position,
       e.provider,
       e.native_id,
       e.fingerprint,
       e.time_ms,
       e.time_text,
       s_service.value AS service,
       s_action.value AS action,
       s_event_type.value AS event_type,
       e.outcome,
       e.error_code,
       e.read_only,
       s_principal_type.value AS principal_type,
       s_principal_id.value AS principal_id,
       s_principal_name.value AS principal_name,
       e.principal_account,
       s_session_issuer.value AS session_issuer,
       e.target_account,
       e.source_ip,
       e.source_service,
       s_user_agent.value AS user_agent,
       s_region.value AS region,
       e.credential_id,
       e.issued_credential_id,
       e.issued_principal,
       e.shared_event_id,
       e.request_id,
       e.target_resource,
       e.identity_provider,
       e.source_identity,
       e.session_created_ms,
       e.raw_block,
       e.raw_offset,
       e.raw_length,
       e.service_sid, e.action_sid, e.event_type_sid, e.principal_type_sid, e.principal_id_sid, e.principal_name_sid, e.session_issuer_sid, e.user_agent_sid, e.region_sid
  FROM events e
  LEFT JOIN strings s_service ON s_service.id = e.service_sid
  LEFT JOIN strings s_action ON s_action.id = e.action_sid
  LEFT JOIN strings s_event_type ON s_event_type.id = e.event_type_sid
  LEFT JOIN strings s_principal_type ON s_principal_type.id = e.principal_type_sid
  LEFT JOIN strings s_principal_id ON s_principal_id.id = e.principal_id_sid
  LEFT JOIN strings s_principal_name ON s_principal_name.id = e.principal_name_sid
  LEFT JOIN strings s_session_issuer ON s_session_issuer.id = e.session_issuer_sid
  LEFT JOIN strings s_user_agent ON s_user_agent.id = e.user_agent_sid
  LEFT JOIN strings s_region ON s_region.id = e.region_sid;

-- Accounts / tenants / projects whose own logs are in the case (an event's target), recorded by the import
-- as it meets them: the default organisation, and the scope a report states.
CREATE TABLE case_accounts (
  provider TEXT NOT NULL,
  account  TEXT NOT NULL,
  PRIMARY KEY (provider, account)
) STRICT;

-- Case settings (organisation accounts, allowlists, windows); JSON values, evidence-grade writes.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
