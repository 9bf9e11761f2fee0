// The analyst's annotations and the case's audit trail (issue 5), as the app, the CLI and the report see them.

export type Verdict = 'malicious' | 'benign' | 'needs-review';
export const VERDICTS: readonly Verdict[] = ['malicious', 'benign', 'needs-review'];

/**
 * What an annotation is attached to. Finding ids change on every correlation run, so a finding is named by its
 * entry event's provider and native id; a session by its provider and session key (the credential its entry
 * issued, or the session ARN); a single event by its row id and native id.
 */
export type AnnotationTarget =
  | { kind: 'finding'; provider: string; entryEventId: string }
  | { kind: 'session'; provider: string; sessionKey: string }
  | { kind: 'event'; provider: string; eventId: number; nativeId: string };

export interface AnnotationInput {
  target: AnnotationTarget;
  verdict: Verdict | null;
  tags: string[];
  note: string;
  bookmarked: boolean;
}

export interface Annotation extends AnnotationInput {
  id: number;
  analyst: string;
  /** UTC epoch ms. */
  createdMs: number;
  updatedMs: number;
}

export type AuditAction = 'import' | 'settings.change' | 'annotation.add' | 'annotation.edit' | 'annotation.delete' | 'export';

export interface AuditEntry {
  id: number;
  /** UTC epoch ms. */
  timeMs: number;
  analyst: string;
  action: AuditAction;
  details: Record<string, unknown>;
}
