// The app's read queries: case header, a chain's timeline and map, and the event explorer (keyset pages and
// histograms over a million events). Events are read through events_v (strings resolved) and ip_geo
// (country / ASN of each source IP, written by every correlation run).
import type Database from 'better-sqlite3';
import { basename, extname } from 'node:path';
import type { CaseInfo, EventFilter, EventRow, GeoPoint } from '../../../shared/ipc/contract';
import type { ChainLink, Finding } from '../../../shared/domain/correlation';
import type { ImportRun } from '../../../shared/domain/evidence';
import { evidenceTotals } from './evidence-repo';
import { ipInCidr } from '../cidr';
import { countProblems, lastCorrelationMs, readCaseAnalysis, readImportRuns } from './import-history-repo';

const DAY_MS = 86_400_000;

// ---- case ----

/** The facts of a case that the app's header and `crossline info` (case-summary-repo.ts) both show. */
export function readCaseFacts(db: Database.Database): Pick<CaseInfo, 'events' | 'firstEventMs' | 'lastEventMs' | 'sources' | 'problems' | 'lastCorrelationMs' | 'analysis'> & { runs: ImportRun[] } {
  const runs = readImportRuns(db);
  // min and max as separate subqueries: SQLite answers each from the time index in one step, but not both at once.
  const range = db.prepare('SELECT (SELECT count(*) FROM events) n, (SELECT min(time_ms) FROM events) lo, (SELECT max(time_ms) FROM events) hi').get() as { n: number; lo: number | null; hi: number | null };
  return {
    events: range.n,
    firstEventMs: range.lo,
    lastEventMs: range.hi,
    sources: evidenceTotals(db),
    problems: countProblems(db),
    lastCorrelationMs: lastCorrelationMs(db),
    analysis: readCaseAnalysis(db, runs),
    runs,
  };
}

/** The header of the open case. `file` is shown as given. Cheap on a million events (index-only counts). */
export function readCaseInfo(db: Database.Database, file: string): CaseInfo {
  const { runs, ...facts } = readCaseFacts(db);
  return {
    file,
    name: basename(file, extname(file)),
    ...facts,
    accounts: db.prepare('SELECT provider, account FROM case_accounts ORDER BY provider, account').all() as CaseInfo['accounts'],
    imports: runs.length,
  };
}

/** Whether the case holds a finished import with every file complete, and a correlation run after it. */
export function isCaseComplete(db: Database.Database): boolean {
  const r = db
    .prepare(
      `SELECT (SELECT count(*) FROM imports WHERE status = 'complete') complete,
              (SELECT max(finished_at) FROM imports WHERE status = 'complete') imported,
              (SELECT max(finished_at) FROM correlation_runs) correlated`,
    )
    .get() as { complete: number; imported: number | null; correlated: number | null };
  // A file left incomplete by a stopped import and completed by a later one is complete.
  return r.complete > 0 && evidenceTotals(db).incomplete === 0 && r.correlated !== null && r.imported !== null && r.correlated >= r.imported;
}

// ---- chains ----

export interface ChainHead {
  id: number;
  finding: Finding;
  entryEventId: number;
  entryKind: string;
  principal: string | null;
  sourceAccount: string | null;
  startedMs: number;
  /** Settings of the run that made the chain (baseline days for the map). */
  baselineDays: number | null;
}

export function readChain(db: Database.Database, chainId: number): ChainHead | null {
  const r = db
    .prepare(
      `SELECT c.id, c.detail, c.entry_event_id entryEventId, c.entry_kind entryKind, c.principal, c.source_account sourceAccount, c.started_ms startedMs,
              json_extract(r.settings, '$.baselineDays') baselineDays
         FROM chains c JOIN correlation_runs r ON r.id = c.run_id WHERE c.id = ?`,
    )
    .get(chainId) as (Omit<ChainHead, 'finding'> & { detail: string }) | undefined;
  if (!r) return null;
  const { detail, ...head } = r;
  return { ...head, finding: { id: r.id, ...(JSON.parse(detail) as Omit<Finding, 'id'>) } };
}

const ROW_COLUMNS = `v.id, v.provider, v.native_id nativeId, v.time_ms timeMs, v.time_text timeText, v.service, v.action, v.outcome,
  v.error_code errorCode, v.read_only readOnly, v.principal_type principalType, v.principal_name principalName,
  v.principal_account principalAccount, v.target_account targetAccount, v.source_ip sourceIp, v.source_service sourceService,
  v.user_agent userAgent, v.region, v.credential_id credentialId, g.country, g.city, g.asn, g.as_org asOrg`;

type RawRow = Omit<EventRow, 'readOnly'> & { readOnly: number | null };
const toRow = <T extends RawRow>(r: T): Omit<T, 'readOnly'> & { readOnly: boolean | null } => ({ ...r, readOnly: r.readOnly === null ? null : r.readOnly === 1 });

export interface ChainMemberRow extends EventRow {
  role: 'entry' | 'assume' | 'call' | 'privileged';
  depth: number;
  link: ChainLink;
  category: string | null;
  offsetMs: number;
}

/** A chain's events with how each belongs to it: the entry (both views when merged) first, then in time order. */
export function chainMembers(db: Database.Database, chainId: number): ChainMemberRow[] {
  const rows = db
    .prepare(
      `SELECT ${ROW_COLUMNS}, ce.role, ce.depth, ce.link, ce.category, ce.offset_ms offsetMs
         FROM chain_events ce JOIN events_v v ON v.id = ce.event_id LEFT JOIN ip_geo g ON g.ip = v.source_ip
        WHERE ce.chain_id = ?
        ORDER BY ce.role = 'entry' DESC, v.time_ms, v.id`,
    )
    .all(chainId) as (RawRow & Omit<ChainMemberRow, keyof EventRow>)[];
  return rows.map(toRow);
}

const LOCATED = 'g.lat IS NOT NULL AND g.lon IS NOT NULL';

/**
 * The located federations through an identity provider before the entry (AWS SAML / web identity), and a GCP
 * workload identity pool's token exchanges and calls. Both find their rows through `events_identity_provider`:
 * without it they read every event of the baseline window.
 */
export const IDP_BASELINE_WHERE = `FROM events e JOIN ip_geo g ON g.ip = e.source_ip
  WHERE e.action_sid IN (SELECT id FROM strings WHERE value IN ('AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'))
    AND e.identity_provider = :who AND e.time_ms >= :from AND e.time_ms < :to AND ${LOCATED}`;
export const POOL_BASELINE_WHERE = `FROM events e JOIN ip_geo g ON g.ip = e.source_ip
  WHERE e.identity_provider = :who AND e.time_ms >= :from AND e.time_ms < :to AND ${LOCATED}`;

/** The most points a map layer gets (the busiest sources first). */
const MAP_POINTS = 500;

/**
 * The chain's located sources, and the entry principal's located sources before the entry (within the run's
 * baseline): the caller account's own calls for an AWS third-party account (the account is who came in), the
 * federations through the provider for an identity provider, and for Azure and GCP the identity's own calls and
 * sign-ins. Never the whole source account there: an Azure home tenant or a GCP project or domain holds other
 * people, whose places are not this principal's. `firstSeenMs` is the first use in the chain / in the baseline.
 */
export function chainMap(db: Database.Database, chain: ChainHead): { chain: GeoPoint[]; baseline: GeoPoint[] } {
  const points = db
    .prepare(
      `SELECT e.source_ip ip, g.lat, g.lon, g.country, g.city, g.asn, g.as_org asOrg, min(e.time_ms) firstSeenMs, count(*) events
         FROM chain_events ce JOIN events e ON e.id = ce.event_id JOIN ip_geo g ON g.ip = e.source_ip
        WHERE ce.chain_id = ? AND ${LOCATED}
        GROUP BY e.source_ip ORDER BY firstSeenMs LIMIT ${MAP_POINTS}`,
    )
    .all(chain.id) as GeoPoint[];
  const to = chain.startedMs;
  const from = chain.baselineDays === null ? Number.MIN_SAFE_INTEGER : to - chain.baselineDays * DAY_MS;
  let baseline: GeoPoint[] = [];
  const grouped = `GROUP BY e.source_ip ORDER BY events DESC, firstSeenMs LIMIT ${MAP_POINTS}`;
  const select = 'SELECT e.source_ip ip, g.lat, g.lon, g.country, g.city, g.asn, g.as_org asOrg, min(e.time_ms) firstSeenMs, count(*) events';
  if (chain.entryKind === 'third-party-idp' && chain.principal) {
    baseline = db.prepare(`${select} ${IDP_BASELINE_WHERE} ${grouped}`).all({ who: chain.principal, from, to }) as GeoPoint[];
  } else if (chain.entryKind === 'workload-identity-federation' && chain.principal) {
    baseline = db.prepare(`${select} ${POOL_BASELINE_WHERE} ${grouped}`).all({ who: chain.principal, from, to }) as GeoPoint[];
  } else if (chain.finding.provider !== 'aws') {
    const ids = identityStrings(db, chain);
    if (ids.length > 0) {
      const mine = 'IN (SELECT value FROM json_each(:ids))';
      baseline = db
        .prepare(
          `${select} FROM events e JOIN ip_geo g ON g.ip = e.source_ip
            WHERE (e.principal_id_sid ${mine} OR e.principal_name_sid ${mine}) AND e.time_ms >= :from AND e.time_ms < :to AND ${LOCATED} ${grouped}`,
        )
        .all({ ids: JSON.stringify(ids), from, to }) as GeoPoint[];
    }
  } else if (chain.sourceAccount) {
    baseline = db
      .prepare(`${select} FROM events e JOIN ip_geo g ON g.ip = e.source_ip WHERE e.principal_account = :who AND e.time_ms >= :from AND e.time_ms < :to AND ${LOCATED} ${grouped}`)
      .all({ who: chain.sourceAccount, from, to }) as GeoPoint[];
  }
  return { chain: points, baseline };
}

/**
 * The string ids naming an Azure or GCP entry's identity: the name the finding gives (a UPN, a service account's
 * or user's email), and for Azure the entry record's object id, which names the same identity in Activity records
 * where its UPN is spelled otherwise (a guest's #EXT# name).
 */
function identityStrings(db: Database.Database, chain: ChainHead): number[] {
  const ids = chain.principal ? (db.prepare('SELECT id FROM strings WHERE value = ?').pluck().all(chain.principal) as number[]) : [];
  if (chain.finding.provider === 'azure') {
    const oid = db.prepare('SELECT principal_id_sid FROM events WHERE id = ?').pluck().get(chain.entryEventId) as number | null | undefined;
    if (oid !== null && oid !== undefined) ids.push(oid);
  }
  return ids;
}

// ---- explorer ----

/** One way to reach matching events: `driving` lets SQLite use an index, `passive` (columns behind a unary `+`) never does. */
interface Branch {
  driving: string;
  passive: string;
}

/**
 * One filter condition. Its branches are ORed; with branches it can drive the query (each branch is an
 * equality or IN on an index ending in time_ms), without it only filters rows another index found.
 */
interface Cond {
  driving: string;
  passive: string;
  branches: Branch[] | null;
  /** A single equality on an index ending in time_ms: walks events in (time_ms, id) order, no sort. */
  ordered: boolean;
  /** Its index holds time_ms (false: the credential index), so a time range can be counted in the index. */
  timed: boolean;
  params: Record<string, unknown>;
}

const branch = (col: string, rest: string): Branch => ({ driving: `${col} ${rest}`, passive: `+${col} ${rest}` });

function cond(branches: Branch[], ordered: boolean, params: Record<string, unknown>, drives = true, timed = true): Cond {
  const or = (parts: string[]) => (parts.length === 1 ? parts[0]! : `(${parts.map((p) => `(${p})`).join(' OR ')})`);
  return { driving: or(branches.map((b) => b.driving)), passive: or(branches.map((b) => b.passive)), branches: drives ? branches : null, ordered, params, timed };
}

interface Plan {
  /** Some filter value matches nothing in the case. */
  none: boolean;
  conds: Cond[];
  params: Record<string, unknown>;
}

/** A driver with fewer candidate events than this is read whole and sorted; past it, walking in time order wins. */
export const SET_DRIVER_LIMIT = 50_000;
const STATEMENT_CACHE = 256;

export interface PageResult {
  rows: EventRow[];
  hasMore: boolean;
  /** How the page was read (scripts/bench-explorer.ts prints it). */
  plan: string;
}

/**
 * The explorer's queries over one connection, with statements prepared once per query shape. Pages are
 * keyset-ordered by (time_ms, id). The planner picks one way in: an equality filter on an index ending in
 * time_ms (walks in order, reads only that value's events), a small set of candidates (fewer than
 * SET_DRIVER_LIMIT: read and sorted), or the time index itself; see choose().
 */
export class EventQueries {
  private readonly statements = new Map<string, Database.Statement>();
  /** Resolved filters (string ids, IP sets), valid until another connection writes the case (PRAGMA data_version). */
  private readonly plans = new Map<string, Plan>();

  constructor(private readonly db: Database.Database) {}

  /**
   * The sign-ins of an Entra sign-in session (`sessionId`, stored as source_identity) and the tokens they issued, for a
   * session filter that names no credential: investigators pivot on sessionId (an AiTM alert names it). Asked only when
   * the value matched no credential; it reads the sign-ins through the action index (source_identity has none), and
   * the plan that uses it is cached.
   */
  private entraSession(sessionId: string): { id: number; token: string | null }[] {
    return this.stmt("SELECT id, issued_credential_id token FROM events WHERE source_identity = ? AND +provider = 'azure' AND action_sid IN (SELECT id FROM strings WHERE value = 'SignIn')")
      .all(sessionId) as { id: number; token: string | null }[];
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value as string);
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** The resolved filter, from the cache while the case is unchanged (free text scans the strings table). */
  private plan(filter: EventFilter): Plan {
    const { fromMs: _from, toMs: _to, ...values } = filter;
    const key = `${this.stmt('PRAGMA data_version').pluck().get() as number}|${JSON.stringify(values)}`;
    let plan = this.plans.get(key);
    if (!plan) {
      if (this.plans.size >= 32) this.plans.delete(this.plans.keys().next().value as string);
      plan = this.resolve(values);
      this.plans.set(key, plan);
    }
    return plan;
  }

  /** Resolves filter values to string ids and IP sets once, so every query below binds integers. */
  private resolve(filter: EventFilter): Plan {
    const conds: Cond[] = [];
    const params: Record<string, unknown> = {};
    const none = { none: true, conds, params };
    const json = (values: unknown[]) => JSON.stringify(values);
    const sidsOf = (value: string): number[] => {
      const exact = this.stmt('SELECT id FROM strings WHERE value = ?').pluck().all(value) as number[];
      return exact.length > 0 ? exact : (this.stmt('SELECT id FROM strings WHERE value = ? COLLATE NOCASE LIMIT 1000').pluck().all(value) as number[]);
    };
    /**
     * A principal as typed: the exact name or id (else the same ignoring case), and every name or id it is the last
     * part of, or a whole path part of: a role name (`…:assumed-role/OrganizationAccountAccessRole/x`), a session name
     * (`…/maint-0917`, `AROA…:maint-0917`), a user whose SSO sessions are `…/AWSReservedSSO_…/emma@example.com`.
     * Read from the interned strings (thousands of rows), so the events are still found through their indexes.
     */
    const principalSids = (value: string): number[] => {
      const like = value.replace(/[\\%_]/g, (c) => `\\${c}`);
      const parts = this.stmt(
        "SELECT id FROM strings WHERE value LIKE '%/' || ? ESCAPE '\\' OR value LIKE '%/' || ? || '/%' ESCAPE '\\' OR value LIKE '%:' || ? ESCAPE '\\' LIMIT 10000",
      ).pluck().all(like, like, like) as number[];
      // A role's ARN (as AssumeRole's requestParameters name it) stands for its sessions: arn:aws:sts::…:assumed-role/NAME/…
      const role = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(value);
      const sessions = role
        ? (this.stmt("SELECT id FROM strings WHERE value LIKE ? ESCAPE '\\' LIMIT 10000").pluck().all(`arn:%:sts::${role[1]}:assumed-role/${role[2]!.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`) as number[])
        : [];
      return [...new Set([...sidsOf(value), ...parts, ...sessions])];
    };
    /** An equality (one value) or IN (several) on one indexed column. */
    const column = (col: string, name: string, values: unknown[]): Cond => {
      params[name] = values.length === 1 ? values[0] : json(values);
      const rest = values.length === 1 ? `= :${name}` : `IN (SELECT value FROM json_each(:${name}))`;
      return cond([branch(col, rest)], values.length === 1, { [name]: params[name] });
    };

    if (filter.action !== undefined) {
      const sids = sidsOf(filter.action);
      if (sids.length === 0) return none;
      conds.push(column('action_sid', 'action', sids));
    }
    if (filter.principal !== undefined) {
      const sids = principalSids(filter.principal);
      const used = (col: string) => sids.length > 0 && this.stmt(`SELECT 1 FROM events WHERE ${col} IN (SELECT value FROM json_each(?)) LIMIT 1`).get(json(sids)) !== undefined;
      const cols = ['principal_name_sid', 'principal_id_sid'].filter(used);
      // An account is a principal too: a finding names an outside account that assumed a role by its id alone.
      const account = this.stmt('SELECT 1 FROM events WHERE principal_account = ? LIMIT 1').get(filter.principal) !== undefined;
      // A GCP caller's calls through a service account it impersonates carry the credential `caller>service account`:
      // a range on the credential index (`>` is U+003E, `?` the next character) finds them.
      const delegation = { delegator: `${filter.principal}>`, delegatorEnd: `${filter.principal}?` };
      const delegated = filter.principal.includes('@') && this.stmt('SELECT 1 FROM events WHERE credential_id >= ? AND credential_id < ? LIMIT 1').get(delegation.delegator, delegation.delegatorEnd) !== undefined;
      if (cols.length === 0 && !account && !delegated) return none;
      if (cols.length === 1 && !account && !delegated) conds.push(column(cols[0]!, 'principal', sids));
      else if (cols.length === 0 && !delegated) conds.push(column('principal_account', 'principal', [filter.principal]));
      else {
        const p: Record<string, unknown> = {};
        const branches = cols.map((c) => branch(c, 'IN (SELECT value FROM json_each(:principal))'));
        if (cols.length > 0) p.principal = json(sids);
        if (account) {
          p.principalAccount = filter.principal;
          branches.push(branch('principal_account', '= :principalAccount'));
        }
        if (delegated) {
          Object.assign(p, delegation);
          branches.push({ driving: 'credential_id >= :delegator AND credential_id < :delegatorEnd', passive: '+credential_id >= :delegator AND +credential_id < :delegatorEnd' });
        }
        Object.assign(params, p);
        conds.push(cond(branches, false, p));
      }
    }
    if (filter.account !== undefined) {
      // Target accounts are the case's own (their logs are in it): such an account matches most events, so it
      // only filters. Any other account can only be a caller's: an indexed equality.
      const own = this.stmt('SELECT 1 FROM case_accounts WHERE account = ?').get(filter.account) !== undefined;
      if (own) {
        params.account = filter.account;
        conds.push(cond([branch('principal_account', '= :account'), branch('target_account', '= :account')], false, { account: filter.account }, false));
      } else conds.push(column('principal_account', 'account', [filter.account]));
    }
    if (filter.sourceIp !== undefined) {
      // A CIDR block, or an IPv6 address (logs spell one address several ways, 2A0B:F4C2:2:0:0:0:0:42 and
      // 2a0b:f4c2:2::42, and stored events keep the log's): the case's addresses in it, compared as numbers, read off
      // the source index (60 ms over a million events).
      if (filter.sourceIp.includes('/') || filter.sourceIp.includes(':')) {
        const known = this.stmt('SELECT DISTINCT source_ip FROM events WHERE source_ip IS NOT NULL').pluck().all() as string[];
        const ips = known.filter((ip) => ipInCidr(ip, filter.sourceIp!));
        if (ips.length === 0) return none;
        conds.push(column('source_ip', 'sourceIp', ips));
      } else conds.push(column('source_ip', 'sourceIp', [filter.sourceIp]));
    }
    // One session's calls. Its index does not end in time_ms, so it drives as a set (read and sorted).
    if (filter.credential !== undefined) {
      const signIns = this.stmt('SELECT 1 FROM events WHERE credential_id = ? LIMIT 1').get(filter.credential) === undefined ? this.entraSession(filter.credential) : null;
      if (signIns === null) {
        params.credential = filter.credential;
        conds.push(cond([branch('credential_id', '= :credential')], false, { credential: filter.credential }, true, false));
      } else {
        if (signIns.length === 0) return none;
        // An Entra sign-in session (sessionId): its sign-ins, and the calls made with the tokens they issued.
        const tokens = [...new Set(signIns.map((r) => r.token).filter((t): t is string => t !== null))];
        params.sessionSignIns = json(signIns.map((r) => r.id));
        params.sessionTokens = json(tokens);
        conds.push(cond(
          [branch('id', 'IN (SELECT value FROM json_each(:sessionSignIns))'), branch('credential_id', 'IN (SELECT value FROM json_each(:sessionTokens))')],
          false, { sessionSignIns: params.sessionSignIns, sessionTokens: params.sessionTokens }, true, false,
        ));
      }
    }
    for (const [key, col] of [['country', 'country'], ['asn', 'asn']] as const) {
      const value = filter[key];
      if (value === undefined) continue;
      const ips = this.stmt(`SELECT ip FROM ip_geo WHERE ${col} = ?`).pluck().all(value) as string[];
      if (ips.length === 0) return none;
      conds.push(column('source_ip', key, ips));
    }
    if (filter.outcome !== undefined) {
      // A closed set of three values, written as a literal so SQLite can use the partial index on non-success.
      // SQLite uses a partial index only when the query repeats its WHERE term, hence `outcome <> 'success'`.
      const literal = `'${filter.outcome}'`;
      const indexed = filter.outcome !== 'success';
      const b: Branch = { driving: `outcome = ${literal}${indexed ? " AND outcome <> 'success'" : ''}`, passive: `+outcome = ${literal}` };
      conds.push(cond([b], indexed, {}, indexed));
    }
    if (filter.text !== undefined) {
      const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const sids = this.stmt("SELECT id FROM strings WHERE value LIKE ? ESCAPE '\\'").pluck().all(pattern) as number[];
      const knownIps = this.stmt('SELECT count(*) FROM ip_geo').pluck().get() as number;
      const ips = knownIps > 0 ? (this.stmt("SELECT ip FROM ip_geo WHERE ip LIKE ? ESCAPE '\\'").pluck().all(pattern) as string[]) : [filter.text];
      const branches: Branch[] = [];
      const p: Record<string, unknown> = { text: filter.text };
      if (sids.length > 0) {
        p.textSids = json(sids);
        for (const c of ['action_sid', 'principal_name_sid', 'user_agent_sid']) branches.push(branch(c, 'IN (SELECT value FROM json_each(:textSids))'));
      }
      if (ips.length > 0) {
        p.textIps = json(ips);
        branches.push(branch('source_ip', 'IN (SELECT value FROM json_each(:textIps))'));
      }
      // Event ids through the identity index (provider first: every provider is listed so the index applies).
      branches.push({ driving: "provider IN ('aws', 'azure', 'gcp') AND native_id = :text", passive: '+native_id = :text' });
      Object.assign(params, p);
      conds.push(cond(branches, false, p));
    }
    return { none: false, conds, params };
  }

  /** Time range and keyset conditions (always on time_ms, which ends every driver index). */
  private static range(filter: EventFilter, after: { timeMs: number; id: number } | undefined, params: Record<string, unknown>): string[] {
    const out: string[] = [];
    if (filter.fromMs !== undefined) {
      params.fromMs = filter.fromMs;
      out.push('time_ms >= :fromMs');
    }
    if (filter.toMs !== undefined) {
      params.toMs = filter.toMs;
      out.push('time_ms < :toMs');
    }
    if (after) {
      params.afterMs = after.timeMs;
      params.afterId = after.id;
      out.push('(time_ms, id) > (:afterMs, :afterId)');
    }
    return out;
  }

  /** Candidate events a driver reaches in the range, counted up to `cap` (index-only, so cheap). */
  private countDriver(cond: Cond, range: string[], params: Record<string, unknown>, cap: number): number {
    const sql = `SELECT count(*) FROM (${EventQueries.union(cond, range)} LIMIT ${cap})`;
    return this.stmt(sql).pluck().get(pick(sql, params)) as number;
  }

  /** The ids a driver reaches in the range, as one statement (its branches' index lookups, concatenated). */
  private static union(cond: Cond, range: string[]): string {
    return cond.branches!.map((b) => `SELECT id FROM events WHERE ${[b.driving, ...range].join(' AND ')}`).join(' UNION ALL ');
  }

  /**
   * Chooses the way in. An ordered driver (the one with the fewest candidates) is walked in (time_ms, id)
   * order; a set driver is used instead when it is far smaller. Other drivers with fewer than
   * SET_DRIVER_LIMIT candidates become semi-joins (`id IN (…)`, built from their indexes alone), so the walk
   * never reads a table row to reject it; the rest are checked per row. Without drivers, the time index.
   */
  private choose(plan: Plan, range: string[], params: Record<string, unknown>): { kind: 'ordered' | 'set' | 'time'; driver: Cond | null; where: string[]; how: string } {
    const drivers = plan.conds.filter((c) => c.branches !== null);
    const passive = (except: Set<Cond>) => plan.conds.filter((c) => !except.has(c)).map((c) => c.passive);
    if (drivers.length === 0) return { kind: 'time', driver: null, where: passive(new Set()), how: 'time' };
    if (drivers.length === 1 && drivers[0]!.ordered) return { kind: 'ordered', driver: drivers[0]!, where: [drivers[0]!.driving, ...passive(new Set(drivers))], how: `ordered:${name(drivers[0]!)}` };
    const counted = drivers.map((d) => ({ d, n: this.countDriver(d, range, params, SET_DRIVER_LIMIT) })).sort((a, b) => a.n - b.n || Number(b.d.ordered) - Number(a.d.ordered));
    const counts = `(${counted.map((c) => `${name(c.d)} ${c.n >= SET_DRIVER_LIMIT ? '≥' : ''}${c.n}`).join(', ')})`;
    const bestSet = counted.find((c) => !c.d.ordered && c.n < SET_DRIVER_LIMIT);
    const bestOrdered = counted.find((c) => c.d.ordered);
    if (bestSet && (!bestOrdered || bestSet.n * 4 < bestOrdered.n)) {
      return { kind: 'set', driver: bestSet.d, where: [`id IN (${EventQueries.union(bestSet.d, range)})`, ...passive(new Set([bestSet.d]))], how: `set:${name(bestSet.d)} ${counts}` };
    }
    const semi = counted.filter((c) => c !== bestOrdered && c.n < SET_DRIVER_LIMIT).map((c) => c.d);
    const semiJoins = semi.map((d) => `id IN (${EventQueries.union(d, range)})`);
    if (bestOrdered) {
      const used = new Set([bestOrdered.d, ...semi]);
      return { kind: 'ordered', driver: bestOrdered.d, where: [bestOrdered.d.driving, ...semiJoins, ...passive(used)], how: `ordered:${name(bestOrdered.d)}${semi.length ? ` semi:${semi.map(name).join('+')}` : ''} ${counts}` };
    }
    return { kind: 'time', driver: null, where: [...semiJoins, ...passive(new Set(semi))], how: `time ${counts}` };
  }

  /** One keyset page of events matching `filter`, in (time_ms, id) order, after `after`. */
  page(filter: EventFilter, after: { timeMs: number; id: number } | undefined, limit: number): PageResult {
    const plan = this.plan(filter);
    if (plan.none) return { rows: [], hasMore: false, plan: 'none' };
    const params = { ...plan.params };
    const range = EventQueries.range(filter, after, params);
    const choice = this.choose(plan, range, params);
    params.limit = limit + 1;
    // A set driver already applied the range inside its union; the outer query only sorts its candidates.
    const where = choice.kind === 'set' ? choice.where : [...choice.where, ...range];
    const sql = `SELECT id FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time_ms, id LIMIT :limit`;
    const ids = this.stmt(sql).pluck().all(pick(sql, params)) as number[];
    const hasMore = ids.length > limit;
    if (hasMore) ids.length = limit;
    return { rows: this.rows(ids), hasMore, plan: choice.how };
  }

  /** Rows by id, in the order given. */
  rows(ids: number[]): EventRow[] {
    if (ids.length === 0) return [];
    const rows = this.stmt(`SELECT ${ROW_COLUMNS} FROM events_v v LEFT JOIN ip_geo g ON g.ip = v.source_ip WHERE v.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as RawRow[];
    const byId = new Map(rows.map((r) => [r.id, toRow(r)]));
    return ids.map((id) => byId.get(id)).filter((r): r is EventRow => r !== undefined);
  }

  /** The case's time span, UTC epoch ms (lastMs inclusive), or null when it holds no events. */
  span(): { firstMs: number; lastMs: number } | null {
    const r = this.stmt('SELECT (SELECT min(time_ms) FROM events) lo, (SELECT max(time_ms) FROM events) hi').get() as { lo: number | null; hi: number | null };
    return r.lo === null || r.hi === null ? null : { firstMs: r.lo, lastMs: r.hi };
  }

  /**
   * Events matching `filter` per time bucket, over the filter's range or else the whole case. Counts every
   * match (the explorer shows their sum as the total). One count per bucket through the chosen driver's
   * index: counting ranges of an index is far cheaper than grouping a million rows by an expression.
   */
  histogram(filter: EventFilter, buckets: number): { fromMs: number; toMs: number; bucketMs: number; counts: number[]; plan: string } {
    const span = this.span();
    const fromMs = filter.fromMs ?? span?.firstMs;
    const toMs = filter.toMs ?? (span ? span.lastMs + 1 : undefined);
    if (fromMs === undefined || toMs === undefined || toMs <= fromMs) return { fromMs: fromMs ?? 0, toMs: toMs ?? 0, bucketMs: 1, counts: [], plan: 'empty' };
    const bucketMs = Math.max(1, Math.ceil((toMs - fromMs) / buckets));
    const n = Math.ceil((toMs - fromMs) / bucketMs);
    const counts = new Array<number>(n).fill(0);
    const plan = this.plan(filter);
    if (plan.none) return { fromMs, toMs, bucketMs, counts, plan: 'none' };
    const params: Record<string, unknown> = { ...plan.params, hFrom: fromMs, hTo: toMs, bucketMs, buckets: n };
    // Every match is counted, so the cheapest way in is the driver with the fewest candidates, through its
    // own index (even a set: per bucket, IN over its values' index ranges), never a filter checked per row.
    const range = ['time_ms >= :hFrom', 'time_ms < :hTo'];
    const drivers = plan.conds.filter((c) => c.branches !== null);
    const counted = drivers.length > 1 ? drivers.map((d) => ({ d, n: this.countDriver(d, range, params, SET_DRIVER_LIMIT) })).sort((a, b) => a.n - b.n) : drivers.map((d) => ({ d, n: 0 }));
    const driver = counted[0]?.d ?? null;
    const semi = counted.slice(1).filter((c) => c.n < SET_DRIVER_LIMIT).map((c) => c.d);
    const where = [
      ...(driver ? [driver.driving] : []),
      ...semi.map((d) => `id IN (${EventQueries.union(d, range)})`),
      ...plan.conds.filter((c) => c !== driver && !semi.includes(c)).map((c) => c.passive),
    ];
    const how = driver ? `${name(driver)}${semi.length ? ` semi:${semi.map(name).join('+')}` : ''}` : 'time';
    if (driver && !driver.timed) {
      // Its index has no time: one pass over the driver's rows, grouped by bucket, instead of one pass per bucket.
      const grouped = `SELECT CAST((time_ms - :hFrom) / :bucketMs AS INTEGER) i, count(*) n FROM events WHERE ${[...where, ...range].join(' AND ')} GROUP BY 1`;
      for (const r of this.stmt(grouped).all(pick(grouped, params)) as { i: number; n: number }[]) counts[r.i] = r.n;
      return { fromMs, toMs, bucketMs, counts, plan: `${how} grouped` };
    }
    const sql = `WITH RECURSIVE b(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM b WHERE i + 1 < :buckets)
      SELECT i, (SELECT count(*) FROM events WHERE ${[...where, 'time_ms >= :hFrom + i * :bucketMs', 'time_ms < min(:hFrom + (i + 1) * :bucketMs, :hTo)'].join(' AND ')}) n FROM b`;
    for (const r of this.stmt(sql).all(pick(sql, params)) as { i: number; n: number }[]) counts[r.i] = r.n;
    return { fromMs, toMs, bucketMs, counts, plan: how };
  }

  /** One event by row id, or null. */
  get(id: number): EventRow | null {
    return this.rows([id])[0] ?? null;
  }
}

/** A short name for a condition in plan descriptions: its parameter names. */
function name(c: Cond): string {
  return Object.keys(c.params).join('+') || c.driving.replace(/\s.*$/, '');
}

/** better-sqlite3 refuses named parameters a statement does not use: bind only those in `sql`. */
function pick(sql: string, params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of sql.matchAll(/:(\w+)/g)) if (m[1]! in params) out[m[1]!] = params[m[1]!];
  return out;
}
