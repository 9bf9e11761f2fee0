// The calls of a GCP entry's session: the calls made with the minted token (credentialId `<caller>><service account>`),
// through further impersonation hops (a service account impersonating the next one issues the next credential), and,
// for a workload identity federation, the calls of the federated principal within the window (a federated token has
// no id in the logs: a weaker link).
import type { CorrelateRepo } from '../../db/repos/correlate-repo';
import { GCP_IMPERSONATION_METHODS } from '../import/gcp/normalize-gcp-audit';
import type { Entry } from './entries';
import type { PrivilegeCatalog } from './ports';
import { callMember, entryMembers, type LinkKind, type Member } from './session-graph';

/** Impersonation chains deeper than this are cut. */
const MAX_DEPTH = 8;

export function collectGcpChain(entry: Entry, windowMs: number, repo: CorrelateRepo, catalog: PrivilegeCatalog): Member[] {
  const members = entryMembers(entry, catalog);
  const windowEnd = entry.timeMs + windowMs;
  const queue: { credential: string | null; principal: string | null; depth: number; fromMs: number }[] = [
    entry.issuedCredential
      ? { credential: entry.issuedCredential, principal: null, depth: 0, fromMs: entry.timeMs }
      : { credential: null, principal: entry.issuedPrincipal, depth: 0, fromMs: entry.timeMs },
  ];
  const followed = new Set<string>();
  while (queue.length > 0) {
    const session = queue.shift()!;
    const key = session.credential ?? `principal:${session.principal}`;
    if (followed.has(key) || session.depth > MAX_DEPTH || (!session.credential && !session.principal)) continue;
    followed.add(key);
    const link: LinkKind = session.credential ? 'credential' : 'principal';
    const calls = session.credential
      ? repo.callsWithCredential(session.credential, session.fromMs, windowEnd)
      : repo.callsByPrincipalId(session.principal!, session.fromMs, windowEnd);
    for (const call of calls) {
      if (members.has(call.id)) continue;
      const offsetMs = call.timeMs - entry.timeMs;
      if (GCP_IMPERSONATION_METHODS.test(call.action) && call.outcome === 'success' && call.issuedCredentialId) {
        members.set(call.id, { event: call, role: 'assume', depth: session.depth + 1, link, privilege: null, offsetMs });
        queue.push({ credential: call.issuedCredentialId, principal: null, depth: session.depth + 1, fromMs: call.timeMs });
        continue;
      }
      members.set(call.id, callMember(catalog, call, session.depth, link, offsetMs));
    }
  }
  return [...members.values()].sort((a, b) => a.event.timeMs - b.event.timeMs || a.event.id - b.event.id);
}
