/** The detail view's head: back to the queue, the enquiry id, its status and where it came from. */
import type { EnquiryDetail } from '../../api.ts';
import { formatAge, formatTime, languageName, statusLabel } from '../../format.ts';
import { t } from '../../i18n.ts';
import { DegradedBadge, ProblemAlert } from '../components.tsx';
import { IncidentBadge } from './incident.tsx';

export function DetailHeader({ enquiryId, detail, loadError }: { enquiryId: string; detail: EnquiryDetail | undefined; loadError: unknown }) {
  return (
    <>
      <p>
        <a href="#/queue">{`← ${t('backToQueue')}`}</a>
      </p>
      <h1 tabIndex={-1}>{t('detailTitle', { id: enquiryId })}</h1>
      {detail ? (
        <p class="muted">
          <span class="badge status" id="enquiry-status">
            {statusLabel(detail.status)}
          </span>{' '}
          <DegradedBadge degraded={detail.degraded} /> <IncidentBadge detail={detail} id="incident-badge" />
          {` ${detail.channel} · ${languageName(detail.language)} · ${t('detailReceived', { at: formatTime(detail.receivedAt) })} · ${formatAge(detail.ageMinutes)}`}
        </p>
      ) : loadError ? (
        <ProblemAlert error={loadError} />
      ) : (
        <p class="loading">{t('loading')}</p>
      )}
    </>
  );
}
