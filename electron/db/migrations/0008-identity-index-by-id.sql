-- Issue 2, seventh pass: the unique identity index leads with the native id instead of the provider.
--
-- Same columns, same uniqueness; only their order changes. Every key of the old order started with the same few
-- provider values, so each comparison while sorting a million keys (the bulk import builds this index at the end)
-- compared the provider first and then the id: with the id first, the build took 0.38-0.41 s instead of 0.58-0.64 s
-- on the bench's million events. A search for an event id also uses the index without listing every provider.
-- The index is dropped here and built again in the new order by ensureEventIndexes when the case is opened
-- (about half a second for a million events, once).
DROP INDEX IF EXISTS events_identity;
