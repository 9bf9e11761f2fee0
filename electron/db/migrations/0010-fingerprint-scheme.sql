-- Which fields an event's fingerprint hashes (the third part of its identity, after provider and native id).
-- Scheme 1 hashed every normalized field, so one event exported in two layouts that carry different fields
-- (CloudTrail Lake rows without requestID, lookup-events naming a cross-account caller from `Username`) was stored
-- twice. Scheme 2 hashes what every layout of an event carries alike: its time, action, service, outcome, source
-- and credential. A case that already holds events keeps scheme 1, the one its stored fingerprints were made with,
-- so evidence imported into it again still meets its stored copy (unless a later build reads its values differently).
INSERT INTO case_meta (key, value)
SELECT 'fingerprint_scheme', CASE WHEN EXISTS (SELECT 1 FROM events) THEN '1' ELSE '2' END
 WHERE NOT EXISTS (SELECT 1 FROM case_meta WHERE key = 'fingerprint_scheme');
