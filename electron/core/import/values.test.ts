import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimestamp, parseIp, awsAccountId, bool, field, jsonObject, parseLogAnalyticsCsvTime, parseExponentEpochSeconds, isLocaleLogAnalyticsTime } from './values';

const T = Date.UTC(2024, 5, 2, 20, 27, 12);

test('timestamps in every form real exports carry', () => {
  assert.equal(parseTimestamp('2024-06-02T20:27:12Z'), T);
  assert.equal(parseTimestamp('2024-06-02T20:27:12.345Z'), T + 345);
  assert.equal(parseTimestamp('2024-06-02T20:27:12.3456789Z'), T + 345, 'Azure 7-digit fraction');
  assert.equal(parseTimestamp('2024-06-02 20:27:12'), T, 'space, no zone: UTC');
  assert.equal(parseTimestamp('2024-06-02 20:27:12.000'), T, 'Lake');
  assert.equal(parseTimestamp('2024-06-03 07:27:12+11:00'), T, 'offset');
  assert.equal(parseTimestamp('2024-06-02T13:27:12-0700'), T, 'offset without colon');
  assert.equal(parseTimestamp('20240602T202712Z'), T, 'basic form');
  assert.equal(parseTimestamp(T / 1000), T, 'epoch seconds');
  assert.equal(parseTimestamp(T), T, 'epoch ms');
  assert.equal(parseTimestamp('not a time'), null);
  assert.equal(parseTimestamp('2024-13-02T20:27:12Z'), null);
  assert.equal(parseTimestamp(null), null);
});

test('timestamps of days that do not exist are unreadable, and years before 100 are those years', () => {
  for (const t of ['2026-02-30T10:00:00Z', '2026-02-29T10:00:00Z', '2026-04-31 10:00:00', '2026-06-31T10:00:00.000Z', '20260230T100000Z']) {
    assert.equal(parseTimestamp(t), null, t);
  }
  assert.equal(parseTimestamp('2024-02-29T10:00:00Z'), Date.UTC(2024, 1, 29, 10), 'a leap day');
  assert.equal(parseTimestamp('2000-02-29T10:00:00Z'), Date.UTC(2000, 1, 29, 10), 'a leap day of a year divisible by 400');
  assert.equal(parseTimestamp('2100-02-29T10:00:00Z'), null, '2100 is no leap year');
  assert.equal(parseTimestamp('0001-01-01T00:00:00Z'), -62135596800000, 'the zero time of .NET and Go, not 1901');
  assert.equal(new Date(parseTimestamp('0024-03-01T10:00:00Z')!).toISOString(), '0024-03-01T10:00:00.000Z');
  assert.equal(new Date(parseTimestamp('0099-12-31 23:59:59+01:00')!).toISOString(), '0099-12-31T22:59:59.000Z', 'offset applied after the year is set');
  assert.equal(parseLogAnalyticsCsvTime('2/30/2026, 4:32:49.469 AM'), null);
  assert.equal(new Date(parseTimestamp('0099-12-31T23:59:60Z')!).toISOString(), '0100-01-01T00:00:00.000Z', 'a leap second rolls forward, not a day back');
  assert.equal(parseTimestamp(-62135596800000), -62135596800000, 'the zero time as epoch ms is ms, not seconds');
  assert.equal(parseTimestamp(-62135596800), -62135596800000, 'and as epoch seconds');
  assert.equal(parseTimestamp(1e17), null, 'beyond what a date can hold');
});

test('IPs: literal addresses only, padded octets read as decimal', () => {
  assert.equal(parseIp('81.2.69.142'), '81.2.69.142');
  assert.equal(parseIp('2001:DB8::1'), '2001:db8::1');
  assert.equal(parseIp('010.001.002.003'), '10.1.2.3');
  assert.equal(parseIp('300.1.1.1'), null);
  assert.equal(parseIp('lambda.amazonaws.com'), null);
  assert.equal(parseIp('AWS Internal'), null);
  assert.equal(parseIp('redacted'), null);
  assert.equal(parseIp('1.2.3.4:443'), '1.2.3.4');
});


test('account ids typed as integers get their leading zeros back', () => {
  assert.equal(awsAccountId(12345678901), '012345678901');
  assert.equal(awsAccountId(123456789012), '123456789012');
  assert.equal(awsAccountId('012345678901'), '012345678901');
  assert.equal(awsAccountId(''), null);
});

test('booleans as strings and keys in any case', () => {
  assert.equal(bool('False'), false);
  assert.equal(bool(true), true);
  assert.equal(bool('maybe'), null);
  assert.equal(field({ eventtime: 'x' }, 'eventTime'), 'x');
  assert.equal(field({ EventTime: 'y', eventTime: 'z' }, 'eventTime'), 'z');
});

test('Azure and GCP timestamps: 7 and 9 digit fractions, offsets, BigQuery "UTC", Log Analytics CSV cells', () => {
  assert.equal(parseTimestamp('2024-06-02T20:27:12.3456789Z'), T + 345);
  assert.equal(parseTimestamp('2024-06-02T20:27:12.345678912Z'), T + 345, 'GCP nanoseconds');
  assert.equal(parseTimestamp('2024-06-02T22:27:12.3456789+02:00'), T + 345, '7 digits and an offset');
  assert.equal(parseTimestamp('2024-06-02 20:27:12.345678 UTC'), T + 345, 'BigQuery');
  assert.equal(parseTimestamp('2023-07-26 22:58:30.983201900'), Date.UTC(2023, 6, 26, 22, 58, 30, 983));
  assert.equal(parseLogAnalyticsCsvTime('6/2/2024, 8:27:12.345 PM'), T + 345);
  assert.equal(parseLogAnalyticsCsvTime('6/2/2024, 12:05:00 AM'), Date.UTC(2024, 5, 2, 0, 5, 0));
  assert.equal(parseLogAnalyticsCsvTime('6/2/2024, 12:05:00 PM'), Date.UTC(2024, 5, 2, 12, 5, 0));
  assert.equal(parseLogAnalyticsCsvTime('13/2/2024, 8:27:12 PM'), null, 'a day-first date is not guessed at');
  assert.equal(parseLogAnalyticsCsvTime('2024-06-02T20:27:12Z'), null);
});

test('JSON held as text (Log Analytics dynamic columns) reads as an object', () => {
  assert.deepEqual(jsonObject('{"errorCode":0}'), { errorCode: 0 });
  assert.deepEqual(jsonObject({ a: 1 }), { a: 1 });
  assert.equal(jsonObject('[1]'), null);
  assert.equal(jsonObject('{broken'), null);
  assert.equal(jsonObject(null), null);
});

test('.NET JSON dates (Windows PowerShell 5.1 ConvertTo-Json): /Date(ms)/ is UTC epoch ms, an offset suffix is not applied', () => {
  assert.equal(parseTimestamp('/Date(1717360032000)/'), T);
  assert.equal(parseTimestamp('\\/Date(1717360032000)\\/'), T, 'the JSON escape kept as text');
  assert.equal(parseTimestamp('/Date(1717360032000+0200)/'), T, 'DataContractJsonSerializer: the offset only says how it was shown');
  assert.equal(parseTimestamp('/Date(1717360032000-0500)/'), T);
  assert.equal(parseTimestamp('/Date(-62135596800000)/'), null, ".NET's DateTime.MinValue is its 'no date', not an event time");
  assert.equal(parseTimestamp('/Date(-62135578800000-0500)/'), null, 'so is a local MinValue written west of UTC');
  for (const bad of ['/Date()/', '/Date(12a)/', '/Date(1717360032000)', 'Date(1717360032000)', '/Date(1717360032000+02)/']) assert.equal(parseTimestamp(bad), null, bad);
});

test('BigQuery REST exponent-form epoch seconds, exactly to the millisecond', () => {
  assert.equal(parseExponentEpochSeconds('1.717360032345E9'), T + 345);
  assert.equal(parseExponentEpochSeconds('1.717360032345999E9'), T + 345, 'microseconds dropped');
  assert.equal(parseExponentEpochSeconds('1.717360032E9'), T);
  assert.equal(parseExponentEpochSeconds('1E-5'), null, 'no audit log is from 1970');
  assert.equal(parseExponentEpochSeconds('1.7173600323E+9'), T + 300);
  assert.equal(parseExponentEpochSeconds('17173600323450E-4'), T + 345);
  assert.equal(parseExponentEpochSeconds('1e9'), 1e12);
  // Every millisecond of a day round-trips through the decimal text, where Number(text) * 1000 would not always.
  for (let ms = 0; ms < 1000; ms++) {
    const seconds = `1.717360032${String(ms).padStart(3, '0')}E9`;
    assert.equal(parseExponentEpochSeconds(seconds), T + ms, seconds);
  }
  for (const bad of ['1717360032', '1.7E30', 'E9', '1.7E', 'x1.7E9', 1.717360032e9]) assert.equal(parseExponentEpochSeconds(bad), null, String(bad));
  assert.equal(parseTimestamp('1.717360032345E9'), null, 'only GCP reads this form (normalize-gcp-audit.ts)');
});

test('Log Analytics dates in other locales are recognised (to be refused with a reason), en-US ones are read', () => {
  assert.ok(isLocaleLogAnalyticsTime('02/05/2024, 10:20:01.123'));
  assert.ok(isLocaleLogAnalyticsTime('02.05.2024 10:20:01'));
  assert.ok(isLocaleLogAnalyticsTime('25/05/2023, 4:32:49.469 AM'), 'day first with AM/PM: month 25 does not exist');
  assert.ok(!isLocaleLogAnalyticsTime('5/25/2023, 4:32:49.469 AM'));
  assert.ok(!isLocaleLogAnalyticsTime('2024-05-02T10:20:01Z'));
});
