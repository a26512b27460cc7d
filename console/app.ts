/**
 * 1823 Assist review console over the review API, bundled by esbuild (build.ts): the shell (sign-in, routing,
 * chrome, keyboard), the queue, the outbox and the pipeline view in plain TypeScript (dom.ts); the enquiry
 * detail view in preact (views/enquiry-detail). Every piece of data reaches the page through text nodes or
 * attributes, never as HTML.
 */
import { api, onUnauthorized, useBearerTransport, type EnquirySummary, type Incident, type OutboxMessage, type Progress, type Session } from './api.ts';
import { dashboardView } from './dashboard.ts';
import { byId, h, heading, problemAlert, replaceChildren, type View } from './dom.ts';
import { districtLabel, districtName, formatAge, formatTime, languageName, localeTag, placeName, topicName, TOPIC_NAMES, urgencyBadge } from './format.ts';
import { isMessageKey, locale, localeForLanguages, setLocale, t, type Locale, type MessageKey } from './i18n.ts';
import { isCallbackPath } from './auth.ts';
import { CognitoSession, loadConsoleConfig } from './session.ts';
import { enquiryDetailView, type DetailContext } from './views/enquiry-detail/index.tsx';

// ---------------------------------------------------------------------------------------------------
// Session, routing, static labels

let session: Session | undefined;
/** Deployed (config.json in cognito mode): the Cognito session; undefined in the local dev console. */
let auth: CognitoSession | undefined;
/** Signed in with Cognito, but in neither the agent nor the supervisor group. */
let noRole = false;

let currentView: View | undefined;

function routeOf(): { name: string; id?: string; query: URLSearchParams } {
  const hash = window.location.hash.replace(/^#/, '');
  const [path = '', search = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean);
  return { name: parts[0] ?? '', ...(parts[1] ? { id: decodeURIComponent(parts[1]) } : {}), query: new URLSearchParams(search) };
}

function navigate(hash: string): void {
  if (window.location.hash === hash) void route();
  else window.location.hash = hash;
}

onUnauthorized(() => {
  // The API refused the token: forget it, a fresh sign-in is the only way on.
  void auth?.clear();
  onSignedOut();
});

function onSignedOut(): void {
  session = undefined;
  applyChrome();
  if (routeOf().name !== 'sign-in') navigate('#/sign-in');
}

function applyStaticLabels(): void {
  document.documentElement.lang = locale();
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = element.dataset['i18n'] ?? '';
    if (isMessageKey(key)) element.textContent = t(key);
  }
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
    const key = element.dataset['i18nLabel'] ?? '';
    if (isMessageKey(key)) element.setAttribute('aria-label', t(key));
  }
  const toggle = byId('language-toggle');
  toggle.setAttribute('lang', locale() === 'en' ? 'zh-Hant' : 'en');
  document.title = `${t('appName')} · ${t('appSubtitle')}`;
}

function applyChrome(): void {
  const nav = byId('main-nav');
  nav.hidden = !session;
  for (const item of nav.querySelectorAll<HTMLElement>('[data-supervisor-only]')) item.hidden = session?.role !== 'supervisor';
  for (const item of nav.querySelectorAll<HTMLElement>('[data-local-only]')) item.hidden = auth !== undefined;
  byId('sign-out').hidden = !session;
  byId('session-name').textContent = session ? t('signedInAs', { name: session.name, role: t(session.role === 'agent' ? 'roleAgent' : 'roleSupervisor') }) : '';
  const name = routeOf().name;
  for (const link of nav.querySelectorAll<HTMLAnchorElement>('a[data-route]')) {
    const active = link.dataset['route'] === name || (name === 'enquiry' && link.dataset['route'] === 'queue');
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function mount(view: View, focusHeading = true): void {
  currentView?.dispose?.();
  currentView = view;
  view.render();
  if (focusHeading) byId('main').querySelector<HTMLElement>('h1')?.focus();
}

async function route(): Promise<void> {
  const { name, id, query } = routeOf();
  if (!session && name !== 'sign-in') session = await currentSession();
  applyChrome();
  if (!session) return mount(signInView(name === 'sign-in' ? undefined : t('signInRequired')));
  switch (name) {
    case 'sign-in':
      return mount(signInView());
    case 'enquiry':
      return id ? mount(enquiryDetailView(id, detailContext)) : navigate('#/queue');
    case 'outbox':
      return mount(outboxView());
    case 'incidents':
      return mount(incidentsView());
    case 'progress':
      return mount(progressView());
    case 'dashboard':
      return mount(dashboardView(query, { role: session.role, navigate }));
    case 'queue':
      return mount(queueView());
    default:
      return navigate(session.role === 'supervisor' ? '#/dashboard' : '#/queue');
  }
}


async function currentSession(): Promise<Session | undefined> {
  if (auth) {
    const user = auth.currentUser();
    noRole = user !== undefined && user.role === undefined;
    return user?.role ? { name: user.name, role: user.role } : undefined;
  }
  try {
    return (await api<Session | null>('/dev/session')) ?? undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Sign-in: the Cognito hosted UI when deployed

function cognitoSignInView(cognito: CognitoSession, notice?: string): View {
  let error: unknown;
  let busy = false;
  // Back to where the user was going (a deep link), never to the sign-in route itself.
  const returnTo = routeOf().name === 'sign-in' ? '#/' : window.location.hash || '#/';
  const view: View = {
    render() {
      replaceChildren(
        byId('main'),
        h(
          'section',
          { class: 'panel sign-in', 'aria-labelledby': 'sign-in-title' },
          h('h1', { id: 'sign-in-title', tabindex: -1 }, t('signInCognitoTitle')),
          noRole ? h('p', { class: 'alert error', role: 'alert', id: 'sign-in-no-role' }, t('signInNoRole')) : notice ? h('p', { class: 'alert info', role: 'status' }, notice) : null,
          error ? h('p', { class: 'alert error', role: 'alert' }, t('signInFailed', { detail: error instanceof Error ? error.message : String(error) })) : null,
          h('p', {}, t('signInCognitoIntro')),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                id: 'sign-in-cognito',
                class: 'button primary',
                disabled: busy,
                onclick: () => {
                  busy = true;
                  view.render();
                  cognito.beginSignIn(returnTo).catch((e: unknown) => {
                    busy = false;
                    error = e;
                    view.render();
                  });
                },
              },
              busy ? t('signingIn') : t('signInCognitoSubmit'),
            ),
          ),
        ),
      );
    },
  };
  return view;
}

// ---------------------------------------------------------------------------------------------------
// Sign-in (DEV ONLY)

function signInView(notice?: string): View {
  if (auth) return cognitoSignInView(auth, notice);
  let role: Session['role'] = 'agent';
  let name = '';
  let error: unknown;
  const view: View = {
    render() {
      const main = byId('main');
      const option = (value: Session['role'], label: MessageKey, hint: MessageKey) =>
        h(
          'label',
          { class: 'role-option' },
          h('input', {
            type: 'radio',
            name: 'role',
            value,
            checked: role === value,
            onchange: () => {
              role = value;
            },
          }),
          h('span', {}, h('strong', {}, t(label)), h('br'), h('span', { class: 'hint' }, t(hint))),
        );
      const form = h(
        'form',
        {
          class: 'panel sign-in',
          'aria-labelledby': 'sign-in-title',
          onsubmit: (event) => {
            event.preventDefault();
            void submit();
          },
        },
        h('h1', { id: 'sign-in-title', tabindex: -1 }, t('signInTitle')),
        notice ? h('p', { class: 'alert info', role: 'status' }, notice) : null,
        error ? problemAlert(error) : null,
        h('p', {}, t('signInIntro')),
        h('fieldset', {}, h('legend', {}, t('signInRole')), option('agent', 'roleAgent', 'signInRoleAgentHint'), option('supervisor', 'roleSupervisor', 'signInRoleSupervisorHint')),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'sign-in-name' }, t('signInName')),
          h('input', { id: 'sign-in-name', type: 'text', name: 'name', autocomplete: 'name', maxlength: 60, value: name, oninput: (e) => (name = (e.target as HTMLInputElement).value) }),
        ),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary' }, t('signInSubmit'))),
        h('p', { class: 'hint' }, t('devOnly')),
      );
      replaceChildren(main, form);
    },
  };
  async function submit() {
    try {
      session = await api<Session>('/dev/sign-in', { method: 'POST', body: { role, name: name.trim() || (role === 'agent' ? 'Agent' : 'Supervisor') } });
      error = undefined;
      navigate(session.role === 'supervisor' ? '#/dashboard' : '#/queue');
    } catch (e) {
      error = e;
      view.render();
    }
  }
  return view;
}

// ---------------------------------------------------------------------------------------------------
// Review queue

const queueState = {
  status: 'awaiting_review',
  topic: '',
  language: '',
  items: [] as EnquirySummary[],
  more: false,
  selectedId: undefined as string | undefined,
  loaded: false,
};

async function loadQueue(): Promise<void> {
  const query = new URLSearchParams({ status: queueState.status, limit: '100' });
  if (queueState.topic) query.set('topic', queueState.topic);
  if (queueState.language) query.set('language', queueState.language);
  const page = await api<{ items: EnquirySummary[]; cursor: string | null }>(`/api/enquiries?${query}`);
  queueState.items = [...page.items].sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  queueState.more = page.cursor !== null;
  queueState.loaded = true;
  if (!queueState.items.some((item) => item.enquiryId === queueState.selectedId)) queueState.selectedId = queueState.items[0]?.enquiryId;
}

function queueView(): View {
  let error: unknown;
  let timer: number | undefined;
  let lastSnapshot = '';
  let tbody: HTMLTableSectionElement | undefined;
  let count: HTMLElement | undefined;

  const refresh = async () => {
    try {
      await loadQueue();
      error = undefined;
    } catch (e) {
      error = e;
    }
    const snapshot = JSON.stringify([queueState.items, queueState.more, error ? String(error) : '']);
    if (snapshot !== lastSnapshot) {
      lastSnapshot = snapshot;
      if (error) view.render();
      else renderRows();
    }
  };

  const select = (delta: number) => {
    const index = queueState.items.findIndex((item) => item.enquiryId === queueState.selectedId);
    const next = queueState.items[Math.min(queueState.items.length - 1, Math.max(0, index + delta))];
    if (!next) return;
    queueState.selectedId = next.enquiryId;
    renderRows();
    tbody?.querySelector<HTMLAnchorElement>(`tr.selected a`)?.focus();
  };

  function renderRows() {
    if (!tbody || !count) return;
    const focusedId = document.activeElement instanceof HTMLAnchorElement ? document.activeElement.dataset['enquiryId'] : undefined;
    count.textContent = queueState.loaded ? t('queueCount', { count: queueState.items.length }) : t('loading');
    const rows = queueState.items.map((item) =>
      h(
        'tr',
        { class: item.enquiryId === queueState.selectedId ? 'selected' : undefined, 'data-enquiry-id': item.enquiryId },
        h('td', {}, h('a', { href: `#/enquiry/${encodeURIComponent(item.enquiryId)}`, class: 'mono', 'data-enquiry-id': item.enquiryId }, item.enquiryId)),
        h('td', {}, topicName(item.agentTopic ?? item.topic), item.manualReason ? h('div', { class: 'hint' }, `${t('manualReason')}: ${item.manualReason}`) : null),
        h('td', {}, languageName(item.language)),
        h('td', {}, districtLabel(item.location), item.location?.place ? h('div', { class: 'hint' }, placeName(item.location.place)) : null),
        h('td', { class: 'numeric' }, h('time', { datetime: item.receivedAt, title: formatTime(item.receivedAt) }, formatAge(item.ageMinutes))),
        h('td', {}, urgencyBadge(item.urgency)),
        h('td', {}, item.degraded ? h('span', { class: 'badge degraded', title: t('degradedHint') }, t('degraded')) : null),
        h('td', {}, item.channel),
      ),
    );
    if (rows.length === 0 && queueState.loaded) rows.push(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, t('queueEmpty'))));
    replaceChildren(tbody, ...rows);
    if (focusedId) tbody.querySelector<HTMLAnchorElement>(`a[data-enquiry-id="${CSS.escape(focusedId)}"]`)?.focus();
  }

  const filterSelect = (id: string, label: MessageKey, value: string, options: [string, string][], onChange: (value: string) => void) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, t(label)),
      h(
        'select',
        {
          id,
          onchange: (event) => {
            onChange((event.target as HTMLSelectElement).value);
            lastSnapshot = '';
            void refresh();
          },
        },
        ...options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)),
      ),
    );

  const view: View = {
    render() {
      tbody = h('tbody');
      count = h('p', { class: 'muted', role: 'status' });
      const topics = Object.keys(TOPIC_NAMES).sort((a, b) => topicName(a).localeCompare(topicName(b), localeTag()));
      replaceChildren(
        byId('main'),
        heading(t('queueTitle')),
        h('p', { class: 'muted' }, t('queueIntro')),
        error ? problemAlert(error) : null,
        h(
          'section',
          { class: 'panel', 'aria-label': t('queueTitle') },
          h(
            'div',
            { class: 'row' },
            filterSelect('filter-status', 'filterStatus', queueState.status, [
              ['awaiting_review', t('status-awaiting_review')],
              ['needs_manual', t('status-needs_manual')],
            ], (value) => (queueState.status = value)),
            filterSelect('filter-topic', 'filterTopic', queueState.topic, [['', t('filterAll')], ...topics.map((topic): [string, string] => [topic, topicName(topic)])], (value) => (queueState.topic = value)),
            filterSelect('filter-language', 'filterLanguage', queueState.language, [['', t('filterAll')], ...['zh-HK', 'en-US', 'zh-CN'].map((l): [string, string] => [l, languageName(l)])], (value) => (queueState.language = value)),
            h('button', { type: 'button', class: 'button', onclick: () => void refresh() }, t('refresh')),
          ),
          count,
          h(
            'table',
            { id: 'queue-table' },
            h('caption', { class: 'visually-hidden' }, t('queueTitle')),
            h(
              'thead',
              {},
              h('tr', {}, ...(['colEnquiry', 'colTopic', 'colLanguage', 'colDistrict', 'colAge', 'colUrgency', 'colFlags', 'colChannel'] as const).map((key) => h('th', { scope: 'col', class: key === 'colAge' ? 'numeric' : undefined }, t(key)))),
            ),
            tbody,
          ),
          queueState.more ? h('p', { class: 'hint' }, t('queueMore')) : null,
        ),
      );
      renderRows();
      if (timer === undefined) {
        void refresh();
        timer = window.setInterval(() => void refresh(), 3000);
      }
    },
    dispose() {
      window.clearInterval(timer);
    },
    onKey(key) {
      if (key === 'j') select(1);
      else if (key === 'k') select(-1);
      else if ((key === 'Enter' || key === 'o') && queueState.selectedId) navigate(`#/enquiry/${encodeURIComponent(queueState.selectedId)}`);
      else return false;
      return true;
    },
  };
  return view;
}

// ---------------------------------------------------------------------------------------------------
// Enquiry detail (console/views/enquiry-detail): the queue around it, for j / k and "Next enquiry"

const detailContext: DetailContext = {
  navigate,
  queue: {
    neighbour(enquiryId, delta) {
      const items = queueState.items;
      const index = items.findIndex((item) => item.enquiryId === enquiryId);
      const next = index === -1 ? items[0] : items[index + delta];
      if (next) queueState.selectedId = next.enquiryId;
      return next?.enquiryId;
    },
    remove(enquiryId) {
      queueState.items = queueState.items.filter((item) => item.enquiryId !== enquiryId);
    },
    size: () => queueState.items.length,
    ensureLoaded: () => (queueState.loaded ? Promise.resolve() : loadQueue()),
  },
};

// ---------------------------------------------------------------------------------------------------
// Polling views: outbox and pipeline progress

function pollingView<T>(path: string, intervalMs: number, draw: (data: T | undefined, error: unknown) => void): View {
  let data: T | undefined;
  let error: unknown;
  let timer: number | undefined;
  let last = '';
  const refresh = async () => {
    try {
      data = await api<T>(path);
      error = undefined;
    } catch (e) {
      error = e;
    }
    const snapshot = JSON.stringify(data) + String(error);
    if (snapshot !== last) {
      last = snapshot;
      draw(data, error);
    }
  };
  return {
    render() {
      draw(data, error);
      if (timer === undefined) {
        void refresh();
        timer = window.setInterval(() => void refresh(), intervalMs);
      }
    },
    dispose() {
      window.clearInterval(timer);
    },
  };
}

function outboxView(): View {
  let headingShown = false;
  return pollingView<OutboxMessage[]>('/api/local/outbox', 2000, (messages, error) => {
    const rows = (messages ?? [])
      .slice()
      .reverse()
      .map((message) =>
        h(
          'tr',
          {},
          h('td', { class: 'mono' }, message.to),
          h('td', {}, h('time', { datetime: message.at }, formatTime(message.at))),
          h('td', {}, message.encoding),
          h('td', { class: 'numeric' }, Array.isArray(message.parts) ? message.parts.length : message.parts),
          h('td', { class: 'sms-text' }, message.text),
        ),
      );
    const main = byId('main');
    const focusHeading = !headingShown;
    headingShown = true;
    replaceChildren(
      main,
      heading(t('outboxTitle')),
      h('p', { class: 'muted' }, t('outboxIntro')),
      error ? problemAlert(error) : null,
      messages === undefined && !error
        ? h('p', { class: 'loading' }, t('loading'))
        : rows.length === 0
          ? h('p', { class: 'panel muted', id: 'outbox-empty' }, t('outboxEmpty'))
          : h(
              'table',
              { id: 'outbox-table', class: 'panel' },
              h('caption', { class: 'visually-hidden' }, t('outboxTitle')),
              h('thead', {}, h('tr', {}, ...(['colTo', 'colAt', 'colEncoding', 'colParts', 'colText'] as const).map((key) => h('th', { scope: 'col' }, t(key))))),
              h('tbody', {}, ...rows),
            ),
    );
    if (focusHeading) main.querySelector('h1')?.focus();
  });
}

/** Open incidents (GET /incidents): many callers reporting one thing at one place, most recent first. */
function incidentsView(): View {
  let headingShown = false;
  return pollingView<{ items: Incident[] }>('/api/incidents?status=open', 5000, (page, error) => {
    const rows = (page?.items ?? []).map((incident) =>
      h(
        'tr',
        { 'data-incident-id': incident.incidentId },
        h('td', { class: 'mono' }, incident.incidentId),
        h('td', {}, topicName(incident.topic)),
        h('td', {}, districtName(incident.district)),
        h('td', {}, placeName(incident.place)),
        h('td', { class: 'numeric' }, h('span', { class: 'badge incident' }, String(incident.reports))),
        h('td', {}, h('time', { datetime: incident.firstReportAt }, formatTime(incident.firstReportAt))),
        h('td', {}, h('time', { datetime: incident.lastReportAt }, formatTime(incident.lastReportAt))),
      ),
    );
    const main = byId('main');
    const focusHeading = !headingShown;
    headingShown = true;
    replaceChildren(
      main,
      heading(t('incidentsTitle')),
      h('p', { class: 'muted' }, t('incidentsIntro')),
      error ? problemAlert(error) : null,
      page === undefined && !error
        ? h('p', { class: 'loading' }, t('loading'))
        : rows.length === 0
          ? h('p', { class: 'panel muted', id: 'incidents-empty' }, t('incidentsEmpty'))
          : h(
              'table',
              { id: 'incidents-table', class: 'panel' },
              h('caption', { class: 'visually-hidden' }, t('incidentsTitle')),
              h(
                'thead',
                {},
                h('tr', {}, ...(['colIncident', 'colTopic', 'colDistrict', 'colPlace', 'colReports', 'colFirstReport', 'colLastReport'] as const).map((key) => h('th', { scope: 'col', class: key === 'colReports' ? 'numeric' : undefined }, t(key)))),
              ),
              h('tbody', {}, ...rows),
            ),
    );
    if (focusHeading) main.querySelector('h1')?.focus();
  });
}

function progressView(): View {
  return pollingView<Progress>('/api/local/progress', 1000, (progress, error) => {
    const executions = progress?.executions ?? [];
    const focused = document.activeElement === byId('main').querySelector('h1');
    replaceChildren(
      byId('main'),
      heading(t('progressTitle')),
      h('p', { class: 'muted' }, t('progressIntro')),
      error ? problemAlert(error) : null,
      h(
        'section',
        { class: 'panel', 'aria-label': t('progressTitle') },
        executions.length === 0
          ? h('p', { class: 'muted' }, progress ? t('progressEmpty') : t('loading'))
          : h(
              'table',
              { id: 'progress-table' },
              h('thead', {}, h('tr', {}, ...(['colEnquiry', 'colStatus', 'colState', 'colPath'] as const).map((key) => h('th', { scope: 'col' }, t(key))))),
              h(
                'tbody',
                {},
                ...executions.map((execution) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, h('a', { href: `#/enquiry/${encodeURIComponent(execution.enquiryId)}`, class: 'mono' }, execution.enquiryId)),
                    h('td', {}, h('span', { class: `badge ${execution.status === 'SUCCEEDED' ? 'ok' : execution.status === 'FAILED' ? 'urgent' : 'status'}` }, execution.status)),
                    h('td', {}, execution.current ?? '–'),
                    h('td', {}, h('ol', { class: 'stepper' }, ...execution.states.map((state, i) => h('li', { class: i === execution.states.length - 1 && execution.status === 'RUNNING' ? 'current' : undefined }, state)))),
                  ),
                ),
              ),
            ),
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'events-title' },
        h('h2', { id: 'events-title' }, t('recentEvents')),
        h('ol', { class: 'events' }, ...(progress?.events ?? []).slice(-60).reverse().map((event) => h('li', {}, h('time', { datetime: event.at }, formatTime(event.at)), ` · ${event.enquiryId} → ${event.state}`))),
      ),
    );
    if (focused || !document.activeElement || document.activeElement === document.body) byId('main').querySelector<HTMLElement>('h1')?.focus();
  });
}

// ---------------------------------------------------------------------------------------------------
// Supervisor dashboard

// ---------------------------------------------------------------------------------------------------
// Keyboard, chrome events, start

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}


function onKeyDown(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const help = byId<HTMLDialogElement>('help');
  if (help.open) return;
  if (isTyping(event.target)) {
    if (event.key === 'Escape') (event.target as HTMLElement).blur();
    return;
  }
  if (event.key === '?') {
    event.preventDefault();
    help.showModal();
    return;
  }
  // Enter on a link or button keeps its own meaning.
  if (event.key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('a, button')) return;
  if (!session || !currentView?.onKey) return;
  if (currentView.onKey(event.key)) event.preventDefault();
}

/** The language the user picked with the toggle (kept in localStorage); until they pick one, the browser's. */
function initialLocale(): void {
  const picked = window.localStorage.getItem('assist.locale');
  setLocale(picked === 'zh-Hant' || picked === 'en' ? picked : localeForLanguages(navigator.languages));
}

function start(): void {
  document.addEventListener('keydown', onKeyDown);
  byId('dev-banner').hidden = auth !== undefined;
  initialLocale();
  applyStaticLabels();
  byId('language-toggle').addEventListener('click', () => {
    const next: Locale = locale() === 'en' ? 'zh-Hant' : 'en';
    setLocale(next);
    window.localStorage.setItem('assist.locale', next);
    applyStaticLabels();
    applyChrome();
    currentView?.render();
  });
  byId('sign-out').addEventListener('click', () => {
    queueState.loaded = false;
    queueState.items = [];
    if (auth) return void auth.signOut();
    void api('/dev/sign-out', { method: 'POST', body: {} }).finally(() => onSignedOut());
  });
  byId('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    byId('main').focus();
  });
  window.addEventListener('hashchange', () => void route());
  void route();
}

/** A page of text only (no chrome): the callback page and a broken config.json. */
function bareMessage(text: string, link?: { href: string; label: string }): void {
  replaceChildren(byId('main'), h('div', { class: 'panel' }, h('p', { class: 'alert error', role: 'alert', id: 'auth-error' }, text), link ? h('p', {}, h('a', { href: link.href }, link.label)) : null));
}

/**
 * On /callback (the hosted UI's redirect): trade the code for tokens, then load the console at `/` with the
 * hash the user was going to. The code leaves the address bar and the history at once.
 */
async function completeSignIn(cognito: CognitoSession): Promise<void> {
  const answer = window.location.href;
  window.history.replaceState(null, '', window.location.pathname);
  try {
    const returnTo = await cognito.completeSignIn(answer);
    window.location.replace(`/${returnTo}`);
  } catch (error) {
    document.documentElement.lang = locale();
    bareMessage(t('signInFailed', { detail: error instanceof Error ? error.message : String(error) }), { href: '/', label: t('signInAgain') });
  }
}

async function boot(): Promise<void> {
  initialLocale();
  let config: Awaited<ReturnType<typeof loadConsoleConfig>>;
  try {
    config = await loadConsoleConfig();
  } catch (error) {
    return bareMessage(t('configError', { detail: error instanceof Error ? error.message : String(error) }));
  }
  if (config) {
    const cognito = (auth = new CognitoSession(config));
    if (isCallbackPath(window.location.pathname)) return completeSignIn(cognito);
    await cognito.load();
    useBearerTransport({ baseUrl: config.apiUrl, token: () => cognito.accessToken() });
    cognito.onExpired(() => onSignedOut());
  } else if (isCallbackPath(window.location.pathname)) {
    // The local console has no hosted UI to come back from.
    return window.location.replace('/');
  }
  start();
}

void boot();
