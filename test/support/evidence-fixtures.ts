// Builders for evidence as analysts receive it: CloudTrail records, the layouts AWS (and people) write them in,
// and the containers they arrive in. Everything lands in throw-away folders under the OS temp dir, removed when
// the test process exits. The builders share no code with the importer, so a fixture cannot agree with its bugs;
// only importInto and the read-back helpers touch the importer and the case schema.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import type Database from 'better-sqlite3';
import { openCase } from '../../electron/db/connection';
import { importEvidence, type ImportOptions, type ImportResult } from '../../electron/core/import/import-evidence';
import { RawRecords } from '../../electron/core/import/raw-records';

// ---------------------------------------------------------------------------------------------------------------
// Temp folders and case files

const tempDirs: string[] = [];
const openDbs: Database.Database[] = [];

process.once('exit', () => {
  for (const db of openDbs) {
    try {
      if (db.open) db.close();
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp dir (`crossline-test-XXXXXX`), removed when the test process exits. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-test-'));
  tempDirs.push(dir);
  return dir;
}

/** Writes `content` at `dir/relPath`, creating folders on the way; returns the absolute path. */
export function writeEvidence(dir: string, relPath: string, content: string | Uint8Array): string {
  const file = join(dir, relPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** Lowercase hex SHA-256, as evidence_sources stores it. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Opens a case file in a folder of its own (closed at exit if the test does not close it). */
export function freshCase(): { db: Database.Database; caseFile: string; dir: string } {
  const dir = tempDir();
  const caseFile = join(dir, 'case.crossline');
  const db = openCase(caseFile);
  openDbs.push(db);
  return { db, caseFile, dir };
}

/** Opens a fresh case, imports `paths` into it (one worker unless told otherwise, for a stable order). */
export async function importInto(
  paths: string[],
  opts: ImportOptions = {},
): Promise<{ db: Database.Database; result: ImportResult; caseFile: string; caseDir: string }> {
  const { db, caseFile, dir } = freshCase();
  const result = await importEvidence(db, paths, { workers: 1, ...opts });
  return { db, result, caseFile, caseDir: dir };
}

/** Keeps a db opened by a test on the list closed at exit. */
export function track(db: Database.Database): Database.Database {
  openDbs.push(db);
  return db;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a case back, the way a user would see it

export interface EventRow {
  id: number;
  source_id: number;
  position: number;
  /** 0 when the record is found in its file only when read (a delivery parsed whole). */
  raw_length: number;
  provider: string;
  native_id: string;
  time_ms: number;
  time_text: string;
  service: string | null;
  action: string;
  event_type: string | null;
  outcome: string;
  error_code: string | null;
  read_only: number | null;
  principal_type: string | null;
  principal_id: string | null;
  principal_name: string | null;
  principal_account: string | null;
  session_issuer: string | null;
  target_account: string | null;
  source_ip: string | null;
  source_service: string | null;
  user_agent: string | null;
  region: string | null;
  credential_id: string | null;
  issued_credential_id: string | null;
  issued_principal: string | null;
  shared_event_id: string | null;
  request_id: string | null;
  /** The original record as UTF-8 text (read back through RawRecords). */
  raw: string;
  /** evidence_sources.path of the file the event was read from. */
  source_path: string;
}

/** Every stored event with its raw text and source path, in time order. */
export function storedEvents(db: Database.Database): EventRow[] {
  const raw = new RawRecords(db);
  const rows = db
    .prepare(
      `SELECT e.*, s.path AS source_path
         FROM events_v e JOIN evidence_sources s ON s.id = e.source_id
        ORDER BY e.time_ms, e.id`,
    )
    .all() as (Omit<EventRow, 'raw'> & { id: number })[];
  return rows.map((row) => ({ ...row, raw: raw.text(row.id) ?? '' }) as EventRow);
}

/** The one stored event with this native id (fails loudly when there are none or several). */
export function storedEvent(db: Database.Database, nativeId: string): EventRow {
  const rows = storedEvents(db).filter((e) => e.native_id === nativeId);
  if (rows.length !== 1) throw new Error(`expected one stored event ${nativeId}, found ${rows.length}`);
  return rows[0]!;
}

export function eventCount(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
}

export interface SourceRow {
  id: number;
  import_id: number;
  parent_id: number | null;
  path: string;
  size: number;
  sha256: string;
  format: string | null;
  events: number;
  duplicates: number;
  skipped: number;
  errors: number;
  complete: number;
}

export function storedSources(db: Database.Database): SourceRow[] {
  return db.prepare('SELECT * FROM evidence_sources ORDER BY id').all() as SourceRow[];
}

/** The evidence row whose path ends with `suffix` (exactly one). */
export function sourceEndingWith(db: Database.Database, suffix: string): SourceRow {
  const rows = storedSources(db).filter((s) => s.path.endsWith(suffix));
  if (rows.length !== 1) throw new Error(`expected one evidence source ending with ${suffix}, found ${rows.length}: ${storedSources(db).map((s) => s.path).join(', ')}`);
  return rows[0]!;
}

// ---------------------------------------------------------------------------------------------------------------
// CloudTrail records

export type CloudTrailRecord = Record<string, unknown>;

let sequence = 0;
const BASE_TIME = Date.UTC(2024, 5, 2, 20, 0, 0);

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Applies overrides on top of a record; an override of `undefined` removes the key. */
function withOverrides(base: CloudTrailRecord, overrides: CloudTrailRecord): CloudTrailRecord {
  const out: CloudTrailRecord = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * A complete CloudTrail management event as S3 delivery writes it (an assumed-role session listing IAM roles
 * from the CLI). Each call gets a new eventID, requestID and a time one second later, deterministically.
 */
export function cloudTrailRecord(overrides: CloudTrailRecord = {}): CloudTrailRecord {
  const n = ++sequence;
  const base: CloudTrailRecord = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAQXAMPLEROLEID0001:incident-sim',
      arn: 'arn:aws:sts::111122223333:assumed-role/DevOpsRole/incident-sim',
      accountId: '111122223333',
      accessKeyId: 'ASIAQXAMPLEKEY000001',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAQXAMPLEROLEID0001',
          arn: 'arn:aws:iam::111122223333:role/DevOpsRole',
          accountId: '111122223333',
          userName: 'DevOpsRole',
        },
        webIdFederationData: {},
        attributes: { creationDate: '2024-06-02T19:58:03Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: new Date(BASE_TIME + n * 1000).toISOString().replace('.000Z', 'Z'),
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListRoles',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent:
      'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1016-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#iam.list-roles',
    requestParameters: { maxItems: 100 },
    responseElements: null,
    requestID: `${hex(n, 8)}-7c1e-4f0a-9b3d-${hex(n * 7919, 12)}`,
    eventID: `${hex(n, 8)}-4e2d-4a51-8c3b-${hex(n, 12)}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'iam.amazonaws.com' },
  };
  return withOverrides(base, overrides);
}

/** A realistic-looking STS session token of about `bytes` characters. */
export function sessionToken(bytes = 4096): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = 'IQoJb3JpZ2luX2VjE';
  for (let i = 0; out.length < bytes; i++) out += alphabet[(i * 37 + (i >> 3)) % alphabet.length];
  return out;
}

/**
 * A cross-account AssumeRole by the default record's session, with the issued credential in
 * responseElements. `issuedKey` is the access key id the session receives.
 */
export function assumeRoleRecord(overrides: CloudTrailRecord = {}, issuedKey = 'ASIAQXAMPLEISSUED001'): CloudTrailRecord {
  return cloudTrailRecord({
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    readOnly: true,
    userAgent: 'aws-cli/2.15.30 md/command#sts.assume-role',
    requestParameters: {
      roleArn: 'arn:aws:iam::444455556666:role/OrganizationAccountAccessRole',
      roleSessionName: 'pivot',
      durationSeconds: 3600,
    },
    responseElements: {
      credentials: { accessKeyId: issuedKey, sessionToken: sessionToken(900), expiration: 'Jun 2, 2024, 9:27:12 PM' },
      assumedRoleUser: {
        assumedRoleId: 'AROAQXAMPLETARGET001:pivot',
        arn: 'arn:aws:sts::444455556666:assumed-role/OrganizationAccountAccessRole/pivot',
      },
    },
    resources: [{ accountId: '444455556666', type: 'AWS::IAM::Role', ARN: 'arn:aws:iam::444455556666:role/OrganizationAccountAccessRole' }],
    sharedEventID: 'a3b1c2d4-0000-4000-8000-00000000beef',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'sts.amazonaws.com' },
    ...overrides,
  });
}

/** A CloudTrail Insights record (delivered under `CloudTrail-Insight/`): a statistic, not an API call. */
export function insightRecord(): CloudTrailRecord {
  const n = ++sequence;
  return {
    eventVersion: '1.08',
    eventTime: '2024-06-02T20:30:00Z',
    awsRegion: 'us-east-1',
    eventID: `${hex(n, 8)}-1151-4d0e-9e3b-${hex(n, 12)}`,
    eventType: 'AwsCloudTrailInsight',
    recipientAccountId: '111122223333',
    sharedEventID: `${hex(n, 8)}-5a5a-4b4b-8c8c-${hex(n, 12)}`,
    insightDetails: {
      state: 'Start',
      eventSource: 'iam.amazonaws.com',
      eventName: 'ListRoles',
      insightType: 'ApiCallRateInsight',
      insightContext: { statistics: { baseline: { average: 0.02 }, insight: { average: 41 }, insightDuration: 3 } },
    },
    eventCategory: 'Insight',
  };
}

/** A CloudTrail digest file's content (integrity data: hashes of the log files of the last hour). */
export function digestFile(): Record<string, unknown> {
  return {
    awsAccountId: '111122223333',
    digestStartTime: '2024-06-02T19:30:00Z',
    digestEndTime: '2024-06-02T20:30:00Z',
    digestS3Bucket: 'org-trail-logs',
    digestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/06/02/111122223333_CloudTrail-Digest_us-east-1_org_us-east-1_20240602T203000Z.json.gz',
    digestPublicKeyFingerprint: '8eba9ab9a1e5a1b6c8c2e84a3fd9f2a6',
    digestSignatureAlgorithm: 'SHA256withRSA',
    newestEventTime: '2024-06-02T20:29:59Z',
    oldestEventTime: '2024-06-02T19:30:01Z',
    previousDigestS3Bucket: 'org-trail-logs',
    previousDigestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/06/02/111122223333_CloudTrail-Digest_us-east-1_org_us-east-1_20240602T193000Z.json.gz',
    previousDigestHashValue: '3a8e5b1f4c0d9e2a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
    previousDigestHashAlgorithm: 'SHA-256',
    previousDigestSignature: '5e1c0a7d…',
    logFiles: [
      {
        s3Bucket: 'org-trail-logs',
        s3Object: 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/02/111122223333_CloudTrail_us-east-1_20240602T2025Z_AbCdEfGh12345678.json.gz',
        hashValue: '9c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
        hashAlgorithm: 'SHA-256',
        newestEventTime: '2024-06-02T20:27:12Z',
        oldestEventTime: '2024-06-02T20:20:01Z',
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Layouts

/** `{"Records":[…]}` exactly as S3 delivery writes it (compact); each record's raw text is JSON.stringify(record). */
export function recordsEnvelope(records: CloudTrailRecord[]): string {
  return JSON.stringify({ Records: records });
}

/** One JSON value per line, newline-terminated. */
export function jsonLines(values: unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join('\n') + '\n';
}

/** `jq .`-style pretty `{"Records": [...]}`; the text each record has in the file is `prettyRecordText(r)`. */
export function prettyRecordsEnvelope(records: CloudTrailRecord[]): string {
  return JSON.stringify({ Records: records }, null, 2) + '\n';
}

/** How a record stands inside `prettyRecordsEnvelope` (nested two levels deep), from its `{` to its `}`. */
export function prettyRecordText(record: CloudTrailRecord): string {
  return JSON.stringify(record, null, 2).split('\n').join('\n    ');
}

export interface S3KeyOptions {
  /** Organisation id segment of an organisation trail (`o-abc123`); omit for an account trail. */
  org?: string;
  account?: string;
  region?: string;
  /** `YYYY/MM/DD`. */
  day?: string;
  /** The `20240602T2025Z_AbCdEfGh12345678` part. */
  stamp?: string;
}

/** The S3 key CloudTrail delivers a log file under. */
export function s3LogKey(opts: S3KeyOptions = {}): string {
  const account = opts.account ?? '111122223333';
  const region = opts.region ?? 'us-east-1';
  const day = opts.day ?? '2024/06/02';
  const stamp = opts.stamp ?? '20240602T2025Z_AbCdEfGh12345678';
  const prefix = opts.org ? `AWSLogs/${opts.org}/${account}` : `AWSLogs/${account}`;
  return `${prefix}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${stamp}.json.gz`;
}

/** Writes records as a delivered CloudTrail log file (`.json.gz` under its S3 key) below `root`. */
export function writeS3Delivery(root: string, records: CloudTrailRecord[], opts: S3KeyOptions = {}): string {
  return writeEvidence(root, s3LogKey(opts), gzip(recordsEnvelope(records)));
}

/** Local time text with an offset the way `aws cloudtrail lookup-events` shows it: `2022-02-08 09:23:37+11:00`. */
export function withOffset(utcMs: number, offsetMinutes: number): string {
  const local = new Date(utcMs + offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * One event as `lookup-events` and the console return it: a few columns, and the full record as a JSON *string*
 * in `CloudTrailEvent`. `eventTime` defaults to the record's time shown at +11:00.
 */
export function lookupEvent(record: CloudTrailRecord, eventTime?: string): Record<string, unknown> {
  const ui = record.userIdentity as Record<string, unknown> | undefined;
  const time = eventTime ?? withOffset(Date.parse(String(record.eventTime)), 11 * 60);
  return {
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: String(record.readOnly),
    AccessKeyId: ui?.accessKeyId,
    EventTime: time,
    EventSource: record.eventSource,
    Username: 'incident-sim',
    Resources: [],
    CloudTrailEvent: JSON.stringify(record),
  };
}

/** A CSV cell, quoted when it must be. */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',');
}

/** Trino's text form of a map, as CloudTrail Lake writes nested columns into CSV: `{type=AssumedRole, arn=…}`. */
export function trinoMap(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(trinoMap).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k.toLowerCase()}=${trinoMap(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** The columns of a CloudTrail Lake query result (`SELECT * FROM <event data store>`), lowercase as Lake writes them. */
export const LAKE_COLUMNS = [
  'eventversion', 'useridentity', 'eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress', 'useragent',
  'errorcode', 'errormessage', 'requestparameters', 'responseelements', 'requestid', 'eventid', 'readonly', 'resources',
  'eventtype', 'managementevent', 'recipientaccountid', 'sharedeventid', 'eventcategory',
] as const;

/** A CloudTrail Lake result row (`2024-06-02 20:27:12.000` times, Trino maps for nested columns). */
export function lakeRow(record: CloudTrailRecord): Record<(typeof LAKE_COLUMNS)[number], string> {
  const ui = record.userIdentity as Record<string, unknown>;
  const t = new Date(Date.parse(String(record.eventTime))).toISOString().replace('T', ' ').replace('Z', '');
  const response = record.responseElements as Record<string, unknown> | null;
  return {
    eventversion: String(record.eventVersion),
    useridentity: trinoMap({
      type: ui.type, principalid: ui.principalId, arn: ui.arn, accountid: ui.accountId, accesskeyid: ui.accessKeyId, username: null,
      sessioncontext: {
        attributes: { creationdate: '2024-06-02 19:58:03.000', mfaauthenticated: 'false' },
        sessionissuer: { type: 'Role', principalid: 'AROAQXAMPLEROLEID0001', arn: 'arn:aws:iam::111122223333:role/DevOpsRole', accountid: '111122223333', username: 'DevOpsRole' },
        webidfederationdata: null, sourceidentity: null, ec2roledelivery: null, ec2issuedinvpc: null,
      },
      invokedby: null, identityprovider: null, credentialid: null, onbehalfof: null,
    }),
    eventtime: t,
    eventsource: String(record.eventSource),
    eventname: String(record.eventName),
    awsregion: String(record.awsRegion),
    sourceipaddress: String(record.sourceIPAddress),
    useragent: String(record.userAgent),
    errorcode: String(record.errorCode ?? ''),
    errormessage: String(record.errorMessage ?? ''),
    // Lake keeps requestParameters / responseElements as map<string,string>: nested values are JSON text.
    requestparameters: record.requestParameters
      ? `{${Object.entries(record.requestParameters as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')}}`
      : '',
    responseelements: response
      ? `{${Object.entries(response).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')}}`
      : '',
    requestid: String(record.requestID),
    eventid: String(record.eventID),
    readonly: String(record.readOnly),
    resources: '',
    eventtype: String(record.eventType),
    managementevent: String(record.managementEvent),
    recipientaccountid: String(record.recipientAccountId),
    sharedeventid: String(record.sharedEventID ?? ''),
    eventcategory: String(record.eventCategory),
  };
}

/** A Lake result CSV: header line and one line per row; `lines[i]` is the raw text of row i (no line ending). */
export function lakeCsv(records: CloudTrailRecord[]): { text: string; lines: string[] } {
  const lines = records.map((r) => {
    const row = lakeRow(r);
    return csvLine(LAKE_COLUMNS.map((c) => row[c]));
  });
  return { text: [LAKE_COLUMNS.join(','), ...lines].join('\n') + '\n', lines };
}

/** The columns of the console's Event history "Download events → CSV". */
export const CONSOLE_CSV_COLUMNS = [
  'Event ID', 'Event time', 'User name', 'Event name', 'Resource type', 'Resource name', 'AWS access key', 'Event source',
  'AWS region', 'Error code', 'Source IP address', 'Read only',
] as const;

/** A console Event history CSV (CRLF line ends, as the console writes); `lines[i]` is row i's raw text. */
export function consoleCsv(records: CloudTrailRecord[]): { text: string; lines: string[] } {
  const lines = records.map((r) => {
    const ui = r.userIdentity as Record<string, unknown>;
    const resources = (r.resources as { type: string; ARN: string }[] | undefined) ?? [];
    return csvLine([
      r.eventID, r.eventTime, String(ui.arn).split('/').pop(), r.eventName,
      resources.map((x) => x.type).join(', '), resources.map((x) => x.ARN).join(', '),
      ui.accessKeyId, r.eventSource, r.awsRegion, r.errorCode ?? '', r.sourceIPAddress, String(r.readOnly),
    ]);
  });
  return { text: [CONSOLE_CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n', lines };
}

// ---------------------------------------------------------------------------------------------------------------
// Compression and containers

export function gzip(data: string | Uint8Array): Buffer {
  return zlib.gzipSync(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (zip's), with zlib's when this Node has it. */
export function crc32(data: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  if (native) return native(data) >>> 0;
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  /** Stored verbatim: `../evil.json` and `/abs.json` are written as given. */
  name: string;
  data: string | Uint8Array;
  /** 0 = stored, 8 = deflate (default). */
  method?: 0 | 8;
  /** Lie about the uncompressed size in the headers (for size-guard tests). */
  declaredSize?: number;
  /**
   * Keep only this share of the compressed data, with the headers saying so: reading it inflates the start,
   * then runs out of data mid-stream, as a damaged copy does.
   */
  keep?: number;
}

/** A minimal zip (local headers, central directory, end record); names flagged UTF-8. */
export function zipBuffer(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const dosTime = (20 << 11) | (27 << 5) | (12 >> 1);
  const dosDate = ((2024 - 1980) << 9) | (6 << 5) | 2;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data);
    const method = e.method ?? 8;
    const whole = method === 8 ? zlib.deflateRawSync(data) : data;
    const body = e.keep === undefined ? whole : whole.subarray(0, Math.floor(whole.length * e.keep));
    const crc = crc32(data);
    const size = e.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export interface TarEntry {
  name: string;
  data: string | Uint8Array;
  /** A symbolic or hard link member to this name instead of a file (its data is ignored). */
  link?: { type: 'symlink' | 'link'; to: string };
}

/** A ustar archive built with tar-stream. */
export async function tarBuffer(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.link) {
      pack.entry({ name: e.name, type: e.link.type, linkname: e.link.to, mtime: new Date(BASE_TIME), mode: 0o777 });
      continue;
    }
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data);
    pack.entry({ name: e.name, size: data.length, mtime: new Date(BASE_TIME), mode: 0o644 }, data);
  }
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Buffer>) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** A gzip-compressed tar (`.tar.gz` / `.tgz`). */
export async function tgzBuffer(entries: TarEntry[]): Promise<Buffer> {
  return gzip(await tarBuffer(entries));
}
