// The web labels attempt events from the one vocabulary (contracts/events.ts): every type in both languages in the
// proctor's feed and the review timeline, legacy stored names read as today's, unknown names shown raw.
import { describe, expect, it } from 'vitest';
import { EVENT_LABELS, EventType } from '@invigil/contracts';
import i18n from '../src/i18n/index.ts';
import { eventLabel, eventLabelOrNull } from '../src/i18n/event-labels.ts';
import { flagName } from '../src/apps/proctor/format.ts';
import { flagFromSignal } from '../src/apps/proctor/live-updates.ts';

describe('event labels', () => {
  it.each(EventType.options)('%s has its zh-CN and en label in the proctor console', async (type) => {
    await i18n.changeLanguage('zh-CN');
    expect(flagName(type)).toBe(EVENT_LABELS[type]['zh-CN']);
    await i18n.changeLanguage('en');
    expect(flagName(type)).toBe(EVENT_LABELS[type].en);
  });

  it("reads the legacy name as today's and shows an unknown name raw", () => {
    expect(eventLabel('multiple-faces', 'zh-CN')).toBe('画面中有多人');
    expect(eventLabel('several-faces', 'en')).toBe('Several people');
    expect(eventLabel('some-new-detector', 'zh-CN')).toBe('some-new-detector');
    expect(eventLabelOrNull('help-request', 'zh-CN')).toBeNull();
  });

  it("a pushed legacy name becomes a flag of today's type; an unknown or info type is no flag", () => {
    const p = { attemptId: 'a1', id: 'e1', at: 1, data: {} };
    expect(flagFromSignal({ ...p, type: 'multiple-faces' }, undefined, 2)).toMatchObject({ type: 'several-faces', severity: 'high' });
    expect(flagFromSignal({ ...p, type: 'page-visible' }, undefined, 2)).toBeNull();
    expect(flagFromSignal({ ...p, type: 'nobody-raises-this' }, undefined, 2)).toBeNull();
  });
});
