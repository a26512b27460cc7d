/** How dates, ages, topics, departments, languages and statuses read in the current locale. */
import { h } from './dom.ts';
import { isMessageKey, locale, t } from './i18n.ts';
import { DISTRICTS, isDistrictId, type EnquiryLocation } from '../shared/vocabulary/districts.ts';

type LocalisedName = { en: string; 'zh-Hant': string };
/** Filled in at build time from layers/knowledge (see build.ts). */
declare const __TOPIC_NAMES__: Record<string, LocalisedName>;
declare const __DEPARTMENT_NAMES__: Record<string, LocalisedName>;
// Referenced once each, so the bundle holds the tables once.
export const TOPIC_NAMES = __TOPIC_NAMES__;
const DEPARTMENT_NAMES = __DEPARTMENT_NAMES__;


export const localeTag = () => (locale() === 'en' ? 'en-HK' : 'zh-HK');

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeTag(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Hong_Kong' }).format(date);
}

export function formatAge(minutes: number): string {
  if (minutes < 60) return t('ageMinutes', { n: minutes });
  if (minutes < 48 * 60) return t('ageHours', { n: Math.floor(minutes / 60) });
  return t('ageDays', { n: Math.floor(minutes / 1440) });
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : `${Math.round(value * 100)}%`;
}

export function topicName(topic: string | null | undefined): string {
  if (!topic) return t('noTopic');
  return TOPIC_NAMES[topic]?.[locale()] ?? topic.replaceAll('_', ' ');
}

/** A district id in the current locale (the one list of districts); `unknown` and anything else as "District not known". */
export function districtName(district: string): string {
  return isDistrictId(district) ? DISTRICTS[district][locale()] : t('districtUnknown');
}

export function departmentName(department: string | null | undefined): string {
  if (!department) return '–';
  return DEPARTMENT_NAMES[department]?.[locale()] ?? department;
}

export function languageName(language: string | null | undefined): string {
  if (!language) return '–';
  const key = `lang-${language}`;
  return isMessageKey(key) ? t(key) : language;
}

/** The enquiry's district (or its candidates when ambiguous); '–' before classification. */
export function districtLabel(location: EnquiryLocation | null | undefined): string {
  if (!location) return '–';
  if (location.status === 'found' && location.district) return districtName(location.district);
  if (location.status === 'ambiguous') return t('districtAmbiguous', { districts: (location.candidates ?? []).map(districtName).join(locale() === 'en' ? ' / ' : '、') });
  return t('districtUnknown');
}

/** The gazetteer's name of a place (an enquiry's or an incident's) in the console's language, or '–'. */
export function placeName(place: EnquiryLocation['place'] | null | undefined): string {
  if (!place) return '–';
  return locale() === 'en' ? place.en : place.zh;
}

export function urgencyBadge(urgency: string | null | undefined): HTMLElement | null {
  if (!urgency) return null;
  const key = `urgency-${urgency}`;
  return h('span', { class: `badge ${urgency}` }, isMessageKey(key) ? t(key) : urgency);
}

export function statusLabel(status: string): string {
  const key = `status-${status}`;
  return isMessageKey(key) ? t(key) : status.replaceAll('_', ' ');
}

