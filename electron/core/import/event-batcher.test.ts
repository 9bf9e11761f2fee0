import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_COLUMNS, type NormalizedEvent } from '../../../shared/domain/event';
import { INTERNED_COLUMNS } from '../../db/repos/event-batch';
import { EventBatcher } from './event-batcher';

/** An event whose every field holds a value of its own, so a column out of order cannot go unnoticed. */
function distinctEvent(): NormalizedEvent {
  const event: Record<string, unknown> = {};
  EVENT_COLUMNS.forEach((c, i) => {
    event[c] = c === 'readOnly' ? true : c === 'provider' ? 'aws' : c === 'outcome' ? 'success' : /Ms$|fingerprint/.test(c) ? 1000 + i : `${c}-value`;
  });
  return event as unknown as NormalizedEvent;
}

test('a batch carries every column in EVENT_COLUMNS order, interned ones as indexes into its strings', () => {
  const batcher = new EventBatcher();
  const event = distinctEvent();
  batcher.add(event, Buffer.from('{}'), 0, 0);
  batcher.add({ ...event, errorCode: null, sessionCreatedMs: null, region: null }, Buffer.from('{}'), 1, 0);
  const batch = batcher.take();
  const width = EVENT_COLUMNS.length;
  assert.equal(batch.values.length, 2 * width);
  const resolve = (row: number) =>
    EVENT_COLUMNS.map((c, i) => {
      const value = batch.values[row * width + i];
      return INTERNED_COLUMNS.has(c) && value !== null ? batch.strings[value as number] : value;
    });
  const expected = EVENT_COLUMNS.map((c) => (c === 'readOnly' ? 1 : event[c]));
  assert.deepEqual(resolve(0), expected);
  assert.deepEqual(
    resolve(1),
    EVENT_COLUMNS.map((c, i) => (['errorCode', 'sessionCreatedMs', 'region'].includes(c) ? null : expected[i])),
    'missing values are null',
  );
  assert.equal(new Set(batch.strings).size, batch.strings.length, 'each interned string is sent once');
});

test('a value repeated from one event to the next, and from one batch into the next, resolves to itself in each batch', () => {
  const batcher = new EventBatcher();
  const width = EVENT_COLUMNS.length;
  const at = EVENT_COLUMNS.indexOf('userAgent');
  const agentOf = (batch: ReturnType<EventBatcher['take']>, row: number) => batch.strings[batch.values[row * width + at] as number];
  const event = (userAgent: string) => ({ ...distinctEvent(), userAgent });
  // Built at run time: JSON.parse hands over equal strings that are distinct objects.
  const agent = () => ['aws-cli/2.15', 'Python/3.11'].join(' ');
  batcher.add(event('console.amazonaws.com'), Buffer.from('{}'), 0, 0);
  batcher.add(event(agent()), Buffer.from('{}'), 1, 0);
  batcher.add(event(agent()), Buffer.from('{}'), 2, 0);
  const first = batcher.take();
  assert.deepEqual([0, 1, 2].map((r) => agentOf(first, r)), ['console.amazonaws.com', 'aws-cli/2.15 Python/3.11', 'aws-cli/2.15 Python/3.11']);
  batcher.add(event(agent()), Buffer.from('{}'), 3, 0);
  const second = batcher.take();
  assert.equal(agentOf(second, 0), 'aws-cli/2.15 Python/3.11', 'the next batch has the string among its own');
});
