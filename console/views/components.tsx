/**
 * Small preact components the views share. As with dom.ts, data reaches the page as text and attributes only
 * (preact never sets innerHTML unless told to with dangerouslySetInnerHTML, which the console never uses).
 */
import { ApiError, bearerMode } from '../api.ts';
import { percent } from '../format.ts';
import { isMessageKey, t } from '../i18n.ts';

export function ProblemAlert({ error, id }: { error: unknown; id?: string }) {
  const problem = error instanceof ApiError ? error.problem : undefined;
  const detail = problem?.detail ?? (error instanceof Error ? error.message : String(error));
  return (
    <div class="alert error" role="alert" id={id}>
      <p>{error instanceof ApiError && error.status === 0 ? t(bearerMode() ? 'errorNetworkApi' : 'errorNetwork') : t('errorGeneric', { detail })}</p>
      {problem?.problems?.length ? (
        <ul>
          {problem.problems.map((p) => (
            <li key={p.field}>{`${p.field}: ${p.problem}`}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function UrgencyBadge({ urgency }: { urgency: string | null | undefined }) {
  if (!urgency) return null;
  const key = `urgency-${urgency}`;
  return <span class={`badge ${urgency}`}>{isMessageKey(key) ? t(key) : urgency}</span>;
}

export function DegradedBadge({ degraded }: { degraded: boolean | undefined }) {
  return degraded ? (
    <span class="badge degraded" title={t('degradedHint')}>
      {t('degraded')}
    </span>
  ) : null;
}

/** A confidence bar with its percentage; the width is set through the CSSOM (the CSP forbids style attributes). */
export function Meter({ value, label }: { value: number; label: string }) {
  const width = `${Math.round(Math.min(1, Math.max(0, value)) * 100)}%`;
  return (
    <div class="meter">
      <div class="meter-bar" role="img" aria-label={`${label} ${percent(value)}`}>
        <div class="meter-fill" style={{ width }} />
      </div>
      <span>{percent(value)}</span>
    </div>
  );
}
