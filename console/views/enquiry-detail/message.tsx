/** The caller's message as models and agents see it: personal data replaced by highlighted placeholders. */
import type { ComponentChildren } from 'preact';
import type { EnquiryDetail } from '../../api.ts';
import { percent } from '../../format.ts';
import { t } from '../../i18n.ts';

const PLACEHOLDER = /\[[A-Z][A-Z0-9_]*\]/g;

function RedactedTranscript({ text }: { text: string }) {
  const parts: ComponentChildren[] = [];
  let cursor = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(cursor, match.index), <mark class="placeholder">{match[0]}</mark>);
    cursor = match.index + match[0].length;
  }
  parts.push(text.slice(cursor));
  return (
    <p class="transcript" id="transcript">
      {parts}
    </p>
  );
}

export function MessagePanel({ detail }: { detail: EnquiryDetail }) {
  const entityCounts = new Map<string, number>();
  for (const entity of detail.redactedEntities) entityCounts.set(entity.type, (entityCounts.get(entity.type) ?? 0) + 1);
  return (
    <section class="panel" aria-labelledby="message-title">
      <h2 id="message-title">{t('sectionMessage')}</h2>
      {detail.redactedText ? <RedactedTranscript text={detail.redactedText} /> : <p class="muted">{t('noText')}</p>}
      {entityCounts.size > 0 ? <p class="hint">{t('redactedCount', { list: [...entityCounts].map(([type, n]) => `${type} ×${n}`).join(', ') })}</p> : null}
      {detail.transcription ? <p class="hint">{t('transcriptConfidence', { value: percent(detail.transcription.averageConfidence) })}</p> : null}
      {detail.transcription?.lowConfidence ? <p class="alert info">{t('lowConfidence')}</p> : null}
      {detail.manualReason ? <p class="alert info">{`${t('manualReason')}: ${detail.manualReason}`}</p> : null}
    </section>
  );
}
