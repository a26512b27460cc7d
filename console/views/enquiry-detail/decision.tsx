/**
 * The decision: approve (or approve the edited reply), reject with a reason, the SMS, and the topic the
 * decision confirms. A decision the console refuses before sending (e.g. approving a draft written for
 * another topic) says why and where to go; one the API refuses shows its problem.
 */
import { departmentName, statusLabel, topicName } from '../../format.ts';
import { t } from '../../i18n.ts';
import { ProblemAlert } from '../components.tsx';
import { SmsBlock } from './sms.tsx';
import { draftRoute, isEdited, isOpen, type DetailActions, type DetailState } from './state.ts';

function DecisionProblem({ state }: { state: DetailState }) {
  const detail = state.detail!;
  if (state.decisionProblem) {
    const route = draftRoute(detail);
    const selection = state.selection;
    const text = t(state.decisionProblem, {
      draftTopic: topicName(route?.topic),
      draftDepartment: departmentName(route?.department),
      topic: topicName(selection?.topic),
      department: departmentName(selection?.department),
    });
    return (
      <div id="decision-error" tabIndex={-1}>
        <p class="alert error" role="alert">
          {text}
        </p>
      </div>
    );
  }
  return state.decisionError ? (
    <div id="decision-error" tabIndex={-1}>
      <ProblemAlert error={state.decisionError} />
    </div>
  ) : null;
}

export function DecisionGroup({ state, actions }: { state: DetailState; actions: DetailActions }) {
  const detail = state.detail!;
  const open = isOpen(detail);
  const busy = state.submitting || state.redrafting;
  const selection = state.selection;
  return (
    <div class="decision" role="group" aria-labelledby="decision-title">
      <h3 id="decision-title">{t('sectionDecision')}</h3>
      {state.recorded ? (
        <p class="alert success" id="decision-result" role="status" tabIndex={-1}>
          {state.recorded}
        </p>
      ) : null}
      <DecisionProblem state={state} />
      {!open && !state.recorded ? <p class="alert info">{t('decisionNotOpen', { status: statusLabel(detail.status) })}</p> : null}
      {open && selection ? (
        <p class="hint" id="decision-topic">
          {t('decisionConfirmsTopic', { topic: topicName(selection.topic), department: departmentName(selection.department) })}
          {selection.alsoInvolves.length > 0 ? ` ${t('decisionAlsoInvolves', { list: selection.alsoInvolves.map(departmentName).join(', ') })}` : ''}
        </p>
      ) : null}
      <SmsBlock state={state} actions={actions} />
      <div class="actions">
        <button type="button" id="approve" class="button primary" disabled={!open || busy} onClick={() => actions.decide('approve')}>
          {isEdited(detail, state.text) ? t('approveEdited') : t('approve')}
        </button>
        <button
          type="button"
          id="reject"
          class="button danger"
          aria-expanded={state.rejecting ? 'true' : 'false'}
          aria-controls="reject-panel"
          disabled={!open || busy}
          onClick={() => actions.setRejecting(!state.rejecting)}
        >
          {t('reject')}
        </button>
        {state.submitting ? (
          <span class="muted" role="status">
            {t('submitting')}
          </span>
        ) : null}
        {state.recorded && actions.canGoNext() ? (
          <button type="button" class="button" onClick={() => actions.next()}>
            {t('nextEnquiry')}
          </button>
        ) : null}
      </div>
      <div class="reject-panel" id="reject-panel" hidden={!state.rejecting || !open}>
        <label for="reject-reason">{t('rejectReason')}</label>
        <textarea id="reject-reason" rows={2} maxLength={500} value={state.reason} disabled={state.submitting} onInput={(event) => actions.setReason(event.currentTarget.value)} />
        <div class="actions">
          <button type="button" id="confirm-reject" class="button danger solid" disabled={state.submitting} onClick={() => actions.decide('reject')}>
            {t('confirmReject')}
          </button>
          <button type="button" class="button" onClick={() => actions.setRejecting(false)}>
            {t('cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
