/** The draft panel: which topic the draft was written for, the validator's flags, the editable reply, the decision; and the cited articles. */
import type { EnquiryDetail } from '../../api.ts';
import { departmentName, topicName } from '../../format.ts';
import { locale, t } from '../../i18n.ts';
import { DecisionGroup } from './decision.tsx';
import { draftLang, isEdited, isOpen, type DetailActions, type DetailState } from './state.ts';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function DraftPanel({ state, actions }: { state: DetailState; actions: DetailActions }) {
  const detail = state.detail!;
  const draft = detail.draft;
  const edited = isEdited(detail, state.text);
  return (
    <section class={`panel${state.notice?.kind === 'redrafted' ? ' renewed' : ''}`} aria-labelledby="draft-title" id="draft-panel">
      <h2 id="draft-title">{t('sectionDraft')}</h2>
      {state.notice?.kind === 'redrafted' ? (
        <p class="alert success" id="redraft-notice" role="status" tabIndex={-1}>
          {state.notice.text}
        </p>
      ) : null}
      {draft ? (
        <>
          {draft.draftId && draft.topic && draft.department ? (
            <p class="hint" id="draft-basis">
              {t('draftBasis', { draftId: draft.draftId, topic: topicName(draft.topic), department: departmentName(draft.department) })}
            </p>
          ) : null}
          <h3>{t('flagsTitle')}</h3>
          {draft.flags.length === 0 ? (
            <p class="hint">{t('noFlags')}</p>
          ) : (
            <ul class="flags" id="draft-flags">
              {draft.flags.map((flag, index) => (
                <li key={index}>
                  <strong>{flag.kind}</strong>
                  {flag.detail}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p class="alert info">{t('noDraft')}</p>
      )}
      <label for="draft-text">{t('draftLabel')}</label>
      <textarea
        id="draft-text"
        rows={9}
        lang={draftLang(detail)}
        aria-describedby="draft-edited"
        disabled={!isOpen(detail) || state.submitting || state.redrafting}
        value={state.text}
        onInput={(event) => actions.setText(event.currentTarget.value)}
      />
      <p class="hint" id="draft-edited">
        {edited ? t('draftEdited', { delta: signed(state.text.length - (draft?.text.length ?? 0)) }) : ''}
      </p>
      {state.unsentEdit ? (
        <details id="unsent-edit">
          <summary>{t('unsentEdit')}</summary>
          <p class="transcript">{state.unsentEdit}</p>
        </details>
      ) : null}
      <DecisionGroup state={state} actions={actions} />
    </section>
  );
}

export function ArticlesPanel({ detail }: { detail: EnquiryDetail }) {
  const articles = detail.draft?.citedArticles ?? [];
  return (
    <section class="panel" aria-labelledby="articles-title">
      <h2 id="articles-title">{t('sectionArticles')}</h2>
      {articles.length > 0 ? (
        <ul id="cited-articles">
          {articles.map((article) => (
            <li key={article.id}>
              <span class="mono">{article.id}</span> {locale() === 'zh-Hant' && article.titleZhHant ? article.titleZhHant : article.title}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('noArticles')}</p>
      )}
    </section>
  );
}
