import { DISTRICTS } from '../../vocabulary/districts.ts';
import { UNKNOWN_DISTRICT, type CounterDistrict } from './counters.ts';
import type { TopicNames } from './csv.ts';
import type { HourlySurge, Spike } from './spikes.ts';

/** How `unknown` reads where a district name would: enquiries naming no place, or one in several districts. */
export const UNKNOWN_DISTRICT_NAME = { en: 'District not known', 'zh-Hant': '地區不明' } as const;

/** "Kwun Tong 觀塘區": English and Traditional Chinese, from the one list of districts. */
export function districtLabel(district: CounterDistrict): string {
  const names = district === UNKNOWN_DISTRICT ? UNKNOWN_DISTRICT_NAME : DISTRICTS[district];
  return `${names.en} ${names['zh-Hant']}`;
}

/** What spiked: "Kwun Tong 觀塘區 × Burst water main" for a district spike, the topic's name otherwise. */
export function spikeSubject(spike: Pick<Spike | HourlySurge, 'topic' | 'district'>, topicNames?: TopicNames): string {
  const topic = topicNames?.[spike.topic]?.en ?? spike.topic;
  return spike.district === undefined ? topic : `${districtLabel(spike.district)} × ${topic}`;
}

/**
 * One spike as a line of an alert: what, department, count against expected, baseline, ratio and p-value.
 * Only ids, names from the taxonomy and the district list, and numbers: no enquiry text or address.
 */
export function spikeLine(spike: Spike, topicNames?: TopicNames): string {
  return (
    `${spikeSubject(spike, topicNames)} (${spike.department}): ${spike.count} enquiries vs ${spike.expected.toFixed(1)} expected ` +
    `(baseline ${spike.baselineDailyMean.toFixed(2)}/day), x${spike.ratio.toFixed(1)}, p=${spike.pValue.toExponential(2)}`
  );
}
