-- Issue 5: the analyst's annotations and an append-only audit trail.
--
-- annotations: a note, tags, a verdict and a bookmark on a finding, a session or a single event. Finding ids change
-- every time the correlator re-runs, so a finding is keyed by its entry event's native id and provider; a session by
-- its provider and session key (the credential the entry issued, or the session ARN); an event by its row id and its
-- native id (row ids are stable within a case; the native id is kept so the annotation can be traced in the evidence).
-- `event_id` is 0 for findings and sessions so the UNIQUE constraint applies (NULLs never collide in SQLite).
CREATE TABLE annotations (
  id          INTEGER PRIMARY KEY,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('finding', 'session', 'event')),
  provider    TEXT NOT NULL,
  native_id   TEXT NOT NULL,
  event_id    INTEGER NOT NULL DEFAULT 0,
  verdict     TEXT CHECK (verdict IN ('malicious', 'benign', 'needs-review')),
  tags        TEXT NOT NULL DEFAULT '[]',     -- JSON string[]
  note        TEXT NOT NULL DEFAULT '',
  bookmarked  INTEGER NOT NULL DEFAULT 0 CHECK (bookmarked IN (0, 1)),
  analyst     TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL,
  UNIQUE (target_kind, provider, native_id, event_id)
) STRICT;

-- Who did what to the case, UTC epoch ms. Rows are only ever added: the triggers refuse UPDATE and DELETE.
CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  analyst TEXT NOT NULL,
  action  TEXT NOT NULL,                     -- import | settings.change | annotation.add | annotation.edit | annotation.delete | export
  details TEXT NOT NULL                      -- JSON
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
