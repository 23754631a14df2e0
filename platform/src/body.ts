import type { IncomingMessage } from 'node:http';

/**
 * A request's body as text, or null when it is larger than `limit` bytes: refused on its
 * declared Content-Length before anything is read, or as soon as what arrives passes the limit.
 * The rest is left unread, so the caller must answer (413) with `Connection: close`: the
 * socket then closes instead of reading whatever a client keeps sending.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
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
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks, size).toString('utf8')));
    req.on('error', reject);
  });
}
