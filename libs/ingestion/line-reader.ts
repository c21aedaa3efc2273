import { open } from 'fs/promises';

export interface FileLine {
  text: string;
  /** 1-based line number in the file. */
  line: number;
  /** Byte offset just past this line's newline: where reading resumes after it. */
  endOffset: number;
}

const NEWLINE = 0x0a;

/**
 * Reads lines from a byte offset, tracking exact byte positions (unlike readline), so a batch can
 * heartbeat "resume here" and a retried activity continues from the last durable point. CRLF and
 * LF files alike; blank lines are skipped but counted.
 */
export async function* readLines(path: string, startOffset: number, startLine: number, chunkBytes = 1 << 20): AsyncGenerator<FileLine> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let carry: Buffer = Buffer.alloc(0);
    let fileOffset = startOffset; // file position of carry[0]
    let line = startLine;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, fileOffset + carry.length);
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE, start); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        line++;
        const text = data.toString('utf8', start, nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl);
        start = nl + 1;
        if (text.trim() !== '') yield { text, line, endOffset: fileOffset + start };
      }
      if (bytesRead === 0) {
        if (start < data.length) {
          line++;
          const text = data.toString('utf8', start).replace(/\r$/, '');
          if (text.trim() !== '') yield { text, line, endOffset: fileOffset + data.length };
        }
        return;
      }
      carry = Buffer.from(data.subarray(start));
      fileOffset += start;
    }
  } finally {
    await fh.close();
  }
}

/** The first line of a file (a CSV header), without its line ending. */
export async function readFirstLine(path: string): Promise<string | undefined> {
  for await (const l of readLines(path, 0, 0, 64 * 1024)) return l.text;
  return undefined;
}
