import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spikeMessage } from '../../shared/adapters/aws/report-outputs.ts';
import { InMemoryOutcomeCounters } from '../../local/stand-ins/in-memory-outcome-counters.ts';
import type { Enquiry } from '../../shared/domain/enquiry.ts';
import { COUNTER_DIMENSIONS, addDays, counterDistrictOf, counterKeyOf, type TopicCounterRow } from '../../shared/domain/reports/counters.ts';
import { outcomeEventOf } from '../../shared/domain/reports/counting.ts';
import { DISTRICT_CSV_HEADER, reportToCsv, reportToDistrictCsv, type TopicNames } from '../../shared/domain/reports/csv.ts';
import { DISTRICT_TILES } from '../../shared/domain/reports/district-map.ts';
import { reportToHtml } from '../../shared/domain/reports/html.ts';
import { buildTopicReport, type TopicReport } from '../../shared/domain/reports/report.ts';
import { spikeSubject } from '../../shared/domain/reports/spike-text.ts';
import { DEFAULT_SPIKE_OPTIONS, type Spike } from '../../shared/domain/reports/spikes.ts';
import { publishTopicReport } from '../../shared/domain/reports/produce-report.ts';
import { generateSyntheticHistory } from '../../local/synthetic-history.ts';
import type { DepartmentId, TopicId } from '../../shared/vocabulary/topics.ts';
import { DISTRICTS, DISTRICT_IDS, type DistrictId, type EnquiryLocation } from '../../shared/vocabulary/districts.ts';
import { gazetteerFromTsv, gazetteerNames } from '../../shared/domain/location/gazetteer.ts';

const REPORT_DAY = '2026-11-24';
const names: TopicNames = {
  water_main_burst: { en: 'Burst water main', zhHant: '爆水管' },
  blocked_drain_flooding: { en: 'Blocked drains and flooding', zhHant: '渠道淤塞及水浸' },
};

/** A decided enquiry received `minutes` after 14:00 HKT on `day`, about `location`. */
function enquiry(n: number, topic: TopicId, department: DepartmentId, location: EnquiryLocation | undefined, minutes = n * 9, day = REPORT_DAY): Enquiry {
  const receivedAt = new Date(Date.parse(`${day}T14:00:00+08:00`) + minutes * 60_000).toISOString();
  return {
    enquiryId: `ENQ-${day.replaceAll('-', '')}-D${String(n).padStart(11, '0')}`,
    sourceId: `web:d-${n}`,
    channel: 'web',
    status: 'closed',
    smsConsent: false,
    hasAudio: false,
    receivedAt,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    correlationId: `c-${n}`,
    language: 'zh-HK',
    redactedText: location?.place ? `${location.place.zh}（${location.place.en}）有水管爆裂，水浸馬路。` : '有水管爆裂。',
    topic: { topic, department, urgency: 'urgent', confidence: 0.93, language: 'zh-HK', rationale: 'test', source: 'local' },
    ...(location ? { location } : {}),
    decision: { decisionId: `D${n}`, action: 'approve', agentId: 'agent-1', decidedAt: receivedAt, sendSms: false },
  } as Enquiry;
}

const found = (district: DistrictId, place?: EnquiryLocation['place']): EnquiryLocation => ({ status: 'found', district, ...(place ? { place } : {}) });

/** Counts `enquiries` through the real counting path (marker + sharded hour counter) and returns the day's rows. */
async function counted(enquiries: Enquiry[], day = REPORT_DAY): Promise<TopicCounterRow[]> {
  const counters = new InMemoryOutcomeCounters();
  for (const one of enquiries) await counters.record(one);
  return counters.rows(day, day);
}

/** 35 days of synthetic history by district (counted by the hour), ending the day before the report. */
const histories = new Map<string, TopicCounterRow[]>();
function historyBefore(day: string, days = 35, dailyEnquiries = 1500): TopicCounterRow[] {
  const startDay = addDays(day, -days);
  const key = `${startDay}#${days}#${dailyEnquiries}`;
  let rows = histories.get(key);
  if (!rows) histories.set(key, (rows = generateSyntheticHistory({ seed: 20, days, startDay, dailyEnquiries, districts: true, hourlyFrom: startDay }).rows));
  return rows;
}

function dailyReport(counters: TopicCounterRow[]): TopicReport {
  return buildTopicReport({ counters, from: REPORT_DAY, to: REPORT_DAY, granularity: 'day', baselineDays: 28 });
}

describe('district as a counter dimension', () => {
  it('counts a found location under its district, and an ambiguous or unknown one as unknown', () => {
    expect(COUNTER_DIMENSIONS).toContain('district');
    expect(counterDistrictOf(found('kwun-tong'))).toBe('kwun-tong');
    expect(counterDistrictOf({ status: 'ambiguous', candidates: ['kwun-tong', 'wong-tai-sin'] })).toBe('unknown');
    expect(counterDistrictOf({ status: 'unknown' })).toBe('unknown');
    expect(counterDistrictOf(undefined)).toBe('unknown');
    const event = outcomeEventOf(enquiry(1, 'water_main_burst', 'WSD', found('kwun-tong', { en: 'Ngau Tau Kok Road', zh: '牛頭角道', kind: 'street' })));
    expect(event?.district).toBe('kwun-tong');
  });

  it('keys rows by district, so two districts of one hour are two rows', async () => {
    const rows = await counted([
      enquiry(1, 'water_main_burst', 'WSD', found('kwun-tong')),
      enquiry(2, 'water_main_burst', 'WSD', found('sha-tin')),
      enquiry(3, 'water_main_burst', 'WSD', { status: 'ambiguous', candidates: ['kwun-tong', 'wong-tai-sin'] }),
    ]);
    expect(rows.map((row) => [row.district, row.received]).sort()).toEqual([['kwun-tong', 1], ['sha-tin', 1], ['unknown', 1]]);
    expect(counterKeyOf(rows.find((row) => row.district === 'kwun-tong')!)).toBe(`${REPORT_DAY}#14#water_main_burst#WSD#zh-HK#kwun-tong`);
  });
});

describe('district × topic spikes', () => {
  const burst = Array.from({ length: 12 }, (_, n) => enquiry(n, 'water_main_burst', 'WSD', found('kwun-tong')));

  it('flags 12 burst water main reports in Kwun Tong within 2 hours, naming the district', async () => {
    expect(Date.parse(burst[11]!.receivedAt) - Date.parse(burst[0]!.receivedAt)).toBeLessThan(2 * 3_600_000);
    const history = historyBefore(REPORT_DAY);
    const report = dailyReport([...history, ...(await counted(burst))]);
    const spike = report.districtSpikes.find((s) => s.district === 'kwun-tong' && s.topic === 'water_main_burst');
    expect(spike).toBeDefined();
    expect(spike!.count).toBe(12);
    expect(spike!.expected).toBeLessThan(1.5);
    // Only Kwun Tong: the same topic elsewhere had its usual day, and 12 more calls territory-wide is no topic spike.
    expect(report.districtSpikes.map((s) => `${s.district}×${s.topic}`)).toEqual(['kwun-tong×water_main_burst']);

    // Bonferroni over the district × topic family: the pairs (known districts) with calls in the baseline or the period.
    const window = addDays(REPORT_DAY, -28);
    const pairs = new Set([...history, ...(await counted(burst))].filter((row) => row.district !== 'unknown' && row.day >= window).map((row) => `${row.district}#${row.topic}`));
    expect(pairs.size).toBeGreaterThan(36);
    expect(spike!.threshold).toBeCloseTo(DEFAULT_SPIKE_OPTIONS.alpha / pairs.size, 15);
    expect(spike!.pValue).toBeLessThan(spike!.threshold);
    expect(spike!.conditionalPValue).toBeLessThan(spike!.threshold);

    expect(spikeSubject(spike!, names)).toBe('Kwun Tong 觀塘區 × Burst water main');
    const { subject, message } = spikeMessage([...report.spikes, ...report.districtSpikes], { from: REPORT_DAY, to: REPORT_DAY }, names);
    expect(subject).toContain('1 district spike(s)');
    expect(message).toMatch(/District spikes for 2026-11-24 to 2026-11-24:\nKwun Tong 觀塘區 × Burst water main \(WSD\): 12 enquiries vs [01]\.\d expected \(baseline [\d.]+\/day\), x[\d.]+, p=/);
  });

  it('announces the district spike with the topic spikes and stores the district CSV beside the report', async () => {
    const live = new InMemoryOutcomeCounters();
    for (const one of burst) await live.record(one);
    const history = historyBefore(REPORT_DAY);
    const stored = new Map<string, string>();
    const announced: Spike[][] = [];
    const result = await publishTopicReport({ from: REPORT_DAY, to: REPORT_DAY, granularity: 'day' }, {
      counters: { rows: async (from, to) => [...history.filter((row) => row.day >= from && row.day <= to), ...(await live.rows(from, to))] },
      store: { put: async (key, body) => void stored.set(key, body) },
      notifier: { notify: async (spikes) => void announced.push(spikes) },
      clock: { now: () => new Date('2026-11-25T00:00:00Z') },
      topicNames: names,
    });
    expect(result.districtSpikes).toBe(1);
    expect(announced.flat().map((spike) => spike.district)).toContain('kwun-tong');
    expect(stored.get(`reports/day/${REPORT_DAY}_${REPORT_DAY}.districts.csv`)).toContain('kwun-tong,Kwun Tong,觀塘區,water_main_burst,Burst water main,爆水管,12,');
  });

    it('flags it too when the district has almost no history (a week, none of that topic)', async () => {
    const history = historyBefore(REPORT_DAY, 7, 300).filter((row) => !(row.district === 'kwun-tong' && row.topic === 'water_main_burst'));
    const [spike, ...others] = dailyReport([...history, ...(await counted(burst))]).districtSpikes;
    expect(spike).toMatchObject({ district: 'kwun-tong', topic: 'water_main_burst', count: 12, baselineCount: 0, baselineDays: 7 });
    expect(others).toEqual([]);
  });

  it('flags the surge hour by district when the burst comes within one hour', async () => {
    const withinAnHour = Array.from({ length: 12 }, (_, n) => enquiry(n, 'water_main_burst', 'WSD', found('kwun-tong'), n * 4));
    const report = dailyReport([...historyBefore(REPORT_DAY), ...(await counted(withinAnHour))]);
    expect(report.districtHourlySurges.map((s) => [s.district, s.topic, s.hour, s.count])).toEqual([['kwun-tong', 'water_main_burst', 14, 12]]);
  });

  it('raises no district spike for the same 12 reports spread over 12 districts, nor for unknown or ambiguous ones', async () => {
    const spread = DISTRICT_IDS.slice(0, 12).map((district, n) => enquiry(n, 'water_main_burst', 'WSD', found(district)));
    const unlocated = Array.from({ length: 12 }, (_, n) => enquiry(100 + n, 'water_main_burst', 'WSD', n % 2 === 0 ? undefined : { status: 'ambiguous', candidates: ['kwun-tong', 'wong-tai-sin'] }));
    const history = historyBefore(REPORT_DAY);
    expect(dailyReport([...history, ...(await counted(spread))]).districtSpikes).toEqual([]);
    expect(dailyReport([...history, ...(await counted(unlocated))]).districtSpikes).toEqual([]);
  });

  it('raises no district spike on quiet synthetic history by district (20 report days)', () => {
    const rows = generateSyntheticHistory({ seed: 3, days: 50, startDay: '2026-01-01', dailyEnquiries: 3000, districts: true }).rows;
    const flagged = [];
    for (let d = 30; d < 50; d++) {
      const day = addDays('2026-01-01', d);
      flagged.push(...buildTopicReport({ counters: rows, from: day, to: day, granularity: 'day' }).districtSpikes);
    }
    expect(flagged).toEqual([]);
  });
});

describe('district report', () => {
  const reportOf = async () => {
    const burst = Array.from({ length: 12 }, (_, n) => enquiry(n, 'water_main_burst', 'WSD', found('kwun-tong')));
    const unlocated = Array.from({ length: 3 }, (_, n) => enquiry(20 + n, 'water_bill', 'WSD', { status: 'unknown' }));
    return dailyReport([...historyBefore(REPORT_DAY), ...(await counted([...burst, ...unlocated]))]);
  };

  it('counts every district (zeros included) and unknown, with each district top topics and district × topic cells', async () => {
    const report = await reportOf();
    const { byDistrict, cells, locatedShare } = report.districts;
    expect(byDistrict.map((row) => row.district)).toEqual([...DISTRICT_IDS, 'unknown']);
    expect(byDistrict.reduce((sum, row) => sum + row.count, 0)).toBe(report.totals.count);
    expect(cells.filter((cell) => cell.district === 'kwun-tong').reduce((sum, cell) => sum + cell.count, 0)).toBe(byDistrict.find((row) => row.district === 'kwun-tong')!.count);
    const kwunTong = byDistrict.find((row) => row.district === 'kwun-tong')!;
    expect(kwunTong.topTopics.length).toBeLessThanOrEqual(3);
    expect(kwunTong.topTopics[0]).toMatchObject({ topic: 'water_main_burst' });
    expect(locatedShare).toBe(12 / 15);
    expect(byDistrict.at(-1)).toMatchObject({ district: 'unknown', count: 3, topTopics: [{ topic: 'water_bill', count: 3 }] });
  });

  it('draws the 18 districts as an accessible tile map with both names, and a district spike table naming the district', async () => {
    const html = reportToHtml(await reportOf(), { topicNames: names });
    const start = html.indexOf('<svg class="chart chart-districts"');
    const svg = html.slice(start, html.indexOf('</svg>', start));
    expect(svg).toMatch(/role="img" aria-label="Enquiries by district 各區查詢 2026-11-24 – 2026-11-24"/);
    const tiles = svg.match(/<g class="district-tile[^"]*" data-district="[^"]+"/g) ?? [];
    expect(tiles).toHaveLength(18);
    for (const district of DISTRICT_IDS) {
      expect(svg).toContain(`>${DISTRICTS[district]['zh-Hant']}</text>`);
      expect(svg).toContain(DISTRICTS[district].en);
    }
    expect(svg).toMatch(/<g class="district-tile level-\d spiking[^"]*" data-district="kwun-tong"/);
    expect(new Set(Object.values(DISTRICT_TILES).map((tile) => `${tile.col},${tile.row}`)).size).toBe(18);
    // The table fallback and the district × topic grid have a row per district and unknown.
    expect(html.match(/<table class="districts">[\s\S]*?<\/table>/)?.[0].match(/<tr data-district=/g)).toHaveLength(19);
    expect(html.match(/<table class="district-topics">[\s\S]*?<\/table>/)?.[0].match(/<tr data-district=/g)).toHaveLength(19);
    expect(html).toMatch(/<tr class="district-spike" data-district="kwun-tong" data-topic="water_main_burst"><th scope="row">Kwun Tong <span lang="zh-Hant">觀塘區<\/span><\/th><td>Burst water main 爆水管<\/td>/);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
  });

  it('writes the district × topic counts as CSV with the district spike marked', async () => {
    const csv = reportToDistrictCsv(await reportOf(), { topicNames: names });
    const lines = csv.replace('\uFEFF', '').trimEnd().split('\r\n');
    expect(lines[0]).toBe(DISTRICT_CSV_HEADER.join(','));
    const kwunTong = lines.find((line) => line.startsWith('kwun-tong,Kwun Tong,觀塘區,water_main_burst,'));
    expect(kwunTong).toMatch(/,Burst water main,爆水管,\d+,\d+,-?\d+,[^,]*,yes,\d\.\d{3}e-\d+,\d\.\d{3}e-\d+$/);
    expect(lines.some((line) => line.startsWith('unknown,,,'))).toBe(true);
  });
});

/** Gazetteer names (Chinese and English) that are not part of any district's own name. */
function gazetteerPlaceNames(): string[] {
  const districtNames = DISTRICT_IDS.flatMap((id) => [DISTRICTS[id].en, DISTRICTS[id]['zh-Hant']]);
  const places = gazetteerFromTsv(readFileSync(join(import.meta.dirname, '../../layers/knowledge/glossary/places-hk.tsv'), 'utf8'));
  // A district's own name (觀塘, Kwun Tong) is what the outputs are meant to show; every other place must not appear.
  return gazetteerNames(places).filter((name) => name.length >= 2 && !districtNames.some((district) => district.includes(name) || name.includes(district)));
}

describe('district-level only', () => {
  it('keeps place names and addresses out of counters, report JSON, CSVs, HTML and the spike alert', async () => {
    const places = gazetteerPlaceNames();
    expect(places.length).toBeGreaterThan(500);
    // Enquiries about real places, the place in the location and the text, 12 of them at one street.
    const street = { en: 'Ngau Tau Kok Road', zh: '牛頭角道', kind: 'street' as const };
    const estate = { en: 'Upper Ngau Tau Kok Estate', zh: '牛頭角上邨', kind: 'estate' as const };
    expect(places).toEqual(expect.arrayContaining([street.en, street.zh, estate.en, estate.zh]));
    const enquiries = [
      ...Array.from({ length: 12 }, (_, n) => enquiry(n, 'water_main_burst', 'WSD', found('kwun-tong', n % 2 ? street : estate))),
      enquiry(50, 'blocked_drain_flooding', 'DSD', { status: 'ambiguous', candidates: ['kwun-tong', 'wong-tai-sin'], place: { en: 'Lung Cheung Road', zh: '龍翔道', kind: 'street' } }),
    ];
    const rows = await counted(enquiries);
    const report = dailyReport([...historyBefore(REPORT_DAY), ...rows]);
    expect(report.districtSpikes).toHaveLength(1);
    const outputs = {
      rows: JSON.stringify(rows),
      events: JSON.stringify(enquiries.map(outcomeEventOf)),
      json: JSON.stringify(report),
      csv: reportToCsv(report, { topicNames: names }),
      districtCsv: reportToDistrictCsv(report, { topicNames: names }),
      html: reportToHtml(report, { topicNames: names }),
      alert: JSON.stringify(spikeMessage([...report.spikes, ...report.districtSpikes], { from: REPORT_DAY, to: REPORT_DAY }, names)),
    };
    // The names the outputs show for the district are the district list's, not the gazetteer's places.
    expect(outputs.alert).toContain('Kwun Tong 觀塘區');
    for (const [output, text] of Object.entries(outputs)) {
      const leaked = places.filter((place) => text.includes(place));
      expect(leaked, output).toEqual([]);
      expect(text, output).not.toContain('水管爆裂');
    }
  });
});
