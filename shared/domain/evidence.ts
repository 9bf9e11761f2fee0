/** A file the analyst gave the case, or a member of an archive they gave. */
export interface EvidenceSource {
  id: number;
  /** Path as given; archive members read `archive.zip!/inner/path.json.gz`. */
  path: string;
  parentId: number | null;
  /** Bytes of the file as stored (compressed, if it was). */
  size: number;
  /** Lowercase hex SHA-256 of those bytes. */
  sha256: string;
  /** UTC epoch ms. */
  importedAt: number;
  /** Detected layout, e.g. `cloudtrail-s3`, `cloudtrail-lookup`, `cloudtrail-lake-csv`, `zip`. */
  format: string | null;
  events: number;
  duplicates: number;
  skipped: number;
  errors: number;
}

/** Something in the evidence that could not be imported, and why. */
export interface ImportProblem {
  file: string;
  /** Line, record index or byte offset, as text (`line 12`, `record 3`, `byte 1048576`). */
  position: string | null;
  reason: string;
}

/** Counts an import reports; `events` counts unique events stored by this run. */
export interface ImportStats {
  events: number;
  duplicates: number;
  skipped: number;
  errors: number;
  files: number;
  bytes: number;
}
