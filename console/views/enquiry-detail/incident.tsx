/**
 * The incident this enquiry is a report of (topic, place, district, how many reports), and the action that
 * applies this enquiry's reviewed reply to the incident's other reports, after a confirmation.
 */
import type { EnquiryDetail } from '../../api.ts';
import { districtName, formatTime, placeName } from '../../format.ts';
import { isMessageKey, t } from '../../i18n.ts';
import { ProblemAlert } from '../components.tsx';
import { isMultiReportIncident } from '../../../shared/vocabulary/incidents.ts';
import { canApplyToIncident, type DetailActions, type DetailState } from './state.ts';

/** The badge (N reports); `id` only where it is shown once on the page (the header). */
export function IncidentBadge({ detail, id }: { detail: EnquiryDetail; id?: string }) {
  return detail.incident && isMultiReportIncident(detail.incident) ? (
    <span class="badge incident" id={id} title={t('incidentWhere', { place: placeName(detail.incident.place), district: districtName(detail.incident.district) })}>
      {t('incidentBadge', { count: detail.incident.reports })}
    </span>
  ) : null;
}

export function IncidentPanel({ state, actions }: { state: DetailState; actions: DetailActions }) {
  const detail = state.detail;
  const incident = detail?.incident;
  if (!detail || !incident || !isMultiReportIncident(incident)) return null;
  const others = incident.reports - 1;
  const apply = state.incidentApply;
  const appliedFrom = detail.decision?.appliedFrom;
  return (
    <section class="panel" aria-labelledby="incident-title" id="incident-panel">
      <h2 id="incident-title">
        {t('incidentPanel')} <span class="mono">{incident.incidentId}</span>
      </h2>
      <p>
        <IncidentBadge detail={detail} /> {t('incidentWhere', { place: placeName(incident.place), district: districtName(incident.district) })}
      </p>
      <p class="hint">{t('incidentSpan', { first: formatTime(incident.firstReportAt), last: formatTime(incident.lastReportAt) })}</p>
      {incident.closedReason === 'window' ? <p class="hint">{t('incidentClosedWindow')}</p> : null}
      {incident.closedReason === 'agent' ? <p class="hint">{t('incidentClosedAgent')}</p> : null}
      {appliedFrom ? (
        <p class="alert info" id="incident-applied-from">
          {t('incidentAppliedFrom', { enquiryId: appliedFrom.enquiryId })}
        </p>
      ) : null}
      {others > 0 && !canApplyToIncident(detail) && !appliedFrom && detail.status === 'awaiting_review' ? <p class="hint">{t('incidentDecideFirst')}</p> : null}
      {canApplyToIncident(detail) && !apply.confirming && !apply.result ? (
        <button type="button" class="button" id="incident-apply" disabled={apply.running} onClick={() => actions.confirmIncidentApply(true)}>
          {t('incidentApply', { count: others })}
        </button>
      ) : null}
      {apply.confirming ? (
        <div class="confirm" role="group" aria-labelledby="incident-apply-confirm">
          <p id="incident-apply-confirm">{t('incidentApplyConfirm')}</p>
          <button type="button" class="button primary" id="incident-apply-yes" disabled={apply.running} onClick={() => actions.applyToIncident()}>
            {apply.running ? t('incidentApplying') : t('incidentApplyYes', { count: others })}
          </button>{' '}
          <button type="button" class="button subtle" id="incident-apply-cancel" disabled={apply.running} onClick={() => actions.confirmIncidentApply(false)}>
            {t('incidentApplyCancel')}
          </button>
        </div>
      ) : null}
      {apply.error ? <ProblemAlert error={apply.error} id="incident-apply-error" /> : null}
      {incident.status === 'open' ? (
        <p>
          <button type="button" class="button subtle" id="incident-close" title={t('incidentCloseHint')} disabled={apply.running} onClick={() => actions.closeIncident()}>
            {t('incidentClose')}
          </button>
        </p>
      ) : null}
      {apply.result ? (
        <div id="incident-apply-result" role="status">
          <p>{t('incidentApplied', { count: apply.result.applied.length })}</p>
          {apply.result.skipped.length > 0 ? (
            <>
              <p>{t('incidentSkipped', { count: apply.result.skipped.length })}</p>
              <ul>
                {apply.result.skipped.map((s) => {
                  const key = `incidentSkip-${s.reason}`;
                  return (
                    <li key={s.enquiryId}>
                      <a class="mono" href={`#/enquiry/${encodeURIComponent(s.enquiryId)}`}>
                        {s.enquiryId}
                      </a>
                      {`: ${isMessageKey(key) ? t(key) : s.reason}`}
                    </li>
                  );
                })}
              </ul>
            </>
          ) : null}
          {apply.result.more ? <p class="alert info">{t('incidentAppliedMore')}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
