import type Database from 'better-sqlite3';
import type { Annotation, AnnotationInput, AnnotationTarget, Verdict } from '../../../shared/domain/annotations';

interface Row {
  id: number;
  target_kind: AnnotationTarget['kind'];
  provider: string;
  native_id: string;
  event_id: number;
  verdict: Verdict | null;
  tags: string;
  note: string;
  bookmarked: number;
  analyst: string;
  created_ms: number;
  updated_ms: number;
}

/** The table's key of a target: (kind, provider, native id, event row id or 0). */
export function targetKey(t: AnnotationTarget): [AnnotationTarget['kind'], string, string, number] {
  switch (t.kind) {
    case 'finding':
      return ['finding', t.provider, t.entryEventId, 0];
    case 'session':
      return ['session', t.provider, t.sessionKey, 0];
    case 'event':
      return ['event', t.provider, t.nativeId, t.eventId];
  }
}

function toAnnotation(r: Row): Annotation {
  const target: AnnotationTarget =
    r.target_kind === 'finding'
      ? { kind: 'finding', provider: r.provider, entryEventId: r.native_id }
      : r.target_kind === 'session'
        ? { kind: 'session', provider: r.provider, sessionKey: r.native_id }
        : { kind: 'event', provider: r.provider, eventId: r.event_id, nativeId: r.native_id };
  return {
    id: r.id, target, verdict: r.verdict, tags: JSON.parse(r.tags) as string[], note: r.note, bookmarked: r.bookmarked === 1,
    analyst: r.analyst, createdMs: r.created_ms, updatedMs: r.updated_ms,
  };
}

/** Every annotation, or those of one kind, in a stable order (kind, provider, native id, event id). */
export function listAnnotations(db: Database.Database, kind?: AnnotationTarget['kind']): Annotation[] {
  const rows = (kind
    ? db.prepare('SELECT * FROM annotations WHERE target_kind = ? ORDER BY target_kind, provider, native_id, event_id').all(kind)
    : db.prepare('SELECT * FROM annotations ORDER BY target_kind, provider, native_id, event_id').all()) as Row[];
  return rows.map(toAnnotation);
}

export function getAnnotation(db: Database.Database, target: AnnotationTarget): Annotation | null {
  const r = db.prepare('SELECT * FROM annotations WHERE target_kind = ? AND provider = ? AND native_id = ? AND event_id = ?').get(...targetKey(target)) as Row | undefined;
  return r ? toAnnotation(r) : null;
}

/** Adds or replaces the annotation of a target; says which it was and what it held before. */
export function saveAnnotation(db: Database.Database, input: AnnotationInput, analyst: string, nowMs = Date.now()): { annotation: Annotation; previous: Annotation | null } {
  return db.transaction(() => {
    const previous = getAnnotation(db, input.target);
    const key = targetKey(input.target);
    const tags = JSON.stringify([...new Set(input.tags)]);
    if (previous) {
      db.prepare('UPDATE annotations SET verdict = ?, tags = ?, note = ?, bookmarked = ?, analyst = ?, updated_ms = ? WHERE id = ?')
        .run(input.verdict, tags, input.note, input.bookmarked ? 1 : 0, analyst, nowMs, previous.id);
    } else {
      db.prepare('INSERT INTO annotations (target_kind, provider, native_id, event_id, verdict, tags, note, bookmarked, analyst, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(...key, input.verdict, tags, input.note, input.bookmarked ? 1 : 0, analyst, nowMs, nowMs);
    }
    return { annotation: getAnnotation(db, input.target)!, previous };
  })();
}

/** Deletes an annotation by id; returns what it held, or null when there was none. */
export function deleteAnnotation(db: Database.Database, id: number): Annotation | null {
  const r = db.prepare('SELECT * FROM annotations WHERE id = ?').get(id) as Row | undefined;
  if (!r) return null;
  db.prepare('DELETE FROM annotations WHERE id = ?').run(id);
  return toAnnotation(r);
}
