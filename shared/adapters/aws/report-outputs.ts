import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Spike } from '../../domain/reports/spikes.ts';
import type { ReportStore, SpikeNotifier } from '../../ports/reports.ts';

/** Reports bucket: KMS by bucket default encryption; the key is named so a mis-set default cannot downgrade it. */
export class S3ReportStore implements ReportStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly kmsKeyArn?: string,
  ) {}

  async put(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...(this.kmsKeyArn ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.kmsKeyArn } : {}),
      }),
    );
  }
}

/** One message per report run listing every spike: topic, count, baseline and p-value (no personal data). */
export function spikeMessage(spikes: Spike[], period: { from: string; to: string }): { subject: string; message: string } {
  const lines = spikes.map(
    (s) =>
      `${s.topic} (${s.department}): ${s.count} enquiries vs ${s.expected.toFixed(1)} expected (baseline ${s.baselineDailyMean.toFixed(1)}/day), ` +
      `x${s.ratio.toFixed(1)}, p=${s.pValue.toExponential(2)}`,
  );
  return {
    subject: `1823 Assist: ${spikes.length} topic spike(s) ${period.from}..${period.to}`.slice(0, 99),
    message: [`Topic spikes for ${period.from} to ${period.to}:`, ...lines].join('\n'),
  };
}

export class SnsSpikeNotifier implements SpikeNotifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(spikes: Spike[], period: { from: string; to: string }): Promise<void> {
    const { subject, message } = spikeMessage(spikes, period);
    await this.sns.send(new PublishCommand({ TopicArn: this.topicArn, Subject: subject, Message: message }));
  }
}
