import type Database from 'better-sqlite3';
import type { AuditAction, AuditEntry } from '../../../shared/domain/annotations';

/** Appends one entry to the case's audit log (the table refuses UPDATE and DELETE). */
export function appendAudit(db: Database.Database, analyst: string, action: AuditAction, details: Record<string, unknown>, timeMs = Date.now()): number {
  return Number(db.prepare('INSERT INTO audit_log (time_ms, analyst, action, details) VALUES (?, ?, ?, ?)').run(timeMs, analyst, action, JSON.stringify(details)).lastInsertRowid);
}

/** The audit log, oldest first; `limit` keeps the newest entries. */
export function readAudit(db: Database.Database, options: { limit?: number; exclude?: AuditAction[] } = {}): AuditEntry[] {
  const exclude = options.exclude ?? [];
  const where = exclude.length ? `WHERE action NOT IN (${exclude.map(() => '?').join(', ')})` : '';
  const limit = options.limit ?? -1;
  const rows = db
    .prepare(`SELECT * FROM (SELECT id, time_ms timeMs, analyst, action, details FROM audit_log ${where} ORDER BY id DESC LIMIT ?) ORDER BY id`)
    .all(...exclude, limit) as { id: number; timeMs: number; analyst: string; action: AuditAction; details: string }[];
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}
