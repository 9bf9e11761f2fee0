// Audit records wrapped by the log pipelines customers hand their logs over from: CloudWatch Logs (a trail delivered to
// a log group: `aws logs filter-log-events` / `get-log-events` output, subscription-filter payloads as Firehose and
// Kinesis hold them, the S3 export's `<timestamp> <event>` lines), SIEM exports (Splunk `_raw`, Elasticsearch /
// elasticdump `_source.event.original` or `_source.message`) and Pub/Sub messages (a log sink's LogEntry, base64 in
// `message.data`). As with lookup-events' `CloudTrailEvent`, the raw record kept is the wrapper entry as the file holds
// it and the normalized values come from the inner record, classified and normalized as if it stood alone.
//
// Sources for the shapes:
// - CloudWatch Logs FilterLogEvents / GetLogEvents (API reference: FilteredLogEvent, OutputLogEvent), the subscription
//   filter payload ("Using CloudWatch Logs subscription filters": messageType DATA_MESSAGE / CONTROL_MESSAGE,
//   logEvents of id, timestamp, message) and "Exporting log data to Amazon S3" (lines of an ISO time, a space, the event).
// - Splunk REST `search/jobs/export` (output_mode=json: one `{"preview":…,"result":{…}}` per line) and
//   `search/jobs/{sid}/results` (`{"results":[…]}`); `_raw` is the event as indexed.
// - Elasticsearch `_search` hits and elasticdump: `_source`; ECS keeps the original text in `event.original`,
//   Beats and Logstash in `message`.
// - Pub/Sub PubsubMessage (`data` is base64), `gcloud pubsub subscriptions pull --format=json`
//   (`[{"ackId","message"}]`), the REST pull response (`receivedMessages`) and push bodies (`{"message","subscription"}`).
import { isUtf8 } from 'node:buffer';
import { obj } from './values';

type Obj = Record<string, unknown>;

/** What a pipeline's entry holds. */
export interface Wrapped {
  /** The wrapper's part of the file's format label: `cloudwatch-logs`, `splunk`, `elastic`, `pubsub`. */
  shape: string;
  /** The entry and its field, as a refusal names them: `a Splunk result whose _raw`. */
  what: string;
  /** The inner record's text (JSON), when the wrapper holds it as text. */
  text?: string;
  /** The inner record itself, when the wrapper holds it as an object. */
  record?: Obj;
  /** A pipeline message that carries no event (a CloudWatch Logs control message, a Splunk status line): skipped. */
  control?: true;
  /** Why the payload cannot be read at all. */
  problem?: string;
  /** What to say when the inner record is of no known kind, instead of the plain "is not a cloud audit record". */
  refusal?: string;
}

/**
 * Splunk cuts an event at `TRUNCATE` bytes, 10,000 unless the sourcetype says otherwise: the policy and permission
 * calls an investigation needs most (PutRolePolicy, CreatePolicyVersion, PutBucketPolicy) are the events that long.
 */
const SPLUNK_TRUNCATE = 10_000;
export const SPLUNK_CUT =
  "a Splunk result whose _raw was cut at 10,000 characters (Splunk's default TRUNCATE for the sourcetype): the event is incomplete and cannot be read; export it from the source (the trail's S3 logs, lookup-events), or raise TRUNCATE and re-index";

/** CloudWatch Logs sends one to check a subscription's destination: `CWL CONTROL MESSAGE: Checking health of …`. */
const CWL_CONTROL = 'CWL CONTROL MESSAGE';
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/**
 * The audit record a pipeline's entry wraps, or null when `r` is no wrapper this knows. Asked only of records that are
 * not an audit record themselves (and of any record with a Splunk `_raw`), each check one or two property reads.
 */
export function unwrapRecord(r: Obj): Wrapped | null {
  // Splunk: a results element or a CSV row (`_raw`), an export line (`result._raw`).
  if (typeof r._raw === 'string') return { shape: 'splunk', what: 'a Splunk result whose _raw', text: r._raw };
  const result = obj(r.result);
  if (result && r.preview !== undefined) {
    if (typeof result._raw === 'string') return { shape: 'splunk', what: 'a Splunk result whose _raw', text: result._raw };
    return { shape: 'splunk', what: 'a Splunk result', problem: 'a Splunk result without _raw (a table or stats search): export the events themselves, with their _raw field (a plain event search, or `| table _raw`)' };
  }
  if (r.preview !== undefined && r.result === undefined && (r.messages !== undefined || r.lastrow !== undefined)) return { shape: 'splunk', what: 'a Splunk status line', control: true };
  const message = r.message;
  if (typeof message === 'string') {
    // CloudWatch Logs: FilteredLogEvent / OutputLogEvent / a subscription's log event.
    if (r.timestamp !== undefined || r.ingestionTime !== undefined || r.logStreamName !== undefined) {
      if (message.startsWith(CWL_CONTROL)) return { shape: 'cloudwatch-logs', what: 'a CloudWatch Logs control message', control: true };
      return { shape: 'cloudwatch-logs', what: 'a CloudWatch Logs event whose message', text: message };
    }
    if (r['@timestamp'] !== undefined) return ecsDocument(r);
    return null;
  }
  const source = obj(r._source);
  if (source) return ecsDocument(source);
  if (obj(r.event) && r['@timestamp'] !== undefined) return ecsDocument(r);
  // Pub/Sub: a received message (pull, push) or a bare PubsubMessage.
  const pubsub = obj(message);
  if (pubsub && typeof pubsub.data === 'string') return pubsubData(pubsub.data);
  if (typeof r.data === 'string' && (r.messageId !== undefined || r.message_id !== undefined || r.publishTime !== undefined)) return pubsubData(r.data);
  // Kinesis Data Streams (`aws kinesis get-records`): one record's Data can hold a whole subscription payload (gzip,
  // many events), which one raw record cannot stand for; named, with how to get at the events.
  if (typeof r.Data === 'string' && (r.SequenceNumber !== undefined || r.PartitionKey !== undefined)) return { shape: 'kinesis', what: 'a Kinesis record', problem: KINESIS_RECORD };
  return null;
}

export const KINESIS_RECORD =
  'a Kinesis Data Streams record (aws kinesis get-records): its Data is base64, for a CloudWatch Logs subscription a gzip of several events; decode it first (base64 -d | gunzip, one file per record) and import the result, or import the trail\'s S3 logs';

/** An Elasticsearch document (`_source`, or an ECS / Logstash document exported on its own). */
function ecsDocument(doc: Obj): Wrapped {
  const original = obj(doc.event)?.original;
  if (typeof original === 'string') return { shape: 'elastic', what: 'an Elasticsearch document whose event.original', text: original };
  if (typeof doc.message === 'string') return { shape: 'elastic', what: 'an Elasticsearch document whose message', text: doc.message };
  // Indexed as it came (a JSON codec, no ECS mapping): the document is the record. If it is not one, an ingest
  // pipeline mapped the event to ECS fields and dropped the original, which no field-by-field guess can rebuild.
  return { shape: 'elastic', what: 'an Elasticsearch document whose _source', record: doc, refusal: ECS_ONLY };
}

function pubsubData(data: string): Wrapped {
  const what = 'a Pub/Sub message whose data';
  if (data === '') return { shape: 'pubsub', what, problem: `${what} is empty` };
  if (!BASE64.test(data)) return { shape: 'pubsub', what, problem: `${what} is not base64` };
  const bytes = Buffer.from(data, 'base64'); // Node's base64 reads the URL-safe alphabet too
  if (!isUtf8(bytes)) return { shape: 'pubsub', what, problem: `${what} is not UTF-8 text (not a log sink's LogEntry)` };
  return { shape: 'pubsub', what, text: bytes.toString('utf8') };
}

/**
 * The inner record of a wrapper holding it as text: an object, or why not. Text that does not start like a JSON object
 * is refused before any parse (a plain-text log line is the common case in a mixed log group). The reasons quote none
 * of the text, so a file's many such records fold into one line.
 */
export function innerRecord(w: Wrapped): { record: Obj } | { problem: string } {
  if (w.record) return { record: w.record };
  const text = w.text ?? '';
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09 || text.charCodeAt(i) === 0x0a || text.charCodeAt(i) === 0x0d || text.charCodeAt(i) === 0xfeff)) i++;
  if (text.charCodeAt(i) !== 0x7b) return { problem: `${w.what} is not a cloud audit record (it is not a JSON object)` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (w.shape === 'splunk' && text.length === SPLUNK_TRUNCATE) return { problem: SPLUNK_CUT };
    return { problem: `${w.what} is not a cloud audit record (invalid JSON)` };
  }
  const record = obj(parsed);
  return record ? { record } : { problem: `${w.what} is not a cloud audit record (not a JSON object)` };
}

/** The refusal of a wrapper whose inner record is of no kind Crossline knows. */
export function notAuditRecord(w: Wrapped): string {
  return w.refusal ?? `${w.what} is not a cloud audit record`;
}

export const ECS_ONLY =
  "an Elasticsearch document without the original event (no event.original or message, and _source is not a cloud audit record): the ingest pipeline mapped it to ECS fields and dropped the original; re-index keeping it (the AWS, Azure and GCP integrations' preserve_original_event tag) or export the events from their source";
