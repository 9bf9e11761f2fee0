// The calls of an Azure entry's session: by the token it issued (the sign-in's uniqueTokenIdentifier is the `uti` the
// Activity records carry), then, as weaker links, the tokens of later sign-ins of the same sign-in session (sessionId),
// records sharing the sign-in's correlationId, and, without any uti in the logs, the identity's calls whose token was
// issued at the sign-in (claims iat). Azure logs one write or action as several records (Started, perhaps Accepted,
// then Succeeded, Failed or Canceled): the earlier records stay in the chain, marked as the start of their operation and
// counted with it (foldOperationStages); an operation begun within the window and ended after it brings its final record.
import type { CorrEvent, CorrelateRepo } from '../../db/repos/correlate-repo';
import { localized, pickFirst } from '../import/azure/azure-fields';
import type { Entry } from './entries';
import type { PrivilegeCatalog } from './ports';
import { OPERATION_END_SEARCH_MS, callMember, entryMembers, type LinkKind, type Member } from './session-graph';
import { isSignIn } from './azure-entries';

/** A token issued at a sign-in carries an `iat` within this of the sign-in's time. */
const ISSUED_AT_TOLERANCE_MS = 5 * 60_000;

export interface AzureSessionContext {
  /** Successful sign-ins per sign-in session id, in time order. */
  signInsBySession: Map<string, CorrEvent[]>;
  /** Records per correlation id, for the correlation ids of every entry (read in one pass). */
  byRequestId: Map<string, CorrEvent[]>;
  /**
   * The status of a record stored with outcome unknown, as its raw record has it (`Started`, `Accepted`, `Canceled` …),
   * else null. The import keeps Azure's statuses other than Succeeded and Failed as `unknown`, so this reads the raw
   * record: asked only of the few records that could end an operation (foldOperationStages) and of those after an
   * operation still open at the end of a chain, once each.
   */
  statusOf: (e: CorrEvent) => string | null;
  /** Whether a record stored with outcome unknown ends its operation with the status Canceled (statusOf). */
  isCanceled: (e: CorrEvent) => boolean;
}

/** `rawText`: an event's original record by row id (RawRecords.text), for the statuses the columns do not keep. */
export function azureSessionContext(repo: CorrelateRepo, signIns: CorrEvent[], entries: Entry[], rawText?: (eventId: number) => string | null): AzureSessionContext {
  const signInsBySession = new Map<string, CorrEvent[]>();
  for (const s of signIns) {
    if (s.outcome !== 'success' || !s.sourceIdentity) continue;
    signInsBySession.set(s.sourceIdentity, [...(signInsBySession.get(s.sourceIdentity) ?? []), s]);
  }
  const requestIds = entries.filter((e) => !e.entryIsCall).flatMap((e) => e.views.map((v) => v.requestId)).filter((r): r is string => r !== null);
  const statuses = new Map<number, string | null>();
  const statusOf = (e: CorrEvent): string | null => {
    if (!rawText || e.provider !== 'azure' || e.outcome !== 'unknown') return null;
    let status = statuses.get(e.id);
    if (status === undefined) statuses.set(e.id, (status = activityStatus(rawText(e.id))));
    return status;
  };
  const isCanceled = (e: CorrEvent) => isCanceledStatus(statusOf(e));
  return { signInsBySession, byRequestId: requestIds.length > 0 ? repo.callsWithRequestIds('azure', requestIds) : new Map(), statusOf, isCanceled };
}

/** Azure's status of a cancelled operation: `Canceled` (REST, diagnostic settings), `Cancel` (Log Analytics' newer values), `Cancelled`. */
const CANCELED = /^\s*cancel(?:l?ed)?\s*$/i;
/** The status of an operation's first record: `Started` (REST, diagnostic settings) or `Start` (Log Analytics). */
const STARTED = /^\s*start(?:ed)?\s*$/i;
/** Activity statuses, to find the status cell of a CSV row (stored without its header). */
const STATUS_WORD = /^\s*(?:start(?:ed)?|accept(?:ed)?|in ?progress|succeeded|success|failed|failure|cancel(?:l?ed)?)\s*$/i;

export const isCanceledStatus = (status: string | null): boolean => status !== null && CANCELED.test(status);

/**
 * The status of an Azure Activity record as the evidence held it: `status.value` (REST), `ActivityStatusValue` (Log
 * Analytics) or `resultType` (diagnostic settings), the fields the import reads the outcome from; null when it has none.
 * A Log Analytics CSV row is stored without its header: there, the first cell that is a status word.
 */
export function activityStatus(raw: string | null): string | null {
  if (raw === null) return null;
  if (raw.trimStart().startsWith('{')) {
    try {
      const record = JSON.parse(raw) as unknown;
      if (record === null || typeof record !== 'object' || Array.isArray(record)) return null;
      return localized(pickFirst(record as Record<string, unknown>, 'ActivityStatusValue', 'status', 'resultType'))?.trim() || null;
    } catch {
      // not JSON after all: read it as a CSV row
    }
  }
  return csvCells(raw).find((cell) => STATUS_WORD.test(cell))?.trim() ?? null;
}

/** The cells of one CSV row (RFC 4180 quoting). */
function csvCells(row: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= row.length) {
    if (row[i] === '"') {
      let cell = '';
      i++;
      while (i < row.length) {
        if (row[i] === '"' && row[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (row[i] === '"') {
          i++;
          break;
        } else cell += row[i++];
      }
      const comma = row.indexOf(',', i);
      cells.push(cell);
      i = comma < 0 ? row.length + 1 : comma + 1;
    } else {
      const comma = row.indexOf(',', i);
      cells.push(row.slice(i, comma < 0 ? undefined : comma));
      i = comma < 0 ? row.length + 1 : comma + 1;
    }
  }
  return cells;
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
  // A privileged operation begun here whose final record is not in the chain: an asynchronous one often ends after the
  // window. Its final record (same correlationId, operation and resource) is fetched and joins the chain, so the chain
  // says how the operation ended instead of calling it unfinished.
  const open = openOperations(byTime([...members.values()]), ctx.isCanceled);
  if (open.length > 0) {
    for (const { record, start } of finalRecordsOf(open, repo, ctx, members)) {
      // As strongly linked as the record that began the operation (the entry's own operation: by its token).
      const link: LinkKind = start.link !== 'entry' ? start.link : record.credentialId !== null && record.credentialId === start.event.credentialId ? 'credential' : 'correlation-id';
      members.set(record.id, callMember(catalog, record, start.depth, link, record.timeMs - entry.timeMs));
    }
  }
  const sorted = byTime([...members.values()]);
  foldOperationStages(sorted, ctx.isCanceled);
  return sorted;
}

const byTime = (members: Member[]) => members.sort((a, b) => a.event.timeMs - b.event.timeMs || a.event.id - b.event.id);

/**
 * The last record of each privileged operation in the chain that has no final record there (records in time order).
 * Only privileged ones: how another call ended changes no count, and each search reads the events of a day.
 */
function openOperations(members: Member[], isCanceled: (e: CorrEvent) => boolean): Member[] {
  const open: Member[] = [];
  for (const records of operationGroups(members)) {
    const last = operationsIn(records, isCanceled).at(-1);
    const record = last && last.final === null ? last.stages[last.stages.length - 1]! : null;
    if (record?.attempted) open.push(record);
  }
  return open;
}

/**
 * The final record of each open operation: the first record after its last one in the chain, within
 * OPERATION_END_SEARCH_MS of it, with the same correlationId, operation and resource that is Succeeded, Failed or
 * Canceled; none when a Started record of the same key comes first (a retry under the same correlationId: the final
 * record after it is the retry's). One query per chain (the correlation ids of its open operations, over that range).
 */
function finalRecordsOf(open: Member[], repo: CorrelateRepo, ctx: AzureSessionContext, members: Map<number, Member>): { record: CorrEvent; start: Member }[] {
  const fromMs = Math.min(...open.map((m) => m.event.timeMs));
  const toMs = Math.max(...open.map((m) => m.event.timeMs)) + OPERATION_END_SEARCH_MS;
  const records = repo.azureRecordsWithRequestIds([...new Set(open.map((m) => m.event.requestId!))], fromMs, toMs);
  const found: { record: CorrEvent; start: Member }[] = [];
  for (const start of open) {
    const key = operationKey(start.event);
    for (const r of records) {
      if (r.timeMs < start.event.timeMs || members.has(r.id) || r.requestId === null || isSignIn(r) || operationKey(r) !== key) continue;
      if (r.timeMs > start.event.timeMs + OPERATION_END_SEARCH_MS) break;
      const status = isFinal(r) ? null : ctx.statusOf(r);
      if (isFinal(r) || isCanceledStatus(status)) {
        found.push({ record: r, start });
        break;
      }
      if (status !== null && STARTED.test(status)) break;
    }
  }
  return found;
}

/** Succeeded and Failed end an operation (as does Canceled, which the import stores as unknown: isCanceled). */
const isFinal = (e: CorrEvent) => e.outcome === 'success' || e.outcome === 'failure';

const operationKey = (e: CorrEvent) => `${e.requestId!.toLowerCase()}\u0000${e.action.toLowerCase()}\u0000${(e.targetResource ?? '').toLowerCase()}`;

/**
 * The chain's Azure records grouped by operation (correlationId, operation name, resource), each group in time order
 * with, at the same time, the records without outcome before the final ones: a REST or portal export lists the newest
 * record first, so a Started record and its Succeeded record logged in the same millisecond are stored the other way
 * round.
 */
function operationGroups(members: Member[]): Member[][] {
  const groups = new Map<string, Member[]>();
  for (const m of members) {
    const e = m.event;
    if (m.role === 'assume' || e.provider !== 'azure' || e.requestId === null || isSignIn(e)) continue;
    const key = operationKey(e);
    const records = groups.get(key);
    if (records) records.push(m);
    else groups.set(key, [m]);
  }
  const order = (m: Member) => (isFinal(m.event) ? 1 : 0);
  return [...groups.values()].map((records) => records.sort((a, b) => a.event.timeMs - b.event.timeMs || order(a) - order(b) || a.event.id - b.event.id));
}

/** One operation among a group's records: its earlier records and its final record (null: none in the chain). */
interface Operation {
  stages: Member[];
  final: Member | null;
  canceled: boolean;
}

/**
 * A group's records cut into operations: each Succeeded, Failed or Canceled record ends the records before it. Only a
 * record that could end an open operation (one with an earlier record pending) is asked whether it is Canceled, and a
 * lone privileged record with no outcome, whose attempt is then said to be cancelled rather than unfinished.
 */
function operationsIn(records: Member[], isCanceled: (e: CorrEvent) => boolean): Operation[] {
  const operations: Operation[] = [];
  let pending: Member[] = [];
  for (const m of records) {
    const final = isFinal(m.event);
    const canceled = !final && pending.length > 0 && isCanceled(m.event);
    if (!final && !canceled) {
      pending.push(m);
      continue;
    }
    operations.push({ stages: pending, final: m, canceled });
    pending = [];
  }
  if (pending.length === 1 && pending[0]!.attempted && isCanceled(pending[0]!.event)) operations.push({ stages: [], final: pending[0]!, canceled: true });
  else if (pending.length > 0) operations.push({ stages: pending, final: null, canceled: false });
  return operations;
}

/**
 * Azure Activity logs a write or an action as several records that share its correlationId, operation name and
 * resource: Started (BeginRequest), for an asynchronous one Accepted, then Succeeded, Failed or Canceled. (The
 * operationId, which the records also share, is not kept by the import; within one correlationId the operation name
 * and resource tell operations apart.) Each earlier record is marked as a stage of the final record that follows it
 * (`Member.startOf`; at the same time, whatever their row order), takes its role and class, and is counted with it; a
 * Canceled final record is marked (`Member.canceled`); an operation with no final record in the chain is the last of
 * its records. A foreign token's entry may be such a record (its first call was a write): it is marked too but stays
 * the entry. Sign-ins are left as they are. `isCanceled` tells a final Canceled record among those stored with outcome
 * unknown (AzureSessionContext.isCanceled).
 */
export function foldOperationStages(members: Member[], isCanceled: (e: CorrEvent) => boolean = () => false): void {
  for (const records of operationGroups(members)) {
    for (const operation of operationsIn(records, isCanceled)) {
      if (operation.canceled) operation.final!.canceled = true;
      const end = operation.final ?? operation.stages.pop()!;
      for (const s of operation.stages) foldInto(s, end);
    }
  }
}

function foldInto(stage: Member, operation: Member): void {
  stage.startOf = operation.event;
  if (stage.role !== 'entry') stage.role = operation.role;
  stage.privilege = operation.privilege;
  stage.attempted = operation.attempted ?? null;
}
