/**
 * Deterministic synthetic CloudTrail for the fictional organisation "Acme".
 *
 * Everything here is a pure function of {@link SynthOptions}: one seeded PRNG (mulberry32) drives every
 * choice, no clock or Math.random is read, so the same options give byte-identical S3 layouts. The
 * importer and the AN1348 correlator are tested on this data, so records follow real CloudTrail shapes
 * (userIdentity variants, two-view cross-account AssumeRole with sharedEventID, credentials issued by
 * STS reappearing as the caller's accessKeyId, …) and source IPs are real public addresses that
 * geolocate plausibly (UK office/homes, GitHub Actions on Azure in the US, Datadog on AWS us-east-1).
 *
 * Events are produced hour by hour and only activities still running are kept, so a million events
 * stream in bounded memory. Planted AN1348 chains and near misses use their own PRNG streams, which
 * lets {@link plantedChains} describe them without generating the baseline.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

// ───────────────────────────── Public types ─────────────────────────────

/** What to generate. Times are UTC epoch milliseconds. */
export type SynthOptions = {
  /** PRNG seed: the same seed (and other options) always gives the same events, byte for byte. */
  seed: number;
  /** Start of the evidence period (UTC epoch ms); planted scenarios sit at fixed offsets from it. */
  startMs: number;
  /** Length of the period in whole days. */
  days: number;
  /** Approximate number of events to produce (the generator lands within a few percent). */
  targetEvents: number;
  /** Plant the AN1348 chains and the near misses (see {@link plantedChains}). */
  chains: boolean;
};

/** A CloudTrail record as it appears in a delivered log file. */
export type CloudTrailRecord = Record<string, unknown>;

/**
 * One generated event: the full record plus the routing facts the S3 layout needs. Records of one
 * session share their userIdentity object, so treat records as read-only (copy before changing).
 */
export type SynthEvent = {
  record: CloudTrailRecord;
  /** Account whose trail received the record (its recipientAccountId). */
  accountId: string;
  /** Region the record is delivered under (its awsRegion). */
  region: string;
  /** eventTime as UTC epoch ms (whole seconds, like CloudTrail). */
  timeMs: number;
};

/**
 * Ground truth for one planted scenario: the ids let tests check that a correlator found (or,
 * for near misses, did not escalate) exactly these events.
 */
export interface PlantedChain {
  name: string;
  /** 'chain' must be rated high by an AN1348 correlator; 'near-miss' must not. */
  kind: 'chain' | 'near-miss';
  /** eventID of the first record of the scenario (the cross-account entry, or the SSO sign-in). */
  entryEventId: string;
  /** eventIDs of every role-assumption record (both views of a cross-account hop). */
  assumeEventIds: string[];
  /** eventIDs of the privileged calls made with the assumed credentials. */
  privilegedEventIds: string[];
  /** Every eventID of the scenario, in time order. */
  eventIds: string[];
  /** Distinct source IPs of the scenario, in order of first use. */
  sourceIps: string[];
  /** Access keys issued to (and used by) the scenario's sessions. */
  accessKeyIds: string[];
  /** Account outside the organisation that starts it (null when none does). */
  externalAccount: string | null;
  /** Organisation account the privileged calls land in. */
  targetAccount: string;
  startMs: number;
  endMs: number;
  description: string;
}

/** Options for {@link writeS3Layout}. */
export interface LayoutOptions {
  /** zlib level for the .json.gz files (default 6, zlib's own default). */
  gzipLevel?: number;
  /** Also write a few CloudTrail-Digest files (first hours of each account+region). */
  digests?: boolean;
  /** Organisation id in the AWSLogs prefix (default {@link ORG_ID}). */
  orgId?: string;
}

/** What {@link writeS3Layout} wrote. */
export interface LayoutStats {
  /** Log files written (digests not included). */
  files: number;
  events: number;
  /** Uncompressed bytes of the log files. */
  jsonBytes: number;
  /** Compressed bytes of the log files. */
  gzBytes: number;
  digestFiles: number;
}

// ───────────────────────────── The organisation ─────────────────────────────

/** AWS Organizations id used in the S3 prefix of the organisation trail. */
export const ORG_ID = 'o-acme12345x';
/** Acme's member accounts. */
export const ACCOUNTS = { prod: '111111111111', dev: '222222222222', security: '333333333333' } as const;
/** Every account of the organisation. */
export const ORG_ACCOUNTS: readonly string[] = Object.values(ACCOUNTS);
/** Datadog's AWS account (the real one its integration role trust policy names). */
export const DATADOG_ACCOUNT = '464622532012';
/** Accounts outside the organisation that appear in planted scenarios. */
export const EXTERNAL_ACCOUNTS = { burst: '999988887777', roleChain: '888877776666', recon: '444455556666', denied: '555566667777' } as const;
/** The organisation trail and its bucket (in the security account). */
export const TRAIL_NAME = 'acme-org-trail';
/** Bucket the organisation trail delivers to (named in digests). */
export const TRAIL_BUCKET = 'acme-org-cloudtrail-333333333333';
/** Regions Acme uses: us-east-1 for most work, eu-west-1 for some. */
export const REGIONS = ['us-east-1', 'eu-west-1'] as const;

/**
 * Real public IPv4s (checked against GeoLite2/ASN data) so geolocation in the workbench behaves.
 * The baseline only ever uses `office`, `homes`, `mobile`, `github`, `datadog` and the AWS pools;
 * the `planted` addresses appear nowhere else.
 */
export const NETWORKS = {
  /** Acme's London office (BT business, AS2856). */
  office: ['217.33.120.10', '217.33.120.11', '217.33.120.12'],
  /** Staff home broadband, all UK (BT, Virgin Media, Sky, Andrews & Arnold); one per human. */
  homes: [
    '86.150.22.41', '86.176.90.7', '81.151.33.4', '82.12.45.9', '86.11.203.77', '90.213.44.18', '5.67.12.100',
    '109.150.3.9', '213.104.12.9', '80.229.18.5', '81.2.69.160', '86.144.71.200', '82.35.140.8', '90.196.12.33', '86.30.77.5',
  ],
  /** UK mobile carriers (tethering). */
  mobile: ['92.40.180.22', '31.94.7.77'],
  /** GitHub-hosted runners on Azure (AS8075, US); a host is drawn inside each /16. */
  github: ['4.148', '13.64', '20.57', '40.84', '52.176'],
  /** Datadog's crawlers (AWS us-east-1, Ashburn). */
  datadog: ['3.233.146.10', '3.233.147.22', '3.233.150.9', '3.233.155.71'],
  /** Acme's NAT gateway Elastic IPs per account and region. */
  nat: {
    '111111111111': { 'us-east-1': ['3.214.120.17', '52.4.210.33'], 'eu-west-1': ['34.240.77.18', '52.16.44.201'] },
    '222222222222': { 'us-east-1': ['54.86.144.20'], 'eu-west-1': ['63.33.90.7'] },
    '333333333333': { 'us-east-1': ['18.208.77.3'], 'eu-west-1': ['34.245.10.11'] },
  } as Record<string, Record<string, string[]>>,
  /** Lambda functions outside a VPC call out from shared AWS addresses. */
  lambda: { 'us-east-1': ['3.88.201.14', '34.228.9.121', '54.162.33.80', '52.91.140.6', '3.94.12.200', '44.209.17.91'], 'eu-west-1': ['46.137.100.5', '54.154.90.3'] } as Record<string, string[]>,
  /** Networks used only by planted scenarios (countries and ASNs Acme never uses). */
  planted: {
    externalBurst: '185.220.101.34', // Tor exit, Germany (AS60729)
    roleChain: '45.137.21.9', // VPS, Netherlands (AS51447)
    vendorNewNetwork: '103.253.145.20', // DigitalOcean, Singapore (AS14061)
    externalRecon: '95.216.44.12', // Hetzner, Finland (AS24940)
    deniedAssume: '91.243.44.10', // Netherlands (AS34665)
  },
} as const;

// ───────────────────────────── PRNG ─────────────────────────────

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';

/** FNV-1a: turns a label into a 32-bit value, to derive independent PRNG streams. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Seed of the named stream of a run: streams never share state, so adding draws to one cannot shift another. */
function streamSeed(seed: number, label: string): number {
  return hash32(`${seed >>> 0}/${label}`);
}

/** mulberry32 with the helpers the generator needs. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next unsigned 32-bit value. */
  u32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Picks by weight from `[item, weight]` pairs. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.float() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  private chars(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.u32() % alphabet.length];
    return out;
  }

  hex(n: number): string {
    return this.chars(HEX, n);
  }

  /** Upper-case base32, the alphabet of AWS unique ids (AROA…, AIDA…, ASIA…). */
  b32(n: number): string {
    return this.chars(B32, n);
  }

  alnum(n: number): string {
    return this.chars(ALNUM, n);
  }

  base64(n: number): string {
    return this.chars(B64, n);
  }

  /** RFC 4122 version 4 UUID from this stream. */
  uuid(): string {
    const h = this.hex(32);
    const variant = HEX[8 + (this.u32() % 4)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

// ───────────────────────────── Time ─────────────────────────────

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** CloudTrail delivers a file per account and region roughly every five minutes. */
const DELIVERY_MS = 5 * MINUTE;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2026-10-01T12:34:56Z`, CloudTrail's eventTime form. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `Oct 1, 2026, 1:34:56 PM`: the form STS and IAM use for dates inside responseElements. */
function awsDateText(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** `20261001T1235Z` (log file names) or, with seconds, `20261001T123456Z` (digest names). */
function compactTime(ms: number, withSeconds: boolean): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
  return `${base}${withSeconds ? pad(d.getUTCSeconds()) : ''}Z`;
}

/** `YYYY/MM/DD` folder of the S3 layout. */
function datePath(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

// ───────────────────────────── The world: roles, people, resources ─────────────────────────────

interface Role {
  name: string;
  account: string;
  /** AROA… unique id. */
  id: string;
  arn: string;
}

type Team = 'platform' | 'app' | 'security' | 'data';
type Os = 'mac' | 'win' | 'linux';

interface Human {
  email: string;
  team: Team;
  /** Has AdministratorAccess in prod (everyone has it in dev). */
  admin: boolean;
  homeIp: string;
  os: Os;
  /** Share of the person's sessions spent in the console rather than the CLI. */
  consoleShare: number;
}

interface Assets {
  instances: string[];
  volumes: string[];
  snapshots: string[];
  securityGroups: string[];
  vpc: string;
  subnets: string[];
  amis: string[];
  buckets: string[];
  functions: string[];
  cluster: string;
  services: string[];
  logGroups: string[];
  secrets: string[];
  kmsKeys: string[];
  dbs: string[];
  parameters: string[];
  stacks: string[];
  targetGroups: string[];
  roles: string[];
}

interface World {
  roles: Map<string, Role>;
  humans: Human[];
  assets: Record<string, Assets>;
  /** Suffix of the IAM Identity Center SAML provider, shared by every account. */
  ssoProvider: string;
  /** nameQualifier of the SAML assertions (base64 SHA-1). */
  samlQualifier: string;
  /** Datadog's crawler principal as the role account sees it, and the integration's external id. */
  datadogPrincipal: string;
  datadogExternalId: string;
  legacyUser: { account: string; name: string; id: string; accessKeyId: string };
}

const HUMAN_SEEDS: readonly (readonly [string, Team, boolean, Os])[] = [
  ['alice.hughes', 'platform', true, 'mac'], ['ben.okafor', 'platform', true, 'linux'], ['chloe.martin', 'app', false, 'mac'],
  ['dan.patel', 'app', true, 'mac'], ['emma.walsh', 'security', true, 'win'], ['farid.khan', 'data', false, 'mac'],
  ['grace.liu', 'app', false, 'mac'], ['harry.evans', 'platform', true, 'linux'], ['isla.murphy', 'app', false, 'win'],
  ['jack.turner', 'data', false, 'mac'], ['kate.brennan', 'security', false, 'mac'], ['liam.scott', 'app', false, 'win'],
  ['maya.singh', 'platform', false, 'mac'], ['noah.price', 'app', false, 'mac'], ['olivia.reed', 'data', false, 'linux'],
];

/** Roles that exist in every account, with their IAM path. */
const COMMON_ROLES: readonly (readonly [string, string])[] = [
  ['OrganizationAccountAccessRole', ''],
  ['AWSServiceRoleForConfig', 'aws-service-role/config.amazonaws.com/'],
  ['AWSServiceRoleForAccessAnalyzer', 'aws-service-role/access-analyzer.amazonaws.com/'],
  ['ops-admin', ''],
];

const ACCOUNT_ROLES: Record<string, readonly string[]> = {
  [ACCOUNTS.prod]: ['DatadogIntegrationRole', 'prod-deployer', 'app-instance-role', 'api-lambda-role', 'ecs-task-role', 'ThirdPartyAuditRole'],
  [ACCOUNTS.dev]: ['github-actions-deploy', 'vendor-bridge', 'app-instance-role', 'api-lambda-role', 'ecs-task-role'],
  [ACCOUNTS.security]: ['security-tooling-role', 'api-lambda-role'],
};

const SSO_ADMIN = 'AdministratorAccess';
const SSO_READONLY = 'ReadOnly';

function roleKey(account: string, name: string): string {
  return `${account}/${name}`;
}

function addRole(world: World, rng: Rng, account: string, name: string, path: string): void {
  world.roles.set(roleKey(account, name), { name, account, id: `AROA${rng.b32(17)}`, arn: `arn:aws:iam::${account}:role/${path}${name}` });
}

function getRole(world: World, account: string, name: string): Role {
  const role = world.roles.get(roleKey(account, name));
  if (!role) throw new Error(`no role ${name} in ${account}`);
  return role;
}

/** The Identity Center role of a permission set in an account (its name carries a random suffix). */
function ssoRole(world: World, account: string, permissionSet: string): Role {
  for (const role of world.roles.values()) {
    if (role.account === account && role.name.startsWith(`AWSReservedSSO_${permissionSet}_`)) return role;
  }
  throw new Error(`no SSO role ${permissionSet} in ${account}`);
}

function makeAssets(rng: Rng, account: string, env: string): Assets {
  const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, () => `${prefix}-0${rng.hex(16)}`);
  const functions = {
    prod: ['api-authorizer', 'orders-processor', 'report-builder', 'image-resizer', 'datadog-forwarder'],
    dev: ['api-authorizer', 'orders-processor', 'report-builder', 'seed-test-data'],
    security: ['guardduty-to-slack', 'config-remediator'],
  }[env] ?? [];
  const buckets = {
    prod: ['acme-prod-assets', 'acme-prod-backups', 'acme-prod-data-lake', 'acme-prod-web-static'],
    dev: ['acme-dev-artifacts', 'acme-dev-scratch', 'acme-terraform-state'],
    security: [TRAIL_BUCKET, 'acme-security-findings', 'acme-config-history'],
  }[env] ?? [];
  const services = env === 'security' ? ['findings-api'] : ['web', 'api', 'worker'];
  return {
    instances: ids('i', env === 'prod' ? 8 : env === 'dev' ? 5 : 2),
    volumes: ids('vol', 10),
    snapshots: ids('snap', 6),
    securityGroups: ids('sg', 6),
    vpc: `vpc-0${rng.hex(16)}`,
    subnets: ids('subnet', 6),
    amis: ids('ami', 3),
    buckets,
    functions,
    cluster: `acme-${env}`,
    services,
    logGroups: [...functions.map((f) => `/aws/lambda/${f}`), ...services.map((s) => `/ecs/acme-${env}/${s}`)],
    secrets: [`${env}/db/orders-master-${rng.alnum(6)}`, `${env}/api/stripe-key-${rng.alnum(6)}`, `${env}/web/session-secret-${rng.alnum(6)}`],
    kmsKeys: Array.from({ length: 3 }, () => rng.uuid()),
    dbs: env === 'security' ? [] : [`acme-${env}-orders`, `acme-${env}-reporting`],
    parameters: [`/acme/${env}/api/base-url`, `/acme/${env}/feature-flags`, `/acme/${env}/db/host`],
    stacks: [`acme-${env}-network`, `acme-${env}-app`, `acme-${env}-monitoring`],
    targetGroups: services.map((s) => `arn:aws:elasticloadbalancing:us-east-1:${account}:targetgroup/acme-${env}-${s}/${rng.hex(16)}`),
    roles: [...COMMON_ROLES.map(([n]) => n), ...(ACCOUNT_ROLES[account] ?? [])],
  };
}

/** Builds the organisation from its own PRNG stream, so every consumer sees the same ids. */
function buildWorld(seed: number): World {
  const rng = new Rng(streamSeed(seed, 'world'));
  const world: World = {
    roles: new Map(),
    humans: [],
    assets: {},
    ssoProvider: rng.hex(16),
    samlQualifier: `${rng.base64(27)}=`,
    datadogPrincipal: `AROA${rng.b32(17)}:datadog-aws-crawler`,
    datadogExternalId: rng.hex(32),
    legacyUser: { account: ACCOUNTS.prod, name: 'svc-reporting', id: `AIDA${rng.b32(17)}`, accessKeyId: `AKIA${rng.b32(16)}` },
  };
  const envs: Record<string, string> = { [ACCOUNTS.prod]: 'prod', [ACCOUNTS.dev]: 'dev', [ACCOUNTS.security]: 'security' };
  for (const account of ORG_ACCOUNTS) {
    for (const set of [SSO_ADMIN, SSO_READONLY]) {
      addRole(world, rng, account, `AWSReservedSSO_${set}_${rng.hex(16)}`, 'aws-reserved/sso.amazonaws.com/');
    }
    for (const [name, path] of COMMON_ROLES) addRole(world, rng, account, name, path);
    for (const name of ACCOUNT_ROLES[account] ?? []) addRole(world, rng, account, name, '');
    world.assets[account] = makeAssets(rng, account, envs[account] ?? 'prod');
  }
  world.humans = HUMAN_SEEDS.map(([name, team, admin, os], i) => ({
    email: `${name}@acme.example`,
    team,
    admin,
    os,
    homeIp: NETWORKS.homes[i] ?? NETWORKS.homes[0],
    consoleShare: 0.25 + rng.float() * 0.6,
  }));
  return world;
}

// ───────────────────────────── Clients (user agents and TLS) ─────────────────────────────

interface Tls {
  tlsVersion: string;
  cipherSuite: string;
}

const TLS13: Tls = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' };
const TLS12: Tls = { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256' };

/** A program making calls: its user agent (which may name the command) and how it speaks TLS. */
interface Client {
  ua: (call: ApiCall) => string;
  /** null for calls AWS services make themselves (no TLS details are logged). */
  tls: Tls | null;
}

const CLI_SERVICE: Record<string, string> = {
  s3: 's3api', monitoring: 'cloudwatch', elasticloadbalancing: 'elbv2', tagging: 'resourcegroupstaggingapi',
};

/** `ec2.describe-instances`: how the AWS CLI names the command behind a call. */
function cliCommand(call: ApiCall): string {
  const prefix = SERVICES[call.svc].prefix;
  const op = call.name.replace(/20\d{6}(v\d)?$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return `${CLI_SERVICE[prefix] ?? prefix}.${op}`;
}

const fixedUa = (ua: string, tls: Tls | null = TLS13): Client => ({ ua: () => ua, tls });

const BROWSER_UA: Record<Os, string> = {
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  win: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 Edg/129.0.0.0',
  linux: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0',
};
const CLI_OS: Record<Os, string> = {
  mac: 'Darwin/23.6.0 exe/arm64',
  win: 'Windows/10 exe/AMD64',
  linux: 'Linux/6.8.0-45-generic exe/x86_64.ubuntu.24',
};

const CLIENTS = {
  browser: (os: Os): Client => fixedUa(BROWSER_UA[os]),
  cli: (os: Os): Client => ({
    ua: (c) => `aws-cli/2.17.52 Python/3.12.6 ${CLI_OS[os]} prompt/off command/${cliCommand(c)}`,
    tls: TLS13,
  }),
  githubCredentials: fixedUa('aws-sdk-js/3.654.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.17.0 api/sts#3.654.0 m/E configure-aws-credentials-for-github-actions'),
  githubCli: {
    ua: (c: ApiCall) => `aws-cli/2.17.50 Python/3.12.6 Linux/6.5.0-1025-azure exe/x86_64.ubuntu.22 prompt/off command/${cliCommand(c)}`,
    tls: TLS13,
  } as Client,
  terraform: {
    ua: () => 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.68.0',
    tls: TLS13,
  } as Client,
  datadog: fixedUa('Boto3/1.35.24 Python/3.11.9 Linux/5.10.225-213.878.amzn2.x86_64 Botocore/1.35.24'),
  ssmAgent: fixedUa('aws-sdk-go/1.55.5 (go1.22.6; linux; amd64) amazon-ssm-agent/3.3.859.0'),
  instanceApp: fixedUa('Boto3/1.34.162 Python/3.11.9 Linux/6.1.109-118.189.amzn2023.x86_64 Botocore/1.34.162'),
  lambda: fixedUa('aws-sdk-nodejs/2.1691.0 linux/v20.16.0 exec-env/AWS_Lambda_nodejs20.x promise'),
  ecsTask: fixedUa('aws-sdk-java/2.28.2 Linux/5.10.225-213.878.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.4+7-LTS Java/21.0.4 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy', TLS12),
  legacyCli: fixedUa('aws-cli/1.18.69 Python/3.6.9 Linux/4.15.0-213-generic botocore/1.16.19', TLS12),
  /** An AWS service calling on its own behalf: the service name is both source and user agent. */
  service: (host: string): Client => fixedUa(host, null),
  kaliCli: {
    ua: (c: ApiCall) => `aws-cli/2.13.25 Python/3.11.6 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off command/${cliCommand(c)}`,
    tls: TLS13,
  } as Client,
  vpsBoto: fixedUa('Boto3/1.28.57 Python/3.10.12 Linux/6.2.0-1012-aws Botocore/1.31.57'),
  windowsCli: {
    ua: (c: ApiCall) => `aws-cli/2.9.19 Python/3.9.11 Windows/10 exe/AMD64 prompt/off command/${cliCommand(c)}`,
    tls: TLS12,
  } as Client,
  ubuntuCli: {
    ua: (c: ApiCall) => `aws-cli/2.15.0 Python/3.11.6 Linux/5.15.0-91-generic exe/x86_64.ubuntu.22 prompt/off command/${cliCommand(c)}`,
    tls: TLS13,
  } as Client,
};

// ───────────────────────────── The API catalogue ─────────────────────────────

interface ServiceInfo {
  source: string;
  /** IAM action prefix, also the AWS CLI service name in most cases. */
  prefix: string;
  /** TLS host header. */
  host: (region: string) => string;
  /** Error code the service returns when IAM denies the call. */
  deny: string;
  /** Global services log to us-east-1 whatever region the caller configured. */
  global?: boolean;
}

const regional = (name: string) => (region: string): string => `${name}.${region}.amazonaws.com`;

const SERVICES = {
  ec2: { source: 'ec2.amazonaws.com', prefix: 'ec2', host: regional('ec2'), deny: 'Client.UnauthorizedOperation' },
  s3: { source: 's3.amazonaws.com', prefix: 's3', host: regional('s3'), deny: 'AccessDenied' },
  iam: { source: 'iam.amazonaws.com', prefix: 'iam', host: () => 'iam.amazonaws.com', deny: 'AccessDenied', global: true },
  sts: { source: 'sts.amazonaws.com', prefix: 'sts', host: regional('sts'), deny: 'AccessDenied' },
  lambda: { source: 'lambda.amazonaws.com', prefix: 'lambda', host: regional('lambda'), deny: 'AccessDenied' },
  logs: { source: 'logs.amazonaws.com', prefix: 'logs', host: regional('logs'), deny: 'AccessDenied' },
  monitoring: { source: 'monitoring.amazonaws.com', prefix: 'monitoring', host: regional('monitoring'), deny: 'AccessDenied' },
  rds: { source: 'rds.amazonaws.com', prefix: 'rds', host: regional('rds'), deny: 'AccessDenied' },
  ecs: { source: 'ecs.amazonaws.com', prefix: 'ecs', host: regional('ecs'), deny: 'AccessDeniedException' },
  kms: { source: 'kms.amazonaws.com', prefix: 'kms', host: regional('kms'), deny: 'AccessDenied' },
  secretsmanager: { source: 'secretsmanager.amazonaws.com', prefix: 'secretsmanager', host: regional('secretsmanager'), deny: 'AccessDenied' },
  cloudtrail: { source: 'cloudtrail.amazonaws.com', prefix: 'cloudtrail', host: regional('cloudtrail'), deny: 'AccessDenied' },
  elasticloadbalancing: { source: 'elasticloadbalancing.amazonaws.com', prefix: 'elasticloadbalancing', host: regional('elasticloadbalancing'), deny: 'AccessDenied' },
  cloudformation: { source: 'cloudformation.amazonaws.com', prefix: 'cloudformation', host: regional('cloudformation'), deny: 'AccessDenied' },
  ssm: { source: 'ssm.amazonaws.com', prefix: 'ssm', host: regional('ssm'), deny: 'AccessDeniedException' },
  tagging: { source: 'tagging.amazonaws.com', prefix: 'tag', host: regional('tagging'), deny: 'AccessDeniedException' },
  health: { source: 'health.amazonaws.com', prefix: 'health', host: () => 'health.us-east-1.amazonaws.com', deny: 'AccessDeniedException', global: true },
} satisfies Record<string, ServiceInfo>;

type Svc = keyof typeof SERVICES;

/** One API call's service-specific parts; identity, network and bookkeeping are added by {@link callRecord}. */
interface ApiCall {
  svc: Svc;
  name: string;
  readOnly: boolean;
  params: unknown;
  response: unknown;
  resources?: unknown[];
  additional?: unknown;
  /** S3 object-level calls are data events. */
  data?: boolean;
  /** Resource named in a denial message. */
  target?: string;
}

/** What an API maker may look at: where the call lands and what exists there. */
interface CallCtx {
  rng: Rng;
  account: string;
  region: string;
  timeMs: number;
  assets: Assets;
}

/** Builds one call of an API from the context; `svc` tells the service without building one. */
type ApiMaker = ((c: CallCtx) => ApiCall) & { svc: Svc };

/** Declares an API; `body` fills parameters and response from the context. */
function api(svc: Svc, name: string, readOnly: boolean, body?: (c: CallCtx) => Partial<ApiCall>): ApiMaker {
  const make = (c: CallCtx): ApiCall => ({ svc, name, readOnly, params: null, response: null, ...(body ? body(c) : {}) });
  return Object.assign(make, { svc });
}

const s3Host = (c: CallCtx, bucket: string): string => `${bucket}.s3.${c.region}.amazonaws.com`;
const bucketResource = (c: CallCtx, bucket: string) => [{ accountId: c.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }];
/** A bucket-level S3 getter: CloudTrail logs the sub-resource as an empty parameter (`?policy`). */
const s3Get = (name: string, sub: string): ApiMaker =>
  api('s3', name, true, (c) => {
    const bucket = c.rng.pick(c.assets.buckets);
    return { params: { bucketName: bucket, Host: s3Host(c, bucket), [sub]: '' }, resources: bucketResource(c, bucket), target: `arn:aws:s3:::${bucket}` };
  });
const filterSet = (name: string, value: string) => ({ items: [{ name, valueSet: { items: [{ value }] } }] });
const roleArnOf = (c: CallCtx, name: string): string => `arn:aws:iam::${c.account}:role/${name}`;
const kmsArn = (c: CallCtx, key: string): string => `arn:aws:kms:${c.region}:${c.account}:key/${key}`;
const secretArn = (c: CallCtx, secret: string): string => `arn:aws:secretsmanager:${c.region}:${c.account}:secret:${secret}`;
const fnArn = (c: CallCtx, fn: string): string => `arn:aws:lambda:${c.region}:${c.account}:function:${fn}`;
const privateIp = (rng: Rng): string => `10.${rng.int(20, 23)}.${rng.int(0, 63)}.${rng.int(4, 250)}`;
const policyDoc = (statement: unknown): string => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const trustDoc = (principal: unknown): string => policyDoc([{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }]);

function lambdaConfig(c: CallCtx, fn: string) {
  return {
    functionName: fn, functionArn: fnArn(c, fn), runtime: 'nodejs20.x', role: roleArnOf(c, 'api-lambda-role'), handler: 'index.handler',
    codeSize: c.rng.int(200_000, 9_000_000), description: '', timeout: 30, memorySize: 512, lastModified: `${new Date(c.timeMs).toISOString().slice(0, 23)}+0000`,
    codeSha256: c.rng.base64(43) + '=', version: '$LATEST', tracingConfig: { mode: 'PassThrough' }, revisionId: c.rng.uuid(),
    state: 'Active', lastUpdateStatus: 'InProgress', packageType: 'Zip', architectures: ['arm64'], ephemeralStorage: { size: 512 },
  };
}

const API = {
  // EC2: the console and every inventory tool list these constantly.
  'ec2:DescribeInstances': api('ec2', 'DescribeInstances', true, (c) => ({
    params: c.rng.chance(0.3) ? { instancesSet: { items: [{ instanceId: c.rng.pick(c.assets.instances) }] }, filterSet: {} } : { instancesSet: {}, filterSet: {} },
  })),
  'ec2:DescribeInstanceStatus': api('ec2', 'DescribeInstanceStatus', true, () => ({ params: { instancesSet: {}, filterSet: {}, includeAllInstances: true } })),
  'ec2:DescribeVolumes': api('ec2', 'DescribeVolumes', true, () => ({ params: { volumeSet: {}, filterSet: {} } })),
  'ec2:DescribeSnapshots': api('ec2', 'DescribeSnapshots', true, () => ({ params: { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, restorableBySet: {}, filterSet: {} } })),
  'ec2:DescribeSecurityGroups': api('ec2', 'DescribeSecurityGroups', true, () => ({ params: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} } })),
  'ec2:DescribeVpcs': api('ec2', 'DescribeVpcs', true, () => ({ params: { vpcSet: {}, filterSet: {} } })),
  'ec2:DescribeSubnets': api('ec2', 'DescribeSubnets', true, (c) => ({ params: { subnetSet: {}, filterSet: filterSet('vpc-id', c.assets.vpc) } })),
  'ec2:DescribeImages': api('ec2', 'DescribeImages', true, () => ({ params: { executableBySet: {}, imagesSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} } })),
  'ec2:DescribeNetworkInterfaces': api('ec2', 'DescribeNetworkInterfaces', true, () => ({ params: { networkInterfaceIdSet: {}, filterSet: {} } })),
  'ec2:DescribeAddresses': api('ec2', 'DescribeAddresses', true, () => ({ params: { publicIpsSet: {}, allocationIdsSet: {}, filterSet: {} } })),
  'ec2:DescribeRegions': api('ec2', 'DescribeRegions', true, () => ({ params: { regionSet: {} } })),
  'ec2:DescribeTags': api('ec2', 'DescribeTags', true, (c) => ({ params: { filterSet: filterSet('resource-id', c.rng.pick(c.assets.instances)) } })),
  'ec2:CreateTags': api('ec2', 'CreateTags', false, (c) => ({
    params: { resourcesSet: { items: [{ resourceId: c.rng.pick(c.assets.instances) }] }, tagSet: { items: [{ key: c.rng.pick(['Owner', 'CostCentre', 'Environment']), value: c.rng.pick(['platform', 'cc-1042', 'prod', 'dev']) }] } },
    response: { requestId: c.rng.uuid(), _return: true },
  })),
  'ec2:StartInstances': api('ec2', 'StartInstances', false, (c) => {
    const id = c.rng.pick(c.assets.instances);
    return {
      params: { instancesSet: { items: [{ instanceId: id }] } },
      response: { requestId: c.rng.uuid(), instancesSet: { items: [{ instanceId: id, currentState: { code: 0, name: 'pending' }, previousState: { code: 80, name: 'stopped' } }] } },
    };
  }),
  'ec2:StopInstances': api('ec2', 'StopInstances', false, (c) => {
    const id = c.rng.pick(c.assets.instances);
    return {
      params: { instancesSet: { items: [{ instanceId: id }] }, force: false },
      response: { requestId: c.rng.uuid(), instancesSet: { items: [{ instanceId: id, currentState: { code: 64, name: 'stopping' }, previousState: { code: 16, name: 'running' } }] } },
    };
  }),
  'ec2:RunInstances': api('ec2', 'RunInstances', false, (c) => {
    const image = c.rng.pick(c.assets.amis);
    const type = c.rng.pick(['t3.medium', 'm6i.large', 'c7g.xlarge']);
    const subnet = c.rng.pick(c.assets.subnets);
    const ip = privateIp(c.rng);
    const name = `acme-${c.rng.pick(['batch', 'bastion', 'worker'])}-${c.rng.hex(4)}`;
    return {
      params: {
        instancesSet: { items: [{ imageId: image, minCount: 1, maxCount: 1 }] }, instanceType: type, blockDeviceMapping: {},
        monitoring: { enabled: false }, subnetId: subnet, disableApiTermination: false, disableApiStop: false, clientToken: c.rng.uuid(),
        tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: name }] }] },
      },
      response: {
        requestId: c.rng.uuid(), reservationId: `r-0${c.rng.hex(16)}`, ownerId: c.account, groupSet: {},
        instancesSet: { items: [{
          instanceId: `i-0${c.rng.hex(16)}`, imageId: image, instanceState: { code: 0, name: 'pending' }, privateDnsName: `ip-${ip.replace(/\./g, '-')}.ec2.internal`,
          amiLaunchIndex: 0, productCodes: {}, instanceType: type, launchTime: c.timeMs, placement: { availabilityZone: `${c.region}a`, tenancy: 'default' },
          monitoring: { state: 'disabled' }, subnetId: subnet, vpcId: c.assets.vpc, privateIpAddress: ip, stateReason: { code: 'pending', message: 'pending' },
          architecture: type.startsWith('c7g') ? 'arm64' : 'x86_64', rootDeviceType: 'ebs', rootDeviceName: '/dev/xvda', blockDeviceMapping: {},
          virtualizationType: 'hvm', clientToken: c.rng.uuid(), tagSet: { items: [{ key: 'Name', value: name }] }, hypervisor: 'xen',
          groupSet: { items: [{ groupId: c.rng.pick(c.assets.securityGroups), groupName: 'default' }] }, sourceDestCheck: true,
          networkInterfaceSet: {}, ebsOptimized: false, enaSupport: true, metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
        }] },
      },
    };
  }),
  'ec2:CreateSnapshot': api('ec2', 'CreateSnapshot', false, (c) => {
    const vol = c.rng.pick(c.assets.volumes);
    return {
      params: { volumeId: vol, description: 'pre-change backup' },
      response: { requestId: c.rng.uuid(), snapshotId: `snap-0${c.rng.hex(16)}`, volumeId: vol, status: 'pending', startTime: c.timeMs, progress: '', ownerId: c.account, volumeSize: 100, description: 'pre-change backup', encrypted: true },
    };
  }),
  'ec2:AuthorizeSecurityGroupIngress': api('ec2', 'AuthorizeSecurityGroupIngress', false, (c) => ({
    params: { groupId: c.rng.pick(c.assets.securityGroups), ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, groups: {}, ipRanges: { items: [{ cidrIp: '10.20.0.0/16' }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
    response: { requestId: c.rng.uuid(), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: c.account, securityGroupRuleId: `sgr-0${c.rng.hex(16)}`, isEgress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.20.0.0/16' }] } },
  })),
  'ec2:ModifySnapshotAttribute': api('ec2', 'ModifySnapshotAttribute', false, (c) => ({
    params: { snapshotId: c.rng.pick(c.assets.snapshots), createVolumePermission: { add: { items: [{ group: 'all' }] } }, attributeType: 'CREATE_VOLUME_PERMISSION' },
    response: { requestId: c.rng.uuid(), _return: true },
  })),

  // S3 management events; PutObject is a data event (the org trail records write data events).
  's3:ListBuckets': api('s3', 'ListBuckets', true, () => ({ params: { Host: 's3.amazonaws.com' } })),
  's3:GetBucketLocation': s3Get('GetBucketLocation', 'location'),
  's3:GetBucketPolicy': s3Get('GetBucketPolicy', 'policy'),
  's3:GetBucketAcl': s3Get('GetBucketAcl', 'acl'),
  's3:GetBucketVersioning': s3Get('GetBucketVersioning', 'versioning'),
  's3:GetBucketEncryption': s3Get('GetBucketEncryption', 'encryption'),
  's3:GetBucketTagging': s3Get('GetBucketTagging', 'tagging'),
  's3:PutObject': api('s3', 'PutObject', false, (c) => {
    const bucket = c.rng.pick(c.assets.buckets);
    const key = `${c.rng.pick(['releases', 'reports', 'uploads', 'exports'])}/${new Date(c.timeMs).toISOString().slice(0, 10)}/${c.rng.hex(12)}.${c.rng.pick(['zip', 'json', 'csv', 'png'])}`;
    return {
      data: true,
      params: { bucketName: bucket, Host: s3Host(c, bucket), key, 'x-amz-server-side-encryption': 'aws:kms' },
      response: { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': kmsArn(c, c.rng.pick(c.assets.kmsKeys)), 'x-amz-version-id': c.rng.alnum(32) },
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, ...bucketResource(c, bucket)],
      target: `arn:aws:s3:::${bucket}/${key}`,
    };
  }),
  's3:PutBucketPolicy': api('s3', 'PutBucketPolicy', false, (c) => {
    const bucket = c.assets.buckets[1] ?? c.rng.pick(c.assets.buckets);
    return {
      params: {
        bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'replication', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${EXTERNAL_ACCOUNTS.burst}:root` }, Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }] },
        bucketName: bucket, Host: s3Host(c, bucket), policy: '',
      },
      resources: bucketResource(c, bucket),
    };
  }),

  // IAM (global: always logged in us-east-1).
  'iam:ListRoles': api('iam', 'ListRoles', true, () => ({ params: { maxItems: 100 } })),
  'iam:ListUsers': api('iam', 'ListUsers', true),
  'iam:GetRole': api('iam', 'GetRole', true, (c) => ({ params: { roleName: c.rng.pick(c.assets.roles) } })),
  'iam:ListAttachedRolePolicies': api('iam', 'ListAttachedRolePolicies', true, (c) => ({ params: { roleName: c.rng.pick(c.assets.roles) } })),
  'iam:ListRolePolicies': api('iam', 'ListRolePolicies', true, (c) => ({ params: { roleName: c.rng.pick(c.assets.roles) } })),
  'iam:GetPolicy': api('iam', 'GetPolicy', true, (c) => ({ params: { policyArn: `arn:aws:iam::${c.account}:policy/acme-${c.rng.pick(['app', 'deploy', 'readonly-extra'])}` } })),
  'iam:GetPolicyVersion': api('iam', 'GetPolicyVersion', true, (c) => ({ params: { policyArn: `arn:aws:iam::${c.account}:policy/acme-${c.rng.pick(['app', 'deploy'])}`, versionId: `v${c.rng.int(1, 9)}` } })),
  'iam:ListPolicies': api('iam', 'ListPolicies', true, () => ({ params: { scope: 'Local', onlyAttached: false, maxItems: 100 } })),
  'iam:GetAccountSummary': api('iam', 'GetAccountSummary', true),
  'iam:CreateRole': api('iam', 'CreateRole', false, (c) => {
    const name = `acme-${c.rng.pick(['etl', 'reports', 'scheduler', 'cache'])}-${c.rng.hex(6)}`;
    const trust = trustDoc({ Service: 'lambda.amazonaws.com' });
    return {
      params: { roleName: name, assumeRolePolicyDocument: trust, tags: [{ key: 'ManagedBy', value: 'terraform' }] },
      response: { role: { path: '/', roleName: name, roleId: `AROA${c.rng.b32(17)}`, arn: roleArnOf(c, name), createDate: awsDateText(c.timeMs), assumeRolePolicyDocument: encodeURIComponent(trust), tags: [{ key: 'ManagedBy', value: 'terraform' }] } },
    };
  }),
  'iam:PutRolePolicy': api('iam', 'PutRolePolicy', false, (c) => ({
    params: { roleName: c.rng.pick(['app-instance-role', 'api-lambda-role', 'ecs-task-role']), policyName: 'app-data-access', policyDocument: policyDoc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${c.rng.pick(c.assets.buckets)}/*` }]) },
  })),
  'iam:AttachRolePolicy': api('iam', 'AttachRolePolicy', false, (c) => ({
    params: { roleName: c.rng.pick(['app-instance-role', 'api-lambda-role', 'ecs-task-role']), policyArn: c.rng.pick(['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']) },
  })),

  'sts:GetCallerIdentity': api('sts', 'GetCallerIdentity', true),

  'lambda:ListFunctions20150331': api('lambda', 'ListFunctions20150331', true),
  'lambda:GetFunction20150331v2': api('lambda', 'GetFunction20150331v2', true, (c) => ({ params: { functionName: c.rng.pick(c.assets.functions) } })),
  'lambda:GetFunctionConfiguration20150331v2': api('lambda', 'GetFunctionConfiguration20150331v2', true, (c) => ({ params: { functionName: c.rng.pick(c.assets.functions) } })),
  'lambda:UpdateFunctionCode20150331v2': api('lambda', 'UpdateFunctionCode20150331v2', false, (c) => {
    const fn = c.rng.pick(c.assets.functions);
    return { params: { functionName: fn, publish: false, dryRun: false, architectures: ['arm64'] }, response: lambdaConfig(c, fn), target: fnArn(c, fn) };
  }),
  'lambda:UpdateFunctionConfiguration20150331v2': api('lambda', 'UpdateFunctionConfiguration20150331v2', false, (c) => {
    const fn = c.rng.pick(c.assets.functions);
    return { params: { functionName: fn, timeout: 30, memorySize: 512 }, response: lambdaConfig(c, fn), target: fnArn(c, fn) };
  }),

  'logs:DescribeLogGroups': api('logs', 'DescribeLogGroups', true, (c) => ({ params: c.rng.chance(0.5) ? { logGroupNamePrefix: c.rng.pick(['/aws/lambda/', '/ecs/']) } : { limit: 50 } })),
  'logs:DescribeLogStreams': api('logs', 'DescribeLogStreams', true, (c) => ({ params: { logGroupName: c.rng.pick(c.assets.logGroups), orderBy: 'LastEventTime', descending: true, limit: 50 } })),
  'logs:FilterLogEvents': api('logs', 'FilterLogEvents', true, (c) => ({
    params: { logGroupName: c.rng.pick(c.assets.logGroups), startTime: c.timeMs - HOUR, endTime: c.timeMs, filterPattern: c.rng.pick(['ERROR', '"timed out"', '', '{ $.level = "error" }']), interleaved: true },
  })),
  'logs:StartQuery': api('logs', 'StartQuery', true, (c) => ({
    params: { logGroupNames: [c.rng.pick(c.assets.logGroups)], startTime: Math.floor(c.timeMs / 1000) - 3600, endTime: Math.floor(c.timeMs / 1000), queryString: 'fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 100' },
    response: { queryId: c.rng.uuid() },
  })),
  'logs:CreateLogGroup': api('logs', 'CreateLogGroup', false, (c) => ({ params: { logGroupName: `/aws/lambda/${c.rng.pick(c.assets.functions)}-${c.rng.hex(4)}` } })),
  'logs:PutRetentionPolicy': api('logs', 'PutRetentionPolicy', false, (c) => ({ params: { logGroupName: c.rng.pick(c.assets.logGroups), retentionInDays: c.rng.pick([14, 30, 90]) } })),
  'logs:PutSubscriptionFilter': api('logs', 'PutSubscriptionFilter', false, (c) => ({
    params: { logGroupName: c.rng.pick(c.assets.logGroups), filterName: 'datadog_log_subscription_filter', filterPattern: '', destinationArn: fnArn(c, 'datadog-forwarder') },
  })),

  'monitoring:DescribeAlarms': api('monitoring', 'DescribeAlarms', true, () => ({ params: { maxRecords: 100 } })),
  'monitoring:GetMetricData': api('monitoring', 'GetMetricData', true, (c) => ({
    params: {
      metricDataQueries: [{ id: 'm1', metricStat: { metric: { namespace: c.rng.pick(['AWS/EC2', 'AWS/Lambda', 'AWS/RDS', 'AWS/ApplicationELB']), metricName: c.rng.pick(['CPUUtilization', 'Invocations', 'Errors', 'RequestCount']), dimensions: [] }, period: 300, stat: 'Average' }, returnData: true }],
      startTime: isoSeconds(c.timeMs - HOUR), endTime: isoSeconds(c.timeMs),
    },
  })),
  'monitoring:ListMetrics': api('monitoring', 'ListMetrics', true, (c) => ({ params: { namespace: c.rng.pick(['AWS/EC2', 'AWS/Lambda', 'AWS/RDS', 'AWS/ECS']) } })),
  'monitoring:PutMetricAlarm': api('monitoring', 'PutMetricAlarm', false, (c) => ({
    params: { alarmName: `acme-${c.rng.pick(c.assets.services)}-5xx`, metricName: 'HTTPCode_Target_5XX_Count', namespace: 'AWS/ApplicationELB', statistic: 'Sum', period: 60, evaluationPeriods: 5, threshold: 10, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'notBreaching' },
  })),

  'rds:DescribeDBInstances': api('rds', 'DescribeDBInstances', true),
  'rds:DescribeDBClusters': api('rds', 'DescribeDBClusters', true, () => ({ params: { includeShared: false } })),

  'ecs:ListClusters': api('ecs', 'ListClusters', true),
  'ecs:DescribeServices': api('ecs', 'DescribeServices', true, (c) => ({ params: { cluster: c.assets.cluster, services: [c.rng.pick(c.assets.services)] } })),
  'ecs:ListTasks': api('ecs', 'ListTasks', true, (c) => ({ params: { cluster: c.assets.cluster, serviceName: c.rng.pick(c.assets.services) } })),
  'ecs:DescribeTaskDefinition': api('ecs', 'DescribeTaskDefinition', true, (c) => ({ params: { taskDefinition: `acme-${c.rng.pick(c.assets.services)}` } })),
  'ecs:RegisterTaskDefinition': api('ecs', 'RegisterTaskDefinition', false, (c) => {
    const svc = c.rng.pick(c.assets.services);
    const image = `${c.account}.dkr.ecr.${c.region}.amazonaws.com/acme/${svc}:${c.rng.hex(7)}`;
    const family = `acme-${svc}`;
    return {
      params: {
        family, taskRoleArn: roleArnOf(c, 'ecs-task-role'), executionRoleArn: roleArnOf(c, 'ecs-task-role'), networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '512', memory: '1024',
        containerDefinitions: [{ name: svc, image, cpu: 0, essential: true, portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }], logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${c.assets.cluster}/${svc}`, 'awslogs-region': c.region, 'awslogs-stream-prefix': svc } } }],
      },
      response: { taskDefinition: { taskDefinitionArn: `arn:aws:ecs:${c.region}:${c.account}:task-definition/${family}:${c.rng.int(40, 400)}`, family, status: 'ACTIVE', networkMode: 'awsvpc', cpu: '512', memory: '1024', registeredAt: awsDateText(c.timeMs) } },
    };
  }),
  'ecs:UpdateService': api('ecs', 'UpdateService', false, (c) => {
    const svc = c.rng.pick(c.assets.services);
    return {
      params: { cluster: c.assets.cluster, service: svc, taskDefinition: `acme-${svc}`, forceNewDeployment: false },
      response: { service: { serviceArn: `arn:aws:ecs:${c.region}:${c.account}:service/${c.assets.cluster}/${svc}`, serviceName: svc, clusterArn: `arn:aws:ecs:${c.region}:${c.account}:cluster/${c.assets.cluster}`, status: 'ACTIVE', desiredCount: 3, runningCount: 3, pendingCount: 0, launchType: 'FARGATE' } },
    };
  }),

  'kms:ListAliases': api('kms', 'ListAliases', true),
  'kms:DescribeKey': api('kms', 'DescribeKey', true, (c) => {
    const key = c.rng.pick(c.assets.kmsKeys);
    return { params: { keyId: key }, resources: [{ accountId: c.account, type: 'AWS::KMS::Key', ARN: kmsArn(c, key) }] };
  }),
  'kms:Decrypt': api('kms', 'Decrypt', true, (c) => {
    const key = c.rng.pick(c.assets.kmsKeys);
    return { params: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, resources: [{ accountId: c.account, type: 'AWS::KMS::Key', ARN: kmsArn(c, key) }], target: kmsArn(c, key) };
  }),
  'kms:GenerateDataKey': api('kms', 'GenerateDataKey', true, (c) => {
    const key = c.rng.pick(c.assets.kmsKeys);
    return { params: { keyId: `alias/acme-${c.rng.pick(['app', 'data'])}`, keySpec: 'AES_256' }, resources: [{ accountId: c.account, type: 'AWS::KMS::Key', ARN: kmsArn(c, key) }] };
  }),

  'secretsmanager:ListSecrets': api('secretsmanager', 'ListSecrets', true),
  'secretsmanager:DescribeSecret': api('secretsmanager', 'DescribeSecret', true, (c) => ({ params: { secretId: secretArn(c, c.rng.pick(c.assets.secrets)) } })),
  'secretsmanager:GetSecretValue': api('secretsmanager', 'GetSecretValue', true, (c) => {
    const arn = secretArn(c, c.rng.pick(c.assets.secrets));
    return { params: { secretId: arn }, target: arn };
  }),

  'cloudtrail:DescribeTrails': api('cloudtrail', 'DescribeTrails', true, () => ({ params: { trailNameList: [], includeShadowTrails: true } })),
  'cloudtrail:GetTrailStatus': api('cloudtrail', 'GetTrailStatus', true, (c) => ({ params: { name: `arn:aws:cloudtrail:us-east-1:${c.account}:trail/prod-audit-trail` } })),
  'cloudtrail:LookupEvents': api('cloudtrail', 'LookupEvents', true, (c) => ({ params: { maxResults: 50, startTime: awsDateText(c.timeMs - DAY), endTime: awsDateText(c.timeMs) } })),
  'cloudtrail:StopLogging': api('cloudtrail', 'StopLogging', false, (c) => ({ params: { name: `arn:aws:cloudtrail:us-east-1:${c.account}:trail/prod-audit-trail` } })),

  'elasticloadbalancing:DescribeLoadBalancers': api('elasticloadbalancing', 'DescribeLoadBalancers', true, () => ({ params: { pageSize: 400 } })),
  'elasticloadbalancing:DescribeTargetGroups': api('elasticloadbalancing', 'DescribeTargetGroups', true),
  'elasticloadbalancing:DescribeTargetHealth': api('elasticloadbalancing', 'DescribeTargetHealth', true, (c) => ({ params: { targetGroupArn: c.rng.pick(c.assets.targetGroups) } })),

  'cloudformation:DescribeStacks': api('cloudformation', 'DescribeStacks', true, (c) => ({ params: c.rng.chance(0.5) ? { stackName: c.rng.pick(c.assets.stacks) } : null })),
  'cloudformation:ListStacks': api('cloudformation', 'ListStacks', true, () => ({ params: { stackStatusFilter: ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'] } })),
  'cloudformation:DescribeStackEvents': api('cloudformation', 'DescribeStackEvents', true, (c) => ({ params: { stackName: c.rng.pick(c.assets.stacks) } })),

  'ssm:DescribeInstanceInformation': api('ssm', 'DescribeInstanceInformation', true, () => ({ params: { maxResults: 50 } })),
  'ssm:GetParameter': api('ssm', 'GetParameter', true, (c) => ({ params: { name: c.rng.pick(c.assets.parameters), withDecryption: true } })),
  'ssm:GetParameters': api('ssm', 'GetParameters', true, (c) => ({ params: { names: c.assets.parameters.slice(0, 2), withDecryption: true } })),
  'ssm:UpdateInstanceInformation': api('ssm', 'UpdateInstanceInformation', false, (c) => {
    const ip = privateIp(c.rng);
    return {
      params: {
        instanceId: c.rng.pick(c.assets.instances), agentVersion: '3.3.859.0', agentStatus: 'Active', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023',
        iPAddress: ip, computerName: `ip-${ip.replace(/\./g, '-')}.ec2.internal`, agentName: 'amazon-ssm-agent', availabilityZone: `${c.region}b`, availabilityZoneId: c.region === 'us-east-1' ? 'use1-az1' : 'euw1-az2',
      },
    };
  }),

  'tagging:GetResources': api('tagging', 'GetResources', true, () => ({ params: { resourcesPerPage: 100, resourceTypeFilters: ['ec2:instance', 'rds:db', 'lambda:function'] } })),

  'health:DescribeEventAggregates': api('health', 'DescribeEventAggregates', true, (c) => ({
    params: { aggregateField: 'eventTypeCategory', filter: { eventStatusCodes: ['open', 'upcoming'], startTimes: [{ from: awsDateText(c.timeMs - 7 * DAY) }] } },
  })),
} satisfies Record<string, ApiMaker>;

type ApiName = keyof typeof API;
type Mix = readonly (readonly [ApiName, number])[];

/** What people browse in the console or query from the CLI. */
const HUMAN_READS: Mix = [
  ['ec2:DescribeInstances', 12], ['ec2:DescribeInstanceStatus', 3], ['ec2:DescribeSecurityGroups', 4], ['ec2:DescribeVpcs', 3], ['ec2:DescribeSubnets', 3],
  ['ec2:DescribeVolumes', 3], ['ec2:DescribeSnapshots', 1], ['ec2:DescribeImages', 1], ['ec2:DescribeNetworkInterfaces', 1], ['ec2:DescribeAddresses', 1], ['ec2:DescribeRegions', 1],
  ['s3:ListBuckets', 5], ['s3:GetBucketLocation', 3], ['s3:GetBucketPolicy', 2], ['s3:GetBucketAcl', 2], ['s3:GetBucketVersioning', 2], ['s3:GetBucketEncryption', 2], ['s3:GetBucketTagging', 1],
  ['iam:ListRoles', 3], ['iam:GetRole', 3], ['iam:ListAttachedRolePolicies', 2], ['iam:ListRolePolicies', 1], ['iam:GetPolicy', 1], ['iam:GetPolicyVersion', 1], ['iam:ListPolicies', 1], ['iam:GetAccountSummary', 1], ['iam:ListUsers', 1],
  ['sts:GetCallerIdentity', 2], ['lambda:ListFunctions20150331', 3], ['lambda:GetFunction20150331v2', 2],
  ['logs:DescribeLogGroups', 4], ['logs:DescribeLogStreams', 3], ['logs:FilterLogEvents', 4], ['logs:StartQuery', 1],
  ['monitoring:DescribeAlarms', 3], ['monitoring:GetMetricData', 5], ['monitoring:ListMetrics', 1], ['rds:DescribeDBInstances', 2], ['rds:DescribeDBClusters', 1],
  ['ecs:ListClusters', 2], ['ecs:DescribeServices', 3], ['ecs:ListTasks', 2], ['ecs:DescribeTaskDefinition', 1], ['kms:ListAliases', 1], ['kms:DescribeKey', 1],
  ['secretsmanager:ListSecrets', 1], ['secretsmanager:DescribeSecret', 1], ['cloudtrail:DescribeTrails', 1], ['cloudtrail:LookupEvents', 2], ['cloudtrail:GetTrailStatus', 1],
  ['elasticloadbalancing:DescribeLoadBalancers', 2], ['elasticloadbalancing:DescribeTargetGroups', 1], ['elasticloadbalancing:DescribeTargetHealth', 2],
  ['cloudformation:DescribeStacks', 2], ['cloudformation:ListStacks', 1], ['cloudformation:DescribeStackEvents', 1], ['ssm:DescribeInstanceInformation', 1], ['ssm:GetParameter', 1], ['tagging:GetResources', 1],
];
/** Routine changes people make by hand. */
const HUMAN_WRITES: Mix = [
  ['ec2:CreateTags', 3], ['ec2:StartInstances', 1], ['ec2:StopInstances', 1], ['ec2:RunInstances', 1], ['ec2:CreateSnapshot', 1], ['ec2:AuthorizeSecurityGroupIngress', 0.5],
  ['logs:CreateLogGroup', 1], ['logs:PutRetentionPolicy', 1], ['lambda:UpdateFunctionConfiguration20150331v2', 1], ['monitoring:PutMetricAlarm', 1], ['s3:PutObject', 2],
];
/** IAM changes admins occasionally make in dev: privileged, but on a familiar session and network. */
const HUMAN_IAM_WRITES: Mix = [['iam:PutRolePolicy', 1], ['iam:AttachRolePolicy', 1], ['iam:CreateRole', 0.5]];
/** Terraform plans read everything they manage before changing it. */
const CI_READS: Mix = [
  ['iam:GetRole', 4], ['iam:ListRolePolicies', 2], ['iam:ListAttachedRolePolicies', 2], ['iam:GetPolicy', 1], ['iam:GetPolicyVersion', 1],
  ['s3:GetBucketPolicy', 1], ['s3:GetBucketAcl', 1], ['s3:GetBucketVersioning', 1], ['s3:GetBucketEncryption', 1], ['s3:GetBucketTagging', 1],
  ['lambda:GetFunction20150331v2', 3], ['lambda:GetFunctionConfiguration20150331v2', 1], ['logs:DescribeLogGroups', 2], ['ecs:DescribeServices', 2], ['ecs:DescribeTaskDefinition', 2],
  ['ec2:DescribeSecurityGroups', 2], ['ec2:DescribeSubnets', 1], ['ec2:DescribeVpcs', 1], ['ssm:GetParameter', 2], ['kms:DescribeKey', 1], ['secretsmanager:DescribeSecret', 1],
  ['elasticloadbalancing:DescribeTargetGroups', 1], ['cloudformation:DescribeStacks', 1],
];
const CI_DEPLOY: Mix = [['lambda:UpdateFunctionCode20150331v2', 3], ['ecs:RegisterTaskDefinition', 2], ['ecs:UpdateService', 2], ['s3:PutObject', 3], ['logs:CreateLogGroup', 0.3], ['logs:PutRetentionPolicy', 0.3]];
/** Terraform-managed IAM: the benign counterpart of the planted privileged calls. */
const CI_IAM: Mix = [['iam:PutRolePolicy', 2], ['iam:AttachRolePolicy', 1], ['iam:CreateRole', 1]];
const DATADOG_READS: Mix = [
  ['ec2:DescribeInstances', 5], ['ec2:DescribeInstanceStatus', 2], ['ec2:DescribeVolumes', 2], ['monitoring:GetMetricData', 8], ['monitoring:ListMetrics', 3],
  ['rds:DescribeDBInstances', 2], ['lambda:ListFunctions20150331', 2], ['elasticloadbalancing:DescribeLoadBalancers', 2], ['elasticloadbalancing:DescribeTargetHealth', 1],
  ['tagging:GetResources', 4], ['s3:ListBuckets', 1], ['s3:GetBucketTagging', 1], ['ecs:ListClusters', 1], ['ecs:DescribeServices', 1], ['logs:DescribeLogGroups', 2], ['kms:ListAliases', 0.5],
];
const INSTANCE_CALLS: Mix = [['ssm:UpdateInstanceInformation', 6], ['kms:Decrypt', 2], ['ec2:DescribeTags', 1], ['ssm:GetParameter', 1], ['secretsmanager:GetSecretValue', 0.3], ['sts:GetCallerIdentity', 0.5]];
const LAMBDA_CALLS: Mix = [['ssm:GetParameter', 3], ['kms:Decrypt', 3], ['secretsmanager:GetSecretValue', 1], ['kms:GenerateDataKey', 1], ['s3:PutObject', 1]];
const ECS_CALLS: Mix = [['kms:Decrypt', 2], ['ssm:GetParameters', 2], ['secretsmanager:GetSecretValue', 1], ['s3:PutObject', 1]];
const CONFIG_CALLS: Mix = [
  ['ec2:DescribeInstances', 2], ['ec2:DescribeSecurityGroups', 2], ['ec2:DescribeVolumes', 1], ['ec2:DescribeVpcs', 1], ['ec2:DescribeSubnets', 1], ['iam:GetRole', 2],
  ['iam:ListAttachedRolePolicies', 1], ['iam:ListRolePolicies', 1], ['s3:GetBucketAcl', 1], ['s3:GetBucketPolicy', 1], ['s3:GetBucketVersioning', 1], ['s3:GetBucketEncryption', 1],
  ['rds:DescribeDBInstances', 1], ['lambda:GetFunction20150331v2', 1], ['kms:DescribeKey', 1],
];
const ANALYZER_CALLS: Mix = [['iam:GetRole', 3], ['iam:ListRoles', 1], ['s3:GetBucketPolicy', 2], ['s3:GetBucketAcl', 1], ['kms:DescribeKey', 1]];

// ───────────────────────────── Identities and sessions ─────────────────────────────

type Identity = Record<string, unknown>;

/** A role session: the identity its calls carry and the key that links them to the assumption. */
interface Session {
  role: Role;
  name: string;
  accessKeyId: string;
  identity: Identity;
}

interface SessionExtras {
  sourceIdentity?: string;
  webIdProvider?: string;
  /** EC2 instance profile credentials carry ec2RoleDelivery. */
  ec2?: boolean;
  /** Service-linked roles used by the service itself. */
  invokedBy?: string;
}

function openSession(role: Role, name: string, accessKeyId: string, createdMs: number, extras: SessionExtras = {}): Session {
  const sessionContext: Record<string, unknown> = {
    sessionIssuer: { type: 'Role', principalId: role.id, arn: role.arn, accountId: role.account, userName: role.name },
    webIdFederationData: extras.webIdProvider ? { federatedProvider: extras.webIdProvider, attributes: {} } : {},
    attributes: { creationDate: isoSeconds(createdMs), mfaAuthenticated: 'false' },
  };
  if (extras.sourceIdentity) sessionContext.sourceIdentity = extras.sourceIdentity;
  if (extras.ec2) sessionContext.ec2RoleDelivery = '2.0';
  const identity: Identity = {
    type: 'AssumedRole',
    principalId: `${role.id}:${name}`,
    arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${name}`,
    accountId: role.account,
    accessKeyId,
    sessionContext,
  };
  if (extras.invokedBy) identity.invokedBy = extras.invokedBy;
  return { role, name, accessKeyId, identity };
}

interface Credentials {
  accessKeyId: string;
  sessionToken: string;
  expiration: string;
}

/** STS credentials; the token is random base64 of a realistic length (it is never verified). */
function issueCredentials(rng: Rng, timeMs: number, durationSec: number): Credentials {
  return { accessKeyId: `ASIA${rng.b32(16)}`, sessionToken: `IQoJb3JpZ2luX2Vj${rng.base64(rng.int(300, 420))}`, expiration: awsDateText(timeMs + durationSec * SECOND) };
}

/** Who makes a call and from where: identity, network and client. */
interface Actor {
  identity: Identity;
  arn: string;
  ip: string;
  client: Client;
  /** Console sessions mark their calls with sessionCredentialFromConsole. */
  console?: boolean;
}

function sessionActor(session: Session, ip: string, client: Client, fromConsole = false): Actor {
  return { identity: session.identity, arn: String(session.identity.arn), ip, client, console: fromConsole };
}

/** A bare STS call, for user agents that name the command. */
const stsCall = (name: string): ApiCall => ({ svc: 'sts', name, readOnly: true, params: null, response: null });

// ───────────────────────────── Record assembly ─────────────────────────────

/** Fields of a record beyond the common ones, in CloudTrail's own key order. */
interface RecordParts {
  timeMs: number;
  identity: Identity;
  source: string;
  name: string;
  region: string;
  ip: string;
  ua: string;
  error?: { code: string; message: string };
  params: unknown;
  response: unknown;
  additional?: unknown;
  /** null for records CloudTrail writes without one (console sign-ins, service events). */
  requestId: string | null;
  readOnly: boolean;
  resources?: unknown[];
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  data?: boolean;
  recipient: string;
  sharedEventId?: string;
  serviceEventDetails?: unknown;
  tls?: Tls | null;
  host?: string;
  console?: boolean;
}

function buildRecord(rng: Rng, p: RecordParts): SynthEvent {
  const r: CloudTrailRecord = {
    eventVersion: '1.08',
    userIdentity: p.identity,
    eventTime: isoSeconds(p.timeMs),
    eventSource: p.source,
    eventName: p.name,
    awsRegion: p.region,
    sourceIPAddress: p.ip,
    userAgent: p.ua,
  };
  if (p.error) {
    r.errorCode = p.error.code;
    r.errorMessage = p.error.message;
  }
  r.requestParameters = p.params ?? null;
  r.responseElements = p.error ? null : p.response ?? null;
  if (p.additional !== undefined) r.additionalEventData = p.additional;
  if (p.requestId) r.requestID = p.requestId;
  r.eventID = rng.uuid();
  r.readOnly = p.readOnly;
  if (p.resources) r.resources = p.resources;
  r.eventType = p.eventType ?? 'AwsApiCall';
  r.managementEvent = !p.data;
  r.recipientAccountId = p.recipient;
  if (p.sharedEventId) r.sharedEventID = p.sharedEventId;
  if (p.serviceEventDetails !== undefined) r.serviceEventDetails = p.serviceEventDetails;
  r.eventCategory = p.data ? 'Data' : 'Management';
  if (p.tls && p.host) r.tlsDetails = { tlsVersion: p.tls.tlsVersion, cipherSuite: p.tls.cipherSuite, clientProvidedHostHeader: p.host };
  if (p.console) r.sessionCredentialFromConsole = 'true';
  return { record: r, accountId: p.recipient, region: p.region, timeMs: p.timeMs };
}

/** S3 uses short upper-case request ids and reports transfer details in additionalEventData. */
function s3Extras(rng: Rng, call: ApiCall, tls: Tls | null) {
  return {
    requestId: rng.hex(16).toUpperCase(),
    additional: {
      SignatureVersion: 'SigV4', CipherSuite: tls?.cipherSuite ?? 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: call.name === 'PutObject' ? rng.int(2_000, 4_000_000) : 0,
      AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': `${rng.base64(74)}=`, bytesTransferredOut: call.name === 'PutObject' ? 0 : rng.int(200, 4_000),
    },
  };
}

/** Why IAM refused: the caller's policies lack the action, or an organisation SCP denies it. */
type DenyReason = 'identity' | 'scp';

function denial(call: ApiCall, actor: Actor, ctx: CallCtx, reason: DenyReason): { code: string; message: string } {
  const info: ServiceInfo = SERVICES[call.svc];
  const action = `${info.prefix}:${call.name.replace(/20\d{6}(v\d)?$/, '')}`;
  const why = reason === 'scp' ? 'with an explicit deny in a service control policy' : `because no identity-based policy allows the ${action} action`;
  if (call.svc === 'ec2') return { code: info.deny, message: `You are not authorized to perform this operation. User: ${actor.arn} is not authorized to perform: ${action} ${why}` };
  const resource = call.target ?? `arn:aws:${info.prefix}:${ctx.region}:${ctx.account}:*`;
  return { code: info.deny, message: `User: ${actor.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}` };
}

interface CallOptions {
  /** IAM refuses the call, and why. */
  deny?: DenyReason | false;
  /** Source and user agent for calls an AWS service makes on the caller's behalf. */
  viaService?: string;
}

/** One API call by an actor, in the account the actor's credentials belong to. */
function callRecord(rng: Rng, world: World, actor: Actor, account: string, region: string, timeMs: number, apiName: ApiName, opts: CallOptions = {}): SynthEvent {
  const info: ServiceInfo = SERVICES[API[apiName].svc];
  const callRegion = info.global ? 'us-east-1' : region;
  const ctx: CallCtx = { rng, account, region: callRegion, timeMs, assets: world.assets[account] as Assets };
  const call = API[apiName](ctx);
  const client = opts.viaService ? CLIENTS.service(opts.viaService) : actor.client;
  const s3 = call.svc === 's3' ? s3Extras(rng, call, client.tls) : null;
  return buildRecord(rng, {
    timeMs,
    identity: actor.identity,
    source: info.source,
    name: call.name,
    region: callRegion,
    ip: opts.viaService ?? actor.ip,
    ua: client.ua(call),
    error: opts.deny ? denial(call, actor, ctx, opts.deny) : undefined,
    params: call.params,
    response: call.response,
    additional: s3?.additional ?? call.additional,
    requestId: s3?.requestId ?? rng.uuid(),
    readOnly: call.readOnly,
    resources: call.resources,
    data: call.data,
    recipient: account,
    tls: client.tls,
    host: hostHeader(call, info, callRegion),
    console: actor.console,
  });
}

/** S3 requests name the bucket's virtual host; everything else the service endpoint. */
function hostHeader(call: ApiCall, info: ServiceInfo, region: string): string {
  const host = (call.params as { Host?: unknown } | null)?.Host;
  return typeof host === 'string' ? host : info.host(region);
}

// ───────────────────────────── Role assumption ─────────────────────────────

/** Who calls sts:AssumeRole. */
type Caller =
  | { kind: 'session'; session: Session }
  | { kind: 'external'; accountId: string; principalId: string; arn: string }
  | { kind: 'service'; service: string };

interface AssumeArgs {
  caller: Caller;
  role: Role;
  sessionName: string;
  timeMs: number;
  ip: string;
  client: Client;
  region?: string;
  durationSec?: number;
  externalId?: string;
  sourceIdentity?: string;
  /** The trust policy refuses the caller. */
  denied?: boolean;
  sessionExtras?: SessionExtras;
}

interface Assumed {
  /** One record, or two (caller's and role account's views) for cross-account calls inside the org. */
  events: SynthEvent[];
  session: Session | null;
}

function callerAccount(caller: Caller, role: Role): string {
  if (caller.kind === 'session') return caller.session.role.account;
  if (caller.kind === 'external') return caller.accountId;
  return role.account;
}

/**
 * sts:AssumeRole as CloudTrail logs it. A cross-account call is delivered to both accounts with the same
 * requestID and sharedEventID; the role account sees the caller only as an `AWSAccount`. When the caller
 * is outside the organisation its own copy is not in the evidence.
 */
function assumeRole(rng: Rng, a: AssumeArgs): Assumed {
  const region = a.region ?? 'us-east-1';
  const fromAccount = callerAccount(a.caller, a.role);
  const crossAccount = fromAccount !== a.role.account;
  const duration = a.durationSec ?? 3600;
  const creds = a.denied ? null : issueCredentials(rng, a.timeMs, duration);
  const assumedRoleUser = { assumedRoleId: `${a.role.id}:${a.sessionName}`, arn: `arn:aws:sts::${a.role.account}:assumed-role/${a.role.name}/${a.sessionName}` };
  const params: Record<string, unknown> = { roleArn: a.role.arn, roleSessionName: a.sessionName };
  if (a.caller.kind !== 'service') params.durationSeconds = duration;
  if (a.externalId) params.externalId = a.externalId;
  if (a.sourceIdentity) params.sourceIdentity = a.sourceIdentity;
  const response: Record<string, unknown> | null = creds ? { credentials: creds, assumedRoleUser } : null;
  if (response && a.sourceIdentity) response.sourceIdentity = a.sourceIdentity;
  const callerArn = a.caller.kind === 'session' ? String(a.caller.session.identity.arn) : a.caller.kind === 'external' ? a.caller.arn : a.caller.service;
  const error = a.denied ? { code: 'AccessDenied', message: `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${a.role.arn}` } : undefined;
  // Services assume roles from inside AWS: the service name stands in for IP and user agent, and no TLS is logged.
  const byService = a.caller.kind === 'service';
  const common = {
    timeMs: a.timeMs, source: 'sts.amazonaws.com', name: 'AssumeRole', region, ip: byService ? callerArn : a.ip,
    ua: byService ? callerArn : a.client.ua(stsCall('AssumeRole')), params, response, error, requestId: rng.uuid(), readOnly: true,
    resources: [{ accountId: a.role.account, type: 'AWS::IAM::Role', ARN: a.role.arn }],
    tls: byService ? null : a.client.tls, host: `sts.${region}.amazonaws.com`,
    sharedEventId: crossAccount ? rng.uuid() : undefined,
  };
  const events: SynthEvent[] = [];
  if (crossAccount && a.caller.kind === 'session' && ORG_ACCOUNTS.includes(fromAccount)) {
    events.push(buildRecord(rng, { ...common, identity: a.caller.session.identity, recipient: fromAccount }));
  }
  events.push(buildRecord(rng, { ...common, identity: roleAccountView(a.caller, a.role, crossAccount), recipient: a.role.account }));

  const session = creds
    ? openSession(a.role, a.sessionName, creds.accessKeyId, a.timeMs, { sourceIdentity: a.sourceIdentity, ...a.sessionExtras })
    : null;
  return { events, session };
}

/** The caller as the role's account records it. */
function roleAccountView(caller: Caller, role: Role, crossAccount: boolean): Identity {
  if (caller.kind === 'service') return { type: 'AWSService', invokedBy: caller.service };
  if (caller.kind === 'external') return { type: 'AWSAccount', principalId: caller.principalId, accountId: caller.accountId };
  if (crossAccount) return { type: 'AWSAccount', principalId: String(caller.session.identity.principalId), accountId: caller.session.role.account };
  return caller.session.identity;
}

/** IAM Identity Center sign-in: AssumeRoleWithSAML into an AWSReservedSSO_* role. */
function assumeRoleWithSaml(rng: Rng, world: World, human: Human, role: Role, timeMs: number, ip: string, durationSec: number): Assumed {
  const creds = issueCredentials(rng, timeMs, durationSec);
  const provider = `arn:aws:iam::${role.account}:saml-provider/AWSSSO_${world.ssoProvider}_DO_NOT_DELETE`;
  const client = CLIENTS.browser(human.os);
  const event = buildRecord(rng, {
    timeMs,
    identity: { type: 'SAMLUser', principalId: `${world.samlQualifier}:${human.email}`, userName: human.email, identityProvider: world.samlQualifier },
    source: 'sts.amazonaws.com', name: 'AssumeRoleWithSAML', region: 'us-east-1', ip, ua: client.ua(stsCall('AssumeRoleWithSAML')),
    params: { sAMLAssertionID: `_${rng.uuid()}`, roleSessionName: human.email, roleArn: role.arn, principalArn: provider, durationSeconds: durationSec },
    response: {
      credentials: creds,
      assumedRoleUser: { assumedRoleId: `${role.id}:${human.email}`, arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${human.email}` },
      subject: human.email, subjectType: 'persistent', issuer: `https://portal.sso.us-east-1.amazonaws.com/saml/assertion/${world.samlQualifier.slice(0, 20)}`,
      audience: 'https://signin.aws.amazon.com/saml', nameQualifier: world.samlQualifier,
    },
    requestId: rng.uuid(), readOnly: true,
    resources: [{ accountId: role.account, type: 'AWS::IAM::Role', ARN: role.arn }, { accountId: role.account, type: 'AWS::IAM::SAMLProvider', ARN: provider }],
    recipient: role.account, tls: client.tls, host: 'sts.amazonaws.com',
  });
  return { events: [event], session: openSession(role, human.email, creds.accessKeyId, timeMs) };
}

/** GitHub Actions OIDC: AssumeRoleWithWebIdentity from a hosted runner. */
function assumeRoleWithWebIdentity(rng: Rng, role: Role, subject: string, timeMs: number, ip: string): Assumed {
  const creds = issueCredentials(rng, timeMs, 3600);
  const provider = `arn:aws:iam::${role.account}:oidc-provider/token.actions.githubusercontent.com`;
  const sessionName = 'GitHubActions';
  const client = CLIENTS.githubCredentials;
  const event = buildRecord(rng, {
    timeMs,
    identity: { type: 'WebIdentityUser', principalId: `${provider}:sts.amazonaws.com:${subject}`, userName: subject, identityProvider: provider },
    source: 'sts.amazonaws.com', name: 'AssumeRoleWithWebIdentity', region: 'us-east-1', ip, ua: client.ua(stsCall('AssumeRoleWithWebIdentity')),
    params: { roleArn: role.arn, roleSessionName: sessionName, durationSeconds: 3600 },
    response: {
      credentials: creds, subjectFromWebIdentityToken: subject,
      assumedRoleUser: { assumedRoleId: `${role.id}:${sessionName}`, arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}` },
      provider, audience: 'sts.amazonaws.com',
    },
    additional: { identityProviderConnectionVerificationMethod: 'IAMTrustStore' },
    requestId: rng.uuid(), readOnly: true, resources: [{ accountId: role.account, type: 'AWS::IAM::Role', ARN: role.arn }],
    recipient: role.account, tls: client.tls, host: 'sts.us-east-1.amazonaws.com',
  });
  return { events: [event], session: openSession(role, sessionName, creds.accessKeyId, timeMs, { webIdProvider: provider }) };
}

/** Federated console sign-in after SAML. */
function consoleLogin(rng: Rng, session: Session, human: Human, timeMs: number, ip: string): SynthEvent {
  const { accessKeyId: _key, ...identity } = session.identity;
  return buildRecord(rng, {
    timeMs, identity, source: 'signin.amazonaws.com', name: 'ConsoleLogin', region: 'us-east-1', ip, ua: BROWSER_UA[human.os],
    params: null, response: { ConsoleLogin: 'Success' }, additional: { MobileVersion: 'No', MFAUsed: 'No' },
    requestId: null, readOnly: false, eventType: 'AwsConsoleSignIn', recipient: session.role.account, tls: TLS13, host: 'signin.aws.amazon.com',
  });
}

// ───────────────────────────── Baseline activities ─────────────────────────────

/** Shared state of one generation run. */
interface Gen {
  rng: Rng;
  world: World;
  endMs: number;
  /** Mean API calls per activity, scaled so the run lands near targetEvents. */
  mean: Record<ActivityClass, number>;
}

type ActivityClass = 'human' | 'ci' | 'service' | 'misc';

/** Keeps an activity's clock inside the evidence period. */
function clampTime(gen: Gen, t: number): number {
  return Math.min(t, gen.endMs - SECOND);
}

/** How many calls an activity makes: spread around the mean, never zero. */
function callCount(rng: Rng, mean: number): number {
  return Math.max(1, Math.round(mean * (0.3 + 1.4 * rng.float())));
}

const hourOf = (ms: number): number => new Date(ms).getUTCHours();
const isWeekday = (ms: number): boolean => {
  const d = new Date(ms).getUTCDay();
  return d >= 1 && d <= 5;
};

function ssoAccountFor(rng: Rng, team: Team): string {
  const weights: Record<Team, readonly (readonly [string, number])[]> = {
    platform: [[ACCOUNTS.prod, 4], [ACCOUNTS.dev, 4], [ACCOUNTS.security, 2]],
    app: [[ACCOUNTS.dev, 65], [ACCOUNTS.prod, 35]],
    security: [[ACCOUNTS.security, 6], [ACCOUNTS.prod, 2.5], [ACCOUNTS.dev, 1.5]],
    data: [[ACCOUNTS.prod, 1], [ACCOUNTS.dev, 1]],
  };
  return rng.weighted(weights[team]);
}

/** Office on working days, home otherwise, the odd mobile hotspot. */
function humanIp(rng: Rng, human: Human, t: number): string {
  if (rng.chance(0.03)) return rng.pick(NETWORKS.mobile);
  const workHours = isWeekday(t) && hourOf(t) >= 7 && hourOf(t) < 18;
  return workHours && rng.chance(0.65) ? rng.pick(NETWORKS.office) : human.homeIp;
}

/**
 * A person signs in through IAM Identity Center, maybe switches to ops-admin in the same account,
 * and browses or changes things for a while.
 */
function humanSession(gen: Gen, t0: number): SynthEvent[] {
  const { rng, world } = gen;
  const human = rng.pick(world.humans);
  const account = ssoAccountFor(rng, human.team);
  const isAdmin = account === ACCOUNTS.dev ? rng.chance(0.6) : human.admin && rng.chance(0.65);
  const role = ssoRole(world, account, isAdmin ? SSO_ADMIN : SSO_READONLY);
  const ip = humanIp(rng, human, t0);
  const inConsole = rng.chance(human.consoleShare);
  const signIn = assumeRoleWithSaml(rng, world, human, role, t0, ip, 28800);
  const events = [...signIn.events];
  let session = signIn.session as Session;
  let t = t0;
  if (inConsole) {
    t += SECOND * rng.int(1, 3);
    events.push(consoleLogin(rng, session, human, t, ip));
  }
  const client = inConsole ? CLIENTS.browser(human.os) : CLIENTS.cli(human.os);

  // Same-account role switch: the benign counterpart of role chaining.
  if (isAdmin && rng.chance(0.1)) {
    t = clampTime(gen, t + SECOND * rng.int(20, 300));
    const switched = assumeRole(rng, {
      caller: { kind: 'session', session }, role: getRole(world, account, 'ops-admin'), sessionName: human.email.split('@')[0] as string,
      timeMs: t, ip, client, durationSec: 3600,
    });
    events.push(...switched.events);
    session = switched.session as Session;
  }

  const actor = sessionActor(session, ip, client, inConsole);
  const region = rng.chance(0.85) ? 'us-east-1' : 'eu-west-1';
  const n = callCount(rng, gen.mean.human);
  const avgGap = (rng.int(4, 100) * MINUTE) / n;
  for (let i = 0; i < n; i++) {
    t = clampTime(gen, t + (rng.chance(0.5) ? rng.int(0, 2) * SECOND : rng.int(3, Math.max(4, Math.round((2 * avgGap) / SECOND))) * SECOND));
    events.push(humanCall(gen, actor, session.role, isAdmin, region, t));
  }
  return events;
}

/** One call of a person's session: mostly reads, some writes, the odd refusal. */
function humanCall(gen: Gen, actor: Actor, role: Role, isAdmin: boolean, region: string, t: number): SynthEvent {
  const { rng, world } = gen;
  const account = role.account;
  // The console polls AWS Health on the caller's behalf; CloudTrail shows that as "AWS Internal".
  if (actor.console && rng.chance(0.02)) return callRecord(rng, world, actor, account, region, t, 'health:DescribeEventAggregates', { viaService: 'AWS Internal' });
  const r = rng.float();
  if (r < 0.07) {
    // ReadOnly users occasionally try a write and are refused.
    return callRecord(rng, world, actor, account, region, t, rng.weighted(HUMAN_WRITES), { deny: isAdmin ? false : 'identity' });
  }
  if (r < 0.075 && isAdmin && account === ACCOUNTS.dev) return callRecord(rng, world, actor, account, region, t, rng.weighted(HUMAN_IAM_WRITES));
  const apiName = rng.weighted(HUMAN_READS);
  // A few reads hit the organisation's SCPs (GetCallerIdentity can never be denied).
  const deny = rng.chance(0.015) && API[apiName].svc !== 'sts' ? 'scp' : false;
  return callRecord(rng, world, actor, account, region, t, apiName, { deny });
}

const GITHUB_REPOS: readonly (readonly [string, boolean])[] = [['acme/platform', true], ['acme/orders-api', true], ['acme/web', true], ['acme/infra-live', true], ['acme/data-pipelines', false]];

function githubIp(rng: Rng): string {
  return `${rng.pick(NETWORKS.github)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/**
 * A GitHub Actions run: OIDC into dev, plan and deploy there; builds of main continue into prod by
 * assuming prod-deployer cross-account (inside the org: two views with a sharedEventID).
 */
function ciRun(gen: Gen, t0: number): SynthEvent[] {
  const { rng, world } = gen;
  const [repo, deploysProd] = rng.pick(GITHUB_REPOS);
  const onMain = rng.chance(0.6);
  const ref = onMain ? 'ref:refs/heads/main' : `ref:refs/pull/${rng.int(100, 2400)}/merge`;
  const ip = githubIp(rng);
  const oidc = assumeRoleWithWebIdentity(rng, getRole(world, ACCOUNTS.dev, 'github-actions-deploy'), `repo:${repo}:${ref}`, t0, ip);
  const events = [...oidc.events];
  const devSession = oidc.session as Session;
  const client = rng.chance(0.5) ? CLIENTS.terraform : CLIENTS.githubCli;
  let t = ciPhase(gen, events, sessionActor(devSession, ip, client), ACCOUNTS.dev, t0, gen.mean.ci);

  if (deploysProd && onMain && rng.chance(0.5)) {
    t = clampTime(gen, t + SECOND * rng.int(2, 20));
    const hop = assumeRole(rng, {
      caller: { kind: 'session', session: devSession }, role: getRole(world, ACCOUNTS.prod, 'prod-deployer'),
      sessionName: `GitHubActions-${rng.int(8_000_000_000, 9_999_999_999)}`, timeMs: t, ip, client: CLIENTS.githubCredentials,
    });
    events.push(...hop.events);
    ciPhase(gen, events, sessionActor(hop.session as Session, ip, client), ACCOUNTS.prod, t, gen.mean.ci * 0.6);
  }
  return events;
}

/** Reads, then deploy writes, then the odd Terraform-managed IAM change. Returns the phase's end time. */
function ciPhase(gen: Gen, out: SynthEvent[], actor: Actor, account: string, start: number, mean: number): number {
  const { rng, world } = gen;
  const n = callCount(rng, mean);
  let t = start;
  for (let i = 0; i < n; i++) {
    t = clampTime(gen, t + SECOND * rng.int(0, 6));
    const deploying = i >= n * 0.75;
    const apiName = i === 0 ? 'sts:GetCallerIdentity' : deploying ? rng.weighted(CI_DEPLOY) : rng.weighted(CI_READS);
    out.push(callRecord(rng, world, actor, account, 'us-east-1', t, apiName, { deny: i > 0 && rng.chance(0.005) ? 'identity' : false }));
  }
  if (rng.chance(0.08)) {
    t = clampTime(gen, t + SECOND * rng.int(1, 10));
    out.push(callRecord(rng, world, actor, account, 'us-east-1', t, rng.weighted(CI_IAM)));
  }
  return t;
}

function natIp(rng: Rng, account: string, region: string): string {
  return rng.pick(NETWORKS.nat[account]?.[region] ?? NETWORKS.nat[ACCOUNTS.prod]?.['us-east-1'] ?? ['3.214.120.17']);
}

/** An AWS service assumes a workload role, then the workload calls AWS from its own network. */
function serviceWorkload(gen: Gen, t0: number): SynthEvent[] {
  const { rng, world } = gen;
  const account = rng.weighted([[ACCOUNTS.prod, 6], [ACCOUNTS.dev, 3], [ACCOUNTS.security, 1]] as const);
  const region = rng.chance(0.85) ? 'us-east-1' : 'eu-west-1';
  const assets = world.assets[account] as Assets;
  const kind = rng.weighted([['ec2', 4], ['lambda', 3], ['ecs', 2], ['config', 2]] as const);
  const spec = {
    ec2: { service: 'ec2.amazonaws.com', role: 'app-instance-role', name: () => rng.pick(assets.instances), mix: INSTANCE_CALLS, ip: () => natIp(rng, account, region), extras: { ec2: true } },
    lambda: { service: 'lambda.amazonaws.com', role: 'api-lambda-role', name: () => rng.pick(assets.functions), mix: LAMBDA_CALLS, ip: () => rng.pick(NETWORKS.lambda[region] ?? []), extras: {} },
    ecs: { service: 'ecs-tasks.amazonaws.com', role: 'ecs-task-role', name: () => rng.hex(32), mix: ECS_CALLS, ip: () => natIp(rng, account, region), extras: {} },
    config: { service: 'config.amazonaws.com', role: 'AWSServiceRoleForConfig', name: () => 'AWSConfig-Describe', mix: CONFIG_CALLS, ip: () => 'config.amazonaws.com', extras: { invokedBy: 'config.amazonaws.com' } },
  }[kind];
  const roleName = account === ACCOUNTS.security && (kind === 'ec2' || kind === 'ecs') ? 'security-tooling-role' : spec.role;
  const assumed = assumeRole(rng, {
    caller: { kind: 'service', service: spec.service }, role: getRole(world, account, roleName), sessionName: spec.name(),
    timeMs: t0, ip: spec.service, client: CLIENTS.service(spec.service), region, sessionExtras: spec.extras,
  });
  const events = [...assumed.events];
  const session = assumed.session as Session;
  const ip = spec.ip();
  const client = kind === 'ec2' ? (rng.chance(0.6) ? CLIENTS.ssmAgent : CLIENTS.instanceApp) : kind === 'lambda' ? CLIENTS.lambda : CLIENTS.ecsTask;
  const actor = sessionActor(session, ip, client);
  const n = callCount(rng, gen.mean.service);
  let t = t0;
  for (let i = 0; i < n; i++) {
    t = clampTime(gen, t + SECOND * rng.int(1, kind === 'lambda' ? 20 : 400));
    const apiName = rng.weighted(spec.mix);
    events.push(callRecord(rng, world, actor, account, region, t, apiName, kind === 'config' ? { viaService: 'config.amazonaws.com' } : {}));
  }
  return events;
}

/** Background that is neither people nor workloads: a legacy IAM user, backups, key rotation, Access Analyzer. */
function miscActivity(gen: Gen, t0: number): SynthEvent[] {
  const { rng } = gen;
  const hour = hourOf(t0);
  const night = hour >= 1 && hour <= 5;
  const kind = night
    ? rng.weighted([['legacy', 4], ['backup', 5], ['analyzer', 1]] as const)
    : rng.weighted([['analyzer', 6], ['rotate', 1], ['backup', 1]] as const);
  if (kind === 'legacy') return legacyUserJob(gen, t0);
  if (kind === 'backup') return backupJob(gen, t0);
  if (kind === 'rotate') return [kmsRotation(gen, t0)];
  return accessAnalyzerScan(gen, t0);
}

/** An on-premises reporting box still using a long-term IAM user key from the office network. */
function legacyUserJob(gen: Gen, t0: number): SynthEvent[] {
  const { rng, world } = gen;
  const u = world.legacyUser;
  const actor: Actor = {
    identity: { type: 'IAMUser', principalId: u.id, arn: `arn:aws:iam::${u.account}:user/${u.name}`, accountId: u.account, accessKeyId: u.accessKeyId, userName: u.name },
    arn: `arn:aws:iam::${u.account}:user/${u.name}`, ip: NETWORKS.office[2], client: CLIENTS.legacyCli,
  };
  const steps: ApiName[] = ['s3:ListBuckets', 's3:GetBucketLocation', 's3:PutObject', 's3:PutObject'];
  let t = t0;
  return steps.slice(0, callCount(rng, Math.min(gen.mean.misc, 4))).map((apiName) => {
    t = clampTime(gen, t + SECOND * rng.int(1, 30));
    return callRecord(rng, world, actor, u.account, 'us-east-1', t, apiName);
  });
}

/** AWS Backup reports job state changes as service events (no caller, no request id). */
function backupJob(gen: Gen, t0: number): SynthEvent[] {
  const { rng, world } = gen;
  const account = rng.pick([ACCOUNTS.prod, ACCOUNTS.dev]);
  const assets = world.assets[account] as Assets;
  const resourceArn = rng.chance(0.5) ? `arn:aws:ec2:us-east-1:${account}:volume/${rng.pick(assets.volumes)}` : `arn:aws:rds:us-east-1:${account}:db:${rng.pick(assets.dbs)}`;
  const jobId = rng.uuid().toUpperCase();
  const started = t0;
  const completed = clampTime(gen, t0 + MINUTE * rng.int(3, 40));
  return (['BackupJobStarted', 'BackupJobCompleted'] as const).map((name, i) =>
    buildRecord(rng, {
      timeMs: i === 0 ? started : completed, identity: { accountId: account, invokedBy: 'backup.amazonaws.com' }, source: 'backup.amazonaws.com', name,
      region: 'us-east-1', ip: 'backup.amazonaws.com', ua: 'backup.amazonaws.com', params: null, response: null, requestId: null, readOnly: false,
      eventType: 'AwsServiceEvent', recipient: account,
      serviceEventDetails: { backupJobId: jobId, backupVaultName: 'acme-nightly', resourceArn, resourceType: resourceArn.includes(':rds:') ? 'RDS' : 'EBS', state: i === 0 ? 'RUNNING' : 'COMPLETED', backupPlanId: 'acme-nightly-plan' },
    }),
  );
}

function kmsRotation(gen: Gen, t0: number): SynthEvent {
  const { rng, world } = gen;
  const account = rng.pick(ORG_ACCOUNTS);
  const key = rng.pick((world.assets[account] as Assets).kmsKeys);
  const arn = `arn:aws:kms:us-east-1:${account}:key/${key}`;
  return buildRecord(rng, {
    timeMs: t0, identity: { accountId: account, invokedBy: 'kms.amazonaws.com' }, source: 'kms.amazonaws.com', name: 'RotateKey', region: 'us-east-1',
    ip: 'kms.amazonaws.com', ua: 'kms.amazonaws.com', params: null, response: null, requestId: null, readOnly: false,
    resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: arn }], eventType: 'AwsServiceEvent', recipient: account, serviceEventDetails: { keyId: key },
  });
}

/** IAM Access Analyzer re-reads resource policies through its service-linked role. */
function accessAnalyzerScan(gen: Gen, t0: number): SynthEvent[] {
  const { rng, world } = gen;
  const account = rng.pick(ORG_ACCOUNTS);
  const service = 'access-analyzer.amazonaws.com';
  const assumed = assumeRole(rng, {
    caller: { kind: 'service', service }, role: getRole(world, account, 'AWSServiceRoleForAccessAnalyzer'), sessionName: 'access-analyzer',
    timeMs: t0, ip: service, client: CLIENTS.service(service), sessionExtras: { invokedBy: service },
  });
  const actor = sessionActor(assumed.session as Session, service, CLIENTS.service(service));
  const events = [...assumed.events];
  let t = t0;
  for (let i = callCount(rng, Math.min(gen.mean.misc, 6)); i > 0; i--) {
    t = clampTime(gen, t + SECOND * rng.int(1, 5));
    events.push(callRecord(rng, world, actor, account, 'us-east-1', t, rng.weighted(ANALYZER_CALLS), { viaService: service }));
  }
  return events;
}

/** Datadog's crawler: assume DatadogIntegrationRole with the external id, then read inventory and metrics. */
function datadogPoll(gen: Gen, t0: number, readsMean: number): SynthEvent[] {
  const { rng, world } = gen;
  const ip = rng.pick(NETWORKS.datadog);
  const assumed = assumeRole(rng, {
    caller: { kind: 'external', accountId: DATADOG_ACCOUNT, principalId: world.datadogPrincipal, arn: `arn:aws:sts::${DATADOG_ACCOUNT}:assumed-role/DatadogAWSIntegrationRole/datadog-aws-crawler` },
    role: getRole(world, ACCOUNTS.prod, 'DatadogIntegrationRole'), sessionName: 'DatadogAWSIntegration', timeMs: t0, ip, client: CLIENTS.datadog,
    externalId: world.datadogExternalId,
  });
  const events = [...assumed.events];
  const actor = sessionActor(assumed.session as Session, ip, CLIENTS.datadog);
  const n = Math.max(1, Math.round(readsMean * (0.5 + rng.float())));
  let t = t0;
  for (let i = 0; i < n; i++) {
    t = clampTime(gen, t + SECOND * rng.int(0, 3));
    events.push(callRecord(rng, world, actor, ACCOUNTS.prod, rng.chance(0.8) ? 'us-east-1' : 'eu-west-1', t, rng.weighted(DATADOG_READS)));
  }
  // The log forwarder integration occasionally (re)installs subscription filters: privileged, but routine.
  if (rng.chance(1 / 300)) events.push(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', clampTime(gen, t + SECOND * rng.int(1, 5)), 'logs:PutSubscriptionFilter'));
  return events;
}

// ───────────────────────────── Volume planning ─────────────────────────────

/** Relative activity of each class by hour: people and CI follow the London working day. */
function hourWeight(cls: ActivityClass, ms: number): number {
  const h = hourOf(ms);
  const weekday = isWeekday(ms);
  switch (cls) {
    case 'human':
      if (!weekday) return h >= 9 && h < 19 ? 0.04 : 0.01;
      if (h >= 8 && h < 17) return 1;
      if (h === 7 || h === 17) return 0.6;
      return h >= 18 && h < 22 ? 0.08 : 0.015;
    case 'ci':
      if (h === 2) return 0.4; // nightly builds
      if (!weekday) return 0.05;
      if (h >= 7 && h < 18) return 1;
      return h >= 18 && h < 23 ? 0.15 : 0.05;
    case 'service':
      return weekday && h >= 7 && h < 18 ? 1.6 : 1;
    case 'misc':
      return 1;
  }
}

const CLASS_SHARE: Record<ActivityClass, number> = { human: 0.42, ci: 0.18, service: 0.33, misc: 0.07 };
/** Nominal activities per day; the number of calls per activity scales with the requested volume. */
const NOMINAL_PER_DAY: Record<ActivityClass, number> = { human: 45, ci: 30, service: 160, misc: 12 };
const CALL_BOUNDS: Record<ActivityClass, readonly [number, number]> = { human: [4, 400], ci: [6, 200], service: [1, 60], misc: [1, 6] };
const ACTIVITIES: Record<ActivityClass, (gen: Gen, t0: number) => SynthEvent[]> = { human: humanSession, ci: ciRun, service: serviceWorkload, misc: miscActivity };
const DATADOG_PERIOD_MS = 10 * MINUTE;
/** Datadog's share of the volume when the budget allows more than one read per poll. */
const DATADOG_SHARE = 0.3;

interface Plan {
  /** Events each class should contribute in total. */
  budget: Record<ActivityClass, number>;
  weightSum: Record<ActivityClass, number>;
  mean: Record<ActivityClass, number>;
  datadogReads: number;
}

function planVolume(opts: SynthOptions, plantedCount: number): Plan {
  const classes = Object.keys(CLASS_SHARE) as ActivityClass[];
  const polls = (opts.days * DAY) / DATADOG_PERIOD_MS;
  const datadogReads = Math.max(1, (opts.targetEvents * DATADOG_SHARE) / polls - 1);
  const datadogEvents = polls * (1 + Math.max(1, Math.round(datadogReads)));
  const rest = Math.max(0, opts.targetEvents - plantedCount - datadogEvents);
  const budget = {} as Record<ActivityClass, number>;
  const weightSum = {} as Record<ActivityClass, number>;
  const mean = {} as Record<ActivityClass, number>;
  for (const cls of classes) {
    budget[cls] = rest * CLASS_SHARE[cls];
    let sum = 0;
    for (let h = opts.startMs; h < opts.startMs + opts.days * DAY; h += HOUR) sum += hourWeight(cls, h);
    weightSum[cls] = sum;
    const [lo, hi] = CALL_BOUNDS[cls];
    mean[cls] = Math.min(hi, Math.max(lo, budget[cls] / opts.days / NOMINAL_PER_DAY[cls] - 1));
  }
  return { budget, weightSum, mean, datadogReads };
}

// ───────────────────────────── Planted scenarios ─────────────────────────────

/** Collects a scenario's events and tags the ones the ground truth names. */
class Scenario {
  readonly events: SynthEvent[] = [];
  private readonly assume: string[] = [];
  private readonly privileged: string[] = [];
  private readonly keys: string[] = [];

  constructor(
    readonly name: string,
    readonly kind: 'chain' | 'near-miss',
    readonly externalAccount: string | null,
    readonly targetAccount: string,
    readonly description: string,
  ) {}

  add(events: SynthEvent | SynthEvent[], tag?: 'assume' | 'privileged'): void {
    for (const ev of Array.isArray(events) ? events : [events]) {
      this.events.push(ev);
      if (tag === 'assume') this.assume.push(String(ev.record.eventID));
      if (tag === 'privileged') this.privileged.push(String(ev.record.eventID));
    }
  }

  /** Records the access key of a session the scenario opened, and returns the session. */
  track(session: Session | null): Session {
    if (!session) throw new Error(`${this.name}: expected a session`);
    this.keys.push(session.accessKeyId);
    return session;
  }

  truth(): PlantedChain {
    const ordered = [...this.events].sort((a, b) => a.timeMs - b.timeMs);
    const first = ordered[0];
    const last = ordered[ordered.length - 1];
    if (!first || !last) throw new Error(`${this.name}: no events`);
    const ips: string[] = [];
    for (const ev of ordered) {
      const ip = String(ev.record.sourceIPAddress);
      if (!ips.includes(ip)) ips.push(ip);
    }
    return {
      name: this.name, kind: this.kind, entryEventId: String(first.record.eventID), assumeEventIds: [...this.assume], privilegedEventIds: [...this.privileged],
      eventIds: ordered.map((e) => String(e.record.eventID)), sourceIps: ips, accessKeyIds: [...this.keys], externalAccount: this.externalAccount,
      targetAccount: this.targetAccount, startMs: first.timeMs, endMs: last.timeMs, description: this.description,
    };
  }
}

/** A fixed moment of the period: whole day `fraction` of the way in, at hh:mm:ss after that day starts. */
function momentOf(opts: SynthOptions, fraction: number, hh: number, mm: number, ss: number): number {
  return opts.startMs + Math.floor(opts.days * fraction) * DAY + hh * HOUR + mm * MINUTE + ss * SECOND;
}

const offset = (t0: number, min: number, sec: number): number => t0 + min * MINUTE + sec * SECOND;

function externalCaller(rng: Rng, accountId: string, user: string): Caller {
  return { kind: 'external', accountId, principalId: `AIDA${rng.b32(17)}`, arn: `arn:aws:iam::${accountId}:user/${user}` };
}

/** (a) Outside account → OrganizationAccountAccessRole in prod from a Tor exit, then a burst of persistence and defence evasion. */
function externalBurst(opts: SynthOptions, world: World, rng: Rng): Scenario {
  const sc = new Scenario('external-burst', 'chain', EXTERNAL_ACCOUNTS.burst, ACCOUNTS.prod,
    `Account ${EXTERNAL_ACCOUNTS.burst} (outside the org) assumes OrganizationAccountAccessRole in prod from a German Tor exit at night, then within 2-20 minutes creates an admin user with a key, stops the prod trail, opens a bucket to itself and reads a database secret.`);
  const t0 = momentOf(opts, 0.4, 2, 17, 43);
  const ip = NETWORKS.planted.externalBurst;
  const client = CLIENTS.kaliCli;
  const entry = assumeRole(rng, { caller: externalCaller(rng, EXTERNAL_ACCOUNTS.burst, 'deploy-bot'), role: getRole(world, ACCOUNTS.prod, 'OrganizationAccountAccessRole'), sessionName: 'maint-0917', timeMs: t0, ip, client });
  sc.add(entry.events, 'assume');
  const actor = sessionActor(sc.track(entry.session), ip, client);
  sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 2, 10), 'sts:GetCallerIdentity'));
  sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 3, 5), 'iam:ListUsers'));
  const newUser = 'svc-backup-sync';
  sc.add(plantedIam(rng, actor, offset(t0, 5, 2), 'CreateUser', { userName: newUser }, { user: { path: '/', userName: newUser, userId: `AIDA${rng.b32(17)}`, arn: `arn:aws:iam::${ACCOUNTS.prod}:user/${newUser}`, createDate: awsDateText(offset(t0, 5, 2)) } }), 'privileged');
  sc.add(plantedIam(rng, actor, offset(t0, 5, 31), 'CreateAccessKey', { userName: newUser }, { accessKey: { userName: newUser, accessKeyId: `AKIA${rng.b32(16)}`, status: 'Active', createDate: awsDateText(offset(t0, 5, 31)) } }), 'privileged');
  sc.add(plantedIam(rng, actor, offset(t0, 6, 12), 'AttachUserPolicy', { userName: newUser, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, null), 'privileged');
  sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 9, 40), 'cloudtrail:StopLogging'), 'privileged');
  sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 12, 18), 's3:PutBucketPolicy'), 'privileged');
  sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 17, 55), 'secretsmanager:GetSecretValue'), 'privileged');
  return sc;
}

/** An IAM call whose parameters the scenario fixes (the catalogue would pick them at random). */
function plantedIam(rng: Rng, actor: Actor, timeMs: number, name: string, params: unknown, response: unknown): SynthEvent {
  const call: ApiCall = { svc: 'iam', name, readOnly: false, params, response };
  return buildRecord(rng, {
    timeMs, identity: actor.identity, source: 'iam.amazonaws.com', name, region: 'us-east-1', ip: actor.ip, ua: actor.client.ua(call),
    params, response, requestId: rng.uuid(), readOnly: false, recipient: String(actor.identity.accountId), tls: actor.client.tls, host: 'iam.amazonaws.com',
  });
}

/** (b) Outside account → vendor-bridge (dev) → prod-deployer (prod), source identity carried through, then IAM persistence. */
function roleChain(opts: SynthOptions, world: World, rng: Rng): Scenario {
  const sc = new Scenario('role-chain', 'chain', EXTERNAL_ACCOUNTS.roleChain, ACCOUNTS.prod,
    `Account ${EXTERNAL_ACCOUNTS.roleChain} assumes vendor-bridge in dev from a Dutch VPS, chains into prod-deployer in prod (sourceIdentity carried, two views with a sharedEventID), then rewrites a trust policy, adds an inline admin policy and gives an IAM user a console password.`);
  const t0 = momentOf(opts, 0.6, 14, 5, 12);
  const ip = NETWORKS.planted.roleChain;
  const client = CLIENTS.vpsBoto;
  const sourceIdentity = 'partner-ops-jk';
  const hop1 = assumeRole(rng, {
    caller: externalCaller(rng, EXTERNAL_ACCOUNTS.roleChain, 'partner-ops'), role: getRole(world, ACCOUNTS.dev, 'vendor-bridge'), sessionName: 'partner-sync',
    timeMs: t0, ip, client, sourceIdentity, externalId: rng.hex(24),
  });
  sc.add(hop1.events, 'assume');
  const bridge = sc.track(hop1.session);
  const hop2 = assumeRole(rng, { caller: { kind: 'session', session: bridge }, role: getRole(world, ACCOUNTS.prod, 'prod-deployer'), sessionName: 'partner-sync', timeMs: offset(t0, 1, 34), ip, client, sourceIdentity });
  sc.add(hop2.events, 'assume');
  const actor = sessionActor(sc.track(hop2.session), ip, client);
  sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 2, 3), 'sts:GetCallerIdentity'));
  sc.add(plantedIam(rng, actor, offset(t0, 4, 0), 'UpdateAssumeRolePolicy', { roleName: 'prod-deployer', policyDocument: trustDoc({ AWS: `arn:aws:iam::${EXTERNAL_ACCOUNTS.roleChain}:root` }) }, null), 'privileged');
  sc.add(plantedIam(rng, actor, offset(t0, 6, 20), 'PutRolePolicy', { roleName: 'prod-deployer', policyName: 'ops-maintenance', policyDocument: policyDoc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }, null), 'privileged');
  sc.add(plantedIam(rng, actor, offset(t0, 9, 5), 'CreateLoginProfile', { userName: world.legacyUser.name, passwordResetRequired: false }, { loginProfile: { userName: world.legacyUser.name, createDate: awsDateText(offset(t0, 9, 5)), passwordResetRequired: false } }), 'privileged');
  return sc;
}

/** (c) Datadog's own principal and external id, but from a network Datadog never used; then data exfiltration moves. */
function vendorNewNetwork(opts: SynthOptions, world: World, rng: Rng): Scenario {
  const sc = new Scenario('vendor-new-network', 'chain', DATADOG_ACCOUNT, ACCOUNTS.prod,
    'DatadogIntegrationRole is assumed by Datadog\'s usual principal with the right external id, but from a DigitalOcean address in Singapore (new ASN and country), then a snapshot is shared publicly and a secret is read.');
  const t0 = momentOf(opts, 0.8, 21, 40, 27);
  const ip = NETWORKS.planted.vendorNewNetwork;
  const client = CLIENTS.windowsCli;
  const entry = assumeRole(rng, {
    caller: { kind: 'external', accountId: DATADOG_ACCOUNT, principalId: world.datadogPrincipal, arn: `arn:aws:sts::${DATADOG_ACCOUNT}:assumed-role/DatadogAWSIntegrationRole/datadog-aws-crawler` },
    role: getRole(world, ACCOUNTS.prod, 'DatadogIntegrationRole'), sessionName: 'DatadogAWSIntegration', timeMs: t0, ip, client, externalId: world.datadogExternalId,
  });
  sc.add(entry.events, 'assume');
  const actor = sessionActor(sc.track(entry.session), ip, client);
  sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 0, 45), 'ec2:DescribeSnapshots'));
  sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 3, 12), 'ec2:ModifySnapshotAttribute'), 'privileged');
  sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 6, 3), 'secretsmanager:GetSecretValue'), 'privileged');
  return sc;
}

/** Near miss: an outside auditor assumes a role from a new network but only reads. */
function externalRecon(opts: SynthOptions, world: World, rng: Rng): Scenario {
  const sc = new Scenario('nm-external-recon', 'near-miss', EXTERNAL_ACCOUNTS.recon, ACCOUNTS.prod,
    `Account ${EXTERNAL_ACCOUNTS.recon} assumes ThirdPartyAuditRole in prod from Hetzner (Finland) and makes only read-only calls: no privileged follow-up.`);
  const t0 = momentOf(opts, 0.25, 10, 12, 5);
  const ip = NETWORKS.planted.externalRecon;
  const client = CLIENTS.ubuntuCli;
  const entry = assumeRole(rng, { caller: externalCaller(rng, EXTERNAL_ACCOUNTS.recon, 'auditor'), role: getRole(world, ACCOUNTS.prod, 'ThirdPartyAuditRole'), sessionName: 'audit-q4', timeMs: t0, ip, client });
  sc.add(entry.events, 'assume');
  const actor = sessionActor(sc.track(entry.session), ip, client);
  const reads: readonly ApiName[] = ['sts:GetCallerIdentity', 'iam:GetAccountSummary', 'iam:ListRoles', 'ec2:DescribeInstances', 's3:ListBuckets', 'cloudtrail:DescribeTrails', 'iam:ListPolicies', 'ec2:DescribeSecurityGroups'];
  reads.forEach((apiName, i) => sc.add(callRecord(rng, world, actor, ACCOUNTS.prod, 'us-east-1', offset(t0, 2 + i * 2, 7 * i), apiName)));
  return sc;
}

/** Near miss: an outside account tries OrganizationAccountAccessRole and is refused every time. */
function deniedAssume(opts: SynthOptions, world: World, rng: Rng): Scenario {
  const sc = new Scenario('nm-denied-assume', 'near-miss', EXTERNAL_ACCOUNTS.denied, ACCOUNTS.security,
    `Account ${EXTERNAL_ACCOUNTS.denied} tries to assume OrganizationAccountAccessRole in security and prod; every attempt fails with AccessDenied, so no credentials exist.`);
  const t0 = momentOf(opts, 0.5, 3, 31, 44);
  const ip = NETWORKS.planted.deniedAssume;
  const caller = externalCaller(rng, EXTERNAL_ACCOUNTS.denied, 'scanner');
  const attempts: readonly (readonly [string, number])[] = [[ACCOUNTS.security, 0], [ACCOUNTS.prod, 20], [ACCOUNTS.dev, 41]];
  for (const [account, sec] of attempts) {
    const tried = assumeRole(rng, { caller, role: getRole(world, account, 'OrganizationAccountAccessRole'), sessionName: 'scan', timeMs: offset(t0, 0, sec), ip, client: CLIENTS.vpsBoto, denied: true });
    sc.add(tried.events, 'assume');
  }
  return sc;
}

/** Near miss: an SSO admin signs in in the morning, and hours later makes an IAM change on a new session. */
function ssoLatePrivileged(opts: SynthOptions, world: World, rng: Rng): Scenario {
  const human = world.humans.find((h) => h.email.startsWith('emma.walsh')) ?? (world.humans[0] as Human);
  const sc = new Scenario('nm-sso-late-privileged', 'near-miss', null, ACCOUNTS.prod,
    `${human.email} signs in to prod through SSO in the morning (same day as nm-external-recon) and, hours later on a separate SSO session from the office, puts an inline policy on app-instance-role: a privileged call by a familiar principal, far from any cross-account entry.`);
  const role = ssoRole(world, ACCOUNTS.prod, SSO_ADMIN);
  const morning = momentOf(opts, 0.25, 8, 52, 10);
  const first = assumeRoleWithSaml(rng, world, human, role, morning, NETWORKS.office[0], 28800);
  sc.add(first.events, 'assume');
  const s1 = sessionActor(sc.track(first.session), NETWORKS.office[0], CLIENTS.cli(human.os));
  sc.add(callRecord(rng, world, s1, ACCOUNTS.prod, 'us-east-1', offset(morning, 1, 4), 'iam:ListRoles'));
  sc.add(callRecord(rng, world, s1, ACCOUNTS.prod, 'us-east-1', offset(morning, 2, 30), 'iam:GetRole'));
  const later = momentOf(opts, 0.25, 15, 37, 22);
  const second = assumeRoleWithSaml(rng, world, human, role, later, NETWORKS.office[1], 28800);
  sc.add(second.events, 'assume');
  const s2 = sessionActor(sc.track(second.session), NETWORKS.office[1], CLIENTS.cli(human.os));
  sc.add(plantedIam(rng, s2, offset(later, 3, 41), 'PutRolePolicy', { roleName: 'app-instance-role', policyName: 'reports-bucket-write', policyDocument: policyDoc([{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-prod-data-lake/reports/*' }]) }, null), 'privileged');
  return sc;
}

const CHAIN_BUILDERS = { 'external-burst': externalBurst, 'role-chain': roleChain, 'vendor-new-network': vendorNewNetwork };
const NEAR_MISS_BUILDERS = { 'nm-external-recon': externalRecon, 'nm-denied-assume': deniedAssume, 'nm-sso-late-privileged': ssoLatePrivileged };

/** Every planted scenario, each from its own PRNG stream. */
function buildScenarios(opts: SynthOptions, world: World): Scenario[] {
  if (!opts.chains) return [];
  const builders = { ...CHAIN_BUILDERS, ...NEAR_MISS_BUILDERS };
  return Object.entries(builders).map(([name, build]) => build(opts, world, new Rng(streamSeed(opts.seed, `planted/${name}`))));
}

/**
 * Ground truth of the AN1348 chains planted by {@link generateEvents} for the same options:
 * external-burst, role-chain and vendor-new-network. Empty when `chains` is false.
 */
export function plantedChains(opts: SynthOptions): PlantedChain[] {
  validate(opts);
  return buildScenarios(opts, buildWorld(opts.seed)).filter((s) => s.kind === 'chain').map((s) => s.truth());
}

/**
 * Ground truth of the planted near misses (read-only external recon, denied AssumeRole, a late
 * privileged SSO call on a separate session) that a correlator must not rate high.
 */
export function plantedNearMisses(opts: SynthOptions): PlantedChain[] {
  validate(opts);
  return buildScenarios(opts, buildWorld(opts.seed)).filter((s) => s.kind === 'near-miss').map((s) => s.truth());
}

// ───────────────────────────── The event stream ─────────────────────────────

function validate(opts: SynthOptions): void {
  if (!Number.isInteger(opts.days) || opts.days < 1) throw new Error(`days must be a whole number >= 1 (got ${opts.days})`);
  if (!Number.isFinite(opts.startMs) || opts.startMs % SECOND !== 0) throw new Error('startMs must be a whole second');
  if (!(opts.targetEvents > 0)) throw new Error('targetEvents must be positive');
}

const byTime = (a: SynthEvent, b: SynthEvent): number => a.timeMs - b.timeMs;

/**
 * Streams the evidence period's events in time order. Work proceeds an hour at a time: the hour's
 * activities are generated, merged with the unfinished tail of earlier ones, and everything before the
 * hour's end is yielded; so memory holds a couple of hours of events whatever the total.
 */
export function* generateEvents(opts: SynthOptions): Generator<SynthEvent> {
  validate(opts);
  const world = buildWorld(opts.seed);
  const planted = buildScenarios(opts, world).flatMap((s) => s.events).sort(byTime);
  const plan = planVolume(opts, planted.length);
  const endMs = opts.startMs + opts.days * DAY;
  const gen: Gen = { rng: new Rng(streamSeed(opts.seed, 'baseline')), world, endMs, mean: plan.mean };
  const datadogRng = new Rng(streamSeed(opts.seed, 'datadog'));
  const datadogGen: Gen = { ...gen, rng: datadogRng };
  const classes = Object.keys(CLASS_SHARE) as ActivityClass[];
  const owed: Record<ActivityClass, number> = { human: 0, ci: 0, service: 0, misc: 0 };
  let nextPoll = opts.startMs + datadogRng.int(0, 599) * SECOND;
  let plantedAt = 0;
  let pending: SynthEvent[] = [];

  for (let hour = opts.startMs; hour < endMs; hour += HOUR) {
    const hourEnd = Math.min(hour + HOUR, endMs);
    const fresh: SynthEvent[] = [];
    for (; nextPoll < hourEnd; nextPoll += DATADOG_PERIOD_MS + datadogRng.int(-45, 45) * SECOND) fresh.push(...datadogPoll(datadogGen, nextPoll, plan.datadogReads));
    for (const cls of classes) {
      // Each class is owed its share of the budget for this hour; activities are drawn until paid.
      owed[cls] += (plan.budget[cls] * hourWeight(cls, hour)) / plan.weightSum[cls];
      while (owed[cls] > 0) {
        const t0 = hour + gen.rng.int(0, (hourEnd - hour) / SECOND - 1) * SECOND;
        const events = ACTIVITIES[cls](gen, t0);
        owed[cls] -= events.length;
        fresh.push(...events);
      }
    }
    while (plantedAt < planted.length && (planted[plantedAt] as SynthEvent).timeMs < hourEnd) fresh.push(planted[plantedAt++] as SynthEvent);
    pending = pending.concat(fresh).sort(byTime);
    let cut = 0;
    while (cut < pending.length && (pending[cut] as SynthEvent).timeMs < hourEnd) cut++;
    for (let i = 0; i < cut; i++) yield pending[i] as SynthEvent;
    pending = pending.slice(cut);
  }
  yield* pending;
}

// ───────────────────────────── S3 delivery layout ─────────────────────────────

/** Files queued for the writer thread before generation pauses: bounds memory, keeps both cores busy. */
const MAX_QUEUED_FILES = 32;
/** Digests per account and region: a few hours' worth, enough to exercise the importer. */
const DIGESTS_PER_TRAIL = 3;

interface OpenBucket {
  account: string;
  region: string;
  startMs: number;
  lines: string[];
  oldestMs: number;
  newestMs: number;
}

interface DeliveredFile {
  s3Object: string;
  hashValue: string;
  oldestMs: number;
  newestMs: number;
  deliveredMs: number;
}

/** Sixteen letters and digits for a file name, taken from the content's hash so they are reproducible. */
function nameSuffix(hash: Buffer): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += ALNUM[(hash[i] as number) % ALNUM.length];
  return out;
}

function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * Compresses and writes files on a worker thread. Generating and serialising events already fills one
 * core, and creating tens of thousands of small files is slow on many disks, so doing both on the main
 * thread roughly doubles the time of a million-event run. Plain JavaScript, so it needs no TS loader.
 */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { gzipSync } = require('node:zlib');
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const made = new Set();
parentPort.on('message', ({ path, text }) => {
  try {
    const gz = gzipSync(Buffer.from(text), { level: workerData.level });
    const dir = dirname(path);
    if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
    writeFileSync(path, gz);
    parentPort.postMessage({ gzBytes: gz.length });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.stack) || err) });
  }
});`;

/** The main thread's side of the writer thread: a FIFO of files, with back-pressure. */
class FileSink {
  private readonly worker: Worker;
  /** Called in order as the worker reports each file done (it handles them in order). */
  private readonly done: ((gzBytes: number) => void)[] = [];
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;

  constructor(level: number) {
    this.worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { level } });
    this.worker.on('message', (m: { gzBytes?: number; error?: string }) => {
      if (m.error) this.fail(new Error(`writing the S3 layout failed: ${m.error}`));
      this.done.shift()?.(m.gzBytes ?? 0);
      this.wake();
    });
    this.worker.on('error', (err) => this.fail(err));
  }

  get queued(): number {
    return this.done.length;
  }

  /** Queues `text` to be gzipped to `path`; `onDone` receives the compressed size. */
  write(path: string, text: string, onDone: (gzBytes: number) => void): void {
    if (this.failure) throw this.failure;
    this.done.push(onDone);
    this.worker.postMessage({ path, text });
  }

  /** Resolves once at most `max` files are still queued. */
  async drain(max: number): Promise<void> {
    while (this.done.length > max && !this.failure) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    try {
      await this.drain(0);
    } finally {
      await this.worker.terminate();
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/**
 * Writes events as CloudTrail delivers them to the organisation trail's bucket: one gzip file per
 * account, region and five-minute window. Events must come in time order; only the current window's
 * buckets are held, and a window's files are written as soon as the stream moves past it.
 */
export async function writeS3Layout(outDir: string, events: Iterable<SynthEvent>, opts: LayoutOptions = {}): Promise<LayoutStats> {
  const writer = new LayoutWriter(outDir, opts);
  try {
    for (const ev of events) {
      const wait = writer.add(ev);
      if (wait) await wait;
    }
    await writer.finish();
  } finally {
    await writer.close();
  }
  return writer.stats;
}

class LayoutWriter {
  readonly stats: LayoutStats = { files: 0, events: 0, jsonBytes: 0, gzBytes: 0, digestFiles: 0 };
  private readonly open = new Map<string, OpenBucket>();
  private windowStart = -Infinity;
  private readonly sink: FileSink;
  private readonly digests: DigestTracker | null;
  private readonly orgId: string;

  constructor(private readonly outDir: string, opts: LayoutOptions) {
    this.orgId = opts.orgId ?? ORG_ID;
    this.sink = new FileSink(opts.gzipLevel ?? 6);
    this.digests = opts.digests ? new DigestTracker(this.orgId) : null;
  }

  /** Adds one event; returns a promise only when the caller should wait for the writer to catch up. */
  add(ev: SynthEvent): Promise<void> | null {
    const start = Math.floor(ev.timeMs / DELIVERY_MS) * DELIVERY_MS;
    if (start < this.windowStart) throw new Error(`events out of time order at ${isoSeconds(ev.timeMs)}`);
    if (start > this.windowStart) {
      // The stream moved into a new window, so every open bucket is complete.
      this.flushAll();
      this.windowStart = start;
    }
    const key = `${ev.accountId}|${ev.region}`;
    let bucket = this.open.get(key);
    if (!bucket) {
      bucket = { account: ev.accountId, region: ev.region, startMs: start, lines: [], oldestMs: ev.timeMs, newestMs: ev.timeMs };
      this.open.set(key, bucket);
    }
    bucket.lines.push(JSON.stringify(ev.record));
    bucket.newestMs = ev.timeMs;
    this.stats.events++;
    return this.sink.queued > MAX_QUEUED_FILES ? this.sink.drain(MAX_QUEUED_FILES / 4) : null;
  }

  /** Writes the last window and the remaining digests. */
  async finish(): Promise<void> {
    this.flushAll();
    if (this.digests) for (const digest of this.digests.finish()) this.writeDigest(digest);
    await this.sink.drain(0);
  }

  close(): Promise<void> {
    return this.sink.close();
  }

  private flushAll(): void {
    for (const bucket of this.open.values()) this.flushBucket(bucket);
    this.open.clear();
  }

  private flushBucket(b: OpenBucket): void {
    const text = `{"Records":[${b.lines.join(',')}]}`;
    const hash = sha256(text);
    const delivered = b.startMs + DELIVERY_MS;
    const s3Object = `AWSLogs/${this.orgId}/${b.account}/CloudTrail/${b.region}/${datePath(delivered)}/${b.account}_CloudTrail_${b.region}_${compactTime(delivered, false)}_${nameSuffix(hash)}.json.gz`;
    this.stats.files++;
    this.stats.jsonBytes += Buffer.byteLength(text);
    this.sink.write(join(this.outDir, s3Object), text, (gzBytes) => {
      this.stats.gzBytes += gzBytes;
    });
    if (this.digests) {
      const file: DeliveredFile = { s3Object, hashValue: hash.toString('hex'), oldestMs: b.oldestMs, newestMs: b.newestMs, deliveredMs: delivered };
      for (const digest of this.digests.onLogFile(b.account, b.region, file)) this.writeDigest(digest);
    }
  }

  private writeDigest(digest: { path: string; body: string }): void {
    this.sink.write(join(this.outDir, digest.path), digest.body, () => {
      this.stats.digestFiles++;
    });
  }
}

interface DigestChain {
  account: string;
  region: string;
  windowStart: number;
  files: DeliveredFile[];
  written: number;
  previous: { s3Object: string; hash: string; signature: string } | null;
}

/**
 * Hourly CloudTrail-Digest files for the first hours of each account+region, chained through the
 * previous digest's hash and signature like the real ones. Signatures are deterministic filler:
 * real ones are RSA over a string-to-sign and cannot be produced without AWS's key.
 */
class DigestTracker {
  private readonly chains = new Map<string, DigestChain>();

  constructor(private readonly orgId: string) {}

  onLogFile(account: string, region: string, file: DeliveredFile): { path: string; body: string }[] {
    const key = `${account}|${region}`;
    let chain = this.chains.get(key);
    if (!chain) {
      // Real digest windows start a few minutes past the hour, at a trail-specific offset.
      const shift = MINUTE + (hash32(key) % 240) * SECOND;
      chain = { account, region, windowStart: Math.floor((file.deliveredMs - shift) / HOUR) * HOUR + shift, files: [], written: 0, previous: null };
      this.chains.set(key, chain);
    }
    const out: { path: string; body: string }[] = [];
    while (chain.written < DIGESTS_PER_TRAIL && file.deliveredMs >= chain.windowStart + HOUR) out.push(this.emit(chain));
    if (chain.written < DIGESTS_PER_TRAIL) chain.files.push(file);
    return out;
  }

  finish(): { path: string; body: string }[] {
    const out: { path: string; body: string }[] = [];
    for (const chain of this.chains.values()) if (chain.written < DIGESTS_PER_TRAIL && chain.files.length > 0) out.push(this.emit(chain));
    return out;
  }

  private emit(chain: DigestChain): { path: string; body: string } {
    const start = chain.windowStart;
    const end = start + HOUR;
    const { account, region, files, previous } = chain;
    const path = `AWSLogs/${this.orgId}/${account}/CloudTrail-Digest/${region}/${datePath(end)}/${account}_CloudTrail-Digest_${region}_${TRAIL_NAME}_${region}_${compactTime(end, true)}.json.gz`;
    const times = files.flatMap((f) => [f.oldestMs, f.newestMs]);
    const digest = {
      awsAccountId: account,
      digestStartTime: isoSeconds(start),
      digestEndTime: isoSeconds(end),
      digestS3Bucket: TRAIL_BUCKET,
      digestS3Object: path,
      digestPublicKeyFingerprint: sha256(`digest-key/${region}`).toString('hex').slice(0, 32),
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: times.length ? isoSeconds(Math.max(...times)) : null,
      oldestEventTime: times.length ? isoSeconds(Math.min(...times)) : null,
      previousDigestS3Bucket: previous ? TRAIL_BUCKET : null,
      previousDigestS3Object: previous?.s3Object ?? null,
      previousDigestHashValue: previous?.hash ?? null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles: files.map((f) => ({
        s3Bucket: TRAIL_BUCKET, s3Object: f.s3Object, hashValue: f.hashValue, hashAlgorithm: 'SHA-256',
        newestEventTime: isoSeconds(f.newestMs), oldestEventTime: isoSeconds(f.oldestMs),
      })),
    };
    const body = JSON.stringify(digest);
    const hash = sha256(body).toString('hex');
    // 256 bytes like an RSA-2048 signature, derived from the digest so it is reproducible.
    const signature = Array.from({ length: 8 }, (_, i) => sha256(`${hash}/${i}`).toString('hex')).join('');
    chain.previous = { s3Object: path, hash, signature };
    chain.files = [];
    chain.written++;
    chain.windowStart = end;
    return { path, body };
  }
}
