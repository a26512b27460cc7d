import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { TopicNames } from '../../domain/reports/csv.ts';
import { spikeLine } from '../../domain/reports/spike-text.ts';
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

/**
 * One message per report run listing every spike: topic (and district, for district × topic spikes),
 * count, baseline and p-value. No personal data: district ids become names from the district list,
 * never a place or an address.
 */
export function spikeMessage(spikes: Spike[], period: { from: string; to: string }, topicNames?: TopicNames): { subject: string; message: string } {
  const topicSpikes = spikes.filter((spike) => spike.district === undefined);
  const districtSpikes = spikes.filter((spike) => spike.district !== undefined);
  const sections = [
    ...(topicSpikes.length > 0 ? [`Topic spikes for ${period.from} to ${period.to}:`, ...topicSpikes.map((spike) => spikeLine(spike, topicNames))] : []),
    ...(districtSpikes.length > 0 ? [`District spikes for ${period.from} to ${period.to}:`, ...districtSpikes.map((spike) => spikeLine(spike, topicNames))] : []),
  ];
  const subject =
    `1823 Assist: ${topicSpikes.length} topic spike(s)` + (districtSpikes.length > 0 ? `, ${districtSpikes.length} district spike(s)` : '') + ` ${period.from}..${period.to}`;
  return { subject: subject.slice(0, 99), message: sections.join('\n') };
}

export class SnsSpikeNotifier implements SpikeNotifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
    private readonly topicNames?: TopicNames,
  ) {}

  async notify(spikes: Spike[], period: { from: string; to: string }): Promise<void> {
    const { subject, message } = spikeMessage(spikes, period, this.topicNames);
    await this.sns.send(new PublishCommand({ TopicArn: this.topicArn, Subject: subject, Message: message }));
  }
}
