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
    assert.equal(f.toMs, Date.UTC(2026, 9, 29));
    assert.equal(filterFromFlags({ from: '2026-10-28T03:02:00+01:00' }).fromMs, Date.UTC(2026, 9, 28, 2, 2), 'an explicit offset still counts');
    assert.equal(filterFromFlags({ from: '1793161320000' }).fromMs, 1793161320000, 'epoch ms');
    assert.throws(() => filterFromFlags({ to: 'yesterday' }), /--to: not a time/);
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
});
