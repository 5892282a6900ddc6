import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type PollerSlot, ScalingController } from '../../src/consumer/scaling-controller.js';

/** A controller whose "pollers" are just the slots it spawned; loops leave when told. */
function harness(settings: { maximum: number; initial?: number; scaleUpPerMinute?: number }) {
  const clock = new ManualClock();
  const spawned: PollerSlot[] = [];
  const targets: number[] = [];
  const controller = new ScalingController(
    {
      initial: settings.initial ?? Math.min(5, settings.maximum),
      maximum: settings.maximum,
      scaleUpPerMinute: settings.scaleUpPerMinute ?? 300,
      clock,
    },
    { spawn: (slot) => spawned.push(slot), changed: (target) => targets.push(target) },
  );
  /** Slots whose loops are still running (spawned and not yet told to leave). */
  const running = () => spawned.filter((slot) => slot.active);
  return { clock, controller, spawned, targets, running };
}

describe('ScalingController', () => {
  it('starts at the initial five and announces it', () => {
    const { controller, targets, spawned } = harness({ maximum: 1_000 });
    controller.start();
    expect(controller.target).toBe(5);
    expect(spawned).toHaveLength(5);
    expect(targets).toEqual([5]);
  });

  it('never goes below one: simultaneous whole-batch failures halve, then hold at one', () => {
    const { controller, spawned } = harness({ maximum: 2 });
    controller.start();
    const [a, b] = spawned as [PollerSlot, PollerSlot];
    controller.batchFailed(a);
    controller.batchFailed(b);
    expect(controller.target).toBe(1);
    // The failing pollers were retired first: exactly one live slot, and its loop keeps polling.
    const live = spawned.filter((slot) => slot.active);
    expect(live).toHaveLength(1);
    expect(controller.keepPolling(live[0] as PollerSlot)).toBe(true);
    expect(controller.keepPolling(a.active ? b : a)).toBe(false);
  });

  it('grows one poller per 200 ms by default while batches come back full, up to the cap', async () => {
    const { clock, controller } = harness({ maximum: 12 });
    controller.start();
    controller.fullBatch();
    await clock.advance(0.19);
    expect(controller.target).toBe(5);
    await clock.advance(0.01);
    expect(controller.target).toBe(6);
    await clock.advance(1);
    expect(controller.target).toBe(11);
    await clock.advance(10);
    expect(controller.target).toBe(12);
  });

  it('stops growing when a receive comes back short, and shrinks to five on empty receives', async () => {
    const { clock, controller, spawned } = harness({ maximum: 50 });
    controller.start();
    controller.fullBatch();
    await clock.advance(1);
    expect(controller.target).toBe(10);
    controller.partialBatch();
    await clock.advance(5);
    expect(controller.target).toBe(10);
    for (const slot of spawned) controller.emptyReceive(slot);
    expect(controller.target).toBe(5);
  });

  it('revives draining pollers before starting new ones: live + draining never exceed the cap', async () => {
    const { clock, controller, spawned } = harness({ maximum: 8, scaleUpPerMinute: 60_000 });
    controller.start();
    controller.fullBatch();
    await clock.advance(1);
    expect(controller.target).toBe(8);
    controller.batchFailed(spawned[0] as PollerSlot);
    expect(controller.target).toBe(4);
    expect(controller.draining).toBe(4);
    controller.fullBatch();
    await clock.advance(1);
    expect(controller.target).toBe(8);
    expect(controller.draining).toBe(0);
    expect(spawned).toHaveLength(8);
  });

  it('recovers towards five after failures once batches succeed', async () => {
    const { clock, controller, spawned } = harness({ maximum: 10 });
    controller.start();
    controller.batchFailed(spawned[0] as PollerSlot);
    controller.batchFailed(spawned[1] as PollerSlot);
    expect(controller.target).toBe(1);
    controller.succeeded();
    await clock.advance(2);
    expect(controller.target).toBe(5);
  });

  it('stop retires everything and resolves when the last loop has left', async () => {
    const { controller, running } = harness({ maximum: 10 });
    controller.start();
    let drained = false;
    const stopping = controller.stop().then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(running()).toHaveLength(0);
    expect(controller.target).toBe(0);
    expect(controller.draining).toBe(5);
    // Each loop notices at its next check and leaves.
    for (const slot of [...controller.slots()]) expect(controller.keepPolling(slot)).toBe(false);
    await stopping;
    expect(drained).toBe(true);
  });
});
