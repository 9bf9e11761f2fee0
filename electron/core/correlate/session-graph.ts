import type { ChainLink } from '../../../shared/domain/correlation';
import type { CorrEvent, CorrelateRepo } from '../../db/repos/correlate-repo';
import { CREDENTIAL_ISSUING_ACTIONS } from '../import/cloudtrail/normalize-cloudtrail';
import type { Entry } from './entries';
import type { PrivilegeCatalog, PrivilegeClass } from './ports';

export type MemberRole = 'entry' | 'assume' | 'call' | 'privileged';
/** How a member joined the chain (AWS uses entry, credential and session-name; Azure and GCP add their weaker links). */
export type LinkKind = ChainLink;

/** One event of a chain and how it got there. */
export interface Member {
  event: CorrEvent;
  role: MemberRole;
  /** 0 for the entry's own session, +1 per role hop. */
  depth: number;
  link: LinkKind;
  /** The catalog class of a privileged call that succeeded (role `privileged`). */
  privilege: PrivilegeClass | null;
  /**
   * The catalog class of a privileged call that did not succeed: refused or failed, or (Azure) started with no
   * final record. Its role stays `call` (condition 2 is about calls that happened); the reasons name it.
   */
  attempted?: PrivilegeClass | null;
  /**
   * Azure logs one operation as several records (Started / Accepted, then Succeeded or Failed): set on the earlier
   * records, this is the operation's final record. The member takes that record's role and class, is kept on the
   * timeline, and is counted with it, never as a call of its own.
   */
  startOf?: CorrEvent;
  /**
   * Azure: the record ends its operation with the status Canceled (which the import stores as outcome unknown, like
   * Started and Accepted). A privileged one is an attempt, said to be cancelled rather than unfinished.
   */
  canceled?: boolean;
  offsetMs: number;
}

/**
 * An Azure operation begun in a chain with no final record there is looked for this long after its start (azure-sessions.ts):
 * an asynchronous one (a deployment, a run command) ends minutes or hours after it was accepted, often after the window.
 */
export const OPERATION_END_SEARCH_MS = 24 * 3_600_000;

/** Role chains deeper than this are cut (AWS allows chaining, but real chains are short). */
const MAX_DEPTH = 8;
/** The weak link accepts a session whose creationDate is within this of the assumption that issued it. */
const SESSION_CREATION_TOLERANCE_MS = 5 * 60_000;

/** A call's privilege class: only a call that succeeded counts (a refused one is an attempt: attemptedPrivilegeOf). */
export function privilegeOf(catalog: PrivilegeCatalog, e: CorrEvent): PrivilegeClass | null {
  return e.outcome === 'success' ? catalog.classify(e.service, e.action) : null;
}

/** The privilege class of a privileged call that did not succeed (refused, failed, or no outcome recorded), else null. */
export function attemptedPrivilegeOf(catalog: PrivilegeCatalog, e: CorrEvent): PrivilegeClass | null {
  return e.outcome === 'success' ? null : catalog.classify(e.service, e.action);
}

/** A session's call as a chain member: privileged when a catalog call succeeded, an attempt when one did not. */
export function callMember(catalog: PrivilegeCatalog, event: CorrEvent, depth: number, link: LinkKind, offsetMs: number): Member {
  const privilege = privilegeOf(catalog, event);
  return { event, role: privilege ? 'privileged' : 'call', depth, link, privilege, attempted: attemptedPrivilegeOf(catalog, event), offsetMs };
}

/** The members that stand for a call of their own: all but the earlier records of an Azure operation (Member.startOf). */
export function countedMembers(members: Member[]): Member[] {
  return members.filter((m) => !m.startOf);
}

/**
 * A chain's first members: the entry's own records (both views of a cross-account call) at depth 0. An entry that
 * is itself a call (an Azure or GCP operation made with a foreign token) can be privileged; an AWS role
 * assumption never is.
 */
export function entryMembers(entry: Entry, catalog: PrivilegeCatalog): Map<number, Member> {
  const members = new Map<number, Member>();
  for (const v of entry.views) {
    const privilege = entry.entryIsCall ? privilegeOf(catalog, v) : null;
    const attempted = entry.entryIsCall ? attemptedPrivilegeOf(catalog, v) : null;
    members.set(v.id, { event: v, role: privilege ? 'privileged' : 'entry', depth: 0, link: 'entry', privilege, attempted, offsetMs: 0 });
  }
  return members;
}

/**
 * Collects the events of one entry's sessions within the window: the calls made with the credential it
 * issued, and, through every role assumption made in that session, the calls of the next role (a role
 * chain), each tagged with its depth and link strength. Without an access key id the session is followed by
 * its assumed-role ARN and creation date instead, and marked as weaker evidence.
 */
export function collectChain(entry: Entry, windowMs: number, repo: CorrelateRepo, catalog: PrivilegeCatalog, viewsByShared: Map<string, CorrEvent[]>): Member[] {
  const members = entryMembers(entry, catalog);
  const windowEnd = entry.timeMs + windowMs;

  const queue: { credential: string | null; principal: string | null; depth: number; fromMs: number }[] = [
    { credential: entry.issuedCredential, principal: entry.issuedPrincipal, depth: 0, fromMs: entry.timeMs },
  ];
  const followed = new Set<string>();
  while (queue.length > 0) {
    const session = queue.shift()!;
    const key = session.credential ?? `name:${session.principal}`;
    if (followed.has(key) || session.depth > MAX_DEPTH) continue;
    followed.add(key);
    let calls: CorrEvent[] = [];
    let link: LinkKind = 'credential';
    if (session.credential) {
      calls = repo.callsWithCredential(session.credential, session.fromMs, windowEnd);
    } else if (session.principal) {
      link = 'session-name';
      calls = repo
        .callsBySessionName(session.principal, session.fromMs, windowEnd)
        .filter((c) => c.sessionCreatedMs === null || Math.abs(c.sessionCreatedMs - session.fromMs) <= SESSION_CREATION_TOLERANCE_MS);
    }
    for (const call of calls) {
      if (members.has(call.id)) continue;
      const offsetMs = call.timeMs - entry.timeMs;
      if (CREDENTIAL_ISSUING_ACTIONS.has(call.action) && call.outcome === 'success' && (call.issuedCredentialId || call.issuedPrincipal)) {
        // A role hop: the other account's view of the same call joins the chain too.
        for (const view of call.sharedEventId ? viewsByShared.get(call.sharedEventId) ?? [call] : [call]) {
          if (!members.has(view.id)) members.set(view.id, { event: view, role: 'assume', depth: session.depth + 1, link, privilege: null, offsetMs: view.timeMs - entry.timeMs });
        }
        queue.push({ credential: call.issuedCredentialId, principal: call.issuedPrincipal, depth: session.depth + 1, fromMs: call.timeMs });
        continue;
      }
      members.set(call.id, callMember(catalog, call, session.depth, link, offsetMs));
    }
  }
  return [...members.values()].sort((a, b) => a.event.timeMs - b.event.timeMs || a.event.id - b.event.id);
}
