import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Peer__Output } from '../../gen/ts/gobgp/api/Peer.ts';
import { hasRelearned } from './relearned.ts';

const UP = 'SESSION_STATE_ESTABLISHED';
const peer = (
  state: string,
  peerRestartTime: number,
  families: { received: boolean; endOfRibReceived: boolean }[],
) =>
  ({
    state: { sessionState: state },
    gracefulRestart: { peerRestartTime },
    afiSafis: families.map((f) => ({ mpGracefulRestart: { state: f } })),
  }) as unknown as Peer__Output;

test('a graceful-restart peer has relearned only once End-of-RIB arrived on each family', () => {
  const eor = (e: boolean) => ({ received: true, endOfRibReceived: e });
  assert.equal(hasRelearned(peer(UP, 120, [eor(false)])), false);
  assert.equal(hasRelearned(peer(UP, 120, [eor(true), eor(false)])), false);
  assert.equal(hasRelearned(peer(UP, 120, [eor(true), eor(true)])), true);
});

test("a helper-only peer (FRR's default: restart time, no family) is waited for too", () => {
  const helper = (e: boolean) => ({ received: false, endOfRibReceived: e });
  assert.equal(hasRelearned(peer(UP, 120, [helper(false)])), false);
  assert.equal(hasRelearned(peer(UP, 120, [helper(true)])), true);
});

test('a peer without graceful restart counts once Established; a peer not Established never', () => {
  const none = { received: false, endOfRibReceived: false };
  assert.equal(hasRelearned(peer(UP, 0, [none])), true);
  assert.equal(
    hasRelearned(peer('SESSION_STATE_OPENCONFIRM', 120, [{ received: true, endOfRibReceived: true }])),
    false,
  );
});
