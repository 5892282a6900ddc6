import { connect as connectAmqp } from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { removeRabbitMQRegistry } from '../src/index.js';
import { Names } from '../src/topology.js';
import { skipTitle, unavailable } from './support/helpers.js';
import { AMQP_URL, dropNamespace, openBroker, uniqueNamespace } from './support/rabbitmq.js';

const namespace = uniqueNamespace('registry');

async function streamExists(): Promise<boolean> {
  const connection = await connectAmqp(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => {}); // the 404 below closes the channel: that is the answer
    return await channel.checkQueue(new Names(namespace).controlStream).then(
      () => true,
      () => false,
    );
  } finally {
    await connection.close();
  }
}

describe.skipIf(unavailable)(skipTitle('removing a namespace’s registry stream'), () => {
  afterAll(() => dropNamespace(namespace));

  it('is refused while queues or topics remain, removes the stream once the namespace is empty, and a connected process starts over', async () => {
    const broker = await openBroker(namespace);
    try {
      await broker.createQueue('kept');
      await broker.createTopic('kept-topic');
      await expect(removeRabbitMQRegistry(AMQP_URL, { namespace })).rejects.toMatchObject({
        code: 'InvalidParameter',
        message: expect.stringContaining('1 queue(s) and 1 topic(s)'),
      });
      await broker.deleteQueue('kept');
      await broker.deleteTopic('kept-topic');
      expect(await streamExists()).toBe(true);
      await removeRabbitMQRegistry(AMQP_URL, { namespace });
      expect(await streamExists()).toBe(false);
      // The process that stayed connected works on: a new queue declares the stream again.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = await broker.createQueue('again');
      await again.send('after the removal');
      expect((await again.receive({ waitTimeSeconds: 1 })).map((m) => m.body)).toEqual(['after the removal']);
      expect(await broker.listQueues()).toEqual(['again']);
      await broker.deleteQueue('again');
    } finally {
      await broker.close();
    }
  });
});
