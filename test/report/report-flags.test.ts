// The report's time flags: a time without a zone is UTC, as every time the report prints, whatever the machine's zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterFromFlags } from '../../electron/cli/report';

test('--from and --to without a zone are UTC on a machine in another zone', () => {
  const zone = process.env.TZ;
  process.env.TZ = 'America/New_York'; // Node drops its time zone cache when TZ is assigned
  try {
    assert.equal(new Date(2026, 9, 28).getTimezoneOffset(), 240, 'the test runs in New York time');
    const f = filterFromFlags({ from: '2026-10-28T03:02:00', to: '2026-10-29' });
    assert.equal(f.fromMs, Date.UTC(2026, 9, 28, 3, 2));
    assert.equal(f.toMs, Date.UTC(2026, 9, 30), '--to a day takes in that whole day');
    assert.equal(filterFromFlags({ from: '2026-10-28T03:02:00+01:00' }).fromMs, Date.UTC(2026, 9, 28, 2, 2), 'an explicit offset still counts');
    assert.equal(filterFromFlags({ from: '1793161320000' }).fromMs, 1793161320000, 'epoch ms');
    assert.throws(() => filterFromFlags({ to: 'yesterday' }), /--to: not a time/);
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
});

test('--to takes in the whole unit it was typed to: a day, a minute, a second, a millisecond', () => {
  const to = (v: string) => filterFromFlags({ to: v }).toMs;
  assert.equal(to('2026-10-13T02:35:38Z'), Date.UTC(2026, 9, 13, 2, 35, 39), 'a time copied from a finding keeps that second');
  assert.equal(to('2026-10-13 02:35'), Date.UTC(2026, 9, 13, 2, 36));
  assert.equal(to('2026-10-13T02:35:38.250Z'), Date.UTC(2026, 9, 13, 2, 35, 38, 251));
  assert.equal(to('1793161320000'), 1793161320001, 'epoch ms: that millisecond');
  const same = filterFromFlags({ from: '2026-10-13T02:35:38Z', to: '2026-10-13T02:35:38Z' });
  assert.equal(same.toMs! - same.fromMs!, 1000, '--from X --to X is that second, not nothing');
});
