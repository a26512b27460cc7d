import { describe, expect, it } from 'vitest';
import type { TopicNames } from '../../shared/domain/reports/csv.ts';
import { escapeHtml, reportToHtml } from '../../shared/domain/reports/html.ts';
import { buildTopicReport } from '../../shared/domain/reports/report.ts';
import { generateSyntheticHistory } from '../../local/synthetic-history.ts';

const history = generateSyntheticHistory({
  seed: 5,
  days: 75,
  dailyEnquiries: 4000,
  spikes: [{ topic: 'blocked_drain_flooding', fromDay: '2025-03-10', days: 3, multiplier: 5 }],
});
const report = buildTopicReport({ counters: history.rows, from: '2025-03-08', to: '2025-03-14', granularity: 'day' });
const names: TopicNames = {
  street_cleanliness: { en: '<script>alert("owned")</script> streets', zhHant: '街道清潔 & <b>垃圾</b>' },
  blocked_drain_flooding: { en: 'Blocked drains & flooding', zhHant: '渠道淤塞及水浸' },
};
const html = reportToHtml(report, { topicNames: names, generatedAt: '2025-03-15T08:00:00+08:00' });

/** Start tags (with their attributes) of a tag carrying a class, e.g. elements(svg, 'polyline', 'series'). */
function elements(markup: string, tag: string, className: string): string[] {
  const startTags = markup.match(new RegExp(`<${tag}\\s[^>]*>`, 'g')) ?? [];
  return startTags.filter((element) => (attribute(element, 'class') ?? '').split(/\s+/).includes(className));
}

function attribute(element: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1];
}

/** The markup of one <svg class="chart chart-KIND"> element. */
function chart(kind: string): string {
  const start = html.indexOf(`<svg class="chart chart-${kind}"`);
  expect(start, `chart-${kind}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</svg>', start) + '</svg>'.length);
}

describe('HTML report', () => {
  it('is one self-contained document: no scripts, no external assets', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|<img|<iframe|\ssrc=|\shref=|url\(/i);
    const urls = html.match(/https?:\/\/[^\s"']+/g) ?? [];
    // The only URL is the SVG namespace (the topic name's URL-free here).
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).toMatch(/<style>[^<]+<\/style>/);
  });

  it('is well-formed: every element that opens also closes, in order', () => {
    const voidElements = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
    const stack: string[] = [];
    for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g)) {
      const [, closing, name = '', selfClosing] = match;
      const tag = name.toLowerCase();
      if (closing) expect(stack.pop(), `closing </${tag}>`).toBe(tag);
      else if (!selfClosing && !voidElements.has(tag)) stack.push(tag);
    }
    expect(stack).toEqual([]);
  });

  it('escapes every text, so a topic name cannot inject markup', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>垃圾</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; streets');
    expect(html).toContain('街道清潔 &amp; &lt;b&gt;垃圾&lt;/b&gt;');
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('labels everything in English and Traditional Chinese', () => {
    expect(html).toContain('<title>1823 topic trend report 1823 查詢主題趨勢報告');
    for (const [en, zh] of [
      ['Enquiries', '查詢'],
      ['Acceptance rate', '草擬回覆採納率'],
      ['Median minutes to decision', '決定時間中位數（分鐘）'],
      ['Top topics over time', '熱門主題趨勢'],
      ['Change vs previous period', '與上一期間比較'],
      ['Spikes', '異常激增'],
      ['Topic', '主題'],
      ['Expected', '預期'],
    ]) {
      expect(html).toContain(`${en} <span lang="zh-Hant">${zh}</span>`);
    }
  });

  it('draws the top topics (spiking first) over the 28-day baseline and every day of the period, with expected bands, the period marked, axes and a legend', () => {
    const series = chart('series');
    expect(series).toMatch(/^<svg class="chart chart-series" role="img" aria-label="Top topics over time 熱門主題趨勢"/);
    expect(series).toContain('<title>Top topics over time 熱門主題趨勢</title>');
    const lines = elements(series, 'polyline', 'series');
    const topics = report.context.topics.map((topic) => topic.topic);
    expect(lines.map((line) => attribute(line, 'data-topic'))).toEqual(topics);
    expect(topics[0]).toBe('blocked_drain_flooding');
    expect(new Set(topics.slice(1))).toEqual(new Set(report.series.topics.map((t) => t.topic).filter((t) => t !== 'blocked_drain_flooding').slice(0, 4)));
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(attribute(line, 'points')?.split(' ')).toHaveLength(28 + 7);
    expect(elements(series, 'polygon', 'band').map((band) => attribute(band, 'data-topic'))).toEqual(topics);
    expect(elements(series, 'rect', 'period')).toHaveLength(1);
    expect(elements(series, 'line', 'report-day')).toHaveLength(1);
    expect(series).toContain('Report period 報告期間');
    // The spiking topic's period points are ringed; no other point is.
    const ringed = elements(series, 'circle', 'spike-point');
    expect(ringed).toHaveLength(7);
    expect(new Set(ringed.map((point) => attribute(point, 'data-topic')))).toEqual(new Set(['blocked_drain_flooding']));
    expect(elements(series, 'g', 'axis-x')).toHaveLength(1);
    expect(elements(series, 'g', 'axis-y')).toHaveLength(1);
    expect(elements(series, 'g', 'legend-item').map((item) => attribute(item, 'data-topic'))).toEqual(topics);
    expect(series).toContain('Expected range (99%) 預期範圍（99%）');
    expect(series).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; streets');
  });

  it('draws the surge day by hour only when a spike is flagged and that day was counted by hour', () => {
    // This history is whole-day rows (as counters before hourly counting): no hours to show.
    expect(report.spikes.length).toBeGreaterThan(0);
    expect(report.context.hourly).toBeNull();
    expect(html).not.toContain('chart-hourly');
    const hourly = generateSyntheticHistory({
      seed: 5,
      days: 75,
      dailyEnquiries: 4000,
      spikes: [{ topic: 'blocked_drain_flooding', fromDay: '2025-03-14', days: 1, multiplier: 5, hours: [15, 18] }],
      hourlyFrom: '2025-02-14',
    });
    const surge = buildTopicReport({ counters: hourly.rows, from: '2025-03-14', to: '2025-03-14', granularity: 'day' });
    expect(surge.spikes.map((spike) => spike.topic)).toContain('blocked_drain_flooding');
    const flooding = surge.context.hourly?.topics.find((topic) => topic.topic === 'blocked_drain_flooding');
    expect(flooding?.profile).toBe('hour-of-day');
    expect(flooding?.surgeHours.slice().sort((a, b) => a - b)).toEqual([15, 16, 17]);
    const surgeHtml = reportToHtml(surge, { topicNames: names });
    expect(surgeHtml).toContain('<svg class="chart chart-hourly"');
    expect(surgeHtml).toContain('Report day 報告日');
    const quiet = buildTopicReport({ counters: hourly.rows, from: '2025-03-10', to: '2025-03-10', granularity: 'day' });
    expect(quiet.spikes).toEqual([]);
    expect(reportToHtml(quiet)).not.toContain('chart-hourly');
  });

  it('draws bars for change vs the previous period and for acceptance, one per topic', () => {
    const changeBars = elements(chart('change'), 'rect', 'bar');
    expect(changeBars.map((bar) => attribute(bar, 'data-topic'))).toEqual(report.byTopic.slice(0, 10).map((row) => row.topic));
    expect(changeBars.map((bar) => Number(attribute(bar, 'data-value')))).toEqual(report.byTopic.slice(0, 10).map((row) => row.change));
    for (const bar of changeBars) expect(Number(attribute(bar, 'width'))).toBeGreaterThanOrEqual(0);
    expect(chart('change')).toMatch(/role="img" aria-label="Change vs previous period 與上一期間比較"/);

    const acceptanceBars = elements(chart('acceptance'), 'rect', 'bar');
    expect(acceptanceBars).toHaveLength(10);
    for (const bar of acceptanceBars) {
      const topic = report.byTopic.find((row) => row.topic === attribute(bar, 'data-topic'));
      expect(Number(attribute(bar, 'data-value'))).toBeCloseTo(topic?.acceptance.acceptanceRate ?? -1, 4);
    }
  });

  it('lists spikes with count, expected and p-value, and marks the topic in the table', () => {
    expect(report.spikes.map((spike) => spike.topic)).toContain('blocked_drain_flooding');
    const rows = elements(html, 'tr', 'spike');
    expect(rows.map((row) => attribute(row, 'data-topic'))).toEqual(report.spikes.map((spike) => spike.topic));
    const spike = report.spikes.find((s) => s.topic === 'blocked_drain_flooding');
    const start = html.indexOf('<tr class="spike" data-topic="blocked_drain_flooding">');
    const row = html.slice(start, html.indexOf('</tr>', start));
    expect(row).toContain('Blocked drains &amp; flooding 渠道淤塞及水浸');
    expect(row).toContain(`>${spike?.expected.toFixed(1)}<`);
    expect(row).toMatch(/\d\.\d\de-\d+/);
    expect(html).toMatch(/<th scope="col"[^>]*>p-value <span lang="zh-Hant">p 值<\/span><\/th>/);
    expect(elements(html, 'tr', 'spiking').map((r) => attribute(r, 'data-topic'))).toContain('blocked_drain_flooding');
  });

  it('states totals and the spike method with the settings used', () => {
    expect(html).toContain(`data-kpi="enquiries"><dt>Enquiries <span lang="zh-Hant">查詢</span></dt><dd>${report.totals.count.toLocaleString('en-US')}`);
    expect(html).toContain('over the 28 days before the period');
    expect(html).toContain('2025-03-15T08:00:00+08:00');
  });

  it('shows the correction rate per AI topic and the top confusions (AI topic → agent topic)', () => {
    expect(html).toContain('id="corrections"');
    const rows = elements(html, 'tr', 'correction');
    expect(rows.length).toBeGreaterThan(0);
    const confusions = elements(html, 'tr', 'confusion');
    expect(confusions.length).toBeGreaterThan(0);
    const top = report.corrections.topConfusions[0]!;
    expect(attribute(confusions[0]!, 'data-ai-topic')).toBe(top.aiTopic);
    expect(attribute(confusions[0]!, 'data-agent-topic')).toBe(top.agentTopic);
    expect(html).toContain('Correction rate <span lang="zh-Hant">主題更正率</span>');
  });

  it('renders an empty period with placeholders instead of broken charts', () => {
    const empty = reportToHtml(buildTopicReport({ counters: [], from: '2025-03-01', to: '2025-03-07', granularity: 'week' }));
    expect(elements(empty, 'svg', 'chart-series')).toHaveLength(1);
    expect(empty).toContain('No data 沒有資料');
    expect(empty).toContain('No spikes detected <span lang="zh-Hant">未發現異常激增</span>');
    expect(empty).not.toMatch(/NaN|Infinity|undefined/);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });
});
