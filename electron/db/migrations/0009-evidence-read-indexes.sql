-- The case header (`case.info`: every case open, and after every job) reads the evidence list and the import problems.
--
-- evidence_sources_path: evidence-repo.ts's EVIDENCE groups the rows by (path, sha256), and keeps an incomplete row
-- only while no complete row of its path exists. Without it every read sorted the whole table, and each incomplete row
-- scanned it (synthetic case of 24,378 rows: 40-60 ms, and 1.6-1.9 s with 2,000 incomplete rows); with it, one pass
-- in index order and one index search per incomplete row. (evidence_sources_sha stays: the writer looks files up by
-- hash first, and the export guard by size and hash.)
--
-- import_problems_place: problems are read once each, grouped by (file, position, reason) in index order instead of
-- sorting every row (a re-import records its files' problems again).
--
-- imports.real_inputs: beside `inputs` (every path exactly as given), a JSON array of each input's real path (absolute,
-- symlinks resolved; null where it could not be resolved), so an import that stopped part way is matched, input by
-- input, against later complete imports of the same places however they were spelled. NULL for runs recorded before.
CREATE INDEX evidence_sources_path ON evidence_sources(path, sha256, complete);
CREATE INDEX import_problems_place ON import_problems(file, position, reason);
ALTER TABLE imports ADD COLUMN real_inputs TEXT;
