import type { Reason } from '../../../shared/domain/correlation';
import type { CorrelateRepo } from '../../db/repos/correlate-repo';
import type { Entry } from './entries';
import type { PrivilegeCatalog } from './ports';
import { minutes } from './score-chain';
import { plural } from '../../../shared/text/plural';

/** How far past the window the entry's own credential is followed: the longest an AWS role session lasts. */
const LONGEST_SESSION_MS = 12 * 3_600_000;
const NAMED = 5;
const CITED = 20;

/**
 * The privileged calls the entry's own credential made after the window, said in a listed finding: a StopLogging at
 * +60m01s is outside a 60-minute chain by definition, but an investigator reading "no privileged call" must not
 * conclude the session did nothing. Not counted: the window is the analytic's "short succession", set in the settings.
 */
export function afterWindowReason(entry: Entry, windowMs: number, repo: CorrelateRepo, catalog: PrivilegeCatalog): Reason | null {
  if (!entry.issuedCredential) return null;
  const later = repo
    .callsWithCredential(entry.issuedCredential, entry.timeMs + windowMs + 1, entry.timeMs + LONGEST_SESSION_MS)
    .filter((c) => c.outcome === 'success' && catalog.classify(c.service, c.action) !== null);
  if (later.length === 0) return null;
  const named = later.slice(0, NAMED).map((c) => `${c.action} (+${minutes(c.timeMs - entry.timeMs)})`).join(', ');
  const more = later.length > NAMED ? `, and ${later.length - NAMED} more` : '';
  return {
    condition: 'context',
    text: `After the ${windowMs / 60_000}-minute window the entry's own credential made ${plural(later.length, 'more privileged call')}: ${named}${more}. They are not part of this chain or its score; a longer window (settings) would take them in.`,
    eventIds: later.slice(0, CITED).map((c) => c.nativeId),
  };
}
