/**
 * The diarium CSV: a cell that a spreadsheet would evaluate as a formula is written as text.
 */
import { exportCsv, neutralizeFormula, type ExportRow } from '../../src/core/export';

test.each([
  ['=1+1', "'=1+1"],
  ['=HYPERLINK("http://example.invalid";"Klicka")', `'=HYPERLINK("http://example.invalid";"Klicka")`],
  ['+46 70 123 45 67', "'+46 70 123 45 67"],
  ['-2+3', "'-2+3"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\t=1+1', "'\t=1+1"],
  ['\tnågot', "'\tnågot"],
  ['\rnågot', "'\rnågot"],
  ['  =1+1', "'  =1+1"],
  ['Hur går det med badhuset?', 'Hur går det med badhuset?'],
  ['Summa = 3', 'Summa = 3'],
  ['2027-01-21', '2027-01-21'],
  ['', ''],
])('%j is written as %j', (cell, written) => {
  expect(neutralizeFormula(cell)).toBe(written);
});

test('every text cell of the CSV is neutralised, numbers stay numbers', () => {
  const row: ExportRow = { lopnr: 1, tidpunkt: '2027-01-10 10:00', handelse: 'Övrig fråga anmäld', id: 'F1', sammantrade: '2027-01-21', arende: '', ledamot: '@Amira', grund: '', text: '-1+1', registreradAv: '+x', kanal: 'console', postId: '=id' };
  const [, line] = exportCsv([row]).replace(/^\uFEFF/, '').trim().split('\n');
  expect(line).toBe("1;2027-01-10 10:00;Övrig fråga anmäld;F1;2027-01-21;;'@Amira;;'-1+1;'+x;console;'=id");
});
