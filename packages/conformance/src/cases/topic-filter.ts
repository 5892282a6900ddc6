import type { FilterPolicy, FilterPolicyScope } from '@msgport/core';
import { expect } from 'vitest';
import {
  anythingButNumbersTable,
  binaryIgnoredTable,
  emptyPolicyTable,
  exactMatchTable,
  runRoutingTable,
  singleAddressTable,
  stringOperatorsTable,
  structuredOperatorsTable,
} from '../fixtures/filter-routing.js';
import { at } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs, needsFilterScope } from '../support/gates.js';
import { shortId } from '../support/names.js';
import { expectNothingEnqueued } from '../support/receive.js';
import { newQueueOfKind, newTopic } from '../support/resources.js';
import { topicHelpers } from '../support/topics.js';

/** I. Topics: filter policies in attribute and body scope, validated at subscribe. */
export function topicFilterCases(ctx: CaseContext): void {
  const helpers = topicHelpers(ctx);
  const { topics, kindGates, subscribeQueue, expectBodies } = helpers;
  const attributeFilters = needsFilterScope(ctx, 'MessageAttributes');

  for (const kind of ctx.subscriptionKinds) {
    const gates = kindGates(kind);

    defineCase(
      ctx,
      'I55',
      `filter exact match (${kind}): {key:[foo]} gets foo, {key:[bar]} gets bar, unfiltered gets all`,
      () => runRoutingTable(ctx, helpers, kind, exactMatchTable),
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I56a',
      `filter string operators (${kind}): prefix, suffix, equals-ignore-case, wildcard, anything-but forms, OR`,
      () => runRoutingTable(ctx, helpers, kind, stringOperatorsTable),
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I56b',
      `filter numeric/exists/AND/$or/cidr (v4, v6)/String.Array (${kind}); a missing key matches only exists:false`,
      () => runRoutingTable(ctx, helpers, kind, structuredOperatorsTable),
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I56c',
      `filter (${kind}): Binary attributes are ignored by every operator, exists included`,
      () => runRoutingTable(ctx, helpers, kind, binaryIgnoredTable),
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I56d',
      `filter (${kind}): anything-but with string values matches a Number attribute; a missing key never`,
      () => runRoutingTable(ctx, helpers, kind, anythingButNumbersTable),
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I56e',
      `filter (${kind}): an IPv6 /128 cidr block matches its one address in any notation`,
      () => runRoutingTable(ctx, helpers, kind, singleAddressTable),
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I56f',
      `filter (${kind}): the empty policy {} is no filter policy; every message is delivered`,
      () => runRoutingTable(ctx, helpers, kind, emptyPolicyTable),
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I57',
      `body filter (${kind}): nested keys and arrays match; other values and non-JSON bodies never do`,
      async () => {
        const topic = await newTopic(ctx, 'i57');
        const s = await subscribeQueue(topic, kind, 'i57', {
          filterPolicy: { order: { type: ['paid'] } },
          filterPolicyScope: 'MessageBody',
        });
        const bodies = [
          '{"order":{"type":"paid"}}',
          '{"order":{"type":"new"}}',
          'order paid (not JSON)',
          '{"order":{"type":["new","paid"]}}',
          '{"order":{"type":"paid","total":3},"x":1}',
          '{"type":"paid"}',
        ];
        for (const body of bodies) await topic.publish(body, { attributes: { order: 'paid' } });
        await expectBodies(kind, s.reader, [at(bodies, 0), at(bodies, 3), at(bodies, 4)]);
      },
      ...gates,
      needsFilterScope(ctx, 'MessageBody'),
    );

    defineCase(
      ctx,
      'I58',
      `filtered is not failed (${kind}): a filtered-out message never reaches the queue or its DLQ`,
      async () => {
        const topic = await newTopic(ctx, 'i58');
        const dlq = await newQueueOfKind(ctx, 'standard', 'i58-dlq');
        const s = await subscribeQueue(
          topic,
          kind,
          'i58',
          { filterPolicy: { k: ['yes'] } },
          { deadLetter: { queue: dlq.name, maxReceiveCount: 1 } },
        );
        await topic.publish('no', { attributes: { k: 'no' } });
        await topic.publish('yes', { attributes: { k: 'yes' } });
        await expectBodies(kind, s.reader, ['yes']);
        await expectNothingEnqueued(ctx, dlq);
      },
      ...gates,
      attributeFilters,
      needs(ctx, 'deadLetter'),
    );
  }

  defineCase(
    ctx,
    'I62',
    'an invalid filter policy is InvalidParameter at subscribe and creates no subscription',
    async () => {
      const topic = await newTopic(ctx, 'i62');
      const queue = await newQueueOfKind(ctx, 'standard', 'i62');
      const invalid: Array<[unknown, FilterPolicyScope?]> = [
        [{ k: 'a' }],
        [{ k: [] }],
        [{ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }],
        [{ a: Array.from({ length: 10 }, (_, i) => `a${i}`), b: Array.from({ length: 16 }, (_, i) => `b${i}`) }],
        [{ k: [{ unknown: 1 }] }],
        [{ k: { nested: ['x'] } }],
        [{ k: [{ numeric: ['>', 'x'] }] }],
        [{ k: [{ wildcard: 'a*b*c*d*e' }] }],
        [{ k: [{ prefix: 5 }] }],
        [{ k: [{ cidr: '10.0.0.0/33' }] }],
        [{ k: [{ cidr: '2001:db8::/129' }] }],
        [{ k: [{ exists: 'yes' }] }],
        [['k']],
        [{ k: ['a'] }, 'Body' as FilterPolicyScope],
      ];
      for (const [filterPolicy, filterPolicyScope] of invalid) {
        await expectError(
          topic.subscribe(queue.name, {
            filterPolicy: filterPolicy as FilterPolicy,
            ...(filterPolicyScope ? { filterPolicyScope } : {}),
          }),
          'InvalidParameter',
        );
      }
      expect(await topic.listSubscriptions()).toEqual([]);
      await topic.publish(`i62 ${shortId()}`);
      await expectNothingEnqueued(ctx, queue);
    },
    topics,
  );

  defineCase(
    ctx,
    'I62b',
    'wildcard complexity: at most 100 points per policy (1 for a lone *, 3 per * otherwise, times the patterns of the key)',
    async () => {
      const topic = await newTopic(ctx, 'i62b');
      const queue = await newQueueOfKind(ctx, 'standard', 'i62b');
      // Three patterns of three * on one key: (9 + 9 + 9) × 3 = 81 points; a second key adds its own.
      const threeStars = ['a*b*c*', 'd*e*f*', 'g*h*i*'].map((wildcard) => ({ wildcard }));
      const accepted = await topic.subscribe(queue.name, {
        filterPolicy: { a: threeStars, b: [{ wildcard: 'x*y*z*' }] },
      });
      expect(accepted.filterPolicy).toEqual({ a: threeStars, b: [{ wildcard: 'x*y*z*' }] });
      await accepted.unsubscribe();
      // 81 + (9 + 9) × 2 = 117 points.
      const tooComplex = { a: threeStars, b: [{ wildcard: 'x*y*z*' }, { wildcard: 'u*v*w*' }] };
      await expectError(topic.subscribe(queue.name, { filterPolicy: tooComplex }), 'InvalidParameter');
      expect(await topic.listSubscriptions()).toEqual([]);
    },
    topics,
    needsFilterScope(ctx, 'MessageAttributes'),
  );
}
