import { cleanFreeText, count, normalizeWord, swedishNumber } from '../../src/domain/text';

describe('cleanFreeText', () => {
  test.each([
    ['plain Swedish stays as it is', 'Jävig i ärende 14 – äger aktier', 'Jävig i ärende 14 – äger aktier'],
    ['Latin-1 only, single spaces', 'Övrig fråga om förskolan i Åby', 'Övrig fråga om förskolan i Åby'],
    ['spaces at the ends go', '  hej  ', 'hej'],
    ['runs of spaces fold', 'a   b', 'a b'],
    ['tabs and newlines become spaces', 'a\tb\nc\r\nd', 'a b c d'],
    ['a no-break space folds to a space', 'a\u00A0b', 'a b'],
    ['a soft hyphen is removed', 'för\u00ADskola', 'förskola'],
    ['control characters are removed', 'a\u0007b\u0000c', 'abc'],
    ['a zero-width space (format) is removed', 'a\u200Bb', 'ab'],
    ['a decomposed ä becomes one character (NFC)', 'ja\u0308v', 'jäv'],
    ['a ZWJ emoji sequence stays one symbol (issue 19.11)', 'Simning 🏊\u200D♀\uFE0F', 'Simning 🏊\u200D♀\uFE0F'],
    ['a ZWNJ in a Persian word stays (issue 19.11)', 'می\u200Cخواهم', 'می\u200Cخواهم'],
    ['bidi overrides and isolates are removed', 'a\u202Eb\u202Cc\u2066d\u2069', 'abcd'],
    ['emoji and other scripts stay', 'Bra 👍 Привет', 'Bra 👍 Привет'],
    ['nothing left', ' \t\n ', ''],
    ['empty', '', ''],
  ])('%s', (_label, input, expected) => {
    expect(cleanFreeText(input)).toBe(expected);
  });
});

describe('normalizeWord', () => {
  test.each([
    ['JÄV', 'jav'],
    ['jäv,', 'jav'],
    ['"Övrig', 'ovrig'],
    ['§14', '§14'],
    ['14/27.', '14/27'],
    ['Ärendet-som-har-ett-mycket-långt-namn-över-trettiotvå-tecken', 'arendet-som-har-ett-mycket-langt-namn-over-trettiotva-tecken'],
  ])('%s → %s, the same every time', (input, expected) => {
    expect(normalizeWord(input)).toBe(expected);
    expect(normalizeWord(input)).toBe(expected);
  });
});

describe('swedishNumber and count', () => {
  test.each([
    [7, '7'],
    [999, '999'],
    [1200, '1\u00a0200'],
    [159999, '159\u00a0999'],
    [2.5, '2,5'],
    [0.04, '0'],
  ])('%p is written %p', (n, expected) => {
    expect(swedishNumber(n)).toBe(expected);
  });

  test.each([
    [1, '1 dag'],
    [3, '3 dagar'],
    [12000, '12\u00a0000 dagar'],
  ])('count(%p) is %p', (n, expected) => {
    expect(count(n, 'dag', 'dagar')).toBe(expected);
  });
});
