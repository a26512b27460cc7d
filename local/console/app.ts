/**
 * 1823 Assist review console: plain TypeScript over the review API, bundled by esbuild (build.ts).
 * Every piece of data reaches the page through textContent or attributes, never as HTML.
 */
import { analyseSms, DEFAULT_MAX_SMS_SEGMENTS } from '../../shared/domain/sms/encoding.ts';
import { api, ApiError, onUnauthorized, useBearerTransport, type EnquiryDetail, type EnquirySummary, type OutboxMessage, type Progress, type Session } from './api.ts';
import { dashboardView } from './dashboard.ts';
import { announce, append, byId, h, heading, problemAlert, replaceChildren, type View } from './dom.ts';
import { formatAge, formatTime, languageName, localeTag, percent, statusLabel, topicName, departmentName, TOPIC_NAMES, urgencyBadge } from './format.ts';
import { isMessageKey, locale, localeForLanguages, setLocale, t, type Locale, type MessageKey } from './i18n.ts';
import { isCallbackPath } from './auth.ts';
import { CognitoSession, loadConsoleConfig } from './session.ts';

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
  auth?.clear();
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
      return id ? mount(detailView(id)) : navigate('#/queue');
    case 'outbox':
      return mount(outboxView());
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
    const user = auth.user();
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
        h('td', {}, topicName(item.topic), item.manualReason ? h('div', { class: 'hint' }, `${t('manualReason')}: ${item.manualReason}`) : null),
        h('td', {}, languageName(item.language)),
        h('td', { class: 'numeric' }, h('time', { datetime: item.receivedAt, title: formatTime(item.receivedAt) }, formatAge(item.ageMinutes))),
        h('td', {}, urgencyBadge(item.urgency)),
        h('td', {}, item.degraded ? h('span', { class: 'badge degraded', title: t('degradedHint') }, t('degraded')) : null),
        h('td', {}, item.channel),
      ),
    );
    if (rows.length === 0 && queueState.loaded) rows.push(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, t('queueEmpty'))));
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
              h('tr', {}, ...(['colEnquiry', 'colTopic', 'colLanguage', 'colAge', 'colUrgency', 'colFlags', 'colChannel'] as const).map((key) => h('th', { scope: 'col', class: key === 'colAge' ? 'numeric' : undefined }, t(key)))),
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
// Enquiry detail

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** Known SMS failure reasons in the agent's language; an unknown one is shown as stored. */
function smsFailureLabel(failure: string): string {
  const key = `smsFailure-${failure}`;
  return isMessageKey(key) ? t(key) : failure;
}

function actionLabel(action: string): string {
  const key = `action${action}`;
  return isMessageKey(key) ? t(key) : action;
}

const PLACEHOLDER = /\[[A-Z][A-Z0-9_]*\]/g;

function redactedTranscript(text: string): HTMLElement {
  const paragraph = h('p', { class: 'transcript', id: 'transcript' });
  let cursor = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    append(paragraph, [text.slice(cursor, match.index), h('mark', { class: 'placeholder' }, match[0])]);
    cursor = match.index + match[0].length;
  }
  append(paragraph, [text.slice(cursor)]);
  return paragraph;
}

function detailView(enquiryId: string): View {
  let detail: EnquiryDetail | undefined;
  let error: unknown;
  let text = '';
  let sendSms = false;
  /** The SMS field: the draft's template SMS, edited by the agent. */
  let smsText = '';
  /** Drafts without a template SMS send the reply: until the agent edits the SMS field, it follows the reply. */
  let smsTouched = false;
  let rejecting = false;
  let reason = '';
  let submitting = false;
  let decisionError: unknown;
  let recorded: string | undefined;
  let disposed = false;
  const refs: {
    textarea?: HTMLTextAreaElement;
    sms?: HTMLInputElement;
    smsText?: HTMLTextAreaElement;
    smsEdited?: HTMLElement;
    reason?: HTMLTextAreaElement;
    preview?: HTMLElement;
    approve?: HTMLButtonElement;
    edited?: HTMLElement;
  } = {};

  const load = async () => {
    try {
      detail = await api<EnquiryDetail>(`/api/enquiries/${encodeURIComponent(enquiryId)}`);
      text = detail.decision?.finalText ?? detail.draft?.text ?? '';
      smsText = detail.decision?.smsText ?? detail.draft?.smsText ?? text;
      smsTouched = false;
      sendSms = detail.decision ? detail.decision.sendSms : detail.smsConsent && detail.status === 'awaiting_review';
      error = undefined;
    } catch (e) {
      error = e;
    }
    if (!disposed) view.render();
    if (!queueState.loaded) await loadQueue().catch(() => undefined);
  };

  const isOpen = () => detail?.status === 'awaiting_review';
  const isEdited = () => detail !== undefined && text !== (detail.draft?.text ?? '');
  /** What the API sends when the decision carries no smsText: the draft's SMS, else the (final) reply. */
  const defaultSms = () => detail?.draft?.smsText ?? text;
  /** The SMS as the API will send it (it trims the agent's edit). */
  const outgoingSms = () => smsText.trim();
  const isSmsEdited = () => detail !== undefined && outgoingSms() !== defaultSms();

  const updateLive = () => {
    if (!detail) return;
    const analysis = analyseSms(outgoingSms());
    const tooLong = analysis.segments > DEFAULT_MAX_SMS_SEGMENTS;
    if (refs.preview) {
      replaceChildren(
        refs.preview,
        h('h3', {}, t('smsPreview')),
        h(
          'dl',
          {},
          h('div', { class: 'pair' }, h('dt', {}, t('smsEncoding')), h('dd', { 'data-testid': 'sms-encoding' }, analysis.encoding)),
          h('div', { class: 'pair' }, h('dt', {}, t('smsSegments')), h('dd', { 'data-testid': 'sms-segments' }, `${analysis.segments} / ${DEFAULT_MAX_SMS_SEGMENTS}`)),
          h('div', { class: 'pair' }, h('dt', {}, t('smsUnits')), h('dd', { 'data-testid': 'sms-units' }, analysis.units)),
        ),
        analysis.segments > 0 ? h('p', { class: 'hint' }, t('smsRemaining', { n: analysis.segments * analysis.perSegmentLimit - analysis.units })) : null,
        tooLong && sendSms ? h('p', { class: 'warning', role: 'alert' }, t('smsTooLong', { max: DEFAULT_MAX_SMS_SEGMENTS })) : null,
      );
    }
    if (refs.approve) refs.approve.textContent = isEdited() ? t('approveEdited') : t('approve');
    if (refs.edited) refs.edited.textContent = isEdited() ? t('draftEdited', { delta: signed(text.length - (detail.draft?.text.length ?? 0)) }) : '';
    if (refs.smsEdited) refs.smsEdited.textContent = isOpen() && detail.draft?.smsText && isSmsEdited() ? t('smsEdited') : '';
  };

  const decide = async (action: 'approve' | 'reject') => {
    if (!detail || !isOpen() || submitting) return;
    let body: Record<string, unknown>;
    if (action === 'reject') {
      if (!reason.trim()) {
        decisionError = new ApiError(400, { title: 'Bad Request', status: 400, detail: t('rejectReasonRequired') });
        view.render();
        refs.reason?.focus();
        return;
      }
      body = { action: 'reject', reason: reason.trim() };
    } else {
      if (sendSms && !outgoingSms()) {
        decisionError = new ApiError(400, { title: 'Bad Request', status: 400, detail: t('smsTextRequired') });
        view.render();
        refs.smsText?.focus();
        return;
      }
      body = isEdited() || !detail.draft ? { action: 'edit', text, sendSms } : { action: 'approve', sendSms };
      // Only the agent's edit travels; otherwise the API sends the draft's SMS.
      if (sendSms && isSmsEdited()) body['smsText'] = outgoingSms();
    }
    // The draft this decision was made on: if a colleague redrafted meanwhile, the API answers 409.
    if (detail.draft?.draftId) body['draftId'] = detail.draft.draftId;
    submitting = true;
    decisionError = undefined;
    view.render();
    try {
      const result = await api<{ decision: { action: string } }>(`/api/enquiries/${encodeURIComponent(enquiryId)}/decision`, { method: 'POST', body });
      recorded = t('decisionRecorded', { action: actionLabel(result.decision.action) });
      if (body['sendSms'] === true) recorded += ` ${t('decisionSms')}`;
      announce(recorded);
      queueState.items = queueState.items.filter((item) => item.enquiryId !== enquiryId);
      submitting = false;
      rejecting = false;
      await load();
      byId('decision-result').focus();
    } catch (e) {
      submitting = false;
      decisionError = e;
      view.render();
      byId('decision-error').focus();
    }
  };

  const neighbour = (delta: number) => {
    const items = queueState.items;
    const index = items.findIndex((item) => item.enquiryId === enquiryId);
    const next = index === -1 ? items[0] : items[index + delta];
    if (next) {
      queueState.selectedId = next.enquiryId;
      navigate(`#/enquiry/${encodeURIComponent(next.enquiryId)}`);
    }
  };

  const view: View = {
    render() {
      const main = byId('main');
      const back = h('p', {}, h('a', { href: '#/queue' }, `← ${t('backToQueue')}`));
      if (!detail) {
        replaceChildren(main, back, heading(t('detailTitle', { id: enquiryId })), error ? problemAlert(error) : h('p', { class: 'loading' }, t('loading')));
        return;
      }
      const d = detail;
      const open = isOpen();
      const entityCounts = new Map<string, number>();
      for (const entity of d.redactedEntities) entityCounts.set(entity.type, (entityCounts.get(entity.type) ?? 0) + 1);

      const messagePanel = h(
        'section',
        { class: 'panel', 'aria-labelledby': 'message-title' },
        h('h2', { id: 'message-title' }, t('sectionMessage')),
        d.redactedText ? redactedTranscript(d.redactedText) : h('p', { class: 'muted' }, t('noText')),
        entityCounts.size > 0 ? h('p', { class: 'hint' }, t('redactedCount', { list: [...entityCounts].map(([type, n]) => `${type} ×${n}`).join(', ') })) : null,
        d.transcription ? h('p', { class: 'hint' }, t('transcriptConfidence', { value: percent(d.transcription.averageConfidence) })) : null,
        d.transcription?.lowConfidence ? h('p', { class: 'alert info' }, t('lowConfidence')) : null,
        d.manualReason ? h('p', { class: 'alert info' }, `${t('manualReason')}: ${d.manualReason}`) : null,
      );

      refs.textarea = h('textarea', {
        id: 'draft-text',
        rows: 9,
        lang: d.draft?.script === 'en' ? 'en' : d.draft?.script === 'zh-Hans' ? 'zh-Hans' : d.draft ? 'zh-Hant' : undefined,
        'aria-describedby': 'draft-edited',
        disabled: !open || submitting,
        value: text,
        oninput: (event) => {
          text = (event.target as HTMLTextAreaElement).value;
          if (!detail?.draft?.smsText && !smsTouched) {
            smsText = text;
            if (refs.smsText) refs.smsText.value = smsText;
          }
          updateLive();
        },
      });
      const draftLang = d.draft?.script === 'en' ? 'en' : d.draft?.script === 'zh-Hans' ? 'zh-Hans' : d.draft ? 'zh-Hant' : undefined;
      refs.smsText = h('textarea', {
        id: 'sms-text',
        class: 'sms-field',
        rows: 3,
        lang: draftLang,
        'aria-describedby': d.smsConsent ? 'sms-edited sms-preview' : 'sms-consent-note sms-edited sms-preview',
        disabled: !d.smsConsent || !open || submitting,
        value: smsText,
        oninput: (event) => {
          smsText = (event.target as HTMLTextAreaElement).value;
          smsTouched = true;
          updateLive();
        },
      });
      refs.smsEdited = h('p', { class: 'hint', id: 'sms-edited' });
      refs.preview = h('div', { class: 'sms-preview', id: 'sms-preview', 'aria-live': 'polite' });
      refs.edited = h('p', { class: 'hint', id: 'draft-edited' });
      refs.sms = h('input', {
        type: 'checkbox',
        id: 'send-sms',
        checked: sendSms,
        disabled: !d.smsConsent || !open || submitting,
        'aria-describedby': d.smsConsent ? undefined : 'sms-consent-note',
        onchange: (event) => {
          sendSms = (event.target as HTMLInputElement).checked;
          updateLive();
        },
      });
      refs.approve = h('button', { type: 'button', id: 'approve', class: 'button primary', disabled: !open || submitting, onclick: () => void decide('approve') }, t('approve'));
      refs.reason = h('textarea', {
        id: 'reject-reason',
        rows: 2,
        maxlength: 500,
        value: reason,
        disabled: submitting,
        oninput: (event) => {
          reason = (event.target as HTMLTextAreaElement).value;
        },
      });

      const draftPanel = h(
        'section',
        { class: 'panel', 'aria-labelledby': 'draft-title' },
        h('h2', { id: 'draft-title' }, t('sectionDraft')),
        d.draft ? null : h('p', { class: 'alert info' }, t('noDraft')),
        d.draft
          ? h(
              'div',
              {},
              h('h3', {}, t('flagsTitle')),
              d.draft.flags.length === 0
                ? h('p', { class: 'hint' }, t('noFlags'))
                : h('ul', { class: 'flags', id: 'draft-flags' }, ...d.draft.flags.map((flag) => h('li', {}, h('strong', {}, flag.kind), flag.detail))),
            )
          : null,
        h('label', { for: 'draft-text' }, t('draftLabel')),
        refs.textarea,
        refs.edited,
        h(
          'div',
          { class: 'decision', role: 'group', 'aria-labelledby': 'decision-title' },
          h('h3', { id: 'decision-title' }, t('sectionDecision')),
          recorded ? h('p', { class: 'alert success', id: 'decision-result', role: 'status', tabindex: -1 }, recorded) : null,
          decisionError ? h('div', { id: 'decision-error', tabindex: -1 }, problemAlert(decisionError)) : null,
          !open && !recorded ? h('p', { class: 'alert info' }, t('decisionNotOpen', { status: statusLabel(d.status) })) : null,
          h('label', { class: 'checkbox', for: 'send-sms' }, refs.sms, h('span', {}, t('sendSms'))),
          d.smsConsent ? null : h('p', { class: 'hint', id: 'sms-consent-note' }, t('smsNoConsent')),
          h('div', { class: 'sms-block' }, h('label', { for: 'sms-text' }, t('smsLabel')), refs.smsText, refs.smsEdited, refs.preview),
          h(
            'div',
            { class: 'actions' },
            refs.approve,
            h(
              'button',
              {
                type: 'button',
                id: 'reject',
                class: 'button danger',
                'aria-expanded': rejecting ? 'true' : 'false',
                'aria-controls': 'reject-panel',
                disabled: !open || submitting,
                onclick: () => {
                  rejecting = !rejecting;
                  view.render();
                  if (rejecting) refs.reason?.focus();
                },
              },
              t('reject'),
            ),
            submitting ? h('span', { class: 'muted', role: 'status' }, t('submitting')) : null,
            recorded && queueState.items.length > 0 ? h('button', { type: 'button', class: 'button', onclick: () => neighbour(0) }, t('nextEnquiry')) : null,
          ),
          h(
            'div',
            { class: 'reject-panel', id: 'reject-panel', hidden: !rejecting || !open },
            h('label', { for: 'reject-reason' }, t('rejectReason')),
            refs.reason,
            h(
              'div',
              { class: 'actions' },
              h('button', { type: 'button', id: 'confirm-reject', class: 'button danger solid', disabled: submitting, onclick: () => void decide('reject') }, t('confirmReject')),
              h(
                'button',
                {
                  type: 'button',
                  class: 'button',
                  onclick: () => {
                    rejecting = false;
                    view.render();
                    byId('reject').focus();
                  },
                },
                t('cancel'),
              ),
            ),
          ),
        ),
      );

      const topic = d.topicResult;
      const topicPanel = h(
        'section',
        { class: 'panel', 'aria-labelledby': 'topic-title' },
        h('h2', { id: 'topic-title' }, t('sectionTopic')),
        topic
          ? h(
              'dl',
              { class: 'facts' },
              h('dt', {}, t('colTopic')),
              h('dd', { id: 'topic-name' }, topicName(topic.topic), ' ', urgencyBadge(topic.urgency)),
              h('dt', {}, t('topicConfidence')),
              h(
                'dd',
                {},
                h(
                  'div',
                  { class: 'meter' },
                  h('div', { class: 'meter-bar', role: 'img', 'aria-label': `${t('topicConfidence')} ${percent(topic.confidence)}` }, h('div', { class: 'meter-fill', style: `width:${Math.round(Math.min(1, Math.max(0, topic.confidence)) * 100)}%` })),
                  h('span', {}, percent(topic.confidence)),
                ),
              ),
              h('dt', {}, t('department')),
              h('dd', {}, departmentName(topic.department)),
              h('dt', {}, t('rationale')),
              h('dd', {}, topic.rationale),
              h('dt', {}, t('source')),
              h('dd', {}, topic.source, ' ', d.degraded ? h('span', { class: 'badge degraded', title: t('degradedHint') }, t('degraded')) : null),
            )
          : h('p', { class: 'muted' }, t('noTopic')),
      );

      const articlesPanel = h(
        'section',
        { class: 'panel', 'aria-labelledby': 'articles-title' },
        h('h2', { id: 'articles-title' }, t('sectionArticles')),
        d.draft && d.draft.citedArticles.length > 0
          ? h('ul', { id: 'cited-articles' }, ...d.draft.citedArticles.map((article) => h('li', {}, h('span', { class: 'mono' }, article.id), ' ', article.title)))
          : h('p', { class: 'muted' }, t('noArticles')),
      );

      const decisionNote = d.decision
        ? h('p', {}, t('decisionBy', { action: actionLabel(d.decision.action), agent: d.decision.agentId, at: formatTime(d.decision.decidedAt) }), d.decision.reason ? ` · ${d.decision.reason}` : '')
        : null;
      const auditPanel = h(
        'section',
        { class: 'panel', 'aria-labelledby': 'audit-title' },
        h('h2', { id: 'audit-title' }, t('sectionAudit')),
        decisionNote,
        d.sms ? h('p', {}, t('smsStatus', { detail: d.sms.failure !== undefined ? smsFailureLabel(d.sms.failure) : `${d.sms.encoding ?? ''} ×${d.sms.segments ?? '?'} · ${formatTime(d.sms.at)}` })) : null,
        h(
          'ol',
          { class: 'audit' },
          ...d.audit.map((event) => h('li', {}, h('time', { datetime: event.at }, formatTime(event.at)), ` · ${event.from ?? '∅'} → ${event.to} · ${event.actor}${event.note ? ` · ${event.note}` : ''}`)),
        ),
      );

      replaceChildren(
        main,
        back,
        heading(t('detailTitle', { id: d.enquiryId })),
        h(
          'p',
          { class: 'muted' },
          h('span', { class: 'badge status', id: 'enquiry-status' }, statusLabel(d.status)),
          ' ',
          d.degraded ? h('span', { class: 'badge degraded', title: t('degradedHint') }, t('degraded')) : null,
          ` ${d.channel} · ${languageName(d.language)} · ${t('detailReceived', { at: formatTime(d.receivedAt) })} · ${formatAge(d.ageMinutes)}`,
        ),
        h('div', { class: 'grid-2' }, h('div', {}, messagePanel, draftPanel), h('div', {}, topicPanel, articlesPanel, auditPanel)),
      );
      updateLive();
    },
    dispose() {
      disposed = true;
    },
    onKey(key) {
      switch (key) {
        case 'j':
          neighbour(1);
          return true;
        case 'k':
          neighbour(-1);
          return true;
        case 'a':
          void decide('approve');
          return true;
        case 'e':
          refs.textarea?.focus();
          return true;
        case 'm':
          if (refs.smsText && !refs.smsText.disabled) refs.smsText.focus();
          return true;
        case 'r':
          if (!isOpen()) return true;
          rejecting = true;
          view.render();
          refs.reason?.focus();
          return true;
        case 's':
          if (refs.sms && !refs.sms.disabled) {
            sendSms = !sendSms;
            refs.sms.checked = sendSms;
            updateLive();
          }
          return true;
        default:
          return false;
      }
    },
  };
  void load();
  return view;
}

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
  const search = window.location.search;
  window.history.replaceState(null, '', window.location.pathname);
  try {
    const returnTo = await cognito.completeSignIn(search);
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
    useBearerTransport({ baseUrl: config.apiUrl, token: () => cognito.accessToken() });
    cognito.onExpired(() => onSignedOut());
  } else if (isCallbackPath(window.location.pathname)) {
    // The local console has no hosted UI to come back from.
    return window.location.replace('/');
  }
  start();
}

void boot();
