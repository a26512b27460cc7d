/**
 * The topic panel: what the AI answered (topic, case type, department, confidence, and a clear flag when it
 * was unsure), its top three as one-click choices, and then the picker while the enquiry awaits review, or
 * the topic the agent confirmed once decided.
 */
import type { EnquiryDetail } from '../../api.ts';
import { departmentName, districtLabel, formatTime, percent, placeName, topicName } from '../../format.ts';
import { isMessageKey, locale, t } from '../../i18n.ts';
import { DegradedBadge, Meter, UrgencyBadge } from '../components.tsx';
import { isOpen, type DetailActions, type DetailState } from './state.ts';
import { TopicPicker } from './topic-picker.tsx';

function caseTypeLabel(caseType: string | undefined): string {
  if (!caseType) return '–';
  const key = `caseType-${caseType}`;
  return isMessageKey(key) ? t(key) : caseType;
}

/** A department's short name from GET /taxonomy (e.g. EPD, 環保署), else its full name. */
export function shortDepartment(state: DetailState, department: string): string {
  const entry = state.taxonomy?.departments.find((candidate) => candidate.id === department);
  return entry ? entry.shortName[locale()] : departmentName(department);
}

function AiAnswer({ detail }: { detail: EnquiryDetail }) {
  const ai = detail.topicResult;
  if (!ai) return <p class="muted">{t('noTopic')}</p>;
  const unsure = ai.accepted === false;
  return (
    <>
      {unsure ? (
        <p class="alert warning" id="topic-unsure">
          <strong>{t('topicUnsure')}</strong>
          {` · ${t('topicUnsureHint')}`}
        </p>
      ) : null}
      <h3>{t('aiAnswer')}</h3>
      <dl class="facts">
        <dt>{t('colTopic')}</dt>
        <dd id="topic-name">
          {topicName(ai.topic)} <UrgencyBadge urgency={ai.urgency} />{' '}
          {unsure ? (
            <span class="badge unsure" id="topic-unsure-badge">
              {t('topicUnsure')}
            </span>
          ) : null}
        </dd>
        <dt>{t('caseType')}</dt>
        <dd id="case-type">{caseTypeLabel(ai.caseType)}</dd>
        <dt>{t('department')}</dt>
        <dd id="ai-department">{departmentName(ai.department)}</dd>
        <dt>{t('colDistrict')}</dt>
        <dd id="enquiry-district">{districtLabel(detail.location)}</dd>
        <dt>{t('locationPlace')}</dt>
        <dd id="enquiry-place">{placeName(detail.location?.place)}</dd>
        <dt>{t('topicConfidence')}</dt>
        <dd id="ai-confidence">
          <Meter value={ai.confidence} label={t('topicConfidence')} />
        </dd>
        <dt>{t('rationale')}</dt>
        <dd>{ai.rationale}</dd>
        <dt>{t('source')}</dt>
        <dd>
          {ai.source} <DegradedBadge degraded={detail.degraded} />
        </dd>
      </dl>
    </>
  );
}

function Candidates({ state, actions }: { state: DetailState; actions: DetailActions }) {
  const detail = state.detail!;
  const candidates = (detail.topicResult?.candidates ?? []).slice(0, 3);
  if (candidates.length === 0) return null;
  const open = isOpen(detail);
  return (
    <>
      <h3 id="candidates-title">{t('candidatesTitle')}</h3>
      <ul class="candidates" id="topic-candidates" aria-labelledby="candidates-title">
        {candidates.map((candidate) => {
          const chosen = state.selection?.topic === candidate.topic && state.selection.department === candidate.department;
          return (
            <li key={`${candidate.topic}/${candidate.department}`}>
              <button
                type="button"
                class={`candidate${chosen ? ' chosen' : ''}`}
                aria-pressed={chosen ? 'true' : 'false'}
                disabled={!open || state.submitting || state.redrafting}
                onClick={() => actions.chooseTopic(candidate.topic, candidate.department)}
              >
                <span class="candidate-topic">{topicName(candidate.topic)}</span>
                <span class="candidate-meta">{`${shortDepartment(state, candidate.department)} · ${percent(candidate.confidence)}`}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** Once decided: the topic the agent confirmed, and what the AI had said when they corrected it. */
function ConfirmedTopic({ detail }: { detail: EnquiryDetail }) {
  const confirmed = detail.decision?.topic;
  if (!confirmed) return null;
  return (
    <p id="confirmed-topic">
      <strong>{`${t('confirmedTopic')}: `}</strong>
      {`${topicName(confirmed.topic)} (${departmentName(confirmed.department)})`}
      {confirmed.topicCorrected && confirmed.aiTopic ? ` · ${t('correctedFrom', { topic: topicName(confirmed.aiTopic) })}` : ''}
      {confirmed.alsoInvolves.length > 0 ? ` · ${t('decisionAlsoInvolves', { list: confirmed.alsoInvolves.map(departmentName).join(', ') })}` : ''}
    </p>
  );
}

/** Before the decision: who corrected the topic with a redraft (the choice the picker starts from). */
function EarlierChoice({ detail }: { detail: EnquiryDetail }) {
  const choice = detail.topicChoice;
  if (!choice || detail.decision || !choice.topicCorrected) return null;
  return (
    <p class="hint" id="topic-choice-by">
      {t('topicCorrectedBy', { topic: topicName(choice.aiTopic), agent: choice.agentId, at: formatTime(choice.at) })}
    </p>
  );
}

export function TopicPanel({ state, actions }: { state: DetailState; actions: DetailActions }) {
  const detail = state.detail!;
  return (
    <section class="panel" aria-labelledby="topic-title" id="topic-panel">
      <h2 id="topic-title">{t('sectionTopic')}</h2>
      <AiAnswer detail={detail} />
      <Candidates state={state} actions={actions} />
      <EarlierChoice detail={detail} />
      {isOpen(detail) ? <TopicPicker state={state} actions={actions} /> : <ConfirmedTopic detail={detail} />}
    </section>
  );
}
