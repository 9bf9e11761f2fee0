// Import problems are stored as text (file, position, reason). Two things are read back from that text: how many
// records a line stands for (a file's long tail of one reason is folded into one line), and whether the reason is
// damaged input or records the import recognised and leaves out by design ("out of scope"; "not analysed" is kept for
// events the correlator has not run over). A client reading "21 of 48 records could not be used" must be able to
// tell Entra audit records (not sign-ins: nothing is wrong with them) from corrupt JSON. The texts are the refusals' own, imported from where they are written, so they cannot drift apart.
import type { ProblemKind } from '../../../shared/domain/evidence';
import { CLAIMS_CUT_NOTICE, kubeAuditRefusal, LOCALIZED_STATUS_NOTICE } from './azure/normalize-azure-activity';
import { NO_TENANTS_NOTICE } from './azure/normalize-entra-signin';
import { UNSUPPORTED_KIND } from './record-kind';

const FOLDED = /^(\d+) more records?: /;

/**
 * How the note on a file with no records at all begins (an empty page of lookup-events, Graph, entries.list …). The
 * file is counted as skipped, not as an error: nothing in it is damaged, so its line is not "damaged" either.
 */
export const EMPTY_PAGE_NOTE = 'no events in this file';

/** The one line a file's problems beyond the first few of one reason are folded into. */
export function foldedReason(records: number, reason: string): string {
  return `${records} more record${records === 1 ? '' : 's'}: ${reason}`;
}

/** The reason of a stored problem line and how many records it stands for (1 unless folded). */
export function unfoldReason(line: string): { reason: string; records: number } {
  const m = FOLDED.exec(line);
  return m ? { reason: line.slice(m[0].length), records: Number(m[1]) } : { reason: line, records: 1 };
}

/** Records of kinds that are not sign-in or control-plane audit logs, refused whole by design. */
const NOT_AUDIT_RECORDS = new Set([UNSUPPORTED_KIND['entra-audit'], UNSUPPORTED_KIND['gcp-other-log'], UNSUPPORTED_KIND['office-activity']]);
const [KUBE_BEFORE, KUBE_AFTER] = kubeAuditRefusal('\u0000').split('\u0000') as [string, string];

/** Normalizers' notices, reported once per file as `N records <notice>` (parse-evidence-file.ts). */
const NOTICES = [CLAIMS_CUT_NOTICE, LOCALIZED_STATUS_NOTICE, NO_TENANTS_NOTICE];

/**
 * `out-of-scope` for records recognised and left out by design; `note` for what is said about a file that lost no
 * record (an empty page, an export's notice); everything else is input that could not be read.
 */
export function problemKind(reason: string): ProblemKind {
  if (NOT_AUDIT_RECORDS.has(reason)) return 'out-of-scope';
  if (reason.startsWith(EMPTY_PAGE_NOTE) || NOTICES.some((notice) => reason.endsWith(notice))) return 'note';
  if (reason.startsWith(KUBE_BEFORE) && reason.endsWith(KUBE_AFTER)) return 'out-of-scope';
  return 'damaged';
}
