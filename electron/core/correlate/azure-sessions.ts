// The calls of an Azure entry's session: by the token it issued (the sign-in's uniqueTokenIdentifier is the `uti` the
// Activity records carry), then, as weaker links, the tokens of later sign-ins of the same sign-in session (sessionId),
// records sharing the sign-in's correlationId, and, without any uti in the logs, the identity's calls whose token was
// issued at the sign-in (claims iat).
import type { CorrEvent, CorrelateRepo } from '../../db/repos/correlate-repo';
import type { Entry } from './entries';
import type { PrivilegeCatalog } from './ports';
import { entryMembers, privilegeOf, type LinkKind, type Member } from './session-graph';
import { isSignIn } from './azure-entries';

/** A token issued at a sign-in carries an `iat` within this of the sign-in's time. */
const ISSUED_AT_TOLERANCE_MS = 5 * 60_000;

export interface AzureSessionContext {
  /** Successful sign-ins per sign-in session id, in time order. */
  signInsBySession: Map<string, CorrEvent[]>;
  /** Records per correlation id, for the correlation ids of every entry (read in one pass). */
  byRequestId: Map<string, CorrEvent[]>;
}

export function azureSessionContext(repo: CorrelateRepo, signIns: CorrEvent[], entries: Entry[]): AzureSessionContext {
  const signInsBySession = new Map<string, CorrEvent[]>();
  for (const s of signIns) {
    if (s.outcome !== 'success' || !s.sourceIdentity) continue;
    signInsBySession.set(s.sourceIdentity, [...(signInsBySession.get(s.sourceIdentity) ?? []), s]);
  }
  const requestIds = entries.filter((e) => !e.entryIsCall).flatMap((e) => e.views.map((v) => v.requestId)).filter((r): r is string => r !== null);
  return { signInsBySession, byRequestId: requestIds.length > 0 ? repo.callsWithRequestIds('azure', requestIds) : new Map() };
}

export function collectAzureChain(entry: Entry, windowMs: number, repo: CorrelateRepo, catalog: PrivilegeCatalog, ctx: AzureSessionContext): Member[] {
  const members = entryMembers(entry, catalog);
  const windowEnd = entry.timeMs + windowMs;
  const classify = (e: CorrEvent) => privilegeOf(catalog, e);
  const add = (call: CorrEvent, link: LinkKind) => {
    if (members.has(call.id) || isSignIn(call) || call.timeMs < entry.timeMs || call.timeMs > windowEnd) return;
    const privilege = classify(call);
    members.set(call.id, { event: call, role: privilege ? 'privileged' : 'call', depth: 0, link, privilege, offsetMs: call.timeMs - entry.timeMs });
  };

  const tokens: { uti: string; link: LinkKind }[] = [];
  if (entry.issuedCredential) tokens.push({ uti: entry.issuedCredential, link: 'credential' });
  const sessionId = entry.entryIsCall ? null : entry.primary.sourceIdentity;
  for (const s of sessionId ? ctx.signInsBySession.get(sessionId) ?? [] : []) {
    if (members.has(s.id) || s.timeMs < entry.timeMs || s.timeMs > windowEnd) continue;
    if (entry.callerPrincipalId && s.principalId && s.principalId !== entry.callerPrincipalId) continue;
    members.set(s.id, { event: s, role: 'assume', depth: 0, link: 'session-id', privilege: null, offsetMs: s.timeMs - entry.timeMs });
    if (s.issuedCredentialId && s.issuedCredentialId !== entry.issuedCredential) tokens.push({ uti: s.issuedCredentialId, link: 'session-id' });
  }
  for (const t of tokens) for (const call of repo.callsWithCredential(t.uti, entry.timeMs, windowEnd)) add(call, t.link);

  if (!entry.issuedCredential && entry.issuedPrincipal) {
    // No token id in the logs: the identity's calls made with a token issued at the sign-in (or, for a foreign
    // token, the same tenant's token within the window).
    for (const call of repo.callsByPrincipalId(entry.issuedPrincipal, entry.timeMs, windowEnd)) {
      const sameToken = entry.entryIsCall
        ? call.principalAccount === entry.callerAccount && call.credentialId === null
        : call.sessionCreatedMs !== null && Math.abs(call.sessionCreatedMs - entry.timeMs) <= ISSUED_AT_TOLERANCE_MS;
      if (sameToken) add(call, 'principal');
    }
  }
  for (const v of entry.entryIsCall ? [] : entry.views) {
    for (const call of v.requestId ? ctx.byRequestId.get(v.requestId) ?? [] : []) {
      if (entry.issuedPrincipal && call.principalId && call.principalId !== entry.issuedPrincipal) continue;
      add(call, 'correlation-id');
    }
  }
  return [...members.values()].sort((a, b) => a.event.timeMs - b.event.timeMs || a.event.id - b.event.id);
}
