/** The last segment of an ARN: the topic (or queue) name. */
export function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/**
 * Topic name → ARN. SNS addresses topics by ARN (`arn:<partition>:sns:<region>:<account>:<name>`);
 * once one ARN of the account is known (from CreateTopic or ListTopics), others are derived from
 * its prefix without a request. Before that, a name is looked up by listing topics. A derived ARN of
 * a missing topic is harmless: the operation on it fails with NotFound → `TopicDoesNotExist`.
 */
export class TopicArns {
  readonly #byName = new Map<string, string>();
  #prefix: string | undefined;

  learn(arn: string): void {
    this.#byName.set(nameOfArn(arn), arn);
    this.#prefix ??= arn.slice(0, arn.lastIndexOf(':') + 1);
  }

  forget(name: string): void {
    this.#byName.delete(name);
  }

  /** The ARN if known or derivable; `undefined` when a lookup (ListTopics) is needed. */
  known(name: string): string | undefined {
    return this.#byName.get(name) ?? (this.#prefix !== undefined ? `${this.#prefix}${name}` : undefined);
  }

  /** Resolves a name, listing topics (and learning all of them) when it is not derivable yet. */
  async resolve(name: string, listAll: () => Promise<string[]>): Promise<string | undefined> {
    const known = this.known(name);
    if (known !== undefined) return known;
    for (const arn of await listAll()) this.learn(arn);
    return this.#byName.get(name);
  }
}
