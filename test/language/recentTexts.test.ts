import { describe, expect, it } from 'vitest';
import { forgetRecentTexts, rememberRecentTexts } from '../../src/language/recentTexts.js';

describe('rememberRecentTexts', () => {
  const counting = (options?: { limit?: number; maxLength?: number }) => {
    const computed: string[] = [];
    const remembering = rememberRecentTexts((text) => {
      computed.push(text);
      return text.toUpperCase();
    }, options);
    return { remembering, computed };
  };

  it('computes a text once while it is remembered, and again after forget', () => {
    const { remembering, computed } = counting();
    expect([remembering('aye'), remembering('aye'), remembering('nae')]).toEqual(['AYE', 'AYE', 'NAE']);
    expect(computed).toEqual(['aye', 'nae']);
    remembering.forget();
    remembering('aye');
    expect(computed).toEqual(['aye', 'nae', 'aye']);
  });

  it('forgets everything when full, so a flood of different texts costs memory once', () => {
    const { remembering, computed } = counting({ limit: 2 });
    for (const text of ['a', 'b', 'c', 'a', 'c']) remembering(text);
    // "c" arrived with two remembered: both went, "c" stayed; "a" is computed again, then "c" is known.
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });

  it('never keeps a long text (a pasted page)', () => {
    const { remembering, computed } = counting({ maxLength: 5 });
    remembering('a long paste');
    remembering('a long paste');
    expect(computed).toEqual(['a long paste', 'a long paste']);
  });

  it('all forget at once (the recognizer benchmark reads every text as new)', () => {
    const one = counting();
    const two = counting();
    one.remembering('a');
    two.remembering('b');
    forgetRecentTexts();
    one.remembering('a');
    two.remembering('b');
    expect([one.computed, two.computed]).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
  });
});
