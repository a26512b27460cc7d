/** The follow-up SMS: send or not (only with the caller's consent), its text and a live segment preview. */
import { analyseSms, DEFAULT_MAX_SMS_SEGMENTS } from '../../../shared/domain/sms/encoding.ts';
import { t } from '../../i18n.ts';
import { draftLang, isOpen, isSmsEdited, outgoingSms, type DetailActions, type DetailState } from './state.ts';

function SmsPreview({ state }: { state: DetailState }) {
  const analysis = analyseSms(outgoingSms(state.smsText));
  const tooLong = analysis.segments > DEFAULT_MAX_SMS_SEGMENTS;
  return (
    <div class="sms-preview" id="sms-preview" aria-live="polite">
      <h3>{t('smsPreview')}</h3>
      <dl>
        <div class="pair">
          <dt>{t('smsEncoding')}</dt>
          <dd data-testid="sms-encoding">{analysis.encoding}</dd>
        </div>
        <div class="pair">
          <dt>{t('smsSegments')}</dt>
          <dd data-testid="sms-segments">{`${analysis.segments} / ${DEFAULT_MAX_SMS_SEGMENTS}`}</dd>
        </div>
        <div class="pair">
          <dt>{t('smsUnits')}</dt>
          <dd data-testid="sms-units">{analysis.units}</dd>
        </div>
      </dl>
      {analysis.segments > 0 ? <p class="hint">{t('smsRemaining', { n: analysis.segments * analysis.perSegmentLimit - analysis.units })}</p> : null}
      {tooLong && state.sendSms ? (
        <p class="warning" role="alert">
          {t('smsTooLong', { max: DEFAULT_MAX_SMS_SEGMENTS })}
        </p>
      ) : null}
    </div>
  );
}

export function SmsBlock({ state, actions }: { state: DetailState; actions: DetailActions }) {
  const detail = state.detail!;
  const open = isOpen(detail);
  const busy = state.submitting || state.redrafting;
  const consent = detail.smsConsent;
  return (
    <>
      <label class="checkbox" for="send-sms">
        <input
          type="checkbox"
          id="send-sms"
          checked={state.sendSms}
          disabled={!consent || !open || busy}
          aria-describedby={consent ? undefined : 'sms-consent-note'}
          onChange={(event) => actions.setSendSms(event.currentTarget.checked)}
        />
        <span>{t('sendSms')}</span>
      </label>
      {consent ? null : (
        <p class="hint" id="sms-consent-note">
          {t('smsNoConsent')}
        </p>
      )}
      <div class="sms-block">
        <label for="sms-text">{t('smsLabel')}</label>
        <textarea
          id="sms-text"
          class="sms-field"
          rows={3}
          lang={draftLang(detail)}
          aria-describedby={consent ? 'sms-edited sms-preview' : 'sms-consent-note sms-edited sms-preview'}
          disabled={!consent || !open || busy}
          value={state.smsText}
          onInput={(event) => actions.setSmsText(event.currentTarget.value)}
        />
        <p class="hint" id="sms-edited">
          {open && detail.draft?.smsText && isSmsEdited(detail, state.smsText, state.text) ? t('smsEdited') : ''}
        </p>
        <SmsPreview state={state} />
      </div>
    </>
  );
}
