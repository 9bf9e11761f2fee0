import { parseTrinoValue } from './trino-map';

/** Header names folded so `Event time` (console), `eventtime` (Lake) and `eventTime` meet. */
export function foldHeader(name: string): string {
  return name.replace(/[\s_]/g, '').toLowerCase();
}

/** Folded CSV header → CloudTrail record key, for the columns whose names differ from the record's. */
const CONSOLE_COLUMNS: Record<string, string[]> = {
  username: ['userIdentity', 'userName'],
  awsaccesskey: ['userIdentity', 'accessKeyId'],
  sourceipaddress: ['sourceIPAddress'],
  eventid: ['eventID'],
  requestid: ['requestID'],
  sharedeventid: ['sharedEventID'],
};

const NESTED = new Set(['useridentity', 'requestparameters', 'responseelements', 'additionaleventdata', 'resources', 'tlsdetails', 'serviceeventdetails']);

/** Recognises CloudTrail CSV exports: CloudTrail Lake results and the console's Event history download. */
export function isCloudTrailCsvHeader(headers: string[]): boolean {
  const folded = new Set(headers.map(foldHeader));
  return folded.has('eventname') && folded.has('eventtime');
}

/**
 * Turns one CSV row into a CloudTrail-shaped record: nested cells (JSON or Trino text) are expanded, console
 * column names are mapped. When a cell holds the full event JSON (the console's "CloudTrail event" column),
 * that record is used as it is.
 */
export function csvRowToRecord(row: Record<string, string>): Record<string, unknown> {
  for (const value of Object.values(row)) {
    if (value.startsWith('{"') && value.includes('"eventName"')) {
      try {
        const full = JSON.parse(value);
        if (full && typeof full === 'object') return full as Record<string, unknown>;
      } catch {
        // not the full record after all; fall through to column mapping
      }
    }
  }
  const record: Record<string, unknown> = {};
  for (const [header, value] of Object.entries(row)) {
    if (value === '') continue;
    const key = foldHeader(header);
    const target = CONSOLE_COLUMNS[key];
    const parsed = NESTED.has(key) && (value.startsWith('{') || value.startsWith('[')) ? parseTrinoValue(value) : value;
    if (target && target.length === 2) {
      const parent = (record[target[0]!] ??= {}) as Record<string, unknown>;
      parent[target[1]!] = parsed;
    } else if (target) {
      record[target[0]!] = parsed;
    } else if (key === 'useridentity' && typeof parsed === 'object' && parsed !== null) {
      record.userIdentity = { ...(record.userIdentity as object | undefined), ...(parsed as object) };
    } else {
      record[key] = parsed;
    }
  }
  return record;
}
