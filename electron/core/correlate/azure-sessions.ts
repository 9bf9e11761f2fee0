// The calls of an Azure entry's session: by the token it issued (the sign-in's uniqueTokenIdentifier is the `uti` the
// Activity records carry), then, as weaker links, the tokens of later sign-ins of the same sign-in session (sessionId),
// records sharing the sign-in's correlationId, and, without any uti in the logs, the identity's calls whose token was
// issued at the sign-in (claims iat). Azure logs one write or action as several records (Started, perhaps Accepted,
// then Succeeded or Failed): the earlier records stay in the chain, marked as the start of their operation and counted
// with it (foldOperationStages).
import type { CorrEvent, CorrelateRepo } from '../../db/repos/correlate-repo';
import type { Entry } from './entries';
import type { PrivilegeCatalog } from './ports';
import { callMember, entryMembers, type LinkKind, type Member } from './session-graph';
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
  const add = (call: CorrEvent, link: LinkKind) => {
    if (members.has(call.id) || isSignIn(call) || call.timeMs < entry.timeMs || call.timeMs > windowEnd) return;
    members.set(call.id, callMember(catalog, call, 0, link, call.timeMs - entry.timeMs));
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
  const sorted = [...members.values()].sort((a, b) => a.event.timeMs - b.event.timeMs || a.event.id - b.event.id);
  foldOperationStages(sorted);
  return sorted;
}

/** Succeeded and Failed end an operation; Started, Accepted and the other statuses (outcome unknown) are stages of it. */
const isFinal = (e: CorrEvent) => e.outcome === 'success' || e.outcome === 'failure';

/**
 * Azure Activity logs a write or an action as several records that share its correlationId, operation name and
 * resource: Started (BeginRequest), for an asynchronous one Accepted, then Succeeded or Failed. (The operationId,
 * which the records also share, is not kept by the import; within one correlationId the operation name and resource
 * tell operations apart.) Each earlier record is marked as a stage of the final record that follows it
 * (`Member.startOf`), takes its role and class, and is counted with it; an operation with no final record in the chain
 * is the last of its records. A foreign token's entry may be such a record (its first call was a write): it is marked
 * too but stays the entry. Sign-ins are left as they are. `members` in time order.
 */
export function foldOperationStages(members: Member[]): void {
  const operations = new Map<string, Member[]>();
  for (const m of members) {
    const e = m.event;
    if (m.role === 'assume' || e.provider !== 'azure' || e.requestId === null || isSignIn(e)) continue;
    const key = `${e.requestId.toLowerCase()}\u0000${e.action.toLowerCase()}\u0000${(e.targetResource ?? '').toLowerCase()}`;
    const records = operations.get(key);
    if (records) records.push(m);
    else operations.set(key, [m]);
  }
  for (const records of operations.values()) {
    if (records.length < 2) continue;
    let stages: Member[] = [];
    for (const m of records) {
      if (!isFinal(m.event)) {
        stages.push(m);
        continue;
      }
      for (const s of stages) foldInto(s, m);
      stages = [];
    }
    const last = stages.pop();
    if (last) for (const s of stages) foldInto(s, last);
  }
}

function foldInto(stage: Member, operation: Member): void {
  stage.startOf = operation.event;
  if (stage.role !== 'entry') stage.role = operation.role;
  stage.privilege = operation.privilege;
  stage.attempted = operation.attempted ?? null;
}
