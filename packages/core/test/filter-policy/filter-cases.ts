/**
 * Policy/message pairs with the outcome Amazon SNS gives. A differential test replays this table
 * against a real SNS (or an emulator), so every case here is one SNS itself decides this way: the
 * examples of the SNS developer guide, and cases LocalStack recorded against real SNS
 * (tests/aws/services/sns/test_sns_filter_policy.py, all marked `aws.validated`). Behaviour we had to
 * choose without such evidence is tested in semantics.test.ts instead, except where noted.
 *
 * `attributes` apply to scope MessageAttributes (the default); `body` to scope MessageBody. A case
 * without a body may be published with any body; one without attributes, with none.
 */
import { type FilterCase, group, json, num, str, strArray } from './filter-case-kit.js';
import { localStackValidated } from './filter-cases-localstack.js';

export type { FilterCase, FilterFeature } from './filter-case-kit.js';

// "String value matching" — https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html
const stringValueMatching: FilterCase[] = [
  ...group({ customer_interests: ['rugby', 'tennis'] }, [
    ['exact: String rugby', { customer_interests: str('rugby') }, true],
    ['exact: String tennis', { customer_interests: str('tennis') }, true],
    ['exact: String.Array [rugby, tennis]', { customer_interests: strArray(['rugby', 'tennis']) }, true],
    ['exact: body rugby', json({ customer_interests: 'rugby' }), true],
    ['exact: body tennis', json({ customer_interests: 'tennis' }), true],
    ['exact: String baseball', { customer_interests: str('baseball') }, false],
    ['exact: String.Array [baseball]', { customer_interests: strArray(['baseball']) }, false],
    ['exact: body baseball', json({ customer_interests: 'baseball' }), false],
    ['exact: case-sensitive (Rugby)', { customer_interests: str('Rugby') }, false],
  ]),
  ...group({ customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] }, [
    ['anything-but: String baseball', { customer_interests: str('baseball') }, true],
    ['anything-but: String football', { customer_interests: str('football') }, true],
    ['anything-but: body baseball', json({ customer_interests: 'baseball' }), true],
    ['anything-but: body football', json({ customer_interests: 'football' }), true],
    [
      'anything-but: String.Array with no listed element',
      { customer_interests: strArray(['baseball', 'football']) },
      true,
    ],
    // Current page: "For String.Array type attributes, it matches if none of the array elements are
    // listed in the policy property." (The 2022 page said this message matched; see compile.ts.)
    [
      'anything-but: String.Array with a listed element',
      { customer_interests: strArray(['rugby', 'baseball']) },
      false,
    ],
    ['anything-but: String rugby', { customer_interests: str('rugby') }, false],
    ['anything-but: body rugby', json({ customer_interests: 'rugby' }), false],
    ['anything-but: missing attribute', { store: str('fans') }, false],
  ]),
  // "anything-but can be combined with "exists": false"
  ...group({ customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }, { exists: false }] }, [
    ['anything-but or exists:false: attribute missing', { store: str('fans') }, true],
    ['anything-but or exists:false: String baseball', { customer_interests: str('baseball') }, true],
    ['anything-but or exists:false: String rugby', { customer_interests: str('rugby') }, false],
  ]),
  ...group({ event: [{ 'anything-but': { prefix: 'order-' } }] }, [
    ['anything-but prefix: data-entry', { event: str('data-entry') }, true],
    ['anything-but prefix: order_number', { event: str('order_number') }, true],
    ['anything-but prefix: order-cancelled', { event: str('order-cancelled') }, false],
    ['anything-but prefix: body data-entry', json({ event: 'data-entry' }), true],
    ['anything-but prefix: body order-cancelled', json({ event: 'order-cancelled' }), false],
  ]),
  ...group(
    { customer_interests: [{ 'anything-but': { suffix: 'ball' } }] },
    [
      ['anything-but suffix: rugby', { customer_interests: str('rugby') }, true],
      ['anything-but suffix: baseball', { customer_interests: str('baseball') }, false],
    ],
    { feature: 'anything-but-suffix' },
  ),
  ...group(
    { customer_interests: [{ 'anything-but': { wildcard: '*ball' } }] },
    [
      ['anything-but wildcard: rugby', { customer_interests: str('rugby') }, true],
      ['anything-but wildcard: basketball', { customer_interests: str('basketball') }, false],
    ],
    { feature: 'anything-but-wildcard' },
  ),
  ...group(
    { customer_interests: [{ 'equals-ignore-case': 'tennis' }] },
    [
      ['equals-ignore-case: TENNIS', { customer_interests: str('TENNIS') }, true],
      ['equals-ignore-case: Tennis', { customer_interests: str('Tennis') }, true],
      ['equals-ignore-case: rugby', { customer_interests: str('rugby') }, false],
      ['equals-ignore-case: body TeNnIs', json({ customer_interests: 'TeNnIs' }), true],
    ],
    { feature: 'equals-ignore-case' },
  ),
  ...group(
    { source_ip: [{ cidr: '10.0.0.0/24' }] },
    [
      ['cidr: 10.0.0.0', { source_ip: str('10.0.0.0') }, true],
      ['cidr: 10.0.0.255', { source_ip: str('10.0.0.255') }, true],
      ['cidr: 10.1.1.0', { source_ip: str('10.1.1.0') }, false],
      ['cidr: not an address', { source_ip: str('localhost') }, false],
    ],
    { feature: 'cidr' },
  ),
  ...group(
    { source_ip: [{ cidr: '2001:db8:1234:1a00::/64' }] },
    [
      ['cidr IPv6: inside, full form', { source_ip: str('2001:0db8:1234:1a00:0000:0000:0000:0000') }, true],
      ['cidr IPv6: inside, compressed', { source_ip: str('2001:db8:1234:1a00::1') }, true],
      ['cidr IPv6: outside', { source_ip: str('2001:0db8:123f:1a01:0000:0000:0000:0000') }, false],
    ],
    { feature: 'cidr' },
  ),
  ...group({ customer_interests: [{ prefix: 'bas' }] }, [
    ['prefix: baseball', { customer_interests: str('baseball') }, true],
    ['prefix: basketball', { customer_interests: str('basketball') }, true],
    ['prefix: rugby', { customer_interests: str('rugby') }, false],
    ['prefix: body basketball', json({ customer_interests: 'basketball' }), true],
    ['prefix: String.Array element', { customer_interests: strArray(['rugby', 'baseball']) }, true],
  ]),
  ...group(
    { customer_interests: [{ suffix: 'ball' }] },
    [
      ['suffix: baseball', { customer_interests: str('baseball') }, true],
      ['suffix: basketball', { customer_interests: str('basketball') }, true],
      ['suffix: rugby', { customer_interests: str('rugby') }, false],
    ],
    { feature: 'suffix' },
  ),
  ...group(
    { customer_interests: [{ wildcard: '*ball' }] },
    [
      ['wildcard *ball: baseball', { customer_interests: str('baseball') }, true],
      ['wildcard *ball: rugby', { customer_interests: str('rugby') }, false],
    ],
    { feature: 'wildcard' },
  ),
  ...group(
    { customer_interests: [{ wildcard: 'b*k*ball' }] },
    [
      ['wildcard b*k*ball: basketball', { customer_interests: str('basketball') }, true],
      ['wildcard b*k*ball: baseball', { customer_interests: str('baseball') }, false],
      ['wildcard b*k*ball: body basketball', json({ customer_interests: 'basketball' }), true],
    ],
    { feature: 'wildcard' },
  ),
];

// "Numeric value matching" — https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html
const numericValueMatching: FilterCase[] = [
  ...group({ price_usd: [{ numeric: ['=', 301.5] }] }, [
    ['numeric =: Number 301.5', { price_usd: num('301.5') }, true],
    ['numeric =: Number 3.015e2', { price_usd: num('3.015e2') }, true],
    ['numeric =: body 301.5', json({ price_usd: 301.5 }), true],
    ['numeric =: body 3.015e2', '{"price_usd": 3.015e2}', true],
    ['numeric =: Number 301.6', { price_usd: num('301.6') }, false],
    ['numeric =: String "301.5" is not a number', { price_usd: str('301.5') }, false],
  ]),
  ...group({ price: [{ 'anything-but': [100, 500] }] }, [
    ['numeric anything-but: Number 101', { price: num('101') }, true],
    ['numeric anything-but: Number 100.1', { price: num('100.1') }, true],
    ['numeric anything-but: body 101', json({ price: 101 }), true],
    ['numeric anything-but: body 100.1', json({ price: 100.1 }), true],
    ['numeric anything-but: Number 100', { price: num('100') }, false],
    ['numeric anything-but: body 100', json({ price: 100 }), false],
  ]),
  ...group({ price_usd: [{ numeric: ['<', 0] }] }, [
    ['numeric <0: Number -1', { price_usd: num('-1') }, true],
    ['numeric <0: Number 0', { price_usd: num('0') }, false],
  ]),
  ...group({ price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, [
    ['numeric (0,150]: Number 150', { price_usd: num('150') }, true],
    ['numeric (0,150]: Number 0.5', { price_usd: num('0.5') }, true],
    ['numeric (0,150]: Number 0', { price_usd: num('0') }, false],
    ['numeric (0,150]: Number 150.5', { price_usd: num('150.5') }, false],
    ['numeric (0,150]: body 75', json({ price_usd: 75 }), true],
    ['numeric (0,150]: String 75 does not match', { price_usd: str('75') }, false],
  ]),
];

const storeAndInterests = {
  store: str('fans'),
  customer_interests: strArray(['baseball', 'basketball']),
};
const interestsOnly = { customer_interests: strArray(['baseball', 'basketball']) };

// "Key matching" — https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html
const keyMatching: FilterCase[] = [
  ...group({ store: [{ exists: true }] }, [
    ['exists true: attributes with store', storeAndInterests, true],
    ['exists true: body with store', json({ store: 'fans', customer_interests: ['baseball', 'basketball'] }), true],
    ['exists true: attributes without store', interestsOnly, false],
    ['exists true: body without store', json({ customer_interests: ['baseball', 'basketball'] }), false],
    // LocalStack, test_exists_filter_policy: any attribute type counts.
    ['exists true: Number attribute', { store: num('99'), def: num('99') }, true],
  ]),
  ...group({ store: [{ exists: false }] }, [
    ['exists false: attributes with store', storeAndInterests, false],
    ['exists false: body with store', json({ store: 'fans', customer_interests: ['baseball', 'basketball'] }), false],
    ['exists false: attributes without store', interestsOnly, true],
    ['exists false: body without store', json({ customer_interests: ['baseball', 'basketball'] }), true],
    // "An empty set of attributes results in the filter not matching."
    ['exists false: no attributes at all', {}, false],
  ]),
];

const cloudwatchOr = {
  source: ['aws.cloudwatch'],
  $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
};

// "AND/OR logic" — https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html
const andOrLogic: FilterCase[] = [
  ...group({ customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] }, [
    ['AND: rugby and 101', { customer_interests: str('rugby'), price_usd: num('101') }, true],
    ['AND: rugby and 100', { customer_interests: str('rugby'), price_usd: num('100') }, false],
    ['AND: tennis and 150', { customer_interests: str('tennis'), price_usd: num('150') }, false],
    ['AND: rugby without price', { customer_interests: str('rugby') }, false],
    ['AND: body rugby and 101', json({ customer_interests: 'rugby', price_usd: 101 }), true],
  ]),
  ...group({ customer_interests: ['rugby', 'football', 'baseball'] }, [
    ['OR: football', { customer_interests: str('football') }, true],
    ['OR: tennis', { customer_interests: str('tennis') }, false],
  ]),
  ...group(cloudwatchOr, [
    ['$or: source and metricName', { source: str('aws.cloudwatch'), metricName: str('CPUUtilization') }, true],
    ['$or: source and namespace', { source: str('aws.cloudwatch'), namespace: str('AWS/EC2') }, true],
    ['$or: body source and metricName', json({ source: 'aws.cloudwatch', metricName: 'CPUUtilization' }), true],
    ['$or: body source and namespace', json({ source: 'aws.cloudwatch', namespace: 'AWS/EC2' }), true],
    ['$or: source only', { source: str('aws.cloudwatch') }, false],
    ['$or: both branches, no source', { metricName: str('CPUUtilization'), namespace: str('AWS/EC2') }, false],
    ['$or: source and wrong metricName', { source: str('aws.cloudwatch'), metricName: str('ReadLatency') }, false],
  ]),
];

export const filterCases: ReadonlyArray<FilterCase> = [
  ...stringValueMatching,
  ...numericValueMatching,
  ...keyMatching,
  ...andOrLogic,
  ...localStackValidated,
];
