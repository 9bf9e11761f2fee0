-- Issue 3, kept under its 10%: the correlator's two grouped passes over every event, kept up to date by the import.
--
-- rollup_sightings: who used which source address on which UTC day (the familiarity baseline); rollup_hours: the
-- events per hour of each log scope (coverage). The import's writer appends rows for the events it inserts, in the
-- same transaction as the events, so the two always describe exactly the committed events. A key may repeat (one
-- row per commit that met it): readers group them. A case upgraded from an older schema starts with both empty and
-- is filled from its events the first time it is correlated (electron/db/repos/rollups-repo.ts), as is any case
-- whose rollups no longer count its events.
CREATE TABLE rollup_sightings (
  provider           TEXT NOT NULL,
  ip                 TEXT NOT NULL,
  account            TEXT,       -- the caller's home account / tenant / project
  principal_name_sid INTEGER,
  session_issuer_sid INTEGER,
  target_resource    TEXT,       -- NULL for Azure (a resource id per call, not an identity)
  principal_id_sid   INTEGER,    -- NULL for AWS (its principal ids repeat the session ARN)
  identity_provider  TEXT,       -- GCP only
  delegator          TEXT,       -- GCP only: the original caller of an impersonated call
  day                INTEGER NOT NULL,  -- time_ms / 86400000
  first_ms           INTEGER NOT NULL,
  events             INTEGER NOT NULL   -- counted so that a stale table shows (rollups-repo.ts, rollupsAreComplete)
) STRICT;

CREATE TABLE rollup_hours (
  provider     TEXT NOT NULL,
  account      TEXT,             -- the target account / subscription / project
  region_sid   INTEGER,
  category_sid INTEGER,          -- event_type_sid
  sign_in      INTEGER NOT NULL, -- an Entra ID sign-in
  cross_tenant INTEGER NOT NULL, -- a sign-in into another tenant
  hour         INTEGER NOT NULL, -- time_ms / 3600000
  events       INTEGER NOT NULL
) STRICT;
