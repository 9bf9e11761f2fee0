// Unsaved annotation edits, one draft per target. They live in the store rather than in the editor's component
// state because the editor unmounts whenever the analyst switches screens or selects another event, and typed text
// must survive that: coming back to the same finding, session or event shows the draft again, marked unsaved, until
// it is saved or discarded. Drafts belong to the open case: opening a case drops them (a target names rows of one
// case file, so a draft would otherwise land on another case's event with the same id), and says so.
import type { Annotation, AnnotationInput, AnnotationTarget, Verdict } from '../../shared/domain/annotations';
import { annotationOf } from './annotations-slice';
import type { SliceCreator } from './types';

/** The editor's fields as typed: tags stay the raw text so the input never jumps while the analyst types. */
export interface DraftFields {
  verdict: Verdict | '';
  tags: string;
  note: string;
  bookmarked: boolean;
}

export interface AnnotationDraft extends DraftFields {
  target: AnnotationTarget;
}

export interface DraftsSlice {
  /** By targetKey. */
  annotationDrafts: Record<string, AnnotationDraft>;
  /**
   * Applies an edit to the target's draft, starting one from the saved annotation (or an empty form). An edit that
   * brings the fields back to what is saved drops the draft: there is nothing left to lose.
   */
  editAnnotationDraft(target: AnnotationTarget, edit: Partial<DraftFields>): void;
  discardAnnotationDraft(target: AnnotationTarget): void;
  /** Saves the target's draft; the draft goes only once the core stored it (a failed save keeps it). */
  saveAnnotationDraft(target: AnnotationTarget): Promise<boolean>;
  /** A case opens: every draft of the previous one goes; a notice says how many unsaved drafts were dropped. */
  dropAnnotationDrafts(): void;
}

/** One string per target, equal exactly when sameTarget() says so. */
export function targetKey(t: AnnotationTarget): string {
  if (t.kind === 'finding') return `finding|${t.provider}|${t.entryEventId}`;
  if (t.kind === 'session') return `session|${t.provider}|${t.sessionKey}`;
  return `event|${t.provider}|${t.eventId}`;
}

/** The fields the editor shows for a saved annotation, or for none. */
export function fieldsOf(a: Annotation | null): DraftFields {
  return { verdict: a?.verdict ?? '', tags: a?.tags.join(', ') ?? '', note: a?.note ?? '', bookmarked: a?.bookmarked ?? false };
}

function sameFields(a: DraftFields, b: DraftFields): boolean {
  return a.verdict === b.verdict && a.tags === b.tags && a.note === b.note && a.bookmarked === b.bookmarked;
}

export function draftOf(drafts: Record<string, AnnotationDraft>, target: AnnotationTarget | null): AnnotationDraft | null {
  return target ? drafts[targetKey(target)] ?? null : null;
}

export function inputOf(target: AnnotationTarget, f: DraftFields): AnnotationInput {
  return { target, verdict: f.verdict === '' ? null : f.verdict, tags: f.tags.split(',').map((t) => t.trim()).filter(Boolean), note: f.note, bookmarked: f.bookmarked };
}

export const createDraftsSlice: SliceCreator<DraftsSlice> = (set, get) => {
  function put(key: string, draft: AnnotationDraft | null): void {
    set((s) => {
      const annotationDrafts = { ...s.annotationDrafts };
      if (draft) annotationDrafts[key] = draft;
      else delete annotationDrafts[key];
      return { annotationDrafts };
    });
  }

  return {
    annotationDrafts: {},
    editAnnotationDraft(target, edit) {
      const key = targetKey(target);
      const { annotations, annotationDrafts } = get();
      const saved = fieldsOf(annotationOf(annotations, target));
      const next = { ...(annotationDrafts[key] ?? saved), ...edit };
      put(key, sameFields(next, saved) ? null : { target, verdict: next.verdict, tags: next.tags, note: next.note, bookmarked: next.bookmarked });
    },
    discardAnnotationDraft(target) {
      put(targetKey(target), null);
    },
    async saveAnnotationDraft(target) {
      const key = targetKey(target);
      const draft = get().annotationDrafts[key];
      if (!draft) return true;
      if (!(await get().saveAnnotation(inputOf(target, draft)))) return false;
      // The analyst may have typed on while the save was in flight: that newer draft stays (unless it is now
      // exactly what was saved).
      const now = get().annotationDrafts[key];
      if (now === draft || (now && sameFields(now, fieldsOf(annotationOf(get().annotations, target))))) put(key, null);
      return true;
    },
    dropAnnotationDrafts() {
      const dropped = Object.keys(get().annotationDrafts).length;
      if (dropped === 0) return;
      set({ annotationDrafts: {} });
      // Said out loud: the analyst was warned on the Cases screen, but a case can also open from the native menu.
      get().notify('info', `Opening a case discarded ${dropped} unsaved annotation draft${dropped === 1 ? '' : 's'} of the case open before.`);
    },
  };
};
