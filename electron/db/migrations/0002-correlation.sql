-- AN1348 correlation results. A run replaces every chain of the previous run in one transaction.

CREATE TABLE correlation_runs (
  id              INTEGER PRIMARY KEY,
  started_at      INTEGER NOT NULL,
  finished_at     INTEGER NOT NULL,
  settings        TEXT NOT NULL,            -- JSON CorrelationSettings in force
  catalog_version TEXT NOT NULL,
  geo_sources     TEXT NOT NULL,            -- JSON GeoSource[] (names, licences, build dates)
  stats           TEXT NOT NULL             -- JSON: entries, sessions, chains, timings
) STRICT;

CREATE TABLE chains (
  id             INTEGER PRIMARY KEY,
  run_id         INTEGER NOT NULL REFERENCES correlation_runs(id),
  provider       TEXT NOT NULL,
  severity       TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  score          INTEGER NOT NULL,
  entry_event_id INTEGER NOT NULL REFERENCES events(id),
  entry_kind     TEXT NOT NULL,             -- third-party-account | third-party-idp
  principal      TEXT,
  source_account TEXT,
  target_account TEXT,
  vendor         TEXT,
  source_ip      TEXT,
  started_ms     INTEGER NOT NULL,
  ended_ms       INTEGER NOT NULL,
  detail         TEXT NOT NULL              -- JSON ChainDetail: conditions, familiarity, reasons with evidence
) STRICT;
CREATE INDEX chains_rank ON chains(score DESC);

CREATE TABLE chain_events (
  chain_id  INTEGER NOT NULL REFERENCES chains(id) ON DELETE CASCADE,
  event_id  INTEGER NOT NULL REFERENCES events(id),
  role      TEXT NOT NULL CHECK (role IN ('entry', 'assume', 'call', 'privileged')),
  depth     INTEGER NOT NULL,               -- 0 for the entry's session, +1 per role hop
  link      TEXT NOT NULL CHECK (link IN ('entry', 'credential', 'session-name')),
  category  TEXT,                           -- privileged catalog category
  offset_ms INTEGER NOT NULL,               -- time from the entry
  PRIMARY KEY (chain_id, event_id)
) STRICT;
CREATE INDEX chain_events_event ON chain_events(event_id);
