/**
 * Supervisor dashboard: the topic report (GET /reports/topics?format=json) as KPIs, an inline SVG trend
 * chart, spikes and acceptance per topic, the district view (tile map of the 18 districts, district ×
 * topic table, district spikes), plus the needs-manual backlog and links to the CSV/HTML files.
 */
import { DARK_HEAT_LEVELS, DISTRICT_MAP_GRID, DISTRICT_TILES, HEAT_COLOURS, heatLevel } from '../shared/domain/reports/district-map.ts';
import type { TopicReport } from '../shared/domain/reports/report.ts';
import { DISTRICTS, isDistrictId } from '../shared/vocabulary/districts.ts';
import { api, apiHref, ApiError, bearerMode, download, isRecord } from './api.ts';
import { append, byId, h, heading, replaceChildren, s, type Child, type View } from './dom.ts';
import { districtName, percent, topicName } from './format.ts';
import { t, type MessageKey } from './i18n.ts';

const PALETTE = ['#0b5cad', '#c0392b', '#2e7d32', '#7b3fa0', '#a65400', '#00707a'];

/** The report as JSON; a light check of the parts the dashboard reads, so a changed format shows "no data" rather than breaking. */
export function asTopicReport(raw: unknown): TopicReport | undefined {
  const report = isRecord(raw) && isRecord(raw['report']) ? raw['report'] : raw;
  if (!isRecord(report) || !isRecord(report['series']) || !Array.isArray(report['byTopic']) || !isRecord(report['totals'])) return undefined;
  const series = report['series'];
  if (!Array.isArray(series['buckets']) || !Array.isArray(series['topics'])) return undefined;
  const corrections = { decided: 0, corrected: 0, correctionRate: null, crossDepartmental: 0, crossDepartmentalShare: null, byAiTopic: [], topConfusions: [] };
  const districts = { byDistrict: [], cells: [], locatedShare: null };
  return { spikes: [], acceptance: [], corrections, districts, districtSpikes: [], districtHourlySurges: [], ...report } as unknown as TopicReport;
}

function trendChart(report: TopicReport | undefined, caption: string): Element {
  const width = 760;
  const height = 280;
  const margin = { top: 16, right: 16, bottom: 40, left: 44 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const buckets = report?.series.buckets ?? [];
  const series = report?.series.topics ?? [];
  const max = Math.max(1, ...series.flatMap((one) => one.counts));
  const step = max <= 5 ? 1 : Math.ceil(max / 5);
  const yMax = Math.ceil(max / step) * step;
  const x = (i: number) => margin.left + (buckets.length <= 1 ? innerW / 2 : (i * innerW) / (buckets.length - 1));
  const y = (v: number) => margin.top + innerH - (v / yMax) * innerH;

  const svg = s('svg', { class: 'chart trend-chart', id: 'trend-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'trend-chart-title' }, s('title', { id: 'trend-chart-title' }, caption));
  for (let v = 0; v <= yMax; v += step) {
    append(svg, [s('line', { class: 'grid', x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v) }), s('text', { x: margin.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v)]);
  }
  append(svg, [
    s('line', { class: 'axis', x1: margin.left, x2: margin.left, y1: margin.top, y2: margin.top + innerH }),
    s('line', { class: 'axis', x1: margin.left, x2: width - margin.right, y1: margin.top + innerH, y2: margin.top + innerH }),
  ]);
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  buckets.forEach((bucket, i) => {
    if (i % labelEvery === 0 || i === buckets.length - 1) append(svg, [s('text', { x: x(i), y: height - margin.bottom + 18, 'text-anchor': 'middle' }, bucket.start.slice(5))]);
  });
  series.forEach((one, index) => {
    const colour = PALETTE[index % PALETTE.length]!;
    const points = buckets.map((_, i) => `${x(i).toFixed(1)},${y(one.counts[i] ?? 0).toFixed(1)}`);
    append(svg, [s('polyline', { class: 'series', points: points.join(' '), stroke: colour, 'data-topic': one.topic }, s('title', {}, topicName(one.topic)))]);
    buckets.forEach((bucket, i) => {
      const value = one.counts[i] ?? 0;
      if (value > 0) append(svg, [s('circle', { cx: x(i), cy: y(value), r: 3.5, fill: colour }, s('title', {}, `${topicName(one.topic)} ${bucket.start}: ${value}`))]);
    });
  });
  if (series.length === 0) append(svg, [s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, t('trendEmpty'))]);
  const legend = h('ul', { class: 'legend' }, ...series.map((one, index) => h('li', {}, h('span', { class: 'swatch', style: `background:${PALETTE[index % PALETTE.length]!}` }), topicName(one.topic))));
  const figure = h('figure', { class: 'trend' });
  append(figure, [svg, legend]);
  return figure;
}

/** Today in Hong Kong as YYYY-MM-DD. */
function hongKongDay(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function changeText(changePct: number | null, count: number): string {
  if (changePct === null) return count > 0 ? t('changeNew') : '–';
  return `${changePct > 0 ? '+' : ''}${Math.round(changePct)}%`;
}

/** Correction rate per AI topic with where agents moved them, and the cross-departmental share per topic. */
function correctionsPanel(report: TopicReport | undefined): Element {
  const rows = report?.corrections.byAiTopic ?? [];
  const crossDepartmental = new Map((report?.byTopic ?? []).map((row) => [row.topic, row.crossDepartmentalShare]));
  const columns = ['colAiTopic', 'colDecided', 'colCorrected', 'colCorrectionRate', 'colAgentTopic', 'colCrossDepartmental'] as const;
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'corrections-title' },
    h('h2', { id: 'corrections-title' }, t('correctionsTitle')),
    rows.length === 0
      ? h('p', { class: 'muted', id: 'corrections-none' }, t('correctionsNone'))
      : h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { id: 'corrections-table' },
            h('thead', {}, h('tr', {}, ...columns.map((key) => h('th', { scope: 'col', class: key === 'colAiTopic' || key === 'colAgentTopic' ? undefined : 'numeric' }, t(key))))),
            h(
              'tbody',
              {},
              ...rows.map((row) =>
                h(
                  'tr',
                  { 'data-topic': row.topic },
                  h('td', {}, topicName(row.topic)),
                  h('td', { class: 'numeric' }, row.decided),
                  h('td', { class: 'numeric' }, row.corrected),
                  h('td', { class: 'numeric' }, percent(row.correctionRate)),
                  h('td', {}, row.topConfusions.map((c) => `${topicName(c.agentTopic)} (${c.count})`).join(', ') || '–'),
                  h('td', { class: 'numeric' }, percent(crossDepartmental.get(row.topic))),
                ),
              ),
            ),
          ),
        ),
  );
}

const TILE = { width: 128, height: 58, gap: 6 } as const;
/** Topic columns of the district × topic table: the period's busiest. */
const DISTRICT_GRID_TOPICS = 6;

/** The 18 districts as tiles (shared layout with the HTML report), coloured by the period's count; each names itself in both scripts. */
function districtMap(report: TopicReport, caption: string): Element {
  const rows = report.districts.byDistrict.filter((row) => isDistrictId(row.district));
  const max = Math.max(0, ...rows.map((row) => row.count));
  const spiking = new Set(report.districtSpikes.map((spike) => spike.district));
  const width = DISTRICT_MAP_GRID.cols * (TILE.width + TILE.gap);
  const height = DISTRICT_MAP_GRID.rows * (TILE.height + TILE.gap);
  const svg = s('svg', { class: 'chart district-map', id: 'district-map', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'district-map-title' }, s('title', { id: 'district-map-title' }, caption));
  for (const row of rows) {
    if (!isDistrictId(row.district)) continue;
    const { col, row: line } = DISTRICT_TILES[row.district];
    const x = col * (TILE.width + TILE.gap);
    const y = line * (TILE.height + TILE.gap);
    const level = heatLevel(row.count, max);
    const names = DISTRICTS[row.district];
    const topics = row.topTopics.map((topic) => `${topicName(topic.topic)} (${topic.count})`).join(', ') || '–';
    append(svg, [
      s(
        'g',
        { class: `district-tile level-${level}${level >= DARK_HEAT_LEVELS ? ' dark' : ''}${spiking.has(row.district) ? ' spiking' : ''}`, 'data-district': row.district, 'data-count': row.count },
        s('title', {}, t('districtTileTitle', { district: districtName(row.district), count: row.count, topics })),
        s('rect', { x, y, width: TILE.width, height: TILE.height, rx: 4, fill: HEAT_COLOURS[level] }),
        s('text', { class: 'district-en', x: x + 6, y: y + 15 }, names.en),
        s('text', { class: 'district-zh', x: x + 6, y: y + 32, lang: 'zh-Hant' }, names['zh-Hant']),
        s('text', { class: 'district-count', x: x + TILE.width - 6, y: y + TILE.height - 7, 'text-anchor': 'end' }, row.count),
      ),
    ]);
  }
  return svg;
}

/** District view: the tile map, district spikes, each district's top topics and the district × topic table. */
function districtPanel(report: TopicReport | undefined, period: { from: string; to: string }): Element {
  const rows = report?.districts.byDistrict ?? [];
  const topics = (report?.byTopic ?? []).filter((row) => row.count > 0).slice(0, DISTRICT_GRID_TOPICS).map((row) => row.topic);
  const counts = new Map<string, number>();
  const others = new Map<string, number>();
  for (const cell of report?.districts.cells ?? []) {
    if (topics.includes(cell.topic)) counts.set(`${cell.district}#${cell.topic}`, cell.count);
    else others.set(cell.district, (others.get(cell.district) ?? 0) + cell.count);
  }
  // Shaded against the busiest known district × topic: the unknown row (no place named) is shown, not shaded.
  const max = Math.max(0, ...[...counts].filter(([key]) => !key.startsWith('unknown#')).map(([, count]) => count));
  const numeric = { class: 'numeric' };
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'districts-title', id: 'districts' },
    h('h2', { id: 'districts-title' }, t('districtTitle')),
    report && rows.length > 0 ? h('p', { class: 'muted', id: 'district-located' }, t('districtLocated', { share: percent(report.districts.locatedShare) })) : null,
    report && rows.length > 0 ? h('figure', { class: 'district-map-figure' }, districtMap(report, t('districtMapLabel', period))) : h('p', { class: 'muted' }, t('trendEmpty')),
    h('h3', { id: 'district-spikes-title' }, t('districtSpikesTitle')),
    (report?.districtSpikes.length ?? 0) === 0
      ? h('p', { class: 'muted', id: 'district-spikes-none' }, t('districtSpikesNone'))
      : h(
          'ul',
          { class: 'spikes', id: 'district-spikes', 'aria-labelledby': 'district-spikes-title' },
          ...(report?.districtSpikes ?? []).map((spike) =>
            h(
              'li',
              { 'data-district': spike.district ?? 'unknown', 'data-topic': spike.topic },
              t('districtSpikeLine', { district: districtName(spike.district ?? 'unknown'), topic: topicName(spike.topic), count: spike.count, baseline: spike.expected.toFixed(1), p: spike.pValue.toPrecision(2) }),
            ),
          ),
        ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { id: 'district-table' },
        h('caption', {}, t('districtTableTitle')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colDistrict')), h('th', { scope: 'col', class: 'numeric' }, t('colCount')), h('th', { scope: 'col', class: 'numeric' }, t('colChange')), h('th', { scope: 'col' }, t('colTopTopics')))),
        h(
          'tbody',
          {},
          ...rows.map((row) =>
            h(
              'tr',
              { 'data-district': row.district },
              h('th', { scope: 'row' }, districtName(row.district)),
              h('td', numeric, row.count),
              h('td', numeric, changeText(row.changePct, row.count)),
              h('td', {}, row.topTopics.map((topic) => `${topicName(topic.topic)} (${topic.count})`).join(', ') || '–'),
            ),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { id: 'district-topic-table', class: 'heat-grid' },
        h('caption', {}, t('districtTopicsTitle')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colDistrict')), ...topics.map((topic) => h('th', { scope: 'col', class: 'numeric' }, topicName(topic))), h('th', { scope: 'col', class: 'numeric' }, t('colOtherTopics')))),
        h(
          'tbody',
          {},
          ...rows.map((row) =>
            h(
              'tr',
              { 'data-district': row.district },
              h('th', { scope: 'row' }, districtName(row.district)),
              ...topics.map((topic) => {
                const count = counts.get(`${row.district}#${topic}`) ?? 0;
                if (!isDistrictId(row.district)) return h('td', { class: 'numeric', 'data-topic': topic }, count);
                const level = heatLevel(count, max);
                return h('td', { class: `numeric heat level-${level}${level >= DARK_HEAT_LEVELS ? ' dark' : ''}`, 'data-topic': topic, style: `background:${HEAT_COLOURS[level]}` }, count);
              }),
              h('td', numeric, others.get(row.district) ?? 0),
            ),
          ),
        ),
      ),
    ),
  );
}

export interface DashboardContext {
  role: 'agent' | 'supervisor' | undefined;
  navigate(hash: string): void;
}

export function dashboardView(query: URLSearchParams, context: DashboardContext): View {
  const today = new Date();
  const params = {
    from: query.get('from') ?? hongKongDay(new Date(today.getTime() - 27 * 86_400_000)),
    to: query.get('to') ?? hongKongDay(today),
    granularity: query.get('granularity') === 'week' ? 'week' : 'day',
  };
  let report: TopicReport | undefined;
  let loaded = false;
  let backlog: string | undefined;
  let error: unknown;
  let forbidden = false;
  let disposed = false;

  const load = async () => {
    const [reportResult, backlogResult] = await Promise.allSettled([
      api<unknown>(`/api/reports/topics?${new URLSearchParams({ ...params, format: 'json' })}`),
      api<{ items: unknown[]; cursor: string | null }>('/api/enquiries?status=needs_manual&limit=100'),
    ]);
    loaded = true;
    if (reportResult.status === 'fulfilled') {
      report = asTopicReport(reportResult.value);
      error = report ? undefined : new ApiError(200, { title: 'Unexpected report', status: 200, detail: t('reportUnreadable') });
    } else {
      error = reportResult.reason;
      forbidden = reportResult.reason instanceof ApiError && reportResult.reason.status === 403;
    }
    if (backlogResult.status === 'fulfilled') backlog = `${backlogResult.value.items.length}${backlogResult.value.cursor ? '+' : ''}`;
    if (!disposed) view.render();
  };

  type Download = 'csv' | 'html' | 'district-csv';
  const fileName = (format: Download) => `topic-report-${params.from}-${params.to}${format === 'district-csv' ? '.districts.csv' : `.${format}`}`;
  const downloadPath = (format: Download) => `/api/reports/topics?${new URLSearchParams({ ...params, format })}`;
  const downloadHref = (format: Download) => apiHref(downloadPath(format));
  /** Deployed, a link cannot carry the Bearer token: fetch the report and save it instead. */
  const downloadWithToken = (format: Download) => (event: Event) => {
    if (!bearerMode()) return;
    event.preventDefault();
    void download(downloadPath(format), fileName(format)).catch((e: unknown) => {
      error = e;
      if (!disposed) view.render();
    });
  };

  const forbiddenView = () => {
    const problem = error instanceof ApiError ? error.problem : undefined;
    replaceChildren(
      byId('main'),
      heading(t('dashboardTitle')),
      h(
        'div',
        { class: 'alert error', role: 'alert', id: 'dashboard-forbidden' },
        h('p', {}, t('dashboardForbidden', { role: t(context.role === 'supervisor' ? 'roleSupervisor' : 'roleAgent') })),
        forbidden ? h('p', {}, t('dashboardForbiddenServer', { detail: `${error instanceof ApiError ? error.status : ''} ${problem?.detail ?? problem?.title ?? ''}`.trim() })) : null,
      ),
      h('p', {}, h('a', { href: '#/queue' }, t('backToQueue'))),
    );
  };

  const view: View = {
    render() {
      if (forbidden || context.role !== 'supervisor') return forbiddenView();
      const granularityLabel = t(params.granularity === 'week' ? 'granularityWeek' : 'granularityDay');
      const form = h(
        'form',
        {
          class: 'panel row',
          'aria-label': t('reportPeriod'),
          onsubmit: (event) => {
            event.preventDefault();
            const data = new FormData(event.target as HTMLFormElement);
            context.navigate(`#/dashboard?${new URLSearchParams({ from: String(data.get('from')), to: String(data.get('to')), granularity: String(data.get('granularity')) })}`);
          },
        },
        h('div', { class: 'field' }, h('label', { for: 'report-from' }, t('from')), h('input', { id: 'report-from', name: 'from', type: 'date', value: params.from, required: true })),
        h('div', { class: 'field' }, h('label', { for: 'report-to' }, t('to')), h('input', { id: 'report-to', name: 'to', type: 'date', value: params.to, required: true })),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'report-granularity' }, t('granularity')),
          h(
            'select',
            { id: 'report-granularity', name: 'granularity' },
            h('option', { value: 'day', selected: params.granularity === 'day' }, t('granularityDay')),
            h('option', { value: 'week', selected: params.granularity === 'week' }, t('granularityWeek')),
          ),
        ),
        h('button', { type: 'submit', class: 'button primary' }, t('update')),
      );
      const kpi = (label: MessageKey, value: string, id: string) => h('div', { class: 'kpi' }, h('div', { class: 'value', id }, value), h('div', { class: 'label' }, t(label)));
      const problem = error instanceof ApiError ? error.problem : undefined;
      const content: Child[] = [
        error ? h('div', { class: 'alert error', role: 'alert' }, t('reportUnavailable', { detail: problem?.detail ?? String(error) })) : null,
        h(
          'div',
          { class: 'kpis' },
          kpi('kpiTotal', report ? String(report.totals.count) : '–', 'kpi-total'),
          kpi('kpiBacklog', backlog ?? '–', 'kpi-backlog'),
          kpi('kpiAcceptance', percent(report?.totals.acceptance.acceptanceRate), 'kpi-acceptance'),
          kpi('kpiUnchanged', percent(report?.totals.acceptance.unchangedRate), 'kpi-unchanged'),
          kpi('kpiSpikes', report ? String(report.spikes.length) : '–', 'kpi-spikes'),
          kpi('kpiDistrictSpikes', report ? String(report.districtSpikes.length) : '–', 'kpi-district-spikes'),
          kpi('kpiCorrectionRate', percent(report?.corrections.correctionRate), 'kpi-correction-rate'),
          kpi('kpiCrossDepartmental', percent(report?.corrections.crossDepartmentalShare), 'kpi-cross-departmental'),
        ),
        h(
          'section',
          { class: 'panel', 'aria-labelledby': 'trend-title' },
          h('h2', { id: 'trend-title' }, t('trendTitle')),
          loaded ? trendChart(report, t('trendChartLabel', { granularity: granularityLabel, from: params.from, to: params.to })) : h('p', { class: 'loading' }, t('loading')),
        ),
        h(
          'div',
          { class: 'grid-2 even' },
          h(
            'section',
            { class: 'panel', 'aria-labelledby': 'spikes-title' },
            h('h2', { id: 'spikes-title' }, t('spikesTitle')),
            (report?.spikes.length ?? 0) === 0
              ? h('p', { class: 'muted' }, t('spikesNone'))
              : h(
                  'ul',
                  { class: 'spikes', id: 'spikes' },
                  ...(report?.spikes ?? []).map((spike) =>
                    h('li', {}, t('spikeLine', { topic: topicName(spike.topic), count: spike.count, baseline: spike.expected.toFixed(1), p: spike.pValue.toPrecision(2) })),
                  ),
                ),
          ),
          h(
            'section',
            { class: 'panel', 'aria-labelledby': 'downloads-title' },
            h('h2', { id: 'downloads-title' }, t('downloads')),
            h(
              'ul',
              {},
              h('li', {}, h('a', { href: downloadHref('csv'), download: fileName('csv'), id: 'download-csv', onclick: downloadWithToken('csv') }, t('downloadCsv'))),
              h('li', {}, h('a', { href: downloadHref('district-csv'), download: fileName('district-csv'), id: 'download-district-csv', onclick: downloadWithToken('district-csv') }, t('downloadDistrictCsv'))),
              h('li', {}, h('a', { href: downloadHref('html'), target: '_blank', rel: 'noopener', id: 'download-html', onclick: downloadWithToken('html') }, t('downloadHtml'))),
            ),
          ),
        ),
        h(
          'section',
          { class: 'panel', 'aria-labelledby': 'acceptance-title' },
          h('h2', { id: 'acceptance-title' }, t('acceptanceTitle')),
          h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { id: 'acceptance-table' },
              h(
                'thead',
                {},
                h('tr', {}, ...(['colTopic', 'colCount', 'colChange', 'colApproved', 'colEdited', 'colRejected', 'colAcceptance'] as const).map((key) => h('th', { scope: 'col', class: key === 'colTopic' ? undefined : 'numeric' }, t(key)))),
              ),
              h(
                'tbody',
                {},
                ...(report?.byTopic ?? []).map((row) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, topicName(row.topic)),
                    h('td', { class: 'numeric' }, row.count),
                    h('td', { class: 'numeric' }, changeText(row.changePct, row.count)),
                    h('td', { class: 'numeric' }, row.acceptance.approvedUnchanged),
                    h('td', { class: 'numeric' }, row.acceptance.edited),
                    h('td', { class: 'numeric' }, row.acceptance.rejected),
                    h('td', { class: 'numeric' }, percent(row.acceptance.acceptanceRate)),
                  ),
                ),
              ),
            ),
          ),
        ),
        loaded ? districtPanel(report, { from: params.from, to: params.to }) : null,
        correctionsPanel(report),
      ];
      replaceChildren(byId('main'), heading(t('dashboardTitle')), form, ...content);
    },
    dispose() {
      disposed = true;
    },
  };
  if (context.role === 'supervisor') void load();
  else {
    // Ask the API anyway: the server, not the page, is what keeps agents out.
    void api('/api/reports/topics?format=json').catch((e: unknown) => {
      error = e;
      forbidden = e instanceof ApiError && e.status === 403;
      if (!disposed) view.render();
    });
  }
  return view;
}
