import { defineCapabilities } from '@msgport/core/driver';

/** SQS and SNS semantics in full; only persistence differs (the store lives in the process). */
export const memoryCapabilities = defineCapabilities({ persistent: false });
