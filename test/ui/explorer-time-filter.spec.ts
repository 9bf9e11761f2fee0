// The explorer's From / To filters (renderer/ui/utc-input.ts, draftProblems): UTC text in the ISO order the app
// prints times in, whatever the browser's locale, to the millisecond, and a plain-words problem for anything else.
import { expect, test } from '@playwright/test';
import { draftProblems } from '../../renderer/features/explorer/explorer-screen';
import { formatUtcInput, parseUtcInput } from '../../renderer/ui/utc-input';

test('reads a day, minutes, seconds or milliseconds as UTC, with a T, a space, Z or UTC', () => {
  expect(parseUtcInput('2026-10-19')).toBe(Date.UTC(2026, 9, 19));
  expect(parseUtcInput('2026-10-19 14:05')).toBe(Date.UTC(2026, 9, 19, 14, 5));
  expect(parseUtcInput(' 2026-10-19T14:05:12Z ')).toBe(Date.UTC(2026, 9, 19, 14, 5, 12));
  expect(parseUtcInput('2026-10-19 14:05:12.3 UTC')).toBe(Date.UTC(2026, 9, 19, 14, 5, 12, 300));
  expect(parseUtcInput('2026-10-19 14:05+02:00'), 'an explicit offset, as pasted from a log').toBe(Date.UTC(2026, 9, 19, 12, 5));
  expect(parseUtcInput('2026-10-19T14:05:00-0530')).toBe(Date.UTC(2026, 9, 19, 19, 35));
  expect(parseUtcInput('')).toBeUndefined();
});

test('refuses a locale date and dates or times that do not exist', () => {
  for (const text of ['11/24/2026', '24.11.2026 20:00', '2026-10-19 14:05+25:00', '2026-02-30', '2026-10-19 24:00', '2026-13-01', 'yesterday']) {
    expect(parseUtcInput(text), text).toBeNull();
  }
});

test('shows a filter to the second (and millisecond) it was set to, so applying it again changes nothing', () => {
  const brushed = Date.UTC(2026, 9, 19, 14, 5, 12, 345);
  expect(formatUtcInput(brushed)).toBe('2026-10-19 14:05:12.345');
  expect(formatUtcInput(Date.UTC(2026, 9, 19, 14, 5))).toBe('2026-10-19 14:05:00');
  expect(parseUtcInput(formatUtcInput(brushed))).toBe(brushed);
});

test('names the field and the expected form when a time cannot be read', () => {
  const draft = { from: '11/24/2026', to: '2026-10-19 18:00', principal: '', account: '', sourceIp: '', asn: '', country: '', action: '', outcome: '', credential: '', text: '' };
  expect(draftProblems(draft)).toEqual(['From: a UTC time such as 2026-10-19 14:05, not “11/24/2026”']);
  expect(draftProblems({ ...draft, from: '2026-10-19 19:00' })).toEqual(['To: must be later than From']);
  expect(draftProblems({ ...draft, from: '2026-10-19' })).toEqual([]);
});
