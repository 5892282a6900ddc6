/**
 * A plain AWS Lambda handler for an SQS event source mapping: deploy this file to Lambda as is,
 * or run it locally on any msgport transport with `consume()` (see run-local.ts).
 */
import type { SQSBatchResponse, SQSEvent, SQSHandler } from 'aws-lambda';

export interface Shipment {
  readonly orderId: string;
  readonly address: string;
}

export const handler: SQSHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const shipment = JSON.parse(record.body) as Shipment;
      if (!shipment.address) throw new Error(`order ${shipment.orderId} has no address`);
      console.log(
        `shipping ${shipment.orderId} to ${shipment.address} (attempt ${record.attributes.ApproximateReceiveCount})`,
      );
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
