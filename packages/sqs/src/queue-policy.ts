import { createHash } from 'node:crypto';

interface PolicyStatement {
  readonly Sid?: string;
  readonly [key: string]: unknown;
}

interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement?: PolicyStatement | readonly PolicyStatement[];
  readonly [key: string]: unknown;
}

/** The statement id msgport uses for "topic may send to this queue": stable per topic ARN, alphanumeric. */
export function topicStatementId(topicArn: string): string {
  return `MsgportSns${createHash('sha256').update(topicArn).digest('hex').slice(0, 24)}`;
}

function parsePolicy(policy: string | undefined): PolicyDocument {
  if (policy === undefined || policy.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(policy);
    return parsed !== null && typeof parsed === 'object' ? (parsed as PolicyDocument) : {};
  } catch {
    return {};
  }
}

function statements(document: PolicyDocument): PolicyStatement[] {
  const statement = document.Statement;
  if (statement === undefined) return [];
  return Array.isArray(statement) ? [...statement] : [statement as PolicyStatement];
}

/**
 * The queue policy that lets `topicArn` deliver to the queue (`sqs:SendMessage` for the SNS service
 * principal, restricted by `aws:SourceArn`), keeping every existing statement. `undefined` when the
 * policy already has msgport's statement for this topic, so no SetQueueAttributes is needed.
 */
export function allowTopicPolicy(existing: string | undefined, queueArn: string, topicArn: string): string | undefined {
  const document = parsePolicy(existing);
  const current = statements(document);
  const sid = topicStatementId(topicArn);
  if (current.some((statement) => statement.Sid === sid)) return undefined;
  const statement: PolicyStatement = {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: 'sqs:SendMessage',
    Resource: queueArn,
    Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
  };
  return JSON.stringify({ ...document, Version: document.Version ?? '2012-10-17', Statement: [...current, statement] });
}
