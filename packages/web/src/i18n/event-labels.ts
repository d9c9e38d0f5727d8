// The label of an attempt event type in the page's language, from the one vocabulary (contracts/events.ts
// EVENT_LABELS): the web keeps no label table of its own. A legacy stored name (multiple-faces) reads as today's.
import { EVENT_LABELS, eventTypeOf } from '@invigil/contracts';
import i18n from './index.ts';

/** null for a name outside the vocabulary (a warning, a 求助 message, a detector newer than this page). */
export function eventLabelOrNull(type: string, lang: string = i18n.language): string | null {
  const t = eventTypeOf(type);
  return t ? EVENT_LABELS[t][lang === 'en' ? 'en' : 'zh-CN'] : null;
}

/** The label, or the raw type for a name outside the vocabulary (shown rather than hidden). */
export const eventLabel = (type: string, lang?: string): string => eventLabelOrNull(type, lang) ?? type;
