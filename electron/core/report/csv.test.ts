import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvLine } from './csv';

test('csvCell quotes per RFC 4180 and prefixes text that a spreadsheet would run as a formula', () => {
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('+SUM(A1)'), "'+SUM(A1)");
  assert.equal(csvCell('-2+3'), "'-2+3");
  assert.equal(csvCell('@cmd'), "'@cmd");
  assert.equal(csvCell('\t=1'), "'\t=1");
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell(-5), '-5', 'numbers are numbers');
  assert.equal(csvCell('-qqqqh0zvqqe0'), '-qqqqh0zvqqe0', 'a GCP insertId is kept byte for byte');
  assert.equal(csvCell('-qqqqh0zvqqe0 -qqqqh5pmuje1'), '-qqqqh0zvqqe0 -qqqqh5pmuje1', 'and a list of them');
  assert.equal(csvCell("-2+3+cmd|' /C calc'!A0"), `'-2+3+cmd|' /C calc'!A0`, 'a DDE payload is defused');
  assert.equal(csvCell('-SUM(A1)'), "'-SUM(A1)");
  // What a spreadsheet would show as another value keeps its guard: a number, a cell reference, short or mixed-case text.
  for (const v of ['-1e5', '-12345678901', '-A1', '-xfd1048576', '-r1c1', '-abc', '-Qqqqh0zvqqe0', '-qqqq h0zv', '-qqqqh0zvqqe0+1']) assert.equal(csvCell(v), `'${v}`, v);
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(true), 'true');
  assert.equal(csvCell({ a: 1 }), '"{""a"":1}"');
  assert.equal(csvLine(['x', 1, null]), 'x,1,\r\n');
});
