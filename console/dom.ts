/** DOM building with text only: data reaches the page through text nodes and attributes, never HTML. */
import { ApiError, bearerMode } from './api.ts';
import { t } from './i18n.ts';


export type Child = Node | string | number | null | undefined | false;
export type Props = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyProps(element, props);
  append(element, children);
  return element;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';
export function s(tag: string, props: Props = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement;
  applyProps(element, props);
  append(element, children);
  return element;
}

function applyProps(element: Element, props: Props): void {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'value' && (element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) element.value = String(value);
    else if (key === 'checked' && element instanceof HTMLInputElement) element.checked = Boolean(value);
    else if (key === 'style' && (element instanceof HTMLElement || element instanceof SVGElement)) {
      // Through the CSSOM: the CSP forbids style attributes.
      for (const declaration of String(value).split(';')) {
        const [property, ...rest] = declaration.split(':');
        if (property && rest.length > 0) element.style.setProperty(property.trim(), rest.join(':').trim());
      }
    }
    else element.setAttribute(key, value === true ? '' : String(value));
  }
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
}

export function announce(message: string): void {
  const announcer = byId('announcer');
  announcer.textContent = '';
  window.setTimeout(() => (announcer.textContent = message), 50);
}

export function problemAlert(error: unknown): HTMLElement {
  const problem = error instanceof ApiError ? error.problem : undefined;
  const detail = problem?.detail ?? (error instanceof Error ? error.message : String(error));
  return h(
    'div',
    { class: 'alert error', role: 'alert' },
    h('p', {}, error instanceof ApiError && error.status === 0 ? t(bearerMode() ? 'errorNetworkApi' : 'errorNetwork') : t('errorGeneric', { detail })),
    problem?.problems?.length ? h('ul', {}, ...problem.problems.map((p) => h('li', {}, `${p.field}: ${p.problem}`))) : null,
  );
}

/** A page of the console: renders into <main>, stops its timers on dispose, may handle shortcut keys. */
export interface View {
  render(): void;
  dispose?(): void;
  onKey?(key: string): boolean;
}

/** The page heading; focusable so navigation can move focus to it for screen readers. */
export function heading(text: string): HTMLHeadingElement {
  return h('h1', { tabindex: -1 }, text);
}
