import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { S3ReportStore, SnsSpikeNotifier } from '../../shared/adapters/aws/report-outputs.ts';
import { generateSyntheticHistory } from '../../local/synthetic-history.ts';
import { handleTopicReport } from '../../functions/topic-report/handle.ts';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';

describe('topic-report function', () => {
  it('on the daily schedule stores JSON, CSV and HTML for yesterday (HKT) and publishes the injected spike', async () => {
    const s3 = mockClient(S3Client).on(PutObjectCommand).resolves({});
    const sns = mockClient(SNSClient).on(PublishCommand).resolves({});
    const history = generateSyntheticHistory({
      seed: 11,
      days: 40,
      startDay: '2026-10-16',
      dailyEnquiries: 800,
      spikes: [{ topic: 'blocked_drain_flooding', fromDay: '2026-11-24', days: 1, multiplier: 6 }],
    });
    const result = await handleTopicReport(
      { schedule: 'daily' },
      {
        counters: { rows: async (from, to) => history.rows.filter((r) => r.day >= from && r.day <= to) },
        store: new S3ReportStore(new S3Client({}), 'reports-bucket', 'arn:aws:kms:ap-east-1:1:key/k'),
        notifier: new SnsSpikeNotifier(new SNSClient({}), 'arn:aws:sns:ap-east-1:1:spikes'),
        // 2026-11-25 07:00 HKT: the daily run reports 2026-11-24.
        clock: { now: () => new Date('2026-11-24T23:00:00Z') },
      },
    );
    expect(result.keys).toEqual(['json', 'csv', 'html', 'districts.csv'].map((f) => `reports/day/2026-11-24_2026-11-24.${f}`));
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.ContentType)).toEqual(['application/json', 'text/csv; charset=utf-8', 'text/html; charset=utf-8', 'text/csv; charset=utf-8']);
    expect(puts.every((p) => p.ServerSideEncryption === 'aws:kms' && p.Bucket === 'reports-bucket')).toBe(true);
    const message = sns.commandCalls(PublishCommand)[0]!.args[0].input.Message!;
    expect(message).toMatch(/blocked_drain_flooding \(DSD\): \d+ enquiries vs [\d.]+ expected .* p=/);
  });

  it('rejects an on-demand request whose period is reversed, naming the field', async () => {
    await expect(
      handleTopicReport({ from: '2026-11-24', to: '2026-11-01' }, {
        counters: { rows: async () => [] },
        store: { put: async () => undefined },
        notifier: { notify: async () => undefined },
        clock: { now: () => new Date() },
      }),
    ).rejects.toThrow('to: must not be before from');
  });
});
