import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readFirstLine, readLines } from './line-reader';

async function collect(path: string, offset: number, line: number, chunk: number) {
  const out = [];
  for await (const l of readLines(path, offset, line, chunk)) out.push(l);
  return out;
}

describe('readLines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lines-'));
  const path = join(dir, 'f.txt');
  writeFileSync(path, 'alpha\r\nbéta\r\n\r\ngamma\ndelta'); // CRLF, a blank line, no final newline

  it.each([3, 7, 1 << 20])('gives texts, line numbers and resume offsets (chunk %i bytes)', async (chunk) => {
    const lines = await collect(path, 0, 0, chunk);
    expect(lines).toEqual([
      { text: 'alpha', line: 1, endOffset: 7 },
      { text: 'béta', line: 2, endOffset: 14 },
      { text: 'gamma', line: 4, endOffset: 22 },
      { text: 'delta', line: 5, endOffset: 27 },
    ]);
  });

  it('resumes exactly from an offset it gave', async () => {
    expect((await collect(path, 14, 2, 4)).map((l) => [l.text, l.line])).toEqual([
      ['gamma', 4],
      ['delta', 5],
    ]);
    expect(await readFirstLine(path)).toBe('alpha');
  });
});
