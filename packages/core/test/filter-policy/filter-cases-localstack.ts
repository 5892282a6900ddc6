/** Cases LocalStack recorded against real SNS (tests/aws/services/sns/test_sns_filter_policy.py, `aws.validated`). */
import { type FilterCase, group, json, num, str, strArray } from './filter-case-kit.js';

// LocalStack tests recorded against real SNS (tests/aws/services/sns/test_sns_filter_policy.py).
const nestedPrefixPolicy = {
  object: { key: [{ prefix: 'auto-' }, 'hardcodedvalue'], nested_key: [{ exists: false }] },
  test: [{ exists: false }],
};
const s3Policy = {
  Records: { s3: { object: { key: [{ prefix: 'auto-' }] } }, eventName: [{ prefix: 'ObjectCreated:' }] },
};
const s3Record = (eventName: string, key: string) => ({
  Records: [{ eventSource: 'aws:s3', eventName, s3: { bucket: { name: 'demo' }, object: { key, size: 17 } } }],
});
const detailOrPolicy = {
  $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
  detail: { scope: ['Service'], $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change'] }] },
};
const alarm = 'CloudWatch Alarm State Change';

export const localStackValidated: FilterCase[] = [
  ...group({ attr1: [{ numeric: ['>', 0, '<=', 100] }] }, [
    ['validated numeric range: 99', { attr1: num('99') }, true],
    ['validated numeric range: 111', { attr1: num('111') }, false],
  ]),
  ...group({ attr1: [null, { 'anything-but': 'whatever' }] }, [
    ['validated null or anything-but: no attributes', {}, false],
  ]),
  ...group({ store: ['value1'] }, [
    ['validated String value1', { store: str('value1') }, true],
    ['validated String.Array [value1, value2]', { store: strArray(['value1', 'value2']) }, true],
    ['validated String.Array [value2, value3]', { store: strArray(['value2', 'value3']) }, false],
  ]),
  ...group(nestedPrefixPolicy, [
    ['validated nested: prefix auto-', json({ object: { key: 'auto-test' } }), true],
    ['validated nested: exact hardcodedvalue', json({ object: { key: 'hardcodedvalue' } }), true],
    ['validated nested: test-auto', json({ object: { key: 'test-auto' } }), false],
    ['validated nested: test exists', json({ object: { key: 'auto-test' }, test: 'just-exists' }), false],
    ['validated nested: nested_key exists', json({ object: { key: 'auto-test', nested_key: 'just-exists' } }), false],
    ['validated nested: key missing', json({ object: { test: 'auto-test' } }), false],
    ['validated nested: object missing', json({ test: 'auto-test' }), false],
    ['validated nested: body not JSON', 'Regular string message', false],
    ['validated nested: body a JSON string', json('Regular string message'), false],
  ]),
  ...group({ 'object.nested': ['string.value'] }, [
    ['validated dotted key: nested body', json({ object: { nested: 'string.value' } }), true],
    ['validated dotted key: dotted body', json({ 'object.nested': 'string.value' }), true],
    ['validated dotted key: other value', json({ object: { nested: 'test-auto' } }), false],
  ]),
  ...group({ 'object.nested.test': ['string.value'] }, [
    ['validated deep dotted key: fully nested', json({ object: { nested: { test: 'string.value' } } }), true],
    ['validated deep dotted key: flat', json({ 'object.nested.test': 'string.value' }), true],
    ['validated deep dotted key: dotted parent', json({ 'object.nested': { test: 'string.value' } }), true],
    ['validated deep dotted key: dotted child', json({ object: { 'nested.test': 'string.value' } }), true],
    ['validated deep dotted key: other value', json({ object: { nested: { test: 'string.notvalue' } } }), false],
  ]),
  ...group({ headers: { 'route-to': ['queue1'] } }, [
    ['validated body array: [queue3]', json({ headers: { 'route-to': ['queue3'] } }), false],
    ['validated body array: [queue1]', json({ headers: { 'route-to': ['queue1'] } }), true],
    ['validated body array: [queue2]', json({ headers: { 'route-to': ['queue2'] } }), false],
    ['validated body array: [queue1, queue2]', json({ headers: { 'route-to': ['queue1', 'queue2'] } }), true],
  ]),
  ...group(s3Policy, [
    ['validated array of objects: created auto-', json(s3Record('ObjectCreated:Put', 'auto-insurance-2314.xml')), true],
    [
      'validated array of objects: removed auto-',
      json(s3Record('ObjectRemoved:Delete', 'auto-insurance-2314.xml')),
      false,
    ],
    [
      'validated array of objects: created home-',
      json(s3Record('ObjectCreated:Put', 'home-insurance-2314.xml')),
      false,
    ],
    [
      'validated array of objects: nested lists',
      json({
        Records: [
          { eventName: 'ObjectCreated:Put', s3: { object: [[{ key: 'auto-insurance-2314.xml', size: 17 }]] } },
          { eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'home-insurance-2314.xml', size: 17 } } },
        ],
      }),
      true,
    ],
  ]),
  ...group(detailOrPolicy, [
    [
      'validated nested $or: wrong detail.scope',
      json({ metricName: 'CPUUtilization', detail: { scope: 'aws.cloudwatch', type: alarm } }),
      false,
    ],
    [
      'validated nested $or: wrong detail.type',
      json({ metricName: 'CPUUtilization', detail: { scope: 'Service', type: 'CPUUtilization' } }),
      false,
    ],
    ['validated nested $or: no detail.scope', json({ metricName: 'CPUUtilization', detail: { type: alarm } }), false],
    [
      'validated nested $or: no source or type',
      json({ metricName: 'CPUUtilization', detail: { scope: 'Service' } }),
      false,
    ],
    ['validated nested $or: scope not under detail', json({ metricName: 'CPUUtilization', scope: 'Service' }), false],
    [
      'validated nested $or: wrong metricName',
      json({ metricName: 'AWS/EC2', detail: { scope: 'Service', type: alarm } }),
      false,
    ],
    [
      'validated nested $or: wrong namespace',
      json({ namespace: 'CPUUtilization', detail: { scope: 'Service', type: alarm } }),
      false,
    ],
    [
      'validated nested $or: CPUUtilization + source',
      json({ metricName: 'CPUUtilization', detail: { scope: 'Service', source: 'aws.cloudwatch' } }),
      true,
    ],
    [
      'validated nested $or: ReadLatency + source',
      json({ metricName: 'ReadLatency', detail: { scope: 'Service', source: 'aws.cloudwatch' } }),
      true,
    ],
    [
      'validated nested $or: AWS/EC2 + source',
      json({ namespace: 'AWS/EC2', detail: { scope: 'Service', source: 'aws.cloudwatch' } }),
      true,
    ],
    [
      'validated nested $or: AWS/ES + source',
      json({ namespace: 'AWS/ES', detail: { scope: 'Service', source: 'aws.cloudwatch' } }),
      true,
    ],
    [
      'validated nested $or: CPUUtilization + type',
      json({ metricName: 'CPUUtilization', detail: { scope: 'Service', type: alarm } }),
      true,
    ],
  ]),
  ...group({ detail: { eventVersion: [''] } }, [
    [
      'validated empty string value beside an empty array',
      json({ source: 'aws.autoscaling', resources: [], detail: { eventVersion: '', responseElements: null } }),
      true,
    ],
  ]),
  ...group(
    {
      detail: {
        $or: [
          { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] },
          { sourceIPAddressV6: [{ cidr: '2001:db8:1234:1a00::/64' }] },
        ],
      },
    },
    [
      ['validated cidr $or: 10.0.0.255', json({ id: '1', detail: { sourceIPAddress: '10.0.0.255' } }), true],
      [
        'validated cidr $or: 10.0.0.256 is no address',
        json({ id: '2', detail: { sourceIPAddress: '10.0.0.256' } }),
        false,
      ],
      [
        'validated cidr $or: IPv6 inside',
        json({ id: '3', detail: { sourceIPAddressV6: '2001:0db8:1234:1a00:0000:0000:0000:0000' } }),
        true,
      ],
      [
        'validated cidr $or: IPv6 outside',
        json({ id: '4', detail: { sourceIPAddressV6: '2001:0db8:123f:1a01:0000:0000:0000:0000' } }),
        false,
      ],
    ],
    { feature: 'cidr' },
  ),
];
