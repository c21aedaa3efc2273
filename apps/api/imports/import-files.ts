import { createHash, randomBytes } from 'crypto';
import { createWriteStream } from 'fs';
import { mkdir, realpath, rename, rm, stat } from 'fs/promises';
import * as path from 'path';
import { Readable, Transform } from 'stream';
import { pipeline } from 'stream/promises';
import { ValidationError } from '../../../libs/domain/errors';
import { PayloadTooLargeError } from '../common/http-errors';

/** A file the API may import: its real path (for the worker) and its path relative to IMPORT_DIR (for answers). */
export interface ImportFile {
  real: string;
  relative: string;
}

const outside = (rel: string) => rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);

/**
 * Resolves a path given relative to IMPORT_DIR, following links: a link inside the folder that points
 * out of it is refused like any path out of it. Messages name the path as given, never the server's.
 */
export async function resolveImportFile(importDir: string, requested: string): Promise<ImportFile> {
  const refuse = (reason: string) => new ValidationError('cannot import the file at path', [{ field: 'path', reason }]);
  const dir = await realpath(importDir);
  if (outside(path.relative(dir, path.resolve(dir, requested)))) throw refuse('must be a file inside IMPORT_DIR, given relative to it');
  const real = await realpath(path.resolve(dir, requested)).catch(() => null);
  if (real === null) throw refuse('no such file in IMPORT_DIR');
  const relative = path.relative(dir, real);
  if (outside(relative)) throw refuse('links to a file outside IMPORT_DIR');
  if (!(await stat(real)).isFile()) throw refuse('is not a file');
  return { real, relative: relative.split(path.sep).join('/') };
}

/**
 * Streams an uploaded file into IMPORT_DIR/uploads under its content hash (the import id that
 * startImport derives from the same SHA-256), so uploading the same content again lands on the same
 * file and the same import. Nothing is kept of an upload that is cut off or over `maxBytes`.
 */
export async function receiveUpload(body: Readable, importDir: string, maxBytes: number, extension: string): Promise<ImportFile & { bytes: number }> {
  const uploads = path.join(await realpath(importDir), 'uploads');
  await mkdir(uploads, { recursive: true });
  const incoming = path.join(uploads, `.incoming-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(new PayloadTooLargeError(`the upload is larger than ${maxBytes} bytes (IMPORT_UPLOAD_MAX_BYTES)`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(incoming, { flags: 'wx' }));
  } catch (err) {
    await rm(incoming, { force: true });
    const code = (err as { code?: string }).code;
    if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET') throw new ValidationError('the upload was cut off', [{ field: '(body)', reason: 'ended early' }]);
    throw err;
  }
  if (bytes === 0) {
    await rm(incoming, { force: true });
    throw new ValidationError('the upload is empty', [{ field: '(body)', reason: 'no bytes' }]);
  }
  const name = `${hash.digest('hex').slice(0, 24)}.${extension}`;
  const real = path.join(uploads, name);
  await rename(incoming, real); // same content, same name: replacing it changes nothing
  return { real, relative: `uploads/${name}`, bytes };
}
