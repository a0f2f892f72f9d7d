import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMessage, validateMessage } from '../../core/validate.js';

function bad(role: 'agent' | 'caller', value: unknown, field: string | null): void {
  const r = typeof value === 'string' ? parseMessage(role, value) : validateMessage(role, value);
  assert.equal(r.ok, false, `${JSON.stringify(value)} should be refused`);
  if (!r.ok) {
    assert.equal(r.error.code, 'bad-message');
    assert.equal(r.error.field, field, r.error.message);
    assert.ok(r.error.message.length > 0);
  }
}

describe('validator: malformed frames', () => {
  test('text that is not JSON', () => bad('agent', '{"type":', null));
  for (const v of [null, 42, 'hello', true, [1, 2]]) test(`non-object ${JSON.stringify(v)}`, () => bad('agent', v, null));
  test('unknown type', () => bad('agent', { type: 'explode', id: '1' }, 'type'));
  test('caller types are unknown to agents and back', () => {
    bad('agent', { type: 'attention', id: '1', on: true }, 'type');
    bad('caller', { type: 'answer', id: '1', split: 0 }, 'type');
  });
  test('type that is not a string', () => bad('agent', { type: 7, id: '1' }, 'type'));
  test('missing or bad id', () => {
    bad('agent', { type: 'ready' }, 'id');
    bad('agent', { type: 'ready', id: 3 }, 'id');
    bad('agent', { type: 'ready', id: '' }, 'id');
    bad('agent', { type: 'ready', id: 'x'.repeat(65) }, 'id');
  });
  test('the error carries the id when it could be read', () => {
    const r = validateMessage('agent', { type: 'answer', id: 'q1' });
    assert.equal(!r.ok && r.error.id, 'q1');
  });
});

describe('validator: agent fields', () => {
  test('hello needs a token and 1–8 splits', () => {
    bad('agent', { type: 'hello', id: '1', splits: 2 }, 'token');
    bad('agent', { type: 'hello', id: '1', token: 't', splits: 0 }, 'splits');
    bad('agent', { type: 'hello', id: '1', token: 't', splits: 9 }, 'splits');
    bad('agent', { type: 'hello', id: '1', token: 't', splits: '2' }, 'splits');
    bad('agent', { type: 'hello', id: '1', token: 't'.repeat(5000), splits: 2 }, 'token');
  });
  test('split must be an integer 0–7', () => {
    bad('agent', { type: 'answer', id: '1' }, 'split');
    bad('agent', { type: 'answer', id: '1', split: '0' }, 'split');
    bad('agent', { type: 'answer', id: '1', split: 1.5 }, 'split');
    bad('agent', { type: 'hangup', id: '1', split: -1 }, 'split');
    bad('agent', { type: 'reject', id: '1', split: 8 }, 'split');
    bad('agent', { type: 'focus', id: '1', split: 99 }, 'split');
  });
  test('focus takes null', () => {
    assert.deepEqual(validateMessage('agent', { type: 'focus', id: '1', split: null }), { ok: true, message: { type: 'focus', id: '1', split: null } });
  });
  test('dial and consult need a target', () => {
    bad('agent', { type: 'dial', id: '1', split: 0 }, 'to');
    bad('agent', { type: 'consult', id: '1', split: 0, to: 5 }, 'to');
    bad('agent', { type: 'consult', id: '1', split: 0, to: 'x'.repeat(200) }, 'to');
  });
  test('transfer needs a seat or a queue, not both', () => {
    bad('agent', { type: 'transfer', id: '1', split: 0, to: 'seat-2' }, 'to');
    bad('agent', { type: 'transfer', id: '1', split: 0, to: {} }, 'to.queue');
    bad('agent', { type: 'transfer', id: '1', split: 0, to: { seat: 'a', queue: 'b' } }, 'to');
    bad('agent', { type: 'transfer', id: '1', split: 0, to: { seat: 3 } }, 'to.seat');
    const ok = validateMessage('agent', { type: 'transfer', id: '1', split: 0, to: { queue: 'billing' }, extra: 1 });
    assert.deepEqual(ok, { ok: true, message: { type: 'transfer', id: '1', split: 0, to: { queue: 'billing' } } });
  });
  test('not-ready reason is optional and bounded', () => {
    assert.equal(validateMessage('agent', { type: 'not-ready', id: '1' }).ok, true);
    bad('agent', { type: 'not-ready', id: '1', reason: 'x'.repeat(201) }, 'reason');
    bad('agent', { type: 'not-ready', id: '1', reason: 4 }, 'reason');
  });
  test('unknown extra fields are ignored', () => {
    assert.deepEqual(validateMessage('agent', { type: 'ready', id: '9', colour: 'red' }), { ok: true, message: { type: 'ready', id: '9' } });
  });
});

describe('validator: caller fields', () => {
  test('call needs a queue; name and priority are optional and bounded', () => {
    bad('caller', { type: 'call', id: '1' }, 'queue');
    bad('caller', { type: 'call', id: '1', queue: 'q', priority: 10 }, 'priority');
    bad('caller', { type: 'call', id: '1', queue: 'q', priority: -1 }, 'priority');
    bad('caller', { type: 'call', id: '1', queue: 'q', name: 'n'.repeat(101) }, 'name');
    bad('caller', { type: 'call', id: '1', queue: 'q'.repeat(65) }, 'queue');
    assert.deepEqual(validateMessage('caller', { type: 'call', id: '1', queue: 'claims', name: 'Li Wei', priority: 3 }), {
      ok: true,
      message: { type: 'call', id: '1', queue: 'claims', name: 'Li Wei', priority: 3 },
    });
  });
  test('attention needs a boolean', () => {
    bad('caller', { type: 'attention', id: '1' }, 'on');
    bad('caller', { type: 'attention', id: '1', on: 'yes' }, 'on');
  });
  test('hello needs a token', () => bad('caller', { type: 'hello', id: '1', token: '' }, 'token'));
});
