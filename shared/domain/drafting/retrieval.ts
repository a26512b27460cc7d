import type { TopicId } from '../../vocabulary/topics.ts';
import type { KnowledgeArticle } from './knowledge-article.ts';
import { toSimplified } from './script.ts';
import { compareCodeUnits } from '../order.ts';

/*
 * BM25 over the knowledge base. Every article is one bilingual document (English + Traditional Chinese),
 * so a query in any of the three scripts finds it. Chinese is normalised to Simplified before tokenising:
 * a Mandarin caller's 垃圾收集站 and a Cantonese caller's 垃圾收集站 then share tokens (script-invariant).
 */

export interface ScoredArticle {
  article: KnowledgeArticle;
  score: number;
}

const ENGLISH_STOP_WORDS = new Set(
  'a an and are as at be been by can do does for from has have i if in into is it its me my of on or our please so that the their there this to was we were what when where which who will with you your'.split(
    ' ',
  ),
);

const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[a-z0-9]+/g;
// Built on first use (~10 ms: ICU's word dictionary): functions that bundle retrieval without drafting
// (review-api lists, classify) should not pay it at every cold start.
let wordSegmenter: Intl.Segmenter | undefined;

// Light English stemming so "potholes" matches "pothole" and "flies" matches "fly"; deliberately crude.
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Tokens for retrieval: English word stems, Chinese dictionary words (Intl.Segmenter) and character bigrams. */
export function retrievalTokens(text: string): string[] {
  const normalised = toSimplified(text.normalize('NFKC').toLowerCase());
  const tokens: string[] = [];
  for (const [word] of normalised.matchAll(LATIN_WORD)) {
    if (!ENGLISH_STOP_WORDS.has(word)) tokens.push(stem(word));
  }
  for (const [run] of normalised.matchAll(HAN_RUN)) {
    const chars = Array.from(run);
    if (chars.length === 1) tokens.push(run);
    // Bigrams survive unknown words and colloquial Cantonese the segmenter's dictionary does not know.
    for (let i = 0; i + 1 < chars.length; i += 1) tokens.push(`${chars[i]}${chars[i + 1]}`);
    // Dictionary words of three or more characters add a stronger signal (垃圾收集站, 食物环境卫生署).
    for (const { segment, isWordLike } of (wordSegmenter ??= new Intl.Segmenter('zh-Hans', { granularity: 'word' })).segment(run)) {
      if (isWordLike && Array.from(segment).length >= 3) tokens.push(segment);
    }
  }
  return tokens;
}

function documentText(article: KnowledgeArticle): string {
  // Title and topic name twice: they say what the article is about more densely than the body.
  const heading = [article.topicName.en, article.topicName['zh-Hant'], article.title.en, article.title['zh-Hant']].join('\n');
  return [heading, heading, article.body.en, article.body['zh-Hant']].join('\n');
}

interface IndexedDocument {
  article: KnowledgeArticle;
  termFrequencies: Map<string, number>;
  length: number;
}

export interface RetrievalIndex {
  documents: IndexedDocument[];
  documentFrequencies: Map<string, number>;
  averageLength: number;
}

export function buildRetrievalIndex(articles: KnowledgeArticle[]): RetrievalIndex {
  const documents = articles.map((article) => {
    const tokens = retrievalTokens(documentText(article));
    const termFrequencies = new Map<string, number>();
    for (const token of tokens) termFrequencies.set(token, (termFrequencies.get(token) ?? 0) + 1);
    return { article, termFrequencies, length: tokens.length };
  });
  const documentFrequencies = new Map<string, number>();
  for (const document of documents) {
    for (const term of document.termFrequencies.keys()) documentFrequencies.set(term, (documentFrequencies.get(term) ?? 0) + 1);
  }
  const averageLength = documents.reduce((sum, document) => sum + document.length, 0) / Math.max(documents.length, 1);
  return { documents, documentFrequencies, averageLength };
}

const K1 = 1.2;
const B = 0.75;
/** An article of the classified topic gets its score scaled and a floor, so it outranks near-misses. */
const TOPIC_BOOST_FACTOR = 1.5;
const TOPIC_BOOST_FLOOR = 1;

function bm25(index: RetrievalIndex, document: IndexedDocument, queryTerms: Set<string>): number {
  const count = index.documents.length;
  let score = 0;
  for (const term of queryTerms) {
    const frequency = document.termFrequencies.get(term);
    if (!frequency) continue;
    const documentFrequency = index.documentFrequencies.get(term) ?? 0;
    const idf = Math.log(1 + (count - documentFrequency + 0.5) / (documentFrequency + 0.5));
    const lengthNorm = 1 - B + (B * document.length) / index.averageLength;
    score += (idf * frequency * (K1 + 1)) / (frequency + K1 * lengthNorm);
  }
  return score;
}

export interface SearchOptions {
  /** Boosts articles of this topic; they are returned even when no query term matches. */
  topic?: TopicId;
  limit: number;
}

/** Best articles first; ties broken by article id so results are deterministic. */
export function searchIndex(index: RetrievalIndex, query: string, options: SearchOptions): ScoredArticle[] {
  const queryTerms = new Set(retrievalTokens(query));
  return index.documents
    .map((document) => {
      const score = bm25(index, document, queryTerms);
      const boosted = document.article.topic === options.topic ? score * TOPIC_BOOST_FACTOR + TOPIC_BOOST_FLOOR : score;
      return { article: document.article, score: boosted };
    })
    .filter((scored) => scored.score > 0)
    .sort((a, b) => b.score - a.score || compareCodeUnits(a.article.id, b.article.id))
    .slice(0, Math.max(0, options.limit));
}
