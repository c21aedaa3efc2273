import { createHash } from 'crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { ValidationError } from '../../../libs/domain/errors';
import { PayloadTooLargeError } from '../common/http-errors';
import { receiveUpload, resolveImportFile } from './import-files';

describe('import files', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'import-files-'));
  const dir = path.join(root, 'imports');
  const secret = path.join(root, 'secret.txt');
  beforeAll(() => {
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    writeFileSync(path.join(dir, 'sub', 'a.csv'), 'u,t\n');
    writeFileSync(secret, 'root:x:0:0\n');
    symlinkSync(secret, path.join(dir, 'escape.csv'));
    symlinkSync(path.join(dir, 'sub', 'a.csv'), path.join(dir, 'inside-link.csv'));
  });

  const reasonFor = async (requested: string) => {
    const err = await resolveImportFile(dir, requested).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(JSON.stringify(v)).not.toContain(root); // never the server's absolute paths
    expect(v.message).not.toContain(root);
    return v.errors[0];
  };

  it('resolves files inside the folder, through links that stay inside, to paths relative to it', async () => {
    expect(await resolveImportFile(dir, 'sub/a.csv')).toEqual({ real: path.join(dir, 'sub', 'a.csv'), relative: 'sub/a.csv' });
    expect(await resolveImportFile(dir, './sub/../sub/a.csv')).toMatchObject({ relative: 'sub/a.csv' });
    expect(await resolveImportFile(dir, 'inside-link.csv')).toMatchObject({ relative: 'sub/a.csv' });
  });

  it('refuses paths out of the folder, links out of it, missing files and folders', async () => {
    expect(await reasonFor('../secret.txt')).toEqual({ field: 'path', reason: 'must be a file inside IMPORT_DIR, given relative to it' });
    expect(await reasonFor(secret)).toEqual({ field: 'path', reason: 'must be a file inside IMPORT_DIR, given relative to it' });
    expect(await reasonFor('escape.csv')).toEqual({ field: 'path', reason: 'links to a file outside IMPORT_DIR' });
    expect(await reasonFor('nothing.csv')).toEqual({ field: 'path', reason: 'no such file in IMPORT_DIR' });
    expect(await reasonFor('sub')).toEqual({ field: 'path', reason: 'is not a file' });
    expect(await reasonFor('.')).toEqual({ field: 'path', reason: 'must be a file inside IMPORT_DIR, given relative to it' });
  });

  it('stores an upload under its content hash, the same file for the same content', async () => {
    const content = 'a1,2024-01-01T00:00:00Z,session\n'.repeat(1000);
    const id = createHash('sha256').update(content).digest('hex').slice(0, 24);
    const first = await receiveUpload(Readable.from([content.slice(0, 100), content.slice(100)]), dir, 1 << 20, 'csv');
    expect(first).toEqual({ real: path.join(dir, 'uploads', `${id}.csv`), relative: `uploads/${id}.csv`, bytes: content.length });
    expect(readFileSync(first.real, 'utf8')).toBe(content);
    const again = await receiveUpload(Readable.from([content]), dir, 1 << 20, 'csv');
    expect(again).toEqual(first);
    expect(readdirSync(path.join(dir, 'uploads'))).toEqual([`${id}.csv`]);
  });

  it('keeps nothing of an upload over the cap or empty', async () => {
    await expect(receiveUpload(Readable.from(['x'.repeat(600), 'x'.repeat(600)]), dir, 1024, 'csv')).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(receiveUpload(Readable.from([]), dir, 1024, 'csv')).rejects.toBeInstanceOf(ValidationError);
    expect(readdirSync(path.join(dir, 'uploads')).filter((f) => f.startsWith('.incoming'))).toEqual([]);
  });
});
