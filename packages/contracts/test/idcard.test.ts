import { describe, expect, it } from 'vitest';
import { idCardCheckChar, idNumberProblem } from '../src/idcard.ts';

describe('ID-card numbers', () => {
  it('computes the GB 11643 check character', () => {
    // The standard's own example number.
    expect(idCardCheckChar('11010519491231002')).toBe('X');
    expect(idNumberProblem('11010519491231002X')).toBeNull();
    expect(idNumberProblem('11010519491231002x')).toBeNull();
  });
  it('refuses a wrong check digit and malformed numbers', () => {
    expect(idNumberProblem('110105194912310021')).toBe('checksum');
    expect(idNumberProblem('1101051949123100XX')).toBe('format');
    expect(idNumberProblem('abc')).toBe('format');
  });
  it('accepts other documents that are not 18 characters long', () => {
    expect(idNumberProblem('E12345678')).toBeNull();
  });
});
