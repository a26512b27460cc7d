/** The audit trail: the decision, the SMS outcome and every status change, with what an agent changed from what to what. */
import type { EnquiryDetail } from '../../api.ts';
import { departmentName, formatTime, topicName } from '../../format.ts';
import { isMessageKey, t } from '../../i18n.ts';

type AuditEvent = EnquiryDetail['audit'][number];
type Change = NonNullable<AuditEvent['changes']>[number];

/** Known SMS failure reasons in the agent's language; an unknown one is shown as stored. */
export function smsFailureLabel(failure: string): string {
  const key = `smsFailure-${failure}`;
  return isMessageKey(key) ? t(key) : failure;
}

export function actionLabel(action: string): string {
  const key = `action${action}`;
  return isMessageKey(key) ? t(key) : action;
}

function changeValue(field: Change['field'], value: Change['from']): string {
  if (value === null || (Array.isArray(value) && value.length === 0)) return '∅';
  const name = (id: string) => (field === 'topic' ? topicName(id) : field === 'department' || field === 'alsoInvolves' ? departmentName(id) : id);
  return Array.isArray(value) ? value.map(name).join(', ') : name(value);
}

function changeLabel(change: Change): string {
  const key = `change-${change.field}`;
  return `${isMessageKey(key) ? t(key) : change.field}: ${changeValue(change.field, change.from)} → ${changeValue(change.field, change.to)}`;
}

function AuditEntry({ event }: { event: AuditEvent }) {
  return (
    <li>
      <time dateTime={event.at}>{formatTime(event.at)}</time>
      {` · ${event.from ?? '∅'} → ${event.to} · ${event.actor}${event.note ? ` · ${event.note}` : ''}`}
      {event.changes?.length ? (
        <ul class="changes">
          {event.changes.map((change) => (
            <li key={change.field}>{changeLabel(change)}</li>
          ))}
        </ul>
      ) : null}
      {event.previousDraft ? (
        <details class="previous-draft">
          <summary>{t('previousDraft', { draftId: event.previousDraft.draftId ?? 'D1' })}</summary>
          <p class="transcript">{event.previousDraft.text}</p>
          {event.previousDraft.smsText ? <p class="transcript">{event.previousDraft.smsText}</p> : null}
        </details>
      ) : null}
    </li>
  );
}

export function AuditPanel({ detail }: { detail: EnquiryDetail }) {
  const decision = detail.decision;
  const sms = detail.sms;
  return (
    <section class="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('sectionAudit')}</h2>
      {decision ? (
        <p>
          {t('decisionBy', { action: actionLabel(decision.action), agent: decision.agentId, at: formatTime(decision.decidedAt) })}
          {decision.reason ? ` · ${decision.reason}` : ''}
        </p>
      ) : null}
      {sms ? <p>{t('smsStatus', { detail: sms.failure !== undefined ? smsFailureLabel(sms.failure) : `${sms.encoding ?? ''} ×${sms.segments ?? '?'} · ${formatTime(sms.at)}` })}</p> : null}
      <ol class="audit" id="audit-trail">
        {detail.audit.map((event, index) => (
          <AuditEntry key={index} event={event} />
        ))}
      </ol>
    </section>
  );
}
