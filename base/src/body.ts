import type { IncomingMessage } from 'node:http';

/** A body whose bytes are not UTF-8: refused rather than read with replacement characters. */
export class InvalidUtf8Error extends Error {
  constructor() {
    super('The request body is not valid UTF-8');
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A request's body as text, or null when it is larger than `limit` bytes: refused on its
 * declared Content-Length before anything is read, or as soon as what arrives passes the limit.
 * The rest is left unread, so the caller must answer (413) with `Connection: close`: the
 * socket then closes instead of reading whatever a client keeps sending. With `strictUtf8`, bytes
 * that are not UTF-8 reject with InvalidUtf8Error rather than becoming replacement characters.
 */
export function readBody(req: IncomingMessage, limit: number, { strictUtf8 = false } = {}): Promise<string | null> {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (size > limit) return resolve(null);
      try {
        const bytes = Buffer.concat(chunks, size);
        resolve(strictUtf8 ? UTF8.decode(bytes) : bytes.toString('utf8'));
      } catch {
        reject(new InvalidUtf8Error());
      }
    });
    req.on('error', reject);
  });
}
