import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { KeelError } from '../../core/index.ts';

/** Progress of a streamed file: bytes read from disk (compressed when gzipped) of the file size. */
export interface ReadProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly lines: number;
}

/** Consumes a file line by line; the importers' parsers implement it (no I/O inside). */
export interface LineSink {
  /** `lineNo` is 1-based; lines have no trailing `\n` or `\r`. */
  push(line: string, lineNo: number): void;
}

export interface ReadOptions {
  readonly onProgress?: (p: ReadProgress) => void;
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** A file that cannot be opened or decompressed; the message names the file. */
export class FileReadError extends KeelError {
  constructor(path: string, reason: string) {
    super('KEEL_E_FILE', `${path}: ${reason}`, { path });
    this.name = 'FileReadError';
  }
}

/**
 * Streams a plain or gzip file (detected by its magic bytes, not its name) into `sink`, one line
 * at a time, reporting progress after each chunk. Memory stays O(chunk), whatever the file size.
 */
export async function readLines(path: string, sink: LineSink, options: ReadOptions = {}): Promise<number> {
  let totalBytes: number;
  let gz: boolean;
  try {
    totalBytes = (await stat(path)).size;
    gz = await isGzip(path);
  } catch (e) {
    throw new FileReadError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as Error).message));
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  raw.on('data', (chunk) => {
    bytesRead += chunk.length;
  });
  const stream = gz ? raw.pipe(createGunzip()) : raw;
  if (gz) raw.on('error', (e) => stream.destroy(e));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNo = 0;
  let sinkFailed = false;
  const emit = (line: string) => {
    lineNo++;
    try {
      sink.push(line.endsWith('\r') ? line.slice(0, -1) : line, lineNo);
    } catch (e) {
      sinkFailed = true;
      throw e;
    }
  };
  try {
    for await (const chunk of stream) {
      const text = rest + decoder.write(chunk as Buffer);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        emit(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
      options.onProgress?.({ bytesRead, totalBytes, lines: lineNo });
    }
  } catch (e) {
    if (sinkFailed || e instanceof KeelError) throw e;
    throw new FileReadError(path, `cannot read (${(e as Error).message})`);
  } finally {
    raw.destroy();
  }
  rest += decoder.end();
  if (rest.length > 0) emit(rest);
  options.onProgress?.({ bytesRead: totalBytes, totalBytes, lines: lineNo });
  return lineNo;
}

/** The same contract as readLines over an in-memory string: the pure path for tests. */
export function pushText(text: string, sink: LineSink): number {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => sink.push(l.endsWith('\r') ? l.slice(0, -1) : l, i + 1));
  return lines.length;
}

/** The first line of a plain or gzip file (for format detection), without reading the rest. */
export async function readFirstLine(path: string): Promise<string> {
  let first: string | undefined;
  const stop = new Error('first line read');
  try {
    await readLines(path, {
      push(line) {
        if (line.trim() === '') return;
        first = line;
        throw stop;
      },
    });
  } catch (e) {
    if (e !== stop) throw e;
  }
  return first ?? '';
}
