import type Database from 'better-sqlite3';
import { EVENT_COLUMNS } from '../../../shared/domain/event';
import { SIGN_IN } from './rollups-repo';

const column = (name: (typeof EVENT_COLUMNS)[number]) => EVENT_COLUMNS.indexOf(name);
const PROVIDER = column('provider');
const TIME = column('timeMs');
const SERVICE = column('service');
const ACTION = column('action');
const EVENT_TYPE = column('eventType');
const PRINCIPAL_ID = column('principalId');
const PRINCIPAL_NAME = column('principalName');
const PRINCIPAL_ACCOUNT = column('principalAccount');
const SESSION_ISSUER = column('sessionIssuer');
const TARGET_ACCOUNT = column('targetAccount');
const SOURCE_IP = column('sourceIp');
const REGION = column('region');
const CREDENTIAL = column('credentialId');
const TARGET_RESOURCE = column('targetResource');
const IDENTITY_PROVIDER = column('identityProvider');
const OUTCOME = column('outcome');

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** One rollup key (its column values, in the table's order) and what its events added up to since the last flush. */
interface Tally {
  key: unknown[];
  /** Per day (sightings) or hour (hours) before the current one: the first time and the events. */
  by: Map<number, { first: number; events: number }>;
  /** The current day or hour (consecutive events mostly share it), its first time and events, not yet in `by`. */
  at: number;
  first: number;
  events: number;
}

function newTally(key: unknown[]): Tally {
  return { key, by: new Map(), at: Number.NaN, first: 0, events: 0 };
}

/** Counts an event at `timeMs` in day or hour `at` of `t`. */
function count(t: Tally, at: number, timeMs: number): void {
  if (at === t.at) {
    t.events++;
    if (timeMs < t.first) t.first = timeMs;
    return;
  }
  settle(t);
  t.at = at;
  t.first = timeMs;
  t.events = 1;
}

/** Puts the current day or hour of `t` into its map. */
function settle(t: Tally): void {
  if (Number.isNaN(t.at)) return;
  const had = t.by.get(t.at);
  if (had === undefined) t.by.set(t.at, { first: t.first, events: t.events });
  else {
    had.first = Math.min(had.first, t.first);
    had.events += t.events;
  }
  t.at = Number.NaN;
}

/**
 * Rolls up the events an import inserts, for the rollup tables (rollups-repo.ts): `add` each inserted row, `flush`
 * in the transaction that commits them. Its key columns are those of rollups-repo's SQL, which derives the same rows
 * from the events (tests hold the two equal). Consecutive events mostly share their scope and often their caller, so
 * each event is first compared with the previous one's key, column by column, before a key is built and looked up.
 */
export class RollupCollector {
  /** By source address first: a lookup on a short string, then a few keys compared, costs less than naming the key. */
  private sightings = new Map<string, TalliesOfIp>();
  private hours = new Map<string, Tally>();
  private lastSighting: Tally | null = null;
  private lastHours: Tally | null = null;
  private readonly insertSighting: Database.Statement;
  private readonly insertHour: Database.Statement;

  /**
   * `sidOf`: the string id the writer bound for a text, if it has met it. Every interned value of a row it adds went
   * through it, so a text it has not met is in none of them.
   */
  constructor(db: Database.Database, private readonly sidOf: (text: string) => number | undefined) {
    this.insertSighting = db.prepare(
      'INSERT INTO rollup_sightings (provider, ip, account, principal_name_sid, session_issuer_sid, target_resource, principal_id_sid, identity_provider, delegator, day, first_ms, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertHour = db.prepare('INSERT INTO rollup_hours (provider, account, region_sid, category_sid, sign_in, cross_tenant, hour, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** An inserted event: its EVENT_COLUMNS values from `row[at]` on, interned columns as string ids. */
  add(row: unknown[], at: number): void {
    const provider = row[at + PROVIDER] as string;
    const timeMs = row[at + TIME] as number;
    const target = row[at + TARGET_ACCOUNT];
    const principalAccount = row[at + PRINCIPAL_ACCOUNT];
    const region = row[at + REGION];
    const category = row[at + EVENT_TYPE];
    let signIn = 0;
    let crossTenant = 0;
    if (provider === 'azure' && this.isText(row[at + ACTION], SIGN_IN.action)) {
      signIn = this.isText(row[at + SERVICE], SIGN_IN.service) ? 1 : 0;
      crossTenant = principalAccount !== null && target !== null && principalAccount !== target ? 1 : 0;
    }
    let scope = this.lastHours;
    if (scope === null || !sameKey6(scope.key, provider, target, region, category, signIn, crossTenant)) {
      scope = this.tally(this.hours, [provider, target, region, category, signIn, crossTenant]);
      this.lastHours = scope;
    }
    count(scope, Math.trunc(timeMs / HOUR_MS), timeMs); // SQLite's integer division truncates too

    const ip = row[at + SOURCE_IP];
    // A refused or failed request is no use of the address: an attacker's denied probe, or a wrong password, would
    // otherwise make its own address familiar for the entry that follows (rollups-repo.ts says the same in SQL).
    if (ip === null || row[at + OUTCOME] === 'failure') return;
    const name = row[at + PRINCIPAL_NAME];
    const issuer = row[at + SESSION_ISSUER];
    const resource = provider === 'azure' ? null : row[at + TARGET_RESOURCE];
    const id = provider === 'aws' ? null : row[at + PRINCIPAL_ID];
    let idp: unknown = null;
    let delegator: string | null = null;
    if (provider === 'gcp') {
      idp = row[at + IDENTITY_PROVIDER];
      const credential = row[at + CREDENTIAL];
      const delegation = typeof credential === 'string' ? credential.indexOf('>') : -1;
      if (delegation > 0) delegator = (credential as string).slice(0, delegation); // none when empty, as in rollups-repo's SQL
    }
    let caller = this.lastSighting;
    if (caller === null || !sameKey9(caller.key, provider, ip, principalAccount, name, issuer, resource, id, idp, delegator)) {
      // Consecutive events share their caller's key only about 40% of the time (the bench): the others are looked up.
      let atIp = this.sightings.get(ip as string);
      if (atIp === undefined) {
        atIp = new TalliesOfIp();
        this.sightings.set(ip as string, atIp);
      }
      caller = atIp.find(provider, ip, principalAccount, name, issuer, resource, id, idp, delegator);
      this.lastSighting = caller;
    }
    count(caller, Math.trunc(timeMs / DAY_MS), timeMs);
  }

  /** Writes what was added since the last flush (call inside the transaction that commits those events). */
  flush(): void {
    for (const atIp of this.sightings.values()) {
      for (const t of atIp.all) {
        settle(t);
        for (const [day, { first, events }] of t.by) this.insertSighting.run(...t.key, day, first, events);
      }
    }
    for (const t of this.hours.values()) {
      settle(t);
      for (const [hour, { events }] of t.by) this.insertHour.run(...t.key, hour, events);
    }
    this.discard();
  }

  /** Forgets what was added (its events were rolled back). */
  discard(): void {
    this.sightings = new Map();
    this.hours = new Map();
    this.lastSighting = null;
    this.lastHours = null;
  }

  private isText(sid: unknown, text: string): boolean {
    return sid !== null && sid === this.sidOf(text);
  }

  /** The tally of `key`, found (or made) by its name. */
  private tally(tallies: Map<string, Tally>, key: unknown[]): Tally {
    const name = nameOf(key);
    let found = tallies.get(name);
    if (found === undefined) {
      found = newTally(key);
      tallies.set(name, found);
    }
    return found;
  }
}

/** Keys compared one by one before a source address's tallies are looked up by name instead. */
const SCANNED_TALLIES = 16;

/** The sighting tallies of one source address: a short list compared key by key, or by name past SCANNED_TALLIES (a NAT). */
class TalliesOfIp {
  readonly all: Tally[] = [];
  private byName: Map<string, Tally> | null = null;

  /** The tally of the key (a, …, i), made if new. Its values are spelled out: spreading them cost the writer 20% more. */
  find(a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown, g: unknown, h: unknown, i: unknown): Tally {
    if (this.byName === null) {
      for (let n = 0; n < this.all.length; n++) if (sameKey9(this.all[n]!.key, a, b, c, d, e, f, g, h, i)) return this.all[n]!;
    }
    const key = [a, b, c, d, e, f, g, h, i];
    if (this.byName === null) {
      if (this.all.length < SCANNED_TALLIES) return this.add(key);
      this.byName = new Map(this.all.map((t) => [nameOf(t.key), t]));
    }
    const name = nameOf(key);
    return this.byName.get(name) ?? this.add(key, name);
  }

  private add(key: unknown[], name?: string): Tally {
    const t = newTally(key);
    this.all.push(t);
    if (name !== undefined) this.byName!.set(name, t);
    return t;
  }
}

/**
 * A name that spells each value of a key unambiguously, whatever a hostile log put in its strings: `-` for null, `#n;`
 * for a number, and a string prefixed by its length. (JSON.stringify cost more.)
 */
function nameOf(key: unknown[]): string {
  let name = '';
  for (const v of key) name += v === null ? '-' : typeof v === 'number' ? `#${v};` : `${(v as string).length}:${v as string}`;
  return name;
}

// Spelled out per width: a loop over an arguments array cost the writer more than the comparisons.
function sameKey6(k: unknown[], a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown): boolean {
  return k[0] === a && k[1] === b && k[2] === c && k[3] === d && k[4] === e && k[5] === f;
}

function sameKey9(k: unknown[], a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown, g: unknown, h: unknown, i: unknown): boolean {
  return k[0] === a && k[1] === b && k[2] === c && k[3] === d && k[4] === e && k[5] === f && k[6] === g && k[7] === h && k[8] === i;
}
