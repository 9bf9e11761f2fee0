// An in-memory Client for store tests and for working on the UI without the core (`?fake` on a dev
// server). It follows the contract's semantics closely enough to exercise every screen: keyset paging,
// filters, histograms, jobs with progress events, a correlator that honours the account allowlist.
import type { About, CaseInfo, EventFilter, EventRow, Events, GeoPoint, JobFinished, RecentCase, RequestChannel, RequestOf, ResponseOf, TimelineEvent } from '../../shared/ipc/contract';
import type { CorrelationSettings, Finding } from '../../shared/domain/correlation';
import type { Annotation, AuditEntry } from '../../shared/domain/annotations';
import { DEFAULT_CORRELATION_SETTINGS } from '../../shared/domain/correlation';
import { DEFAULT_SAMPLE } from '../../shared/domain/samples';
import { plural } from '../../shared/text/plural';
import { IpcError, type Client } from './client';

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1);

interface FakeChain {
  account: string;
  vendor: string | null;
  ip: string;
  country: string;
  city: string;
  asn: number;
  asOrg: string;
  lat: number;
  lon: number;
  atMs: number;
  privileged: [string, string][];
}

const CHAINS: FakeChain[] = [
  { account: '999988887777', vendor: null, ip: '185.220.101.34', country: 'DE', city: 'Berlin', asn: 60729, asOrg: 'Stiftung Erneuerbare Freiheit', lat: 52.52, lon: 13.405, atMs: START + 12 * DAY + 8_263_000,
    privileged: [['CreateUser', 'persistence'], ['CreateAccessKey', 'credential-minting'], ['AttachUserPolicy', 'permission-escalation'], ['StopLogging', 'defense-evasion']] },
  { account: '464622532012', vendor: 'Datadog', ip: '103.253.145.20', country: 'VN', city: 'Hanoi', asn: 131429, asOrg: 'MOBIFONE Global', lat: 21.03, lon: 105.85, atMs: START + 20 * DAY + 40_000_000,
    privileged: [['PutRolePolicy', 'permission-escalation']] },
];

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FakeEvent extends EventRow {
  chain: number | null;
  role: TimelineEvent['role'] | null;
  category: string | null;
}

function buildEvents(): FakeEvent[] {
  const rand = mulberry32(1348);
  const actions = ['DescribeInstances', 'ListBuckets', 'GetObject', 'PutObject', 'AssumeRole', 'ConsoleLogin', 'GetCallerIdentity', 'DescribeSecurityGroups'];
  const people = ['alice', 'bob', 'ci-deployer', 'carol'];
  const ips = ['198.51.100.7', '198.51.100.8', '203.0.113.20', '192.0.2.44'];
  const events: FakeEvent[] = [];
  let id = 1;
  for (let i = 0; i < 1800; i++) {
    const timeMs = START + Math.floor(rand() * 30 * DAY);
    const action = actions[Math.floor(rand() * actions.length)] ?? 'ListBuckets';
    events.push({
      id: 0, provider: 'aws', nativeId: `evt-${i.toString(16).padStart(6, '0')}`, timeMs, timeText: new Date(timeMs).toISOString(),
      service: 'ec2.amazonaws.com', action, outcome: rand() < 0.05 ? 'failure' : 'success', errorCode: null, readOnly: action.startsWith('Describe') || action.startsWith('List') || action.startsWith('Get'),
      principalType: 'AssumedRole', principalName: people[Math.floor(rand() * people.length)] ?? 'alice', principalAccount: '111111111111', targetAccount: '111111111111',
      sourceIp: ips[Math.floor(rand() * ips.length)] ?? null, sourceService: null, userAgent: 'aws-cli/2.15.0', region: 'eu-west-1', credentialId: 'ASIAEXAMPLE',
      country: 'IE', city: 'Dublin', asn: 16509, asOrg: 'Amazon.com', chain: null, role: null, category: null,
    });
  }
  CHAINS.forEach((c, chainIndex) => {
    const mk = (offsetMs: number, action: string, role: TimelineEvent['role'], category: string | null): FakeEvent => ({
      id: 0, provider: 'aws', nativeId: `chain${chainIndex + 1}-${action}-${offsetMs}`, timeMs: c.atMs + offsetMs, timeText: new Date(c.atMs + offsetMs).toISOString(),
      service: 'iam.amazonaws.com', action, outcome: 'success', errorCode: null, readOnly: false, principalType: role === 'entry' ? 'AWSAccount' : 'AssumedRole',
      principalName: role === 'entry' ? c.account : 'OrganizationAccountAccessRole/attacker', principalAccount: role === 'entry' ? c.account : '111111111111', targetAccount: '111111111111',
      sourceIp: c.ip, sourceService: null, userAgent: 'Boto3/1.34.0 <script>alert(1)</script>', region: 'us-east-1', credentialId: 'ASIAATTACKER',
      country: c.country, city: null, asn: c.asn, asOrg: c.asOrg, chain: chainIndex + 1, role, category,
    });
    events.push(mk(0, 'AssumeRole', 'entry', null));
    events.push(mk(40_000, 'GetCallerIdentity', 'call', null));
    c.privileged.forEach(([action, category], i) => events.push(mk(300_000 + i * 90_000, action, 'privileged', category)));
  });
  events.sort((a, b) => a.timeMs - b.timeMs);
  for (const e of events) e.id = id++;
  return events;
}

function matches(e: EventRow, f: EventFilter): boolean {
  if (f.fromMs !== undefined && e.timeMs < f.fromMs) return false;
  if (f.toMs !== undefined && e.timeMs >= f.toMs) return false;
  if (f.principal && !(e.principalName ?? '').includes(f.principal)) return false;
  if (f.account && e.principalAccount !== f.account && e.targetAccount !== f.account) return false;
  if (f.sourceIp && e.sourceIp !== f.sourceIp) return false;
  if (f.asn !== undefined && e.asn !== f.asn) return false;
  if (f.country && e.country !== f.country) return false;
  if (f.action && e.action !== f.action) return false;
  if (f.outcome && e.outcome !== f.outcome) return false;
  if (f.credential && e.credentialId !== f.credential) return false;
  if (f.text) {
    const t = f.text.toLowerCase();
    if (![e.action, e.principalName, e.userAgent, e.sourceIp, e.nativeId].some((v) => (v ?? '').toLowerCase().includes(t))) return false;
  }
  return true;
}

export interface FakeClientOptions {
  /** Milliseconds between job progress steps (0 in tests). */
  stepMs?: number;
  mode?: Client['mode'];
}

/** A Client backed by memory; see the file comment. */
export function createFakeClient(options: FakeClientOptions = {}): Client & { emit<E extends keyof Events>(e: E, p: Events[E]): void } {
  const stepMs = options.stepMs ?? 120;
  const listeners = new Map<string, Set<(p: never) => void>>();
  const events = buildEvents();
  let open: CaseInfo | null = null;
  let imported = false;
  let correlated = false;
  let settings: CorrelationSettings = structuredClone(DEFAULT_CORRELATION_SETTINGS);
  /** The settings of the last completed correlation (a run in progress leaves the previous findings). */
  let applied: CorrelationSettings = settings;
  let nextJob = 1;
  const recent: RecentCase[] = [{ file: '/cases/earlier.crossline', name: 'earlier', openedAt: START + 40 * DAY }];
  const running = new Map<number, ReturnType<typeof setTimeout>>();

  function emit<E extends keyof Events>(channel: E, payload: Events[E]): void {
    for (const l of [...(listeners.get(channel) ?? [])]) (l as (p: Events[E]) => void)(payload);
  }

  function info(file: string): CaseInfo {
    const visible = imported ? events : [];
    return {
      file, name: file.split('/').pop()?.replace(/\.crossline$/, '') ?? file, events: visible.length,
      firstEventMs: visible[0]?.timeMs ?? null, lastEventMs: visible.at(-1)?.timeMs ?? null,
      accounts: imported ? [{ provider: 'aws', account: '111111111111' }, { provider: 'aws', account: '222222222222' }] : [],
      sources: { files: imported ? 120 : 0, archives: 0, incomplete: 0, bytes: imported ? 4_200_000 : 0 }, imports: imported ? 1 : 0, problems: imported ? 1 : 0,
      lastCorrelationMs: correlated ? Date.now() : null,
      analysis: { unfinishedImports: [], importsAfterCorrelation: 0 },
    };
  }

  function findings(): Finding[] {
    if (!correlated) return [];
    return CHAINS.map((c, i): Finding | null => {
      if (applied.allowlist.accounts.includes(c.account)) return null;
      const chainEvents = events.filter((e) => e.chain === i + 1);
      const entry = chainEvents[0];
      if (!entry) return null;
      const privileged = chainEvents.filter((e) => e.role === 'privileged');
      return {
        id: i + 1, severity: i === 0 ? 'critical' : 'high', score: i === 0 ? 95 : 78, provider: 'aws',
        entry: { eventId: entry.nativeId, action: 'AssumeRole', principal: c.account, sourceAccount: c.account, targetAccount: '111111111111', sourceIp: c.ip, vendor: c.vendor, kind: 'third-party-account', timeMs: c.atMs },
        assumeEventIds: [entry.nativeId], eventIds: chainEvents.map((e) => e.nativeId), privilegedEventIds: privileged.map((e) => e.nativeId), sourceIps: [c.ip],
        conditions: { entry: true, privileged: true, unfamiliar: i === 0 },
        reasons: [
          { condition: 'entry', text: `Account ${c.account} assumed role OrganizationAccountAccessRole in 111111111111 from ${c.ip}.`, eventIds: [entry.nativeId] },
          { condition: 'privileged', text: `${plural(privileged.length, 'privileged call')} within ${Math.round(((privileged.at(-1)?.timeMs ?? c.atMs) - c.atMs) / 60000)} minutes.`, eventIds: privileged.map((e) => e.nativeId) },
          { condition: 'unfamiliar', text: `${c.ip} (AS${c.asn} ${c.asOrg}, ${c.city}, ${c.country}) new to the organisation.`, eventIds: [entry.nativeId] },
          { condition: 'suppression', text: `Would not be reported after allowlisting account ${c.account}.`, eventIds: [] },
        ],
        privileged: privileged.map((e) => ({ eventId: e.nativeId, action: e.action, category: e.category ?? 'other', offsetMs: e.timeMs - c.atMs })),
        familiarity: [{ ip: c.ip, country: c.country, city: c.city, asn: c.asn, asOrg: c.asOrg, lat: c.lat, lon: c.lon, unfamiliar: [{ level: 'organisation', attributes: ['ip', 'asn', 'country'] }], allowlisted: false }],
      };
    }).filter((f): f is Finding => f !== null);
  }

  function runJob(kind: 'import' | 'correlate', steps: number, done: (jobId: number) => JobFinished): number {
    const jobId = nextJob++;
    let step = 0;
    const tick = () => {
      step++;
      if (step <= steps) {
        const fraction = step / steps;
        emit('jobs.progressed', { jobId, kind, fraction, files: Math.round(120 * fraction), events: Math.round(events.length * fraction), eventsPerSecond: 5400, etaMs: (steps - step) * stepMs, phase: kind === 'import' ? 'reading' : 'correlating' });
        running.set(jobId, setTimeout(tick, stepMs));
      } else {
        running.delete(jobId);
        const finished = done(jobId);
        emit('jobs.finished', finished);
        if (open) emit('case.changed', info(open.file));
      }
    };
    running.set(jobId, setTimeout(tick, stepMs));
    return jobId;
  }

  function startImportThenCorrelate(): number {
    return runJob('import', 5, (importJob) => {
      imported = true;
      setTimeout(() => runJob('correlate', 2, (correlateJob) => {
        correlated = true;
        const f = findings();
        return { jobId: correlateJob, kind: 'correlate', status: 'complete', correlate: { chains: f.length, bySeverity: { critical: f.filter((x) => x.severity === 'critical').length, high: f.filter((x) => x.severity === 'high').length, medium: 0, low: 0 } } };
      }), 0);
      return { jobId: importJob, kind: 'import', status: 'complete', import: { stats: { events: events.length, duplicates: 3, skipped: 18, errors: 1, files: 120, bytes: 4_200_000 }, problems: [{ file: 'AWSLogs/bad.json.gz', position: 'byte 1024', reason: 'truncated gzip <b>stream</b>' }] } };
    });
  }

  function requireCase(): CaseInfo {
    if (!open) throw new IpcError('no-case', 'No case is open.', 'fake');
    return open;
  }

  const annotations = new Map<string, Annotation>();
  const audit: AuditEntry[] = [];
  let annotationIds = 0;
  let analyst = 'fake analyst';

  const handlers: { [C in RequestChannel]: (req: RequestOf<C>) => ResponseOf<C> } = {
    'analyst.set': ({ name }) => {
      analyst = name;
      return { name };
    },
    'app.about': (): About => ({ analyst, version: '0.1.0-fake', catalogVersion: '2026.10', geoSources: [{ name: 'DB-IP City Lite', licence: 'CC BY 4.0', attribution: 'IP geolocation by DB-IP.com (https://db-ip.com), CC BY 4.0.', buildDate: '2026-06-05' }] }),
    'case.create': ({ file }) => {
      imported = false;
      correlated = false;
      open = info(file);
      return open;
    },
    'case.open': ({ file }) => {
      open = info(file);
      return open;
    },
    'case.openSample': ({ sample }) => {
      imported = false;
      correlated = false;
      open = info(`/data/samples/${sample ?? DEFAULT_SAMPLE}.crossline`);
      const jobId = startImportThenCorrelate();
      return { info: open, jobId };
    },
    'case.info': () => (open ? info(open.file) : null),
    'case.check': () => ({ open: open !== null }),
    'case.recent': () => recent,
    'import.start': () => {
      requireCase();
      return { jobId: startImportThenCorrelate() };
    },
    'import.history': () => {
      requireCase();
      if (!imported) return { runs: [], problems: [], problemTotals: { damaged: 0, outOfScope: 0, notes: 0, groups: 0 } };
      return {
        runs: [{ id: 1, startedAt: START + 41 * DAY, finishedAt: START + 41 * DAY + 9000, status: 'complete', inputs: ['/evidence/AWSLogs'], stats: { events: events.length, duplicates: 3, skipped: 18, errors: 1, files: 120, bytes: 4_200_000 } }],
        problems: [{ reason: 'truncated gzip <b>stream</b>', kind: 'damaged', count: 1, files: 1, examples: [{ file: 'AWSLogs/bad.json.gz', position: 'byte 1024' }] }],
        problemTotals: { damaged: 1, outOfScope: 0, notes: 0, groups: 1 },
      };
    },
    'jobs.cancel': ({ jobId }) => {
      const t = running.get(jobId);
      if (!t) return { cancelled: false };
      clearTimeout(t);
      running.delete(jobId);
      emit('jobs.finished', { jobId, kind: 'import', status: 'cancelled' });
      return { cancelled: true };
    },
    'findings.list': () => {
      requireCase();
      return findings();
    },
    'coverage.list': () => {
      requireCase();
      return [];
    },
    'chain.timeline': ({ findingId }) => {
      const f = findings().find((x) => x.id === findingId);
      if (!f) throw new IpcError('not-found', `No finding ${findingId}.`, 'chain.timeline');
      return events.filter((e) => e.chain === findingId).map((e) => ({ ...e, role: e.role ?? 'call', depth: e.role === 'entry' ? 0 : 1, link: e.role === 'entry' ? 'entry' : 'credential', offsetMs: e.timeMs - f.entry.timeMs, newNetwork: findingId === 1 }));
    },
    'chain.map': ({ findingId }) => {
      const c = CHAINS[findingId - 1];
      if (!c) throw new IpcError('not-found', `No finding ${findingId}.`, 'chain.map');
      const chain: GeoPoint[] = [{ ip: c.ip, lat: c.lat, lon: c.lon, country: c.country, city: c.city, asn: c.asn, asOrg: c.asOrg, firstSeenMs: c.atMs, events: 6 }];
      const baseline: GeoPoint[] = findingId === 2 ? [{ ip: '3.233.146.10', lat: 39.04, lon: -77.49, country: 'US', city: 'Ashburn', asn: 14618, asOrg: 'Amazon.com', firstSeenMs: START + DAY, events: 220 }] : [];
      return { chain, baseline };
    },
    'events.page': ({ filter, after, limit }) => {
      const all = imported ? events.filter((e) => matches(e, filter)) : [];
      const start = after ? all.findIndex((e) => e.timeMs > after.timeMs || (e.timeMs === after.timeMs && e.id > after.id)) : 0;
      const from = start < 0 ? all.length : start;
      const rows = all.slice(from, from + limit).map(({ chain: _c, role: _r, category: _k, ...row }) => row);
      return { rows, hasMore: from + limit < all.length };
    },
    'events.get': ({ id }) => {
      const e = events.find((x) => x.id === id);
      if (!e) throw new IpcError('not-found', `No event ${id}.`, 'events.get');
      const { chain: _c, role: _r, category: _k, ...event } = e;
      const raw = JSON.stringify({ eventVersion: '1.08', eventID: e.nativeId, eventTime: e.timeText, eventName: e.action, sourceIPAddress: e.sourceIp, userAgent: e.userAgent, requestParameters: { note: '<img src=x onerror=alert(1)>' } });
      return { event, raw };
    },
    'events.histogram': ({ filter, buckets }) => {
      const all = imported ? events.filter((e) => matches(e, filter)) : [];
      const fromMs = filter.fromMs ?? events[0]?.timeMs ?? START;
      const toMs = filter.toMs ?? (events.at(-1)?.timeMs ?? START) + 1;
      const bucketMs = Math.max(1, Math.ceil((toMs - fromMs) / buckets));
      const counts = new Array<number>(buckets).fill(0);
      for (const e of all) {
        const b = Math.min(buckets - 1, Math.floor((e.timeMs - fromMs) / bucketMs));
        if (b >= 0) counts[b] = (counts[b] ?? 0) + 1;
      }
      return { fromMs, toMs, bucketMs, counts };
    },
    'settings.get': () => structuredClone(settings),
    'settings.set': ({ settings: next }) => {
      settings = structuredClone(next);
      return { jobId: runJob('correlate', 2, (jobId) => {
        correlated = true;
        applied = settings;
        return { jobId, kind: 'correlate', status: 'complete', correlate: { chains: findings().length, bySeverity: { critical: 1, high: 1, medium: 0, low: 0 } } };
      }) };
    },
    'correlate.run': () => ({ jobId: runJob('correlate', 2, (jobId) => {
      correlated = true;
      return { jobId, kind: 'correlate', status: 'complete' };
    }) }),
    'annotations.list': () => {
      requireCase();
      return [...annotations.values()];
    },
    'annotations.save': (input) => {
      requireCase();
      const key = JSON.stringify(input.target);
      const now = Date.now();
      const previous = annotations.get(key);
      const saved: Annotation = { ...input, id: previous?.id ?? ++annotationIds, analyst, createdMs: previous?.createdMs ?? now, updatedMs: now };
      annotations.set(key, saved);
      audit.push({ id: audit.length + 1, timeMs: now, analyst, action: previous ? 'annotation.edit' : 'annotation.add', details: { target: input.target } });
      return saved;
    },
    'annotations.delete': ({ id }) => {
      const hit = [...annotations].find(([, a]) => a.id === id);
      if (!hit) return { deleted: false };
      annotations.delete(hit[0]);
      audit.push({ id: audit.length + 1, timeMs: Date.now(), analyst, action: 'annotation.delete', details: { id } });
      return { deleted: true };
    },
    'audit.list': ({ limit }) => (limit === undefined ? [...audit] : audit.slice(-limit)),
    'report.export': ({ out, format }) => {
      requireCase();
      audit.push({ id: audit.length + 1, timeMs: Date.now(), analyst, action: 'export', details: { format, file: out } });
      return { file: out, bytes: 0, rows: findings().length };
    },
  };

  return {
    mode: options.mode ?? 'test',
    async invoke(channel, request) {
      await Promise.resolve();
      return structuredClone((handlers[channel] as (r: typeof request) => ResponseOf<typeof channel>)(request));
    },
    on(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener as (p: never) => void);
      return () => set.delete(listener as (p: never) => void);
    },
    pathForFile: () => null,
    emit,
  };
}
