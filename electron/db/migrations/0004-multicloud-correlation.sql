-- AN1348 in Azure and GCP. Every correlation run keeps the coverage warnings computed before it (evidence gaps that
-- hide entries or weaken familiarity), and chain members may be linked by the weaker Azure and GCP links:
-- `session-id` (another Entra sign-in of the same sign-in session and its token's calls), `correlation-id` (an Azure
-- record sharing the sign-in's correlationId) and `principal` (a federated principal, or an identity plus its token's
-- issue time, within the window). SQLite cannot alter a CHECK constraint, so chain_events is rebuilt with its rows.

ALTER TABLE correlation_runs ADD COLUMN coverage TEXT NOT NULL DEFAULT '[]';  -- JSON CoverageWarning[]

CREATE TABLE chain_events_0004 (
  chain_id  INTEGER NOT NULL REFERENCES chains(id) ON DELETE CASCADE,
  event_id  INTEGER NOT NULL REFERENCES events(id),
  role      TEXT NOT NULL CHECK (role IN ('entry', 'assume', 'call', 'privileged')),
  depth     INTEGER NOT NULL,               -- 0 for the entry's session, +1 per role hop / impersonation hop
  link      TEXT NOT NULL CHECK (link IN ('entry', 'credential', 'session-name', 'session-id', 'correlation-id', 'principal')),
  category  TEXT,                           -- privileged catalog category
  offset_ms INTEGER NOT NULL,               -- time from the entry
  PRIMARY KEY (chain_id, event_id)
) STRICT;
INSERT INTO chain_events_0004 (chain_id, event_id, role, depth, link, category, offset_ms)
  SELECT chain_id, event_id, role, depth, link, category, offset_ms FROM chain_events;
DROP TABLE chain_events;
ALTER TABLE chain_events_0004 RENAME TO chain_events;
CREATE INDEX chain_events_event ON chain_events(event_id);
