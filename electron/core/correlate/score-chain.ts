import type { CorrelationSettings, Familiarity, Reason, ScoreParts, Severity } from '../../../shared/domain/correlation';
import type { Entry } from './entries';
import { OPERATION_END_SEARCH_MS, countedMembers, type Member } from './session-graph';
import { operatorKey, type Attribute, type FamiliarityIndex, type Level } from './familiarity-index';
import type { GeoInfo } from './ports';
import { ipInCidr } from '../../db/cidr';
import { describeEntry, weakLinkReasons } from './wording';
import { utcText } from '../../../shared/time/utc-text';
import { plural } from '../../../shared/text/plural';
import { isReservedAddress } from '../enrich/geo-enricher';
import type { FirstServed } from './first-served';
import type { BaselineStart } from './baseline-start';

/** Points per unfamiliar attribute and level; the strongest signals are new to the whole organisation. */
const UNFAMILIAR_POINTS: Record<Level, Partial<Record<Attribute, number>>> = {
  organisation: { country: 20, asn: 12, network: 5 },
  role: { asn: 8, country: 5 },
  principal: { asn: 8, network: 4, country: 4 },
};
/** A caller or role with no history at all is new on every attribute, which says little: one flat signal. */
const FIRST_APPEARANCE_POINTS: Record<Exclude<Level, 'organisation'>, number> = { principal: 8, role: 5 };
const IMPOSSIBLE_TRAVEL_KMH = 900;
/** With less evidence than this before the entry, nothing can be called familiar or unfamiliar with confidence. */
export const MIN_BASELINE_MS = 3 * 86_400_000;

export interface ScoredChain {
  severity: Severity;
  score: number;
  conditions: { entry: boolean; privileged: boolean; unfamiliar: boolean };
  reasons: Reason[];
  familiarity: Familiarity[];
  /** The sources that made condition 3 hold (none when it does not). */
  unfamiliarSources: Familiarity[];
  parts: ScoreParts;
}

/** The parts' caps: the privileged calls and the unfamiliar origin each count so far, and a chain lacking a condition stays medium. */
const ENTRY_POINTS = 20;
const PRIVILEGED_CAP = 40;
const UNFAMILIAR_CAP = 35;
const TRAVEL_POINTS = 5;
/** Once per chain when a privileged call was attempted without success: intent, not effect (condition 2 stays unmet). */
const ATTEMPT_POINTS = 5;
const MEDIUM_CAP = 64;

/** How a score is made, for the report's method section: the same constants the scoring uses. */
export const SCORING_METHOD =
  `0–100: ${ENTRY_POINTS} for the entry, up to ${PRIVILEGED_CAP} for the privileged calls (the weights of their catalog categories), ` +
  `up to ${UNFAMILIAR_CAP} for the most unfamiliar source (new to the organisation weighs most: ` +
  `${Object.entries(UNFAMILIAR_POINTS.organisation).map(([attribute, points]) => `${attribute === 'asn' ? 'ASN' : attribute} ${points}`).join(', ')}), ` +
  `${TRAVEL_POINTS} for impossible travel (over ${IMPOSSIBLE_TRAVEL_KMH} km/h), ${ATTEMPT_POINTS} once when privileged calls were attempted but refused, failed or never completed ` +
  '(named in the finding; they do not count as privileged calls). Critical from 85, high from 65, medium from 40. Without a privileged call that succeeded, ' +
  `without an unfamiliar source, or with less than ${MIN_BASELINE_MS / 86_400_000} days of evidence before the entry, at most ${MEDIUM_CAP} (medium). ` +
  'A chain with privileged calls from an address an earlier finding came from while new is judged on the evidence before that finding. ' +
  'Findings of the same score are ordered by their sum before the caps, then by time; each finding states its sum.';

export interface ScoreContext {
  settings: CorrelationSettings;
  index: FamiliarityIndex;
  geo: (ip: string) => GeoInfo | null;
  network: (ip: string) => string;
  haversineKm: (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => number;
  /** UTC ms of the earliest event in the case: the organisation's and the caller's baselines cannot reach further back. */
  caseStartMs: number;
  /**
   * When the evidence of a scope (account, tenant, project) begins: the baseline of a role, identity or service account
   * in it cannot reach further back. A scope whose logs begin later than the case's has its own first days.
   */
  baselineStart: BaselineStart;
  previousLocated: (principalId: string, beforeMs: number) => { timeMs: number; sourceIp: string; nativeId: string } | undefined;
  /** Addresses earlier listed chains came from while new (the correlator scores entries in time order). */
  firstServed?: FirstServed;
}

/** An offset from the entry as an investigator reads it: 45s, 4m00s, 61m01s. */
export const minutes = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

/** Owner keys of the entry at each familiarity level (the same keys the index was built with). */
export function entryOwners(entry: Entry): { principal: string; role: string | null } {
  return entry.owners;
}

/**
 * Scores one chain 0–100 from the three AN1348 conditions and explains each in plain language with the
 * evidence ids. A chain without privileged calls, or without an unfamiliar origin, is capped at medium.
 */
export function scoreChain(entry: Entry, members: Member[], ctx: ScoreContext): ScoredChain {
  const reasons: Reason[] = [];
  const ids = (ms: Member[]) => ms.map((m) => m.event.nativeId);
  const entryIds = entry.views.map((v) => v.nativeId);

  // (1) The entry, in the provider's words.
  const words = describeEntry(entry);
  reasons.push({ condition: 'entry', text: words.entry, eventIds: entryIds });
  const hops = words.hops(members);
  if (hops) reasons.push({ condition: 'context', text: hops.text, eventIds: ids(hops.members) });
  for (const weak of weakLinkReasons(members)) reasons.push({ condition: 'context', text: weak.text, eventIds: ids(weak.members) });

  // (2) Privileged calls in short succession, counted as operations: the earlier records of an Azure operation
  // (Started, Accepted) are counted with its final record, never as calls of their own.
  const counted = countedMembers(members);
  const privileged = counted.filter((m) => m.role === 'privileged');
  const categories = new Map<string, number>();
  for (const m of privileged) categories.set(m.privilege!.category, Math.max(categories.get(m.privilege!.category) ?? 0, m.privilege!.weight));
  const privilegedUncapped = [...categories.values()].reduce((a, b) => a + b, 0);
  const privilegePoints = Math.min(PRIVILEGED_CAP, privilegedUncapped);
  // Privileged calls attempted without success: refused or failed, (Azure) cancelled, or started with no final record.
  const attempts = counted.filter((m) => m.role !== 'privileged' && m.attempted);
  const refused = attempts.filter((m) => m.event.outcome === 'failure');
  const canceled = attempts.filter((m) => m.event.outcome !== 'failure' && m.canceled);
  const unsettled = attempts.filter((m) => m.event.outcome !== 'failure' && !m.canceled);
  const otherCalls = counted.filter((m) => m.role === 'call' && !m.attempted).length;
  if (privileged.length > 0) {
    const named = privileged.slice(0, MAX_NAMED_CALLS).map((m) => `${m.event.action} (${m.privilege!.title}, +${minutes(m.offsetMs)})`);
    const list = named.join(', ') + (privileged.length > MAX_NAMED_CALLS ? `, and ${privileged.length - MAX_NAMED_CALLS} more` : '');
    reasons.push({ condition: 'privileged', text: `${plural(privileged.length, 'privileged call')} within ${minutes(privileged[privileged.length - 1]!.offsetMs)} of the entry: ${list}.`, eventIds: ids(privileged) });
  } else if (attempts.length > 0) {
    reasons.push({ condition: 'privileged', text: `No privileged call succeeded within ${ctx.settings.windowMinutes} minutes of the entry (${attempts.length} attempted without success; ${plural(otherCalls, 'other call')}).`, eventIds: [] });
  } else {
    reasons.push({ condition: 'privileged', text: `No privileged call within ${ctx.settings.windowMinutes} minutes of the entry (${plural(otherCalls, 'other call')}).`, eventIds: [] });
  }
  if (refused.length > 0) reasons.push({ condition: 'privileged', ...refusedReason(refused) });
  if (canceled.length > 0) reasons.push({ condition: 'privileged', ...canceledReason(canceled) });
  if (unsettled.length > 0) reasons.push({ condition: 'privileged', ...unsettledReason(unsettled, entry.provider) });
  // Refused attempts show intent, not effect: a few points, once per chain, and never condition (2).
  const attemptPoints = attempts.length > 0 ? ATTEMPT_POINTS : 0;
  const stages = members.filter((m) => m.startOf);
  if (stages.length > 0) {
    reasons.push({ condition: 'context', text: stagesText(stages, entry.timeMs, ctx.settings.windowMinutes), eventIds: ids(stages.slice(0, MAX_STAGE_IDS)) });
  }

  // Where the chain acted, when not (only) where it came in: the scope an investigator must look at next.
  const elsewhere = actedElsewhere(entry.roleAccount, members);
  if (elsewhere) reasons.push({ condition: 'context', text: elsewhere.text, eventIds: ids(elsewhere.members) });

  // (3) Unfamiliar networks or geos.
  const owners = entryOwners(entry);
  const baselineShort = isBaselineShort(entry.timeMs, ctx.caseStartMs);
  const sourceIps = [...new Set(members.map((m) => m.event.sourceIp).filter((ip): ip is string => ip !== null))];
  // A chain with privileged calls from an address that first served an earlier finding is judged as of that finding.
  // Without a privileged call, only as of an earlier high or critical finding (see FirstServed).
  const strongOnly = privileged.length === 0;
  const familiarity = sourceIps.map((ip) => familiarityOf(ip, entry, owners, ctx, strongOnly));
  const scopeStart = ctx.baselineStart(entry.provider, entry.roleAccount);
  const firstAppearance = {
    principal: !ctx.index.hasHistory('principal', owners.principal, entry.timeMs),
    role: owners.role === null || !ctx.index.hasHistory('role', owners.role, entry.timeMs),
  };
  let unfamiliarPoints = 0;
  for (const f of familiarity) {
    if (!isUnfamiliar(f)) continue;
    let points = 0;
    for (const u of f.unfamiliar) {
      if (u.level !== 'organisation' && firstAppearance[u.level]) points += FIRST_APPEARANCE_POINTS[u.level];
      else for (const a of u.attributes) points += UNFAMILIAR_POINTS[u.level][a] ?? 0;
    }
    unfamiliarPoints = Math.max(unfamiliarPoints, points);
  }
  // Without enough history nothing can honestly be called unfamiliar.
  const unfamiliarSources = baselineShort ? [] : familiarity.filter((f) => isUnfamiliar(f));
  if (baselineShort) unfamiliarPoints = 0;
  const unfamiliarUncapped = unfamiliarPoints;
  unfamiliarPoints = Math.min(UNFAMILIAR_CAP, unfamiliarPoints);
  if (firstAppearance.principal && !baselineShort) {
    reasons.push({ condition: 'context', text: `This is the first activity of ${words.firstActivity} in the evidence.`, eventIds: [] });
  }
  for (const f of unfamiliarSources) {
    const where = [f.city, f.country].filter(Boolean).join(', ') || 'unknown location';
    const as = f.asn !== null ? `AS${f.asn}${f.asOrg ? ` ${f.asOrg}` : ''}` : 'unknown ASN';
    const levels = f.unfamiliar.map((u) => `${u.attributes.join('/')} new to the ${words.level(u.level)}`).join('; ');
    const asOf = f.judgedBefore ? `; ${ORIGIN_NOUN[f.judgedBefore.attribute]} first served the finding of ${f.judgedBefore.finding}, so it is judged on the evidence before ${utcText(f.judgedBefore.timeMs)}` : '';
    // A private address (a call through a VPC endpoint, from inside a network) says where only inside that network.
    const about = isReservedAddress(f.ip) ? 'a private or reserved address, as a VPC endpoint or an internal network shows it: no place or operator' : `${as}, ${where}`;
    reasons.push({ condition: 'unfamiliar', text: `${f.ip} (${about}): ${levels}${asOf}.`, eventIds: ids(members.filter((m) => m.event.sourceIp === f.ip)) });
  }
  if (unfamiliarSources.length === 0) {
    const services = [...new Set(members.filter((m) => m.event.sourceIp === null && m.event.sourceService).map((m) => m.event.sourceService!))];
    reasons.push({ condition: 'unfamiliar', text: noUnfamiliarText(familiarity, baselineShort, services), eventIds: [] });
  }
  if (!baselineShort && owners.role !== null && isBaselineShort(entry.timeMs, scopeStart)) {
    reasons.push({ condition: 'context', text: `The evidence of ${entry.roleAccount} begins at ${utcText(scopeStart)}, less than ${MIN_BASELINE_MS / 86_400_000} days before this entry: what the ${words.level('role')} had used before is not known, so only the caller and the organisation are judged.`, eventIds: [] });
  }
  if (baselineShort) {
    reasons.push({ condition: 'context', text: `Less than ${MIN_BASELINE_MS / 86_400_000} days of evidence precede this entry: too short a baseline to call any origin unfamiliar, so the finding is capped at medium.`, eventIds: [] });
  }

  // Impossible travel between consecutive located events of the caller.
  let travelPoints = 0;
  const travel = impossibleTravel(entry, members, ctx);
  if (travel) {
    travelPoints = TRAVEL_POINTS;
    reasons.push({ condition: 'travel', text: travel.text, eventIds: travel.eventIds });
  }

  const conditions = { entry: true, privileged: privileged.length > 0, unfamiliar: unfamiliarSources.length > 0 };
  const sum = ENTRY_POINTS + privilegePoints + attemptPoints + unfamiliarPoints + travelPoints;
  const capped = !conditions.privileged || !conditions.unfamiliar || baselineShort;
  const score = Math.min(capped ? MEDIUM_CAP : 100, sum);
  const severity: Severity = score >= 85 ? 'critical' : score >= 65 ? 'high' : score >= 40 ? 'medium' : 'low';
  const parts: ScoreParts = { entry: ENTRY_POINTS, privileged: privilegePoints, privilegedUncapped, attempted: attemptPoints, unfamiliar: unfamiliarPoints, unfamiliarUncapped, travel: travelPoints };
  reasons.push({ condition: 'context', text: scoreText(score, sum, parts), eventIds: [] });

  // What would have suppressed it.
  const suppressText = `Would not be reported after ${words.suppress.join(', or ')}.`;
  const asns = [...new Set(unfamiliarSources.map((f) => f.asn).filter((a): a is number => a !== null))];
  // Allowlisting the ASNs clears the third condition only when every unfamiliar source has one. (Merely becoming
  // familiar would not be enough: a source's country can still be new.)
  const asnsClear = conditions.unfamiliar && conditions.privileged && asns.length > 0 && unfamiliarSources.every((f) => f.asn !== null);
  reasons.push({
    condition: 'suppression',
    text: asnsClear ? `${suppressText} Had ${asns.map((a) => `AS${a}`).join(', ')} been allowlisted, this chain would be at most medium.` : suppressText,
    eventIds: [],
  });
  return { severity, score, conditions, reasons: reasons.map(citedAtMost), familiarity, unfamiliarSources, parts };
}

/**
 * A reason cites at most this many events: a tool making 2,000 calls from one address made its unfamiliar-origin
 * reason cite all 2,001 (72 KB in every finding, report and CSV). The finding's own event list has them all.
 */
const MAX_CITED = 20;
/** Privileged calls named one by one in the privileged-calls reason; the rest are counted. */
const MAX_NAMED_CALLS = 10;

function citedAtMost(r: Reason): Reason {
  if (r.eventIds.length <= MAX_CITED) return r;
  return { ...r, text: `${r.text} (${MAX_CITED} of its ${r.eventIds.length} events cited; the finding lists them all.)`, eventIds: r.eventIds.slice(0, MAX_CITED) };
}

/** Why condition 3 does not hold, naming each source once: seen before, allowlisted, or not judged at all. */
function noUnfamiliarText(familiarity: Familiarity[], baselineShort: boolean, services: string[]): string {
  if (familiarity.length === 0) {
    // What the log wrote instead of an address: a service (ec2.amazonaws.com), or GCP's "private" (an address inside Google's network).
    const instead = services.length > 0 ? ` (the log gives ${services.slice(0, 5).map((s) => `"${s}"`).join(', ')} instead of an address)` : '';
    return `No source address is recorded for this chain${instead}: its origin cannot be judged.`;
  }
  const list = (fs: Familiarity[]) => fs.map((f) => f.ip).join(', ');
  if (baselineShort) return `Not judged: too little evidence precedes the entry to call ${list(familiarity)} familiar or unfamiliar.`;
  const allowlisted = familiarity.filter((f) => f.allowlisted);
  const seen = familiarity.filter((f) => !f.allowlisted && f.unfamiliar.length === 0);
  // New only as an address (or a network to the role): churn within networks already used, not an unfamiliar origin.
  const churn = familiarity.filter((f) => !f.allowlisted && f.unfamiliar.length > 0);
  const parts: string[] = [];
  if (seen.length > 0) parts.push(`${list(seen)} had been seen before for this caller, role or organisation`);
  if (churn.length > 0) parts.push(`${list(churn)} ${churn.length === 1 ? 'is a new address' : 'are new addresses'}, but on networks already used there`);
  if (allowlisted.length > 0) parts.push(`${list(allowlisted)} ${allowlisted.length === 1 ? 'is' : 'are'} allowlisted`);
  return `${parts.join('; ')}.`;
}

/** The score as a sum an investigator can check, and what the caps cut. */
function scoreText(score: number, sum: number, p: ScoreParts): string {
  const part = (label: string, points: number, uncapped: number, cap: number) => `${label} ${points}${uncapped > cap ? ` (${uncapped} before the cap of ${cap})` : ''}`;
  const terms = [`entry ${p.entry}`, part('privileged calls', p.privileged, p.privilegedUncapped, PRIVILEGED_CAP)];
  if (p.attempted) terms.push(`privileged calls attempted without success ${p.attempted}`);
  terms.push(part('unfamiliar origin', p.unfamiliar, p.unfamiliarUncapped, UNFAMILIAR_CAP));
  if (p.travel) terms.push(`impossible travel ${p.travel}`);
  const cut = sum > score ? `, capped at ${MEDIUM_CAP} (medium) because a condition does not hold` : '';
  return `Score ${score} of 100: ${terms.join(' + ')}${cut}.`;
}

/** Error codes that say the caller was not allowed (AWS, Azure, GCP): the call was refused rather than failed. */
const DENIAL = /denied|unauthori[sz]ed|forbidden|authorizationfailed|notauthori[sz]ed|permission|^403$/i;

/** A reason names at most this many kinds of attempt (call and error code); the finding's `attempted` lists every one. */
const ATTEMPT_KINDS_SHOWN = 5;
/** A stages reason cites at most this many of the earlier records (`operationStages` maps every one). */
const MAX_STAGE_IDS = 10;

/**
 * Attempts as a bounded list: grouped by call and status (error code), in the order first seen, each kind with its count
 * and times ("CreateAccessKey (AccessDenied, Credential minting) at 2026-10-10T10:04:00Z, +4m00s", or "… 286 times from
 * … (+1m00s) to … (+34m12s)"), at most ATTEMPT_KINDS_SHOWN kinds and then how many more; the event ids of the kinds
 * named (first and last of each). A tool spraying thousands of refused calls makes a short reason.
 */
function attemptList(attempts: Member[], status: (m: Member) => string): { list: string; eventIds: string[] } {
  const kinds = new Map<string, { first: Member; last: Member; count: number; status: string }>();
  for (const m of attempts) {
    const s = status(m);
    const key = `${m.event.action}\u0000${s}`;
    const kind = kinds.get(key);
    if (kind) {
      kind.count++;
      kind.last = m;
    } else kinds.set(key, { first: m, last: m, count: 1, status: s });
  }
  const shown = [...kinds.values()].slice(0, ATTEMPT_KINDS_SHOWN);
  const when = (m: Member) => `${utcText(m.event.timeMs)}`;
  const items = shown.map((k) => {
    const head = `${k.first.event.action} (${k.status}, ${k.first.attempted!.title})`;
    return k.count === 1
      ? `${head} at ${when(k.first)}, +${minutes(k.first.offsetMs)}`
      : `${head} ${k.count} times from ${when(k.first)} (+${minutes(k.first.offsetMs)}) to ${when(k.last)} (+${minutes(k.last.offsetMs)})`;
  });
  const more = kinds.size - shown.length;
  if (more > 0) {
    const rest = attempts.length - shown.reduce((n, k) => n + k.count, 0);
    items.push(`and ${plural(more, 'more kind')} (${plural(rest, 'attempt')}), every one in the finding's list of attempted calls`);
  }
  return { list: items.join('; '), eventIds: shown.flatMap((k) => (k.count === 1 ? [k.first.event.nativeId] : [k.first.event.nativeId, k.last.event.nativeId])) };
}

/** The privileged calls that were refused or failed: evidence of intent, named with their error codes. */
function refusedReason(refused: Member[]): { text: string; eventIds: string[] } {
  const denials = refused.filter((m) => m.event.errorCode !== null && DENIAL.test(m.event.errorCode)).length;
  const how = denials === refused.length ? 'attempted and refused' : denials === 0 ? 'attempted and failed' : 'attempted and refused or failed';
  const { list, eventIds } = attemptList(refused, (m) => m.event.errorCode ?? 'failed');
  return { text: `${plural(refused.length, 'privileged call')} ${how}: ${list}. Not counted as privileged calls, since they did not succeed, but they show what the caller tried.`, eventIds };
}

/** Azure operations that ended Canceled (stored as outcome unknown; the status is read from the raw record). */
function canceledReason(canceled: Member[]): { text: string; eventIds: string[] } {
  const { list, eventIds } = attemptList(canceled, () => 'Canceled');
  return { text: `${plural(canceled.length, 'privileged call')} attempted and cancelled: ${list}. Not counted as privileged calls, since they did not complete, but they show what the caller tried.`, eventIds };
}

/**
 * Privileged operations with no final record: Azure records Started or Accepted with no Succeeded, Failed or Canceled
 * record of the operation in the chain or in the OPERATION_END_SEARCH_MS after it (collectAzureChain looks beyond the
 * window); elsewhere, a log that records no outcome.
 */
function unsettledReason(unsettled: Member[], provider: string): { text: string; eventIds: string[] } {
  const { list, eventIds } = attemptList(unsettled, () => 'no outcome recorded');
  const why = provider === 'azure'
    ? `no Succeeded, Failed or Canceled record of the operation in the evidence within ${OPERATION_END_SEARCH_MS / 3_600_000} hours of its start`
    : 'the log records no outcome';
  return { text: `${plural(unsettled.length, 'privileged call')} attempted with no recorded outcome (${why}): ${list}. Not counted as privileged calls; check the raw records.`, eventIds };
}

/** The earlier records of Azure operations, said once: they are on the timeline, counted with their operation. */
function stagesText(stages: Member[], entryMs: number, windowMinutes: number): string {
  const operations = new Map(stages.map((m) => [m.startOf!.id, m.startOf!]));
  const late = [...operations.values()].filter((e) => e.timeMs - entryMs > windowMinutes * 60_000).length;
  const after = late > 0
    ? ` ${late} of those operations started within the ${windowMinutes}-minute window and ended after it: their final records are in the chain too.`
    : '';
  return `Azure logged ${plural(operations.size, 'operation')} in stages (Started or Accepted, then the outcome, under one correlationId): their ${plural(stages.length, 'earlier record')} are on the timeline but counted with their operation, not as calls of their own.${after}`;
}

/** The accounts, subscriptions or projects other than the entry's where the chain's calls ran, with their calls. */
function actedElsewhere(entered: string | null, members: Member[]): { text: string; members: Member[] } | null {
  const scopes = new Map<string, Member[]>();
  for (const m of countedMembers(members)) {
    if (m.role !== 'privileged' && m.role !== 'call') continue;
    const scope = m.event.targetAccount;
    if (scope === null || scope === entered) continue;
    const list = scopes.get(scope);
    if (list) list.push(m);
    else scopes.set(scope, [m]);
  }
  if (scopes.size === 0) return null;
  const parts = [...scopes].map(([scope, ms]) => {
    const privileged = ms.filter((m) => m.role === 'privileged').length;
    const attempted = ms.filter((m) => m.role !== 'privileged' && m.attempted).length;
    const other = ms.length - privileged - attempted;
    const counts = [
      privileged ? plural(privileged, 'privileged call') : '',
      attempted ? `${plural(attempted, 'privileged call')} attempted without success` : '',
      other ? plural(other, 'other call') : '',
    ].filter(Boolean);
    return `${scope} (${counts.join(', ')})`;
  });
  return { text: `The chain acted in ${parts.join(', ')}${entered ? `, beyond ${entered} where it came in` : ''}.`, members: [...scopes.values()].flat() };
}

/** Whether the evidence before `timeMs` is too short to judge familiarity or who the organisation's providers are. */
export function isBaselineShort(timeMs: number, caseStartMs: number): boolean {
  return timeMs - caseStartMs < MIN_BASELINE_MS;
}

/**
 * Whether any of these sources would make the chain's third condition hold: the one test shared by the full
 * scoring and the correlator's routine-session shortcut, so the two can never disagree.
 */
export function anyUnfamiliar(entry: Entry, ips: Iterable<string>, ctx: ScoreContext): boolean {
  if (isBaselineShort(entry.timeMs, ctx.caseStartMs)) return false;
  const owners = entryOwners(entry);
  // The shortcut decides chains without a privileged call: judged as the full scoring judges those (strong findings only).
  for (const ip of new Set(ips)) if (isUnfamiliar(familiarityOf(ip, entry, owners, ctx, true))) return true;
  return false;
}

function isUnfamiliar(f: Familiarity): boolean {
  if (f.allowlisted) return false;
  const at = (level: Level) => f.unfamiliar.find((u) => u.level === level)?.attributes ?? [];
  // A new IP alone (same network, same ASN) is churn, not an unfamiliar origin.
  return at('organisation').some((a) => a !== 'ip') || at('principal').some((a) => a === 'asn' || a === 'network' || a === 'country') || at('role').some((a) => a === 'asn' || a === 'country');
}

const ATTRIBUTES: Attribute[] = ['ip', 'network', 'asn', 'country'];
const ORIGIN_NOUN: Record<Attribute, string> = { ip: 'the address', network: 'its network', asn: 'its ASN', country: 'its country' };

/** An address's values as the familiarity baseline keys them. */
export function originValues(ip: string, ctx: Pick<ScoreContext, 'geo' | 'network'>, geo: GeoInfo | null = ctx.geo(ip)): Record<Attribute, string | null> {
  return { ip, network: ctx.network(ip), asn: operatorKey(geo), country: geo?.country ?? null };
}

/**
 * How familiar `ip` was to the entry's caller, role and organisation. An address, network, ASN or country that served
 * an earlier finding is judged on the evidence before that (see FirstServed): any finding's, or with `strongOnly`
 * (a chain without a privileged call) a high or critical one's.
 */
function familiarityOf(ip: string, entry: Entry, owners: { principal: string; role: string | null }, ctx: ScoreContext, strongOnly: boolean): Familiarity {
  const geo = ctx.geo(ip);
  const values = originValues(ip, ctx, geo);
  // Each attribute as of its first serving of an earlier finding, if any (see FirstServed); the most specific is named.
  const servings = ATTRIBUTES.map((a) => ctx.firstServed?.before(a, values[a], entry.timeMs, strongOnly) ?? null);
  const asOf = Object.fromEntries(ATTRIBUTES.map((a, i) => [a, servings[i]?.timeMs ?? entry.timeMs])) as Record<Attribute, number>;
  const served = servings.find((s) => s !== null) ?? null;
  const allowlisted = ctx.settings.allowlist.cidrs.some((c) => ipInCidr(ip, c)) || (geo?.asn != null && ctx.settings.allowlist.asns.includes(geo.asn));
  const unfamiliar: Familiarity['unfamiliar'] = [];
  // A role whose scope's logs began less than MIN_BASELINE_MS before has no history to judge by (everything is new to it).
  const roleJudged = owners.role !== null && !isBaselineShort(entry.timeMs, ctx.baselineStart(entry.provider, entry.roleAccount));
  const levels: [Level, string | null][] = [['principal', owners.principal], ['role', roleJudged ? owners.role : null], ['organisation', '']];
  for (const [level, owner] of levels) {
    if (owner === null) continue;
    const attrs = ATTRIBUTES.filter(
      (a) => values[a] !== null && !ctx.index.wasSeen(level, owner, a, values[a], asOf[a], ctx.settings.baselineDays),
    );
    if (attrs.length > 0) unfamiliar.push({ level, attributes: attrs });
  }
  return {
    ip, country: geo?.country ?? null, city: geo?.city ?? null, asn: geo?.asn ?? null, asOrg: geo?.asOrg ?? null, lat: geo?.lat ?? null, lon: geo?.lon ?? null, unfamiliar, allowlisted,
    ...(served ? { judgedBefore: served } : {}),
  };
}

function impossibleTravel(entry: Entry, members: Member[], ctx: ScoreContext): { text: string; eventIds: string[] } | null {
  type Point = { timeMs: number; ip: string; lat: number; lon: number; eventId: string | null };
  const locate = (ip: string, timeMs: number, eventId: string | null): Point | null => {
    const g = ctx.geo(ip);
    return g && g.lat !== null && g.lon !== null ? { timeMs, ip, lat: g.lat, lon: g.lon, eventId } : null;
  };
  const points: Point[] = [];
  if (entry.callerPrincipalId) {
    const prev = ctx.previousLocated(entry.callerPrincipalId, entry.timeMs);
    const p = prev && locate(prev.sourceIp, prev.timeMs, prev.nativeId);
    if (p) points.push(p);
  }
  for (const m of members) {
    const p = m.event.sourceIp ? locate(m.event.sourceIp, m.event.timeMs, m.event.nativeId) : null;
    if (p) points.push(p);
  }
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.ip === b.ip) continue;
    // Two addresses of one operator: city-level geolocation places its ranges hundreds of km apart for no journey
    // (a Tor operator's IPv4 in Berlin and IPv6 in Bonn, four minutes apart, were "impossible travel").
    const operator = operatorKey(ctx.geo(a.ip));
    if (operator !== null && operator === operatorKey(ctx.geo(b.ip))) continue;
    const km = ctx.haversineKm(a, b);
    const hours = Math.max((b.timeMs - a.timeMs) / 3_600_000, 1 / 60);
    if (km > 100 && km / hours > IMPOSSIBLE_TRAVEL_KMH) {
      return {
        text: `Impossible travel: ${a.ip} at ${utcText(a.timeMs)} then ${b.ip} at ${utcText(b.timeMs)}, ${Math.round(km)} km apart (${Math.round(km / hours)} km/h).`,
        eventIds: [a.eventId, b.eventId].filter((x): x is string => x !== null),
      };
    }
  }
  return null;
}
