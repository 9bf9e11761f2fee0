-- Country, city, coordinates and ASN of every source IP in the case, written at the end of every correlation
-- run from the correlator's lookups (one transaction replaces the table), so the explorer can filter and show
-- events by country or ASN with a join instead of a lookup per row. Data sources and their attribution are
-- recorded with the run (correlation_runs.geo_sources).
CREATE TABLE ip_geo (
  ip      TEXT PRIMARY KEY,
  country TEXT,                 -- ISO 3166-1 alpha-2
  city    TEXT,
  lat     REAL,
  lon     REAL,
  asn     INTEGER,
  as_org  TEXT
) STRICT;
CREATE INDEX ip_geo_country ON ip_geo(country) WHERE country IS NOT NULL;
CREATE INDEX ip_geo_asn ON ip_geo(asn) WHERE asn IS NOT NULL;

-- The explorer pages events in (time_ms, id) order under equality filters; an index of (column, time_ms) walks
-- one value in that order without sorting (db/indexes.ts builds the new ones). This one replaces the
-- source-IP index of 0001, which had no time column.
DROP INDEX IF EXISTS events_source_ip;
