import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The file system as hostile workspace content meets it: every read of a workspace file, every
 * write mlready makes and every symbolic link a walker meets goes through this module.
 *
 * - Reads: regular files only, under a size cap, opened without blocking (a FIFO named
 *   `pyproject.toml` is refused, not waited on; a link to `/dev/zero` is refused, not read).
 * - Links: one policy for every walker (`linkPolicy`): a link whose target lies outside the root
 *   is not followed and is reported once.
 * - Writes: never through a link, never outside the folder they are meant for, new files created
 *   exclusively, temporary files with an unpredictable name created exclusively in the same
 *   folder, fixed files rewritten in place (same inode: mode, owner and hard links kept) only when
 *   they did not change since they were read.
 */

export class SafeFsError extends Error {
  constructor(
    message: string,
    readonly code: 'not-regular' | 'too-large' | 'outside' | 'link' | 'changed' | 'missing' | 'io' = 'io',
  ) {
    super(message);
    this.name = 'SafeFsError';
  }
}

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL } = fs.constants;
/** Absent on Windows: there the link checks by `lstat` still apply. */
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/**
 * Scripts larger than this are reported, not analysed (by check, readiness and scaffolds alike):
 * generated code of this size is not hand-written ML code. A notebook's code cells are held to it
 * too (`parseNotebookJson`); the notebook file's own cap is for its outputs.
 */
export const MAX_SCRIPT_BYTES = 8 * 1024 * 1024;
export const MAX_NOTEBOOK_BYTES = 256 * 1024 * 1024;

/** Size caps for the configuration files read from a workspace. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export function formatBytes(size: number): string {
  return size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(size / 1024)} KB`;
}

/** A reason a user can act on, from a Node error. */
export function describeFsError(error: unknown): string {
  if (error instanceof SafeFsError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'ELOOP') return 'symbolic link loop (or a link where none is allowed)';
  if (code === 'EISDIR') return 'is a folder';
  if (code === 'ENXIO') return 'not a regular file';
  return error instanceof Error ? error.message : String(error);
}

function describeKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

export interface BoundedRead {
  bytes: Buffer;
  stat: fs.Stats;
}

/**
 * Reads a regular file of at most `limit` bytes. Opened non-blocking and checked with `fstat`
 * before a byte is read, so a FIFO, a device or a socket is an error, never a hang; a file that
 * grows past the cap while being read is an error too. `what` names the file in messages.
 */
export function readRegularFile(file: string, limit: number, options: { noFollow?: boolean } = {}): BoundedRead {
  const fd = fs.openSync(file, O_RDONLY | O_NONBLOCK | (options.noFollow ? O_NOFOLLOW : 0));
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new SafeFsError(`not a regular file (${describeKind(stat)})`, 'not-regular');
    if (stat.size > limit) throw new SafeFsError(`too large (${formatBytes(stat.size)}; the limit is ${formatBytes(limit)})`, 'too-large');
    // One buffer of the file's size + 1 is filled in place (one read, then the read that says end
    // of file); a file that grew while being read gets more buffers, up to the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    let chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1, 4096), limit + 1, 1 << 20));
    let used = 0;
    for (;;) {
      if (used === chunk.length) {
        chunks.push(chunk);
        chunk = Buffer.allocUnsafe(Math.min(chunk.length, limit + 1 - total));
        used = 0;
      }
      const read = fs.readSync(fd, chunk, used, chunk.length - used, null);
      if (read === 0) break;
      used += read;
      total += read;
      if (total > limit) throw new SafeFsError(`too large (grew past the limit of ${formatBytes(limit)} while being read)`, 'too-large');
    }
    if (chunks.length === 0) return { bytes: chunk.subarray(0, used), stat };
    chunks.push(chunk.subarray(0, used));
    return { bytes: Buffer.concat(chunks, total), stat };
  } finally {
    fs.closeSync(fd);
  }
}

/** `readRegularFile` without blocking the event loop (the language server). */
export async function readRegularFileAsync(file: string, limit: number): Promise<BoundedRead> {
  const handle = await fs.promises.open(file, O_RDONLY | O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new SafeFsError(`not a regular file (${describeKind(stat)})`, 'not-regular');
    if (stat.size > limit) throw new SafeFsError(`too large (${formatBytes(stat.size)}; the limit is ${formatBytes(limit)})`, 'too-large');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1, 4096), limit + 1, 1 << 20));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw new SafeFsError(`too large (grew past the limit of ${formatBytes(limit)} while being read)`, 'too-large');
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return { bytes: Buffer.concat(chunks, total), stat };
  } finally {
    await handle.close();
  }
}

/**
 * A small configuration file's text (`pyproject.toml`, `mlready.toml`, `.gitignore`): undefined
 * when there is none, SafeFsError when it is not a regular file, too large, or unreadable.
 */
export function readConfigText(file: string, limit = MAX_CONFIG_BYTES): string | undefined {
  try {
    return readRegularFile(file, limit).bytes.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error instanceof SafeFsError ? error : new SafeFsError(describeFsError(error));
  }
}

export async function readConfigTextAsync(file: string, limit = MAX_CONFIG_BYTES): Promise<string | undefined> {
  try {
    return (await readRegularFileAsync(file, limit)).bytes.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error instanceof SafeFsError ? error : new SafeFsError(describeFsError(error));
  }
}

// ---- links and roots --------------------------------------------------------------------------------

/** True when `candidate` is `root` or lies under it (both absolute, already resolved). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of a root folder (links in the path to it resolved), or the path itself if it cannot be resolved. */
export function realRoot(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

export type LinkVerdict = { follow: true; target: string; stat: fs.Stats } | { follow: false; reason: string };

/**
 * The one rule for symbolic links, in the one walker (engine/workspace.ts: `check`, `--fix`,
 * readiness, the server's readiness scan): a link is followed only when its target exists and lies inside the root
 * (`rootReal`, a real path). A link out of the root is not followed and is reported once by the
 * walker ("links outside … not followed"); a dangling link is reported as such.
 */
export function linkPolicy(rootReal: string, link: string): LinkVerdict {
  let target: string;
  try {
    target = fs.realpathSync(link);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { follow: false, reason: 'symbolic link loop' };
    if (code === 'ENOENT') return { follow: false, reason: 'dangling symbolic link (its target does not exist)' };
    return { follow: false, reason: describeFsError(error) };
  }
  if (!isInside(rootReal, target)) return { follow: false, reason: 'symbolic link to outside the folder: not followed' };
  try {
    return { follow: true, target, stat: fs.statSync(target) };
  } catch (error) {
    return { follow: false, reason: describeFsError(error) };
  }
}

/**
 * The links a walk did not follow, as lines to show: each one (once), up to `limit`, then how
 * many more (a repository can plant thousands).
 */
export function summarizeSkipped(skipped: readonly { path: string; reason: string }[], limit = 20): { path: string; reason: string }[] {
  if (skipped.length <= limit) return [...skipped];
  return [
    ...skipped.slice(0, limit),
    { path: skipped[limit].path, reason: `and ${skipped.length - limit} more symbolic links not followed (outside the folder, dangling or looping)` },
  ];
}

// ---- writes --------------------------------------------------------------------------------------------

/**
 * Checks that `target` can be written inside `folder` without following a link: every existing
 * component from `folder` down is a real folder (not a link), the file itself is not a link (a
 * dangling link is a clear error), and creates the missing folders (not with `check`, which
 * only checks). Returns the absolute path.
 */
export function prepareWriteInside(folder: string, target: string, options: { check?: boolean } = {}): string {
  const base = path.resolve(folder);
  const absolute = path.resolve(base, target);
  if (!isInside(base, absolute) || absolute === base) throw new SafeFsError(`${target}: outside ${base}, not written`, 'outside');
  // The folder itself is the caller's choice (a command-line --out); below it, nothing may be a link.
  if (!options.check) fs.mkdirSync(base, { recursive: true });
  const parts = path.relative(base, absolute).split(path.sep);
  let current = base;
  for (let i = 0; i < parts.length; i++) {
    current = path.join(current, parts[i]);
    const last = i === parts.length - 1;
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new SafeFsError(`${path.relative(base, current)}: ${describeFsError(error)}`);
    }
    if (stat?.isSymbolicLink()) {
      let dangling = false;
      try {
        fs.statSync(current);
      } catch {
        dangling = true;
      }
      const shown = path.relative(base, current);
      throw new SafeFsError(
        dangling
          ? `${shown} is a dangling symbolic link: remove it or point it at a real file, then run again`
          : `${shown} is a symbolic link: mlready does not write through links, not written`,
        'link',
      );
    }
    if (!last) {
      if (!stat) {
        if (options.check) return absolute; // nothing below a missing folder can be a link
        fs.mkdirSync(current);
      } else if (!stat.isDirectory()) throw new SafeFsError(`${path.relative(base, current)} is not a folder`, 'not-regular');
    } else if (stat && !stat.isFile()) {
      throw new SafeFsError(`${path.relative(base, current)} is not a regular file (${describeKind(stat)}), not written`, 'not-regular');
    }
  }
  return absolute;
}

/**
 * Writes a file inside `folder` (a scaffold, an attestation, a report): never through a link,
 * never outside `folder`. `exclusive`: the file must not exist (created with O_EXCL); otherwise
 * an existing regular file is rewritten in place (same inode, mode and owner kept).
 */
export function writeFileInside(folder: string, target: string, content: string | Uint8Array, options: { exclusive?: boolean } = {}): string {
  const absolute = prepareWriteInside(folder, target);
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  if (options.exclusive) {
    let fd: number;
    try {
      fd = fs.openSync(absolute, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SafeFsError(`${target} already exists, not overwritten`, 'changed');
      throw new SafeFsError(`${target}: ${describeFsError(error)}`);
    }
    try {
      writeAll(fd, data);
    } finally {
      fs.closeSync(fd);
    }
    return absolute;
  }
  let fd: number;
  try {
    fd = fs.openSync(absolute, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o666);
  } catch (error) {
    throw new SafeFsError(`${target}: ${describeFsError(error)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new SafeFsError(`${target} is not a regular file (${describeKind(stat)}), not written`, 'not-regular');
    fs.ftruncateSync(fd, 0);
    writeAll(fd, data);
  } finally {
    fs.closeSync(fd);
  }
  return absolute;
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset, offset);
}

/** What a file looked like when it was read: it is rewritten only if it still does. */
export interface ReadSnapshot {
  bytes: Buffer;
  stat: fs.Stats;
}

export type ReplaceOutcome = { ok: true; path: string } | { ok: false; reason: string; changed?: boolean };

/**
 * Replaces a file's contents after a fix, inside `rootReal` only:
 * 1. the path is resolved; a link is followed only to a target inside the root (the link stays a
 *    link, its target is fixed); a target outside the root is refused;
 * 2. the new text goes to a temporary file created exclusively (O_EXCL, O_NOFOLLOW, a random
 *    name, mode 0600) in the target's folder, is flushed and read back (a full disk fails here,
 *    before the original is touched);
 * 3. the original is compared with what was read (inode, size, time and bytes): if it changed
 *    in between, nothing is written ("changed while fixing; run again");
 * 4. the original is rewritten in place through a descriptor opened without following links,
 *    so its inode, mode, owner and hard links are kept; the temporary file is removed.
 */
export function replaceFileContents(rootReal: string, file: string, content: string | Uint8Array, before: ReadSnapshot): ReplaceOutcome {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch (error) {
    return { ok: false, reason: `could not write fixes: ${describeFsError(error)}` };
  }
  if (!isInside(rootReal, target)) return { ok: false, reason: 'not fixed: the file is a link to outside the checked folder' };
  const folder = path.dirname(target);
  const temporary = path.join(folder, `.${path.basename(target)}.mlready-${randomBytes(12).toString('hex')}.tmp`);
  let tmpFd: number | undefined;
  let fd: number | undefined;
  try {
    tmpFd = fs.openSync(temporary, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    writeAll(tmpFd, data);
    fs.fsyncSync(tmpFd);
    const check = Buffer.alloc(data.length);
    let got = 0;
    while (got < data.length) {
      const read = fs.readSync(tmpFd, check, got, data.length - got, got);
      if (read === 0) break;
      got += read;
    }
    if (got !== data.length || !check.equals(data)) return { ok: false, reason: 'could not write fixes: the temporary copy did not read back as written' };

    fd = fs.openSync(target, O_RDWR | O_NOFOLLOW | O_NONBLOCK);
    const now = fs.fstatSync(fd);
    if (!now.isFile()) return { ok: false, reason: `not fixed: ${describeKind(now)}` };
    const same = now.ino === before.stat.ino && now.dev === before.stat.dev && now.size === before.bytes.length && now.mtimeMs === before.stat.mtimeMs;
    if (!same || !readAllFd(fd, now.size + 1).equals(before.bytes)) return { ok: false, changed: true, reason: 'changed while fixing; run again' };
    fs.ftruncateSync(fd, 0);
    writeAll(fd, data);
    fs.fsyncSync(fd);
    return { ok: true, path: target };
  } catch (error) {
    return { ok: false, reason: `could not write fixes: ${describeFsError(error)}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    if (tmpFd !== undefined) {
      fs.closeSync(tmpFd);
      fs.rmSync(temporary, { force: true });
    }
  }
}

function readAllFd(fd: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const read = fs.readSync(fd, chunk, 0, chunk.length, total);
    if (read === 0 || total > limit) break;
    chunks.push(Buffer.from(chunk.subarray(0, read)));
    total += read;
  }
  return Buffer.concat(chunks, total);
}

/** The real path of a file if it exists, else of its folder joined with its name (for comparing paths). */
export function realPathOrIntended(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return path.resolve(file);
    }
  }
}
