/**
 * The topic picker: search over the taxonomy's English and Chinese names (GET /taxonomy), the department
 * (only those the taxonomy allows for the topic), optional "also involves" departments, and "Redraft with
 * this topic" (POST /enquiries/{id}/topic). Keyboard: `t` focuses the search, ↑ ↓ move, Enter chooses and
 * moves to the redraft button, Enter again redrafts; Escape clears the search.
 */
import type { TargetedKeyboardEvent } from 'preact';
import { departmentName, topicName } from '../../format.ts';
import { locale, t } from '../../i18n.ts';
import { ProblemAlert } from '../components.tsx';
import {
  currentSelection,
  draftRoute,
  MAX_ALSO_INVOLVES,
  needsRedraft,
  sameSelection,
  searchTopics,
  type DetailActions,
  type DetailState,
} from './state.ts';

const otherScript = () => (locale() === 'en' ? 'zh-Hant' : 'en');

export function TopicPicker({ state, actions }: { state: DetailState; actions: DetailActions }) {
  const detail = state.detail!;
  const { selection, taxonomy } = state;
  const busy = state.submitting || state.redrafting;
  const query = state.search.query;
  const results = searchTopics(taxonomy, query, locale());
  const active = results.length > 0 ? Math.min(Math.max(0, state.search.active), results.length - 1) : -1;
  const activeTopic = results[active];
  const entry = selection ? taxonomy?.topics.find((topic) => topic.id === selection.topic) : undefined;
  const allowed = entry?.departments ?? (selection ? [selection.department] : []);
  const needs = needsRedraft(detail, selection);
  const route = draftRoute(detail);
  const changed = !sameSelection(selection, currentSelection(detail));
  const others = (taxonomy?.departments ?? [])
    .filter((department) => department.id !== selection?.department)
    .sort((a, b) => a.names[locale()].localeCompare(b.names[locale()], locale() === 'en' ? 'en-HK' : 'zh-HK'));
  const alsoCount = selection?.alsoInvolves.length ?? 0;

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      actions.moveActive(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter' && activeTopic) {
      event.preventDefault();
      actions.chooseTopic(activeTopic.id);
    } else if (event.key === 'Escape' && query) {
      // First Escape clears the search; the next leaves the field (the console's global handler).
      event.preventDefault();
      event.stopPropagation();
      actions.setQuery('');
    }
  };

  return (
    <div class="picker" role="group" aria-labelledby="picker-title">
      <h3 id="picker-title">{t('pickerTitle')}</h3>
      {state.taxonomyError ? (
        <p class="alert error" role="alert">
          {t('taxonomyUnavailable', { detail: state.taxonomyError instanceof Error ? state.taxonomyError.message : String(state.taxonomyError) })}
        </p>
      ) : null}
      <label for="topic-search">{t('topicSearch')}</label>
      <div class="combobox">
        <input
          id="topic-search"
          type="text"
          role="combobox"
          autocomplete="off"
          spellcheck={false}
          aria-autocomplete="list"
          aria-expanded={results.length > 0 ? 'true' : 'false'}
          aria-controls="topic-results"
          aria-activedescendant={activeTopic ? `topic-option-${activeTopic.id}` : undefined}
          aria-describedby="topic-search-hint"
          value={query}
          disabled={busy}
          onInput={(event) => actions.setQuery(event.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <ul id="topic-results" role="listbox" aria-label={t('topicResults')} hidden={results.length === 0}>
          {results.map((topic, index) => (
            <li
              key={topic.id}
              id={`topic-option-${topic.id}`}
              role="option"
              aria-selected={index === active ? 'true' : 'false'}
              class={index === active ? 'active' : undefined}
              onClick={() => actions.chooseTopic(topic.id)}
            >
              <span class="option-name">{topic.names[locale()]}</span>
              <span class="option-other" lang={otherScript()}>
                {topic.names[otherScript()]}
              </span>
              <span class="option-department">{taxonomy?.departments.find((department) => department.id === topic.department)?.shortName[locale()] ?? topic.department}</span>
            </li>
          ))}
        </ul>
      </div>
      <p class="hint" id="topic-search-hint">
        {t('topicSearchHint')}
      </p>
      {query.trim() && taxonomy && results.length === 0 ? (
        <p class="hint" role="status" id="topic-search-none">
          {t('topicSearchNone', { query: query.trim() })}
        </p>
      ) : null}

      {selection ? (
        <dl class="facts chosen">
          <dt>{t('chosenTopic')}</dt>
          <dd id="chosen-topic">{topicName(selection.topic)}</dd>
          <dt>
            <label for="topic-department">{t('department')}</label>
          </dt>
          <dd>
            <select id="topic-department" value={selection.department} disabled={busy || allowed.length <= 1} onChange={(event) => actions.chooseDepartment(event.currentTarget.value)}>
              {allowed.map((department) => (
                <option key={department} value={department}>
                  {departmentName(department)}
                </option>
              ))}
            </select>
            {allowed.length <= 1 ? <p class="hint">{t('departmentOnlyOne', { department: departmentName(selection.department) })}</p> : null}
          </dd>
        </dl>
      ) : null}

      {selection && others.length > 0 ? (
        <details class="also-involves" id="also-involves">
          <summary>
            {t('alsoInvolves')}
            {alsoCount > 0 ? ` · ${t('alsoInvolvesCount', { n: alsoCount })}` : ''}
          </summary>
          <p class="hint">{t('alsoInvolvesHint', { max: MAX_ALSO_INVOLVES })}</p>
          <div class="also-list">
            {others.map((department) => {
              const checked = selection.alsoInvolves.includes(department.id);
              return (
                <label class="checkbox" key={department.id}>
                  <input
                    type="checkbox"
                    value={department.id}
                    checked={checked}
                    disabled={busy || (!checked && alsoCount >= MAX_ALSO_INVOLVES)}
                    onChange={(event) => actions.toggleAlsoInvolves(department.id, event.currentTarget.checked)}
                  />
                  <span>{`${department.names[locale()]} (${department.shortName[locale()]})`}</span>
                </label>
              );
            })}
          </div>
        </details>
      ) : null}

      <div class="actions">
        <button type="button" id="redraft" class="button primary" disabled={!selection || !needs || busy} aria-describedby="redraft-hint" onClick={() => actions.redraft()}>
          {state.redrafting ? t('redrafting') : t('redraft')}
        </button>
        {changed ? (
          <button type="button" id="reset-topic" class="button" disabled={busy} onClick={() => actions.resetTopic()}>
            {t('resetTopic')}
          </button>
        ) : null}
      </div>
      <p class="hint" id="redraft-hint">
        {!selection ? '' : needs && route ? t('redraftNeeded', { topic: topicName(route.topic), department: departmentName(route.department) }) : needs ? '' : t('draftFitsTopic')}
      </p>
      {state.topicError ? <ProblemAlert error={state.topicError} id="topic-error" /> : null}
    </div>
  );
}
