import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Peer__Output } from '../../gen/ts/gobgp/api/Peer.ts';
import { hasRelearned } from './relearned.ts';

const peer = (state: string, families: { received: boolean; endOfRibReceived: boolean }[]) =>
  ({
    state: { sessionState: state },
    afiSafis: families.map((f) => ({ mpGracefulRestart: { state: f } })),
  }) as unknown as Peer__Output;

test('a graceful-restart peer has relearned only once End-of-RIB arrived on each of its families', () => {
  const up = 'SESSION_STATE_ESTABLISHED';
  assert.equal(hasRelearned(peer(up, [{ received: true, endOfRibReceived: false }])), false);
  assert.equal(
    hasRelearned(
      peer(up, [
        { received: true, endOfRibReceived: true },
        { received: true, endOfRibReceived: false },
      ]),
    ),
    false,
  );
  assert.equal(hasRelearned(peer(up, [{ received: true, endOfRibReceived: true }])), true);
});

test('a peer without graceful restart counts once Established; a peer not Established never', () => {
  assert.equal(
    hasRelearned(peer('SESSION_STATE_ESTABLISHED', [{ received: false, endOfRibReceived: false }])),
    true,
  );
  assert.equal(
    hasRelearned(peer('SESSION_STATE_OPENCONFIRM', [{ received: true, endOfRibReceived: true }])),
    false,
  );
});
