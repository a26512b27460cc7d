/**
 * The enquiry detail view: an agent reads the redacted message, confirms or corrects the AI's topic (a
 * correction redrafts the reply before any approval), edits the reply and the SMS, and decides.
 *
 * The view keeps one state object (state.ts) and renders its parts with preact: header, message, topic and
 * picker, draft with the decision and SMS, articles, audit. Every change goes through `update`, which
 * renders again; preact keeps the focused field, its caret and the open disclosure widgets across renders.
 */
import { render as renderTree } from 'preact';
import { api, ApiError, type EnquiryDetail, type IncidentApplyResult, type Taxonomy, type TopicCorrectionResult } from '../../api.ts';
import { announce, byId, type View } from '../../dom.ts';
import { departmentName, topicName } from '../../format.ts';
import { locale, t } from '../../i18n.ts';
import { actionLabel, AuditPanel } from './audit.tsx';
import { ArticlesPanel, DraftPanel } from './draft.tsx';
import { DetailHeader } from './header.tsx';
import { IncidentPanel } from './incident.tsx';
import { MessagePanel } from './message.tsx';
import {
  chooseDepartment,
  chooseTopic,
  currentSelection,
  fromDetail,
  initialState,
  isEdited,
  isOpen,
  needsRedraft,
  planDecision,
  redraftRequest,
  searchTopics,
  toggleAlsoInvolves,
  type DetailActions,
  type DetailState,
} from './state.ts';
import { TopicPanel } from './topic.tsx';

/** What the detail view needs from the rest of the console. */
export interface DetailContext {
  navigate(hash: string): void;
  /** The review queue around this enquiry, for j / k and "Next enquiry". */
  queue: {
    /** The enquiry `delta` places from this one (the first in the queue when this one is not in it). */
    neighbour(enquiryId: string, delta: number): string | undefined;
    remove(enquiryId: string): void;
    size(): number;
    /** Loads the queue if it has not been loaded (a deep link to an enquiry). */
    ensureLoaded(): Promise<void>;
  };
}

/** The picker's taxonomy: one request per page load (it changes only with a deployment). */
let taxonomyRequest: Promise<Taxonomy> | undefined;
function loadTaxonomy(): Promise<Taxonomy> {
  taxonomyRequest ??= api<Taxonomy>('/api/taxonomy').catch((error: unknown) => {
    taxonomyRequest = undefined;
    throw error;
  });
  return taxonomyRequest;
}

function EnquiryDetailPage({ enquiryId, state, actions }: { enquiryId: string; state: DetailState; actions: DetailActions }) {
  const detail = state.detail;
  return (
    <>
      <DetailHeader enquiryId={enquiryId} detail={detail} loadError={state.loadError} />
      {state.notice?.kind === 'conflict' ? (
        <p class="alert warning" id="conflict-notice" role="alert" tabIndex={-1}>
          {state.notice.text}
        </p>
      ) : null}
      {detail ? (
        <div class="grid-2">
          <div>
            <MessagePanel detail={detail} />
            <DraftPanel state={state} actions={actions} />
          </div>
          <div>
            <IncidentPanel state={state} actions={actions} />
            <TopicPanel state={state} actions={actions} />
            <ArticlesPanel detail={detail} />
            <AuditPanel detail={detail} />
          </div>
        </div>
      ) : null}
    </>
  );
}

export function enquiryDetailView(enquiryId: string, context: DetailContext): View {
  const state: DetailState = initialState();
  const path = `/api/enquiries/${encodeURIComponent(enquiryId)}`;
  let container: HTMLElement | undefined;
  let disposed = false;

  const update = (patch: Partial<DetailState>) => {
    Object.assign(state, patch);
    if (!disposed) view.render();
  };
  /** Moves focus once the render that shows the element is done (renders are synchronous). */
  const focus = (id: string) => document.getElementById(id)?.focus();

  const load = async () => {
    try {
      const detail = await api<EnquiryDetail>(path);
      update({ ...fromDetail(detail), loadError: undefined });
    } catch (error) {
      update({ loadError: error });
    }
  };

  const loadPickerTaxonomy = async () => {
    try {
      update({ taxonomy: await loadTaxonomy(), taxonomyError: undefined });
    } catch (error) {
      update({ taxonomyError: error });
    }
  };

  /** A colleague's redraft or decision landed first (409): show the enquiry as it is now, and say so. */
  const reloadAfterConflict = async (error: ApiError) => {
    const unsentEdit = state.detail && isEdited(state.detail, state.text) ? state.text : undefined;
    const detail = error.problem?.detail ?? error.message;
    update({ submitting: false, redrafting: false, rejecting: false });
    await load();
    update({ notice: { kind: 'conflict', text: t('conflictReloaded', { detail }) }, unsentEdit, decisionError: undefined, decisionProblem: undefined, topicError: undefined });
    announce(t('conflictReloaded', { detail }));
    focus('conflict-notice');
  };

  const redraft = async () => {
    const { detail, selection } = state;
    if (!detail || !selection || !isOpen(detail) || state.redrafting || state.submitting || !needsRedraft(detail, selection)) return;
    const unsentEdit = isEdited(detail, state.text) ? state.text : state.unsentEdit;
    update({ redrafting: true, topicError: undefined, notice: undefined, decisionError: undefined, decisionProblem: undefined });
    try {
      const result = await api<TopicCorrectionResult>(`${path}/topic`, { method: 'POST', body: redraftRequest(detail, selection) });
      const draft = result.enquiry.draft;
      const text =
        result.redrafted && draft
          ? t('redraftDone', { draftId: draft.draftId ?? '', topic: topicName(draft.topic), department: departmentName(draft.department) })
          : t('topicConfirmedNoRedraft');
      update({ ...fromDetail(result.enquiry), redrafting: false, notice: { kind: 'redrafted', text }, unsentEdit, rejecting: false });
      announce(text);
      focus('redraft-notice');
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return reloadAfterConflict(error);
      update({ redrafting: false, topicError: error });
      focus('topic-error');
    }
  };

  const decide = async (action: 'approve' | 'reject') => {
    const { detail } = state;
    if (!detail || !isOpen(detail) || state.submitting || state.redrafting) return;
    const plan = planDecision({ action, detail, text: state.text, reason: state.reason, sendSms: state.sendSms, smsText: state.smsText, selection: state.selection });
    if (!plan.ok) {
      update({ decisionProblem: plan.problem, decisionError: undefined });
      focus(plan.focus);
      return;
    }
    update({ submitting: true, decisionError: undefined, decisionProblem: undefined });
    try {
      const result = await api<{ decision: { action: string } }>(`${path}/decision`, { method: 'POST', body: plan.body });
      let recorded = t('decisionRecorded', { action: actionLabel(result.decision.action) });
      if (plan.body['sendSms'] === true) recorded += ` ${t('decisionSms')}`;
      announce(recorded);
      context.queue.remove(enquiryId);
      update({ submitting: false, rejecting: false, recorded, notice: undefined });
      await load();
      focus('decision-result');
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return reloadAfterConflict(error);
      update({ submitting: false, decisionError: error });
      focus('decision-error');
    }
  };

  /** Applies this enquiry's reviewed reply to the other reports of its incident (after the agent confirmed). */
  const applyToIncident = async () => {
    const incident = state.detail?.incident;
    if (!incident || state.incidentApply.running) return;
    update({ incidentApply: { confirming: true, running: true } });
    try {
      const result = await api<IncidentApplyResult>(`/api/incidents/${encodeURIComponent(incident.incidentId)}/apply`, { method: 'POST', body: { sourceEnquiryId: enquiryId } });
      for (const applied of result.applied) context.queue.remove(applied.enquiryId);
      update({ incidentApply: { confirming: false, running: false, result } });
      announce(t('incidentApplied', { count: result.applied.length }));
      focus('incident-apply-result');
      await load();
    } catch (error) {
      update({ incidentApply: { confirming: false, running: false, error } });
      focus('incident-apply-error');
    }
  };

  /** An agent closes the incident: later reports of its topic and place start a new one. */
  const closeIncident = async () => {
    const incident = state.detail?.incident;
    if (!incident) return;
    try {
      await api(`/api/incidents/${encodeURIComponent(incident.incidentId)}/close`, { method: 'POST', body: {} });
      announce(t('incidentClosed'));
    } catch (error) {
      // 409: a colleague closed it first; the reload shows it closed either way.
      if (!(error instanceof ApiError && error.status === 409)) update({ incidentApply: { ...state.incidentApply, error } });
    }
    await load();
  };

  const goTo = (delta: number) => {
    const next = context.queue.neighbour(enquiryId, delta);
    if (next) context.navigate(`#/enquiry/${encodeURIComponent(next)}`);
  };

  const actions: DetailActions = {
    setText(text) {
      const patch: Partial<DetailState> = { text };
      // Drafts without a template SMS send the reply: the SMS follows it until the agent edits the SMS.
      if (!state.detail?.draft?.smsText && !state.smsTouched) patch.smsText = text;
      update(patch);
    },
    setSmsText: (smsText) => update({ smsText, smsTouched: true }),
    setSendSms: (sendSms) => update({ sendSms }),
    setReason: (reason) => update({ reason }),
    setRejecting(rejecting) {
      update({ rejecting });
      focus(rejecting ? 'reject-reason' : 'reject');
    },
    decide: (action) => void decide(action),
    next: () => goTo(0),
    canGoNext: () => context.queue.size() > 0,
    setQuery: (query) => update({ search: { query, active: 0 } }),
    moveActive(delta) {
      const count = searchTopics(state.taxonomy, state.search.query, locale()).length;
      if (count === 0) return;
      update({ search: { ...state.search, active: (state.search.active + delta + count) % count } });
    },
    chooseTopic(topic, department) {
      update({ selection: chooseTopic(state.taxonomy, state.selection, topic, department), search: { query: '', active: 0 }, decisionProblem: undefined, topicError: undefined });
      // On to the redraft (Enter again redrafts); when the draft already fits, on to the decision.
      focus(state.detail && needsRedraft(state.detail, state.selection) ? 'redraft' : 'approve');
    },
    chooseDepartment(department) {
      if (state.selection) update({ selection: chooseDepartment(state.selection, department), decisionProblem: undefined });
    },
    toggleAlsoInvolves(department, on) {
      if (state.selection) update({ selection: toggleAlsoInvolves(state.selection, department, on) });
    },
    resetTopic() {
      if (state.detail) update({ selection: currentSelection(state.detail), decisionProblem: undefined, search: { query: '', active: 0 } });
      focus('topic-search');
    },
    redraft: () => void redraft(),
    confirmIncidentApply(confirming) {
      update({ incidentApply: { confirming, running: false } });
      focus(confirming ? 'incident-apply-yes' : 'incident-apply');
    },
    applyToIncident: () => void applyToIncident(),
    closeIncident: () => void closeIncident(),
  };

  const view: View = {
    render() {
      const main = byId('main');
      if (!container || container.parentElement !== main) {
        container = document.createElement('div');
        container.className = 'enquiry-detail';
        main.replaceChildren(container);
      }
      renderTree(<EnquiryDetailPage enquiryId={enquiryId} state={state} actions={actions} />, container);
    },
    dispose() {
      disposed = true;
      if (container) renderTree(null, container);
    },
    onKey(key) {
      switch (key) {
        case 'j':
          goTo(1);
          return true;
        case 'k':
          goTo(-1);
          return true;
        case 'a':
          void decide('approve');
          return true;
        case 'e':
          focus('draft-text');
          return true;
        case 'm':
          focus('sms-text');
          return true;
        case 't':
          focus('topic-search');
          return true;
        case 'r':
          if (isOpen(state.detail)) actions.setRejecting(true);
          return true;
        case 's':
          if (state.detail?.smsConsent && isOpen(state.detail) && !state.submitting) update({ sendSms: !state.sendSms });
          return true;
        default:
          return false;
      }
    },
  };

  void load().then(() => context.queue.ensureLoaded().catch(() => undefined));
  void loadPickerTaxonomy();
  return view;
}
