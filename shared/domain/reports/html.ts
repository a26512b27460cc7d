import { LANGUAGES, type Language } from '../../vocabulary/languages.ts';
import { DISTRICTS } from '../../vocabulary/districts.ts';
import { UNKNOWN_DISTRICT, type CounterDistrict } from './counters.ts';
import type { TopicNames } from './csv.ts';
import { DARK_HEAT_LEVELS, DISTRICT_MAP_GRID, DISTRICT_TILES, HEAT_COLOURS, heatLevel } from './district-map.ts';
import type { TopicReport, TopicRow } from './report.ts';
import { UNKNOWN_DISTRICT_NAME } from './spike-text.ts';
import type { HourlySurge, Spike, SpikeOptions } from './spikes.ts';
import type { ContextBucket, ExpectedBand } from './trend-context.ts';

/**
 * A self-contained HTML report: one file, inline CSS and inline SVG, no scripts and no external assets, so
 * it opens from an S3 link or an e-mail attachment and renders the same in a headless browser. Labels
 * are bilingual (English and Traditional Chinese); every piece of data is HTML-escaped. Charts carry
 * role="img", an aria-label and a <title>, and stable classes / data attributes for tests:
 * svg.chart-series > polyline.series[data-topic], svg.chart-change > rect.bar[data-topic],
 * svg.chart-acceptance > rect.bar[data-topic], table.spikes > tr.spike[data-topic],
 * svg.chart-districts > g.district-tile[data-district][data-count], table.districts > tr[data-district],
 * table.district-topics > tr[data-district] > td[data-topic], table.district-spikes > tr.district-spike[data-district][data-topic].
 */

export interface HtmlReportOptions {
  topicNames?: TopicNames;
  /** Shown in the footer when given (kept out of the domain's clock: the caller stamps it). */
  generatedAt?: string;
  /** Topics in the change and acceptance bar charts (default 10). */
  barTopics?: number;
  /** Topic columns of the district × topic grid: the period's busiest (default 8). */
  districtGridTopics?: number;
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

interface Label {
  en: string;
  zh: string;
}

const LABELS = {
  title: { en: '1823 topic trend report', zh: '1823 查詢主題趨勢報告' },
  period: { en: 'Period', zh: '報告期間' },
  previousPeriod: { en: 'Previous period', zh: '上一期間' },
  days: { en: 'days', zh: '日' },
  totals: { en: 'Totals', zh: '總覽' },
  enquiries: { en: 'Enquiries', zh: '查詢' },
  previous: { en: 'Previous', zh: '上期' },
  change: { en: 'Change', zh: '變化' },
  acceptanceRate: { en: 'Acceptance rate', zh: '草擬回覆採納率' },
  unchangedRate: { en: 'Approved unchanged', zh: '原文批准' },
  edited: { en: 'Edited', zh: '經修改' },
  rejected: { en: 'Rejected', zh: '拒絕' },
  medianMinutes: { en: 'Median minutes to decision', zh: '決定時間中位數（分鐘）' },
  degraded: { en: 'Degraded mode', zh: '降級模式處理' },
  needsManual: { en: 'Needs manual handling', zh: '需人手處理' },
  smsSent: { en: 'SMS sent', zh: '已發短訊' },
  seriesChart: { en: 'Top topics over time', zh: '熱門主題趨勢' },
  hourlyChart: { en: 'Surge day by hour', zh: '激增當日每小時' },
  hour: { en: 'Hour (Hong Kong time)', zh: '時段（香港時間）' },
  reportDay: { en: 'Report day', zh: '報告日' },
  reportPeriod: { en: 'Report period', zh: '報告期間' },
  expectedRange: { en: 'Expected range (99%)', zh: '預期範圍（99%）' },
  expectedMean: { en: 'dashed: baseline mean', zh: '虛線：基線平均' },
  surgeHours: { en: 'Surge hours', zh: '激增時段' },
  hourlySurges: { en: 'Hourly surges', zh: '每小時激增' },
  changeChart: { en: 'Change vs previous period', zh: '與上一期間比較' },
  acceptanceChart: { en: 'Draft acceptance by topic', zh: '各主題草擬回覆採納率' },
  spikes: { en: 'Spikes', zh: '異常激增' },
  openIncidents: { en: 'Open incidents', zh: '處理中事故' },
  noOpenIncidents: { en: 'No open incidents', zh: '沒有處理中事故' },
  district: { en: 'District', zh: '地區' },
  place: { en: 'Place', zh: '地點' },
  reports: { en: 'Reports', zh: '報告數目' },
  firstReport: { en: 'First report', zh: '首宗報告' },
  lastReport: { en: 'Latest report', zh: '最新報告' },
  asOf: { en: 'as of', zh: '截至' },
  noSpikes: { en: 'No spikes detected', zh: '未發現異常激增' },
  noData: { en: 'No data', zh: '沒有資料' },
  topic: { en: 'Topic', zh: '主題' },
  topics: { en: 'Topics', zh: '主題' },
  department: { en: 'Department', zh: '部門' },
  departments: { en: 'Departments', zh: '部門' },
  languages: { en: 'Languages', zh: '語言' },
  language: { en: 'Language', zh: '語言' },
  share: { en: 'Share', zh: '佔比' },
  count: { en: 'Count', zh: '數量' },
  expected: { en: 'Expected', zh: '預期' },
  ratio: { en: 'Ratio', zh: '倍數' },
  pValue: { en: 'p-value', zh: 'p 值' },
  conditionalPValue: { en: 'Conditional p-value', zh: '條件 p 值' },
  baselineDailyMean: { en: 'Baseline daily mean', zh: '基線每日平均' },
  generatedAt: { en: 'Generated', zh: '產生時間' },
  method: { en: 'Spike method', zh: '異常激增判斷方法' },
  newTopic: { en: 'new', zh: '新增' },
  corrections: { en: 'Topic corrections by agents', zh: '職員更正主題' },
  correctionRate: { en: 'Correction rate', zh: '主題更正率' },
  aiTopic: { en: 'AI topic', zh: '系統判斷主題' },
  agentTopic: { en: 'Agent topic', zh: '職員確認主題' },
  decided: { en: 'Decided', zh: '已決定' },
  corrected: { en: 'Corrected', zh: '已更正' },
  movedTo: { en: 'Moved to', zh: '改為' },
  topConfusions: { en: 'Top confusions', zh: '最常見誤判' },
  crossDepartmental: { en: 'Cross-departmental', zh: '跨部門' },
  districts: { en: 'Districts', zh: '地區' },
  districtMap: { en: 'Enquiries by district', zh: '各區查詢' },
  districtTopics: { en: 'District × topic', zh: '地區 × 主題' },
  districtSpikes: { en: 'District spikes', zh: '地區異常激增' },
  districtHourlySurges: { en: 'District hourly surges', zh: '地區每小時激增' },
  noDistrictSpikes: { en: 'No district spikes detected', zh: '未發現地區異常激增' },
  topTopics: { en: 'Top topics', zh: '最多查詢主題' },
  otherTopics: { en: 'Other topics', zh: '其他主題' },
  located: { en: 'Enquiries with a known district', zh: '已知地區的查詢' },
  noCorrections: { en: 'No decided enquiries with a recorded AI topic', zh: '沒有記錄系統判斷主題的已決定查詢' },
} as const satisfies Record<string, Label>;

const LANGUAGE_LABELS: Record<Language, Label> = {
  'zh-HK': { en: 'Cantonese', zh: '粵語' },
  'en-US': { en: 'English', zh: '英語' },
  'zh-CN': { en: 'Mandarin', zh: '普通話' },
};

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'];

/** "Enquiries 查詢" as markup, the Chinese marked lang="zh-Hant" so browsers pick a Traditional Chinese font. */
function bilingual(label: Label): string {
  return `${escapeHtml(label.en)} <span lang="zh-Hant">${escapeHtml(label.zh)}</span>`;
}

/** "Enquiries 查詢" as plain text, for aria-label, <title> and SVG text. */
function plain(label: Label): string {
  return `${label.en} ${label.zh}`;
}

// Built on first use: only report rendering needs it, and several functions bundle this module.
let grouped: Intl.NumberFormat | undefined;

function formatCount(value: number): string {
  return (grouped ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })).format(value);
}

function formatPercent(value: number | null, digits = 1): string {
  return value === null ? '–' : `${(value * 100).toFixed(digits)}%`;
}

function formatSignedPercent(pct: number | null): string {
  if (pct === null) return plain(LABELS.newTopic);
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

function formatSigned(value: number): string {
  return `${value > 0 ? '+' : ''}${formatCount(value)}`;
}

function formatMinutes(value: number | null): string {
  return value === null ? '–' : value.toFixed(0);
}

function formatPValue(value: number, log10Value?: number): string {
  if (value > 0) return value.toExponential(2);
  return log10Value === undefined ? '< 1e-300' : `< 1e${Math.floor(log10Value) + 1}`;
}

function topicLabel(topic: string, names: TopicNames | undefined): string {
  const name = names?.[topic];
  return name ? `${name.en} ${name.zhHant}` : topic;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Rounds up to 1, 2 or 5 × 10^n so axis ticks land on readable numbers. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= value) ?? 10;
  return step * magnitude;
}

function n(value: number): string {
  // Two decimals keep the markup small and stable across platforms.
  return (Math.round(value * 100) / 100).toString();
}

function svgOpen(kind: string, width: number, height: number, label: string): string {
  return (
    `<svg class="chart chart-${kind}" role="img" aria-label="${escapeHtml(label)}" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(label)}</title>`
  );
}

function noDataChart(kind: string, label: string): string {
  return `${svgOpen(kind, 760, 80, label)}<text class="no-data" x="380" y="44" text-anchor="middle">${escapeHtml(plain(LABELS.noData))}</text></svg>`;
}

/** "11-24" for a day, "11-18–11-24" for a longer bucket. */
function contextLabel(bucket: ContextBucket): string {
  return bucket.start === bucket.end ? bucket.start.slice(5) : `${bucket.start.slice(5)}–${bucket.end.slice(5)}`;
}

/** A closed polygon between the bands' highs (left to right) and lows (right to left). */
function bandPoints(bands: readonly (ExpectedBand | null)[], x: (i: number) => number, y: (v: number) => number): string | undefined {
  const present = bands.map((band, i) => ({ band, i })).filter((b): b is { band: ExpectedBand; i: number } => b.band !== null);
  if (present.length === 0) return undefined;
  // A single bucket still gets a visible band: half a step either side.
  const spread = present.length === 1 ? 6 : 0;
  const top = present.map(({ band, i }) => `${n(x(i) - spread)},${n(y(band.high))}`);
  if (spread) top.push(`${n(x(present[0]!.i) + spread)},${n(y(present[0]!.band.high))}`);
  const bottom = [...present].reverse().map(({ band, i }) => `${n(x(i) + spread)},${n(y(band.low))}`);
  if (spread) bottom.push(`${n(x(present[0]!.i) - spread)},${n(y(present[0]!.band.low))}`);
  return [...top, ...bottom].join(' ');
}

interface LinePlot {
  kind: string;
  label: string;
  /** x-axis labels, one per point. */
  xLabels: string[];
  xTitle?: string;
  lines: { topic: string; counts: number[]; expected: (ExpectedBand | null)[]; spike: boolean; highlight?: (i: number) => boolean }[];
  /** Indices of points inside the report period (shaded and marked). */
  period?: { first: number; last: number; label: Label };
}

/** Lines over points with each line's expected band behind it, a shaded report period, axes and a legend. */
function linePlot(plot: LinePlot, names: TopicNames | undefined): string {
  const { lines, xLabels } = plot;
  const width = 760;
  const margin = { left: 64, right: 24, top: 22, bottom: 44 };
  const plotHeight = 240;
  const legendRowHeight = 20;
  const height = margin.top + plotHeight + margin.bottom + (lines.length + 1) * legendRowHeight + 8;
  const plotWidth = width - margin.left - margin.right;
  const points = xLabels.length;
  const yMax = niceCeiling(Math.max(...lines.flatMap((line) => [...line.counts, ...line.expected.map((band) => band?.high ?? 0)])));
  const x = (i: number): number => margin.left + (points === 1 ? plotWidth / 2 : (i * plotWidth) / (points - 1));
  const y = (value: number): number => margin.top + plotHeight - (value / yMax) * plotHeight;
  const bottom = margin.top + plotHeight;
  const step = points > 1 ? plotWidth / (points - 1) : plotWidth;

  const parts: string[] = [svgOpen(plot.kind, width, height, plot.label)];
  if (plot.period) {
    const left = Math.max(margin.left, x(plot.period.first) - step / 2);
    const right = Math.min(width - margin.right, x(plot.period.last) + step / 2);
    parts.push(
      `<rect class="period" x="${n(left)}" y="${margin.top}" width="${n(Math.max(4, right - left))}" height="${plotHeight}"><title>${escapeHtml(plain(plot.period.label))}</title></rect>`,
      `<line class="report-day" x1="${n(x(plot.period.last))}" x2="${n(x(plot.period.last))}" y1="${margin.top}" y2="${bottom}"/>`,
      `<text class="report-day-label" x="${n(x(plot.period.last))}" y="${margin.top - 8}" text-anchor="end">${escapeHtml(plain(plot.period.label))}</text>`,
    );
  }
  parts.push(`<g class="axis axis-y">`);
  for (let tick = 0; tick <= 5; tick++) {
    const value = (yMax * tick) / 5;
    parts.push(
      `<line class="grid" x1="${margin.left}" x2="${width - margin.right}" y1="${n(y(value))}" y2="${n(y(value))}"/>` +
        `<text x="${margin.left - 8}" y="${n(y(value) + 4)}" text-anchor="end">${escapeHtml(formatCount(value))}</text>`,
    );
  }
  parts.push(`<text class="axis-title" transform="rotate(-90)" x="${-(margin.top + plotHeight / 2)}" y="14" text-anchor="middle">${escapeHtml(plain(LABELS.enquiries))}</text></g>`);
  parts.push(`<g class="axis axis-x"><line class="axis-line" x1="${margin.left}" x2="${width - margin.right}" y1="${bottom}" y2="${bottom}"/>`);
  const every = Math.max(1, Math.ceil(points / 8));
  const last = points - 1;
  xLabels.forEach((text, i) => {
    // Every n-th point plus the last one, skipping a regular label that would collide with the last.
    const labelled = i === last || (i % every === 0 && (last - i) * step >= 80);
    if (!labelled) return;
    const anchor = points === 1 ? 'middle' : i === 0 ? 'start' : i === last ? 'end' : 'middle';
    parts.push(`<text x="${n(x(i))}" y="${bottom + 18}" text-anchor="${anchor}">${escapeHtml(text)}</text>`);
  });
  if (plot.xTitle) parts.push(`<text class="axis-title" x="${n(margin.left + plotWidth / 2)}" y="${bottom + 36}" text-anchor="middle">${escapeHtml(plot.xTitle)}</text>`);
  parts.push(`</g>`);

  lines.forEach((line, index) => {
    const colour = SERIES_COLOURS[index % SERIES_COLOURS.length] ?? '#000000';
    const name = topicLabel(line.topic, names);
    const topic = escapeHtml(line.topic);
    parts.push(`<g class="series-group" data-topic="${topic}">`);
    const band = bandPoints(line.expected, x, y);
    if (band) {
      const means = line.expected.map((e, i) => (e ? `${n(x(i))},${n(y(e.mean))}` : '')).filter(Boolean).join(' ');
      parts.push(
        `<polygon class="band" data-topic="${topic}" points="${band}" fill="${colour}" fill-opacity="0.13" stroke="none"><title>${escapeHtml(`${name}: ${plain(LABELS.expectedRange)}`)}</title></polygon>`,
        `<polyline class="expected" data-topic="${topic}" points="${means}" fill="none" stroke="${colour}" stroke-width="1" stroke-dasharray="4 3"/>`,
      );
    }
    const path = line.counts.map((count, i) => `${n(x(i))},${n(y(count))}`).join(' ');
    parts.push(
      `<polyline class="series" data-topic="${topic}" points="${path}" fill="none" stroke="${colour}" stroke-width="2"><title>${escapeHtml(name)}</title></polyline>`,
    );
    line.counts.forEach((count, i) => {
      const marked = line.highlight?.(i) ?? false;
      const expected = line.expected[i];
      const range = expected ? ` · ${plain(LABELS.expected)} ${formatCount(expected.mean)} (${formatCount(expected.low)}–${formatCount(expected.high)})` : '';
      parts.push(
        `<circle class="point${marked ? ' spike-point' : ''}" data-topic="${topic}" data-value="${count}" cx="${n(x(i))}" cy="${n(y(count))}" r="${marked ? 4.5 : 2.5}" fill="${marked ? '#fff' : colour}" stroke="${colour}" stroke-width="${marked ? 2.5 : 0}"><title>${escapeHtml(`${name}: ${formatCount(count)} (${xLabels[i] ?? ''})${range}`)}</title></circle>`,
      );
    });
    parts.push(`</g>`);
  });

  parts.push(`<g class="legend">`);
  lines.forEach((line, index) => {
    const colour = SERIES_COLOURS[index % SERIES_COLOURS.length] ?? '#000000';
    const rowY = bottom + margin.bottom + index * legendRowHeight;
    const spike = line.spike ? ` · ${plain(LABELS.spikes)}` : '';
    parts.push(
      `<g class="legend-item" data-topic="${escapeHtml(line.topic)}"><rect x="${margin.left}" y="${rowY}" width="14" height="4" fill="${colour}"/>` +
        `<text x="${margin.left + 22}" y="${rowY + 6}">${escapeHtml(truncate(topicLabel(line.topic, names), 60) + spike)}</text></g>`,
    );
  });
  const keyY = bottom + margin.bottom + lines.length * legendRowHeight;
  parts.push(
    `<g class="legend-key"><rect x="${margin.left}" y="${keyY - 4}" width="14" height="12" fill="#777" fill-opacity="0.2"/>` +
      `<text x="${margin.left + 22}" y="${keyY + 6}">${escapeHtml(`${plain(LABELS.expectedRange)} · ${plain(LABELS.expectedMean)}`)}</text></g>`,
  );
  parts.push(`</g></svg>`);
  return parts.join('');
}

/**
 * The top topics (spiking ones first) over the spike baseline and the period, each with its expected band,
 * the report period shaded and its last day marked. A report with no calls in the period shows "No data".
 */
export function seriesChart(report: TopicReport, names?: TopicNames): string {
  const label = plain(LABELS.seriesChart);
  const { buckets, topics } = report.context;
  if (topics.length === 0 || buckets.length === 0 || report.series.topics.length === 0) return noDataChart('series', label);
  const periodIndices = buckets.map((bucket, i) => (bucket.inPeriod ? i : -1)).filter((i) => i >= 0);
  const spikeTopics = new Set(report.spikes.map((spike) => spike.topic));
  return linePlot(
    {
      kind: 'series',
      label,
      xLabels: buckets.map(contextLabel),
      lines: topics.map((topic) => ({
        ...topic,
        highlight: (i: number) => spikeTopics.has(topic.topic) && (buckets[i]?.inPeriod ?? false),
      })),
      period: { first: periodIndices[0] ?? buckets.length - 1, last: periodIndices.at(-1) ?? buckets.length - 1, label: report.period.days === 1 ? LABELS.reportDay : LABELS.reportPeriod },
    },
    names,
  );
}

/** The surge day hour by hour for the spiking topics, each with its hour-of-day expected band (only when a spike is flagged). */
export function hourlyChart(report: TopicReport, names?: TopicNames): string {
  const hourly = report.context.hourly;
  if (!hourly || hourly.topics.length === 0) return '';
  const label = `${plain(LABELS.hourlyChart)} ${hourly.day}`;
  return linePlot(
    {
      kind: 'hourly',
      label,
      xLabels: Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`),
      xTitle: plain(LABELS.hour),
      lines: hourly.topics.map((topic) => ({ topic: topic.topic, counts: topic.counts, expected: topic.expected, spike: true, highlight: (hour: number) => topic.surgeHours.includes(hour) })),
    },
    names,
  );
}

interface BarLayout {
  width: number;
  labelWidth: number;
  rowHeight: number;
  top: number;
}
const BARS: BarLayout = { width: 760, labelWidth: 260, rowHeight: 26, top: 28 };

function barLabel(row: number, text: string): string {
  return `<text class="bar-label" x="${BARS.labelWidth - 8}" y="${BARS.top + row * BARS.rowHeight + 17}" text-anchor="end">${escapeHtml(truncate(text, 36))}</text>`;
}

/** Diverging bars of the change in count vs the previous period, zero in the middle. */
export function changeChart(report: TopicReport, names?: TopicNames, limit = 10): string {
  const label = plain(LABELS.changeChart);
  const rows = report.byTopic.slice(0, limit);
  if (rows.length === 0) return noDataChart('change', label);
  const height = BARS.top + rows.length * BARS.rowHeight + 12;
  const valueWidth = 110;
  const plotWidth = BARS.width - BARS.labelWidth - valueWidth - 8;
  const anyRise = rows.some((row) => row.change > 0);
  const anyFall = rows.some((row) => row.change < 0);
  // Zero sits in the middle only when bars go both ways; otherwise all the width goes to one side.
  const zeroX = BARS.labelWidth + (anyRise && anyFall ? plotWidth / 2 : anyFall ? plotWidth : 0);
  const half = anyRise && anyFall ? plotWidth / 2 : plotWidth;
  const maxAbs = Math.max(1, ...rows.map((row) => Math.abs(row.change)));
  const parts = [svgOpen('change', BARS.width, height, label)];
  parts.push(`<line class="axis-line zero" x1="${n(zeroX)}" x2="${n(zeroX)}" y1="${BARS.top - 6}" y2="${height - 8}"/>`);
  parts.push(`<text class="axis-title" x="${n(zeroX)}" y="14" text-anchor="middle">0</text>`);
  rows.forEach((row, i) => {
    const barWidth = (Math.abs(row.change) / maxAbs) * half;
    const direction = row.change >= 0 ? 'up' : 'down';
    const barX = row.change >= 0 ? zeroX : zeroX - barWidth;
    const rowY = BARS.top + i * BARS.rowHeight;
    const name = topicLabel(row.topic, names);
    const value = `${formatSigned(row.change)} (${formatSignedPercent(row.changePct)})`;
    parts.push(barLabel(i, name));
    parts.push(
      `<rect class="bar bar-change ${direction}" data-topic="${escapeHtml(row.topic)}" data-value="${row.change}" x="${n(barX)}" y="${rowY + 4}" width="${n(barWidth)}" height="${BARS.rowHeight - 8}">` +
        `<title>${escapeHtml(`${name}: ${formatCount(row.previousCount)} → ${formatCount(row.count)}, ${value}`)}</title></rect>`,
    );
    parts.push(`<text class="bar-value" x="${BARS.width - 4}" y="${rowY + 17}" text-anchor="end">${escapeHtml(value)}</text>`);
  });
  parts.push(`</svg>`);
  return parts.join('');
}

/** Bars of the acceptance rate (approved + edited) per topic, the unchanged part drawn darker inside. */
export function acceptanceChart(report: TopicReport, names?: TopicNames, limit = 10): string {
  const label = plain(LABELS.acceptanceChart);
  const rows = report.byTopic.filter((row) => row.acceptance.total > 0).slice(0, limit);
  if (rows.length === 0) return noDataChart('acceptance', label);
  const barsBottom = BARS.top + rows.length * BARS.rowHeight + 4;
  const height = barsBottom + 28;
  const valueWidth = 110;
  const plotWidth = BARS.width - BARS.labelWidth - valueWidth;
  const parts = [svgOpen('acceptance', BARS.width, height, label)];
  const legendY = barsBottom + 10;
  parts.push(
    `<g class="legend"><rect class="bar-part unchanged" x="${BARS.labelWidth}" y="${legendY}" width="12" height="12"/>` +
      `<text x="${BARS.labelWidth + 18}" y="${legendY + 10}">${escapeHtml(plain(LABELS.unchangedRate))}</text>` +
      `<rect class="bar-acceptance" x="${BARS.labelWidth + 200}" y="${legendY}" width="12" height="12"/>` +
      `<text x="${BARS.labelWidth + 218}" y="${legendY + 10}">${escapeHtml(plain(LABELS.edited))}</text></g>`,
  );
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const tickX = BARS.labelWidth + tick * plotWidth;
    parts.push(
      `<line class="grid" x1="${n(tickX)}" x2="${n(tickX)}" y1="${BARS.top - 6}" y2="${barsBottom}"/>` +
        `<text class="axis-tick" x="${n(tickX)}" y="14" text-anchor="middle">${tick * 100}%</text>`,
    );
  }
  rows.forEach((row, i) => {
    const { acceptanceRate, unchangedRate, total } = row.acceptance;
    const rowY = BARS.top + i * BARS.rowHeight;
    const name = topicLabel(row.topic, names);
    const tooltip = `${name}: ${formatPercent(acceptanceRate)} (${plain(LABELS.unchangedRate)} ${formatPercent(unchangedRate)}, n = ${formatCount(total)})`;
    parts.push(barLabel(i, name));
    parts.push(
      `<rect class="bar bar-acceptance" data-topic="${escapeHtml(row.topic)}" data-value="${(acceptanceRate ?? 0).toFixed(4)}" x="${BARS.labelWidth}" y="${rowY + 4}" width="${n((acceptanceRate ?? 0) * plotWidth)}" height="${BARS.rowHeight - 8}"><title>${escapeHtml(tooltip)}</title></rect>` +
        `<rect class="bar-part unchanged" data-topic="${escapeHtml(row.topic)}" x="${BARS.labelWidth}" y="${rowY + 4}" width="${n((unchangedRate ?? 0) * plotWidth)}" height="${BARS.rowHeight - 8}"><title>${escapeHtml(tooltip)}</title></rect>`,
    );
    parts.push(`<text class="bar-value" x="${BARS.width - 4}" y="${rowY + 17}" text-anchor="end">${escapeHtml(formatPercent(acceptanceRate))}</text>`);
  });
  parts.push(`</svg>`);
  return parts.join('');
}

function th(label: Label, numeric = false): string {
  return `<th scope="col"${numeric ? ' class="num"' : ''}>${bilingual(label)}</th>`;
}

function td(text: string, numeric = false): string {
  return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;
}

/** Hours far above their usual count (may hide in a day total that is no spike). */
function hourlySurgesTable(report: TopicReport, names?: TopicNames): string {
  if (report.hourlySurges.length === 0) return '';
  const head = [th(LABELS.topic), th(LABELS.department), th(LABELS.hour), th(LABELS.count, true), th(LABELS.expected, true), th(LABELS.ratio, true), th(LABELS.pValue, true)];
  const body = report.hourlySurges.map(
    (surge) =>
      `<tr class="hourly-surge" data-topic="${escapeHtml(surge.topic)}" data-hour="${surge.hour}"><th scope="row">${escapeHtml(topicLabel(surge.topic, names))}</th>` +
      td(surge.department) +
      td(`${surge.day} ${String(surge.hour).padStart(2, '0')}:00–${String(surge.hour).padStart(2, '0')}:59`) +
      td(formatCount(surge.count), true) +
      td(surge.expected.toFixed(1), true) +
      td(`${surge.ratio.toFixed(1)}×`, true) +
      td(formatPValue(surge.pValue, surge.log10PValue), true) +
      `</tr>`,
  );
  return `<table class="hourly-surges"><caption>${bilingual(LABELS.hourlySurges)}</caption><thead><tr>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** Hong Kong local time of an instant, "2026-11-24 14:05". */
function hongKongTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Incidents open when the report was generated: topic, district, public place name, report count. */
function openIncidentsSection(report: TopicReport, names?: TopicNames): string {
  const open = report.openIncidents;
  if (!open) return '';
  const asOf = `<p class="as-of">${bilingual(LABELS.asOf)} ${escapeHtml(hongKongTime(open.asOf))} HKT</p>`;
  if (open.incidents.length === 0) return `${asOf}<p class="no-incidents">${bilingual(LABELS.noOpenIncidents)}</p>`;
  const head = [th(LABELS.topic), th(LABELS.district), th(LABELS.place), th(LABELS.reports, true), th(LABELS.firstReport), th(LABELS.lastReport)];
  const body = open.incidents.map(
    (incident) =>
      `<tr class="incident" data-topic="${escapeHtml(incident.topic)}" data-district="${escapeHtml(incident.district)}"><th scope="row">${escapeHtml(topicLabel(incident.topic, names))}</th>` +
      td(`${DISTRICTS[incident.district].en} ${DISTRICTS[incident.district]['zh-Hant']}`) +
      td(`${incident.place.en} ${incident.place.zh}`) +
      td(formatCount(incident.reports), true) +
      td(hongKongTime(incident.firstReportAt)) +
      td(hongKongTime(incident.lastReportAt)) +
      `</tr>`,
  );
  return `${asOf}<table class="open-incidents"><caption>${bilingual(LABELS.openIncidents)}</caption><thead><tr>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function spikesTable(report: TopicReport, names?: TopicNames): string {
  if (report.spikes.length === 0) return `<p class="no-spikes">${bilingual(LABELS.noSpikes)}</p>` + hourlySurgesTable(report, names);
  const head = [th(LABELS.topic), th(LABELS.department), th(LABELS.count, true), th(LABELS.expected, true), th(LABELS.baselineDailyMean, true), th(LABELS.ratio, true), th(LABELS.pValue, true), th(LABELS.conditionalPValue, true), th(LABELS.surgeHours)];
  const hourly = report.context.hourly;
  const surgeHours = (topic: string): string => {
    const hours = hourly?.topics.find((t) => t.topic === topic)?.surgeHours ?? [];
    return hours.length === 0 ? '–' : `${hourly?.day.slice(5)} ${[...hours].sort((a, b) => a - b).map((h) => `${String(h).padStart(2, '0')}:00`).join(', ')}`;
  };
  const body = report.spikes.map(
    (spike) =>
      `<tr class="spike" data-topic="${escapeHtml(spike.topic)}"><th scope="row">${escapeHtml(topicLabel(spike.topic, names))}</th>` +
      td(spike.department) +
      td(formatCount(spike.count), true) +
      td(spike.expected.toFixed(1), true) +
      td(spike.baselineDailyMean.toFixed(2), true) +
      td(`${spike.ratio.toFixed(1)}×`, true) +
      td(formatPValue(spike.pValue, spike.log10PValue), true) +
      td(formatPValue(spike.conditionalPValue), true) +
      td(surgeHours(spike.topic)) +
      `</tr>`,
  );
  return `<table class="spikes"><caption>${bilingual(LABELS.spikes)}</caption><thead><tr>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table>` + hourlySurgesTable(report, names);
}

function topicsTable(report: TopicReport, names?: TopicNames): string {
  const spiking = new Set(report.spikes.map((spike) => spike.topic));
  const head = [
    th(LABELS.topic),
    th(LABELS.department),
    th(LABELS.count, true),
    th(LABELS.previous, true),
    th(LABELS.change, true),
    ...LANGUAGES.map((language) => th(LANGUAGE_LABELS[language], true)),
    th(LABELS.acceptanceRate, true),
    th(LABELS.medianMinutes, true),
    th(LABELS.correctionRate, true),
    th(LABELS.crossDepartmental, true),
  ];
  const body = report.byTopic.map(
    (row: TopicRow) =>
      `<tr class="topic${spiking.has(row.topic) ? ' spiking' : ''}" data-topic="${escapeHtml(row.topic)}"><th scope="row">${escapeHtml(topicLabel(row.topic, names))}</th>` +
      td(row.department) +
      td(formatCount(row.count), true) +
      td(formatCount(row.previousCount), true) +
      td(formatSignedPercent(row.changePct), true) +
      LANGUAGES.map((language) => td(formatCount(row.byLanguage[language]), true)).join('') +
      td(formatPercent(row.acceptance.acceptanceRate), true) +
      td(formatMinutes(row.medianMinutesToDecision), true) +
      td(formatPercent(row.correction.correctionRate), true) +
      td(formatPercent(row.crossDepartmentalShare), true) +
      `</tr>`,
  );
  return `<div class="table-scroll"><table class="topics"><caption>${bilingual(LABELS.topics)}</caption><thead><tr>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

function breakdownTables(report: TopicReport): string {
  const languageRows = report.byLanguage.map(
    (row) =>
      `<tr data-language="${escapeHtml(row.language)}"><th scope="row">${bilingual(LANGUAGE_LABELS[row.language])}</th>` +
      td(formatCount(row.count), true) +
      td(formatPercent(row.share), true) +
      td(formatSignedPercent(row.changePct), true) +
      `</tr>`,
  );
  const departmentRows = report.byDepartment.map(
    (row) =>
      `<tr data-department="${escapeHtml(row.department)}"><th scope="row">${escapeHtml(row.department)}</th>` +
      td(formatCount(row.count), true) +
      td(formatCount(row.previousCount), true) +
      td(formatSignedPercent(row.changePct), true) +
      `</tr>`,
  );
  return (
    `<div class="breakdowns">` +
    `<table class="languages"><caption>${bilingual(LABELS.languages)}</caption><thead><tr>${th(LABELS.language)}${th(LABELS.count, true)}${th(LABELS.share, true)}${th(LABELS.change, true)}</tr></thead><tbody>${languageRows.join('')}</tbody></table>` +
    `<table class="departments"><caption>${bilingual(LABELS.departments)}</caption><thead><tr>${th(LABELS.department)}${th(LABELS.count, true)}${th(LABELS.previous, true)}${th(LABELS.change, true)}</tr></thead><tbody>${departmentRows.join('')}</tbody></table>` +
    `</div>`
  );
}

/** Correction rate per AI topic and the most frequent AI topic → agent topic changes. */
function correctionsSection(report: TopicReport, names?: TopicNames): string {
  const { corrections } = report;
  const summary =
    `<dl class="kpis">` +
    kpi('correction-rate', LABELS.correctionRate, formatPercent(corrections.correctionRate), `${formatCount(corrections.corrected)} / ${formatCount(corrections.decided)}`) +
    kpi('cross-departmental', LABELS.crossDepartmental, formatPercent(corrections.crossDepartmentalShare), formatCount(corrections.crossDepartmental)) +
    `</dl>`;
  if (corrections.byAiTopic.length === 0) return `${summary}<p class="no-corrections">${bilingual(LABELS.noCorrections)}</p>`;
  const rateRows = corrections.byAiTopic.map(
    (row) =>
      `<tr class="correction" data-topic="${escapeHtml(row.topic)}"><th scope="row">${escapeHtml(topicLabel(row.topic, names))}</th>` +
      td(formatCount(row.decided), true) +
      td(formatCount(row.corrected), true) +
      td(formatPercent(row.correctionRate), true) +
      td(row.topConfusions.map((c) => `${topicLabel(c.agentTopic, names)} (${formatCount(c.count)})`).join('; ')) +
      `</tr>`,
  );
  const confusionRows = corrections.topConfusions.map(
    (pair) =>
      `<tr class="confusion" data-ai-topic="${escapeHtml(pair.aiTopic)}" data-agent-topic="${escapeHtml(pair.agentTopic)}">` +
      `<th scope="row">${escapeHtml(topicLabel(pair.aiTopic, names))}</th>` +
      td(topicLabel(pair.agentTopic, names)) +
      td(formatCount(pair.count), true) +
      td(formatPercent(pair.shareOfAiTopic), true) +
      `</tr>`,
  );
  return (
    summary +
    `<div class="table-scroll"><table class="corrections"><caption>${bilingual(LABELS.correctionRate)}</caption><thead><tr>${th(LABELS.aiTopic)}${th(LABELS.decided, true)}${th(LABELS.corrected, true)}${th(LABELS.correctionRate, true)}${th(LABELS.movedTo)}</tr></thead><tbody>${rateRows.join('')}</tbody></table></div>` +
    (confusionRows.length > 0
      ? `<table class="confusions"><caption>${bilingual(LABELS.topConfusions)}</caption><thead><tr>${th(LABELS.aiTopic)}${th(LABELS.agentTopic)}${th(LABELS.count, true)}${th(LABELS.share, true)}</tr></thead><tbody>${confusionRows.join('')}</tbody></table>`
      : '')
  );
}

const DISTRICT_TILE = { width: 132, height: 62, gap: 6, margin: 8 } as const;

function districtName(district: CounterDistrict): Label {
  const names = district === UNKNOWN_DISTRICT ? UNKNOWN_DISTRICT_NAME : DISTRICTS[district];
  return { en: names.en, zh: names['zh-Hant'] };
}

/** The 18 districts as tiles coloured by the period's count, each with both names and the count as text. */
export function districtMapChart(report: TopicReport, names?: TopicNames): string {
  const rows = report.districts.byDistrict.filter((row) => row.district !== UNKNOWN_DISTRICT);
  const max = Math.max(0, ...rows.map((row) => row.count));
  const { width: w, height: h, gap, margin } = DISTRICT_TILE;
  const width = margin * 2 + DISTRICT_MAP_GRID.cols * (w + gap) - gap;
  const height = margin * 2 + DISTRICT_MAP_GRID.rows * (h + gap) - gap + 24;
  const spiking = new Set(report.districtSpikes.map((spike) => spike.district));
  const parts = [svgOpen('districts', width, height, `${plain(LABELS.districtMap)} ${report.period.from} – ${report.period.to}`)];
  for (const row of rows) {
    if (row.district === UNKNOWN_DISTRICT) continue;
    const tile = DISTRICT_TILES[row.district];
    const x = margin + tile.col * (w + gap);
    const y = margin + tile.row * (h + gap);
    const level = heatLevel(row.count, max);
    const label = districtName(row.district);
    const top = row.topTopics.map((t) => `${topicLabel(t.topic, names)} ${formatCount(t.count)}`).join('; ');
    const title = `${plain(label)}: ${formatCount(row.count)} ${plain(LABELS.enquiries)}${top ? ` · ${plain(LABELS.topTopics)}: ${top}` : ''}`;
    parts.push(
      `<g class="district-tile level-${level}${spiking.has(row.district) ? ' spiking' : ''}${level >= DARK_HEAT_LEVELS ? ' dark' : ''}" data-district="${escapeHtml(row.district)}" data-count="${row.count}">` +
        `<title>${escapeHtml(title)}</title>` +
        `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="${HEAT_COLOURS[level]}"/>` +
        `<text class="district-en" x="${x + 6}" y="${y + 16}">${escapeHtml(truncate(label.en, 20))}</text>` +
        `<text class="district-zh" x="${x + 6}" y="${y + 34}" lang="zh-Hant">${escapeHtml(label.zh)}</text>` +
        `<text class="district-count" x="${x + w - 6}" y="${y + h - 8}" text-anchor="end">${escapeHtml(formatCount(row.count))}</text>` +
        `</g>`,
    );
  }
  // Legend: the colour steps as quarters of the busiest district's count.
  const legendY = height - 18;
  HEAT_COLOURS.forEach((colour, level) => {
    const x = margin + level * 96;
    const text = level === 0 ? '0' : `≤ ${formatCount(Math.ceil((max * level) / (HEAT_COLOURS.length - 1)))}`;
    parts.push(`<rect class="legend" x="${x}" y="${legendY}" width="14" height="14" fill="${colour}" stroke="#999"/><text x="${x + 18}" y="${legendY + 12}">${escapeHtml(text)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The map's table fallback: every district with its count, change, share and top topics. */
function districtsTable(report: TopicReport, names?: TopicNames): string {
  const body = report.districts.byDistrict.map(
    (row) =>
      `<tr data-district="${escapeHtml(row.district)}"><th scope="row">${bilingual(districtName(row.district))}</th>` +
      td(formatCount(row.count), true) +
      td(formatCount(row.previousCount), true) +
      td(formatSignedPercent(row.changePct), true) +
      td(formatPercent(row.share), true) +
      td(row.topTopics.map((t) => `${topicLabel(t.topic, names)} (${formatCount(t.count)})`).join('; ') || '–') +
      `</tr>`,
  );
  return (
    `<div class="table-scroll"><table class="districts"><caption>${bilingual(LABELS.districts)}</caption><thead><tr>${th(LABELS.district)}${th(LABELS.count, true)}${th(LABELS.previous, true)}${th(LABELS.change, true)}${th(LABELS.share, true)}${th(LABELS.topTopics)}</tr></thead>` +
    `<tbody>${body.join('')}</tbody></table></div>`
  );
}

/** District × topic counts as a heat grid: the busiest topics as columns, the rest summed, cells shaded by count. */
function districtTopicGrid(report: TopicReport, names: TopicNames | undefined, topicCount: number): string {
  const topics = report.byTopic.filter((row) => row.count > 0).slice(0, topicCount).map((row) => row.topic);
  const shown = new Set(topics);
  const counts = new Map<string, number>();
  const others = new Map<CounterDistrict, number>();
  for (const cell of report.districts.cells) {
    if (shown.has(cell.topic)) counts.set(`${cell.district}#${cell.topic}`, cell.count);
    else others.set(cell.district, (others.get(cell.district) ?? 0) + cell.count);
  }
  // Shaded against the busiest known district × topic: the unknown row (no place named) is shown, not shaded.
  const max = Math.max(0, ...[...counts].filter(([key]) => !key.startsWith(`${UNKNOWN_DISTRICT}#`)).map(([, count]) => count));
  const cell = (count: number, topic: string, district: CounterDistrict) => {
    if (district === UNKNOWN_DISTRICT) return `<td class="num" data-topic="${escapeHtml(topic)}">${escapeHtml(formatCount(count))}</td>`;
    const level = heatLevel(count, max);
    return `<td class="num heat level-${level}${level >= DARK_HEAT_LEVELS ? ' dark' : ''}" data-topic="${escapeHtml(topic)}" style="background:${HEAT_COLOURS[level]}">${escapeHtml(formatCount(count))}</td>`;
  };
  const head = [th(LABELS.district), ...topics.map((topic) => `<th scope="col" class="num">${escapeHtml(topicLabel(topic, names))}</th>`), th(LABELS.otherTopics, true)];
  const body = report.districts.byDistrict.map(
    (row) =>
      `<tr data-district="${escapeHtml(row.district)}"><th scope="row">${bilingual(districtName(row.district))}</th>` +
      topics.map((topic) => cell(counts.get(`${row.district}#${topic}`) ?? 0, topic, row.district)).join('') +
      td(formatCount(others.get(row.district) ?? 0), true) +
      `</tr>`,
  );
  return `<div class="table-scroll"><table class="district-topics"><caption>${bilingual(LABELS.districtTopics)}</caption><thead><tr>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

function districtSpikeRow(spike: Spike | HourlySurge, className: string, names: TopicNames | undefined, when: string): string {
  const district = spike.district ?? UNKNOWN_DISTRICT;
  return (
    `<tr class="${className}" data-district="${escapeHtml(district)}" data-topic="${escapeHtml(spike.topic)}"><th scope="row">${bilingual(districtName(district))}</th>` +
    td(topicLabel(spike.topic, names)) +
    td(spike.department) +
    (when ? td(when) : '') +
    td(formatCount(spike.count), true) +
    td(spike.expected.toFixed(1), true) +
    td(`${spike.ratio.toFixed(1)}×`, true) +
    td(formatPValue(spike.pValue, spike.log10PValue), true) +
    td(formatPValue(spike.conditionalPValue), true) +
    `</tr>`
  );
}

/** District × topic spikes and hourly surges, each naming its district. */
function districtSpikesTables(report: TopicReport, names?: TopicNames): string {
  const tail = [th(LABELS.count, true), th(LABELS.expected, true), th(LABELS.ratio, true), th(LABELS.pValue, true), th(LABELS.conditionalPValue, true)].join('');
  const spikes =
    report.districtSpikes.length === 0
      ? `<p class="no-spikes no-district-spikes">${bilingual(LABELS.noDistrictSpikes)}</p>`
      : `<table class="district-spikes"><caption>${bilingual(LABELS.districtSpikes)}</caption><thead><tr>${th(LABELS.district)}${th(LABELS.topic)}${th(LABELS.department)}${tail}</tr></thead>` +
        `<tbody>${report.districtSpikes.map((spike) => districtSpikeRow(spike, 'district-spike', names, '')).join('')}</tbody></table>`;
  const surges =
    report.districtHourlySurges.length === 0
      ? ''
      : `<table class="district-hourly-surges"><caption>${bilingual(LABELS.districtHourlySurges)}</caption><thead><tr>${th(LABELS.district)}${th(LABELS.topic)}${th(LABELS.department)}${th(LABELS.hour)}${tail}</tr></thead>` +
        `<tbody>${report.districtHourlySurges
          .map((surge) => districtSpikeRow(surge, 'district-hourly-surge', names, `${surge.day} ${String(surge.hour).padStart(2, '0')}:00–${String(surge.hour).padStart(2, '0')}:59`))
          .join('')}</tbody></table>`;
  return spikes + surges;
}

function districtsSection(report: TopicReport, names: TopicNames | undefined, gridTopics: number): string {
  const summary = `<dl class="kpis">${kpi('located', LABELS.located, formatPercent(report.districts.locatedShare))}</dl>`;
  return summary + districtMapChart(report, names) + districtSpikesTables(report, names) + districtsTable(report, names) + districtTopicGrid(report, names, gridTopics);
}

function kpi(name: string, label: Label, value: string, note?: string): string {
  return `<div class="kpi" data-kpi="${name}"><dt>${bilingual(label)}</dt><dd>${escapeHtml(value)}${note ? ` <small>${escapeHtml(note)}</small>` : ''}</dd></div>`;
}

function totalsSection(report: TopicReport): string {
  const { totals } = report;
  const share = (part: number): string => formatPercent(totals.received > 0 ? part / totals.received : null);
  return (
    `<dl class="kpis">` +
    kpi('enquiries', LABELS.enquiries, formatCount(totals.received), `${formatSignedPercent(totals.changePct)} · ${plain(LABELS.previous)} ${formatCount(totals.previousCount)}`) +
    kpi('acceptance', LABELS.acceptanceRate, formatPercent(totals.acceptance.acceptanceRate)) +
    kpi('unchanged', LABELS.unchangedRate, formatPercent(totals.acceptance.unchangedRate), formatCount(totals.approved)) +
    kpi('edited', LABELS.edited, formatCount(totals.edited)) +
    kpi('rejected', LABELS.rejected, formatCount(totals.rejected)) +
    kpi('median-minutes', LABELS.medianMinutes, formatMinutes(report.medianMinutesToDecision)) +
    kpi('degraded', LABELS.degraded, formatPercent(report.degradedShare), formatCount(totals.degraded)) +
    kpi('needs-manual', LABELS.needsManual, formatPercent(report.needsManualShare), formatCount(totals.needsManual)) +
    kpi('sms-sent', LABELS.smsSent, formatCount(totals.smsSent), share(totals.smsSent)) +
    `</dl>`
  );
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK TC","PingFang HK","Microsoft JhengHei",sans-serif;color:#1a1a1a;background:#fff}
body{margin:0 auto;max-width:1000px;padding:24px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.2rem;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.period{color:#444;margin:0}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px;margin:0}
.kpi{border:1px solid #ddd;border-radius:6px;padding:10px 12px}.kpi dt{font-size:.8rem;color:#555}.kpi dd{margin:4px 0 0;font-size:1.3rem;font-weight:600}.kpi small{display:block;font-size:.75rem;font-weight:400;color:#555}
svg.chart{max-width:100%;height:auto;font-size:12px;display:block}
svg .grid{stroke:#e5e5e5}svg .axis-line{stroke:#333}svg text{fill:#333}
svg .bar-change.up{fill:#D55E00}svg .bar-change.down{fill:#0072B2}
svg .bar-acceptance{fill:#9ecae1}
svg .period{fill:#fff4d6}svg .report-day{stroke:#b00;stroke-width:1.5;stroke-dasharray:2 2}svg .report-day-label{fill:#b00;font-weight:600}svg .bar-part.unchanged{fill:#0072B2}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:.9rem}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid #e5e5e5;padding:4px 6px;text-align:left}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}
.table-scroll{overflow-x:auto}
thead th{background:#f5f5f5}tr.spiking th{color:#b00}
.breakdowns{display:grid;grid-template-columns:1fr 1fr;gap:24px;align-items:start}
.no-spikes{color:#2a6f2a}
svg .district-tile text{fill:#1a1a1a}svg .district-tile.dark text{fill:#fff}svg .district-en{font-size:12px}svg .district-zh{font-size:13px}svg .district-count{font-size:14px;font-weight:600}
svg .district-tile.spiking rect{stroke:#b00;stroke-width:3}
td.heat.dark{color:#fff}
footer{margin-top:32px;color:#555;font-size:.8rem}
`;

/** The footer's plain-words account of how spikes are flagged, with the settings actually used. */
function spikeMethod(settings: SpikeOptions): string {
  const { baselineDays, alpha, minCount, minRatio } = settings;
  return (
    `Each topic's count is compared with a Poisson model of its mean daily count over the ${baselineDays} days before the period. ` +
    `A spike needs a tail probability below ${alpha} divided by the number of topics tested (Bonferroni), at least ${minCount} enquiries ` +
    `and at least ${minRatio}× the expected count. District spikes apply the same test to each district × topic against that district's own history, ` +
    `dividing ${alpha} by the number of district × topic pairs tested; enquiries without a known district count only in topic spikes. ` +
    `每個主題的數量與報告期間前 ${baselineDays} 日的每日平均（泊松模型）比較；須同時符合顯著水平 ${alpha}（按測試主題數目以 Bonferroni 校正）、` +
    `最少 ${minCount} 宗查詢及達預期數量的 ${minRatio} 倍，才列為異常激增。` +
    `地區異常激增以同一方法按各區各主題的歷史計算，並按測試的地區 × 主題組合數目校正；未知地區的查詢只計入主題異常激增。`
  );
}

/** The whole report as one HTML document. */
export function reportToHtml(report: TopicReport, options: HtmlReportOptions = {}): string {
  const names = options.topicNames;
  const barTopics = options.barTopics ?? 10;
  const period = `${report.period.from} – ${report.period.to} (${report.period.days} ${plain(LABELS.days)})`;
  const previous = `${report.previousPeriod.from} – ${report.previousPeriod.to}`;
  const section = (id: string, label: Label, content: string): string =>
    `<section id="${id}" aria-labelledby="${id}-heading"><h2 id="${id}-heading">${bilingual(label)}</h2>${content}</section>`;
  const method = spikeMethod(report.spikeSettings);
  return [
    `<!DOCTYPE html>`,
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(`${plain(LABELS.title)} ${report.period.from} – ${report.period.to}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<header><h1>${bilingual(LABELS.title)}</h1>`,
    `<p class="period">${bilingual(LABELS.period)}: ${escapeHtml(period)} · ${bilingual(LABELS.previousPeriod)}: ${escapeHtml(previous)}</p></header>`,
    `<main>`,
    section('totals', LABELS.totals, totalsSection(report)),
    section('series', LABELS.seriesChart, seriesChart(report, names) + hourlyChart(report, names)),
    section('change', LABELS.changeChart, changeChart(report, names, barTopics)),
    section('acceptance', LABELS.acceptanceChart, acceptanceChart(report, names, barTopics)),
    section('spikes', LABELS.spikes, spikesTable(report, names)),
    section('districts', LABELS.districts, districtsSection(report, names, options.districtGridTopics ?? 8)),
    ...(report.openIncidents ? [section('incidents', LABELS.openIncidents, openIncidentsSection(report, names))] : []),
    section('corrections', LABELS.corrections, correctionsSection(report, names)),
    section('topics', LABELS.topics, topicsTable(report, names) + breakdownTables(report)),
    `</main>`,
    `<footer><p><strong>${bilingual(LABELS.method)}:</strong> ${escapeHtml(method)}</p>`,
    options.generatedAt ? `<p>${bilingual(LABELS.generatedAt)}: ${escapeHtml(options.generatedAt)}</p>` : '',
    `</footer></body></html>`,
  ].join('\n');
}
