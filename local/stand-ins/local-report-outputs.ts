import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Spike } from '../../shared/domain/reports/spikes.ts';
import type { ReportStore, SpikeNotifier } from '../../shared/ports/reports.ts';

/** The reports bucket as a folder. */
export class FileReportStore implements ReportStore {
  constructor(readonly dir: string) {}

  async put(key: string, body: string): Promise<void> {
    const path = join(this.dir, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body, 'utf8');
  }
}

/** Spike notifications kept for the console (the SNS topic in AWS). */
export class InMemorySpikeNotifier implements SpikeNotifier {
  readonly notifications: { spikes: Spike[]; period: { from: string; to: string } }[] = [];

  async notify(spikes: Spike[], period: { from: string; to: string }): Promise<void> {
    this.notifications.push({ spikes, period });
  }
}
