import { describe, expect, it } from 'vitest';
import { Broker } from '../../src/broker.js';
import { type MirrorFailure, mirrorTopic } from '../../src/mirror/index.js';
import type { PublishBatchEntry } from '../../src/topic.js';
import { refusingDriver } from './scripted-driver.js';

describe('mirrorTopic', () => {
  it('publishes to the primary then the secondary and reports what the secondary refused', async () => {
    const primaryDriver = refusingDriver('p');
    const secondaryDriver = refusingDriver('s');
    secondaryDriver.refuse = (entry) => entry.body === 'bad';
    const failures: MirrorFailure<PublishBatchEntry<string>>[] = [];
    const mirror = mirrorTopic(
      new Broker(primaryDriver.driver).topic('events'),
      new Broker(secondaryDriver.driver).topic('events'),
      {
        onFailure: (f) => failures.push(f),
      },
    );
    await mirror.publish('good', { attributes: { type: 'a' } });
    await mirror.publishBatch([
      { id: '1', body: 'bad' },
      { id: '2', body: 'also good' },
    ]);
    expect(primaryDriver.sent.map((e) => e.body)).toEqual(['good', 'bad', 'also good']);
    expect(secondaryDriver.sent.map((e) => e.body)).toEqual(['good', 'also good']);
    expect(failures).toEqual([
      {
        operation: 'publish',
        target: 'events',
        entries: [
          { entry: { id: '1', body: 'bad' }, primaryMessageId: 'p-2', code: 'InvalidParameter', message: 'refused' },
        ],
      },
    ]);
    expect(mirror.counts()).toEqual({ primary: 3, secondary: 2, failed: 1 });
  });

  it('throws under onSecondaryFailure: "throw" while the primary keeps the message', async () => {
    const primaryDriver = refusingDriver('p');
    const secondaryDriver = refusingDriver('s');
    secondaryDriver.refuse = () => true;
    const mirror = mirrorTopic(
      new Broker(primaryDriver.driver).topic('events'),
      new Broker(secondaryDriver.driver).topic('events'),
      {
        onSecondaryFailure: 'throw',
      },
    );
    await expect(mirror.publish('x')).rejects.toMatchObject({ code: 'InvalidParameter' });
    expect(primaryDriver.sent).toHaveLength(1);
  });
});
