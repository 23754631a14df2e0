import type { IncomingMessage } from 'node:http';

/**
 * A request's body as text, or null once it exceeds `limit` bytes (the rest is drained unread,
 * so the caller can still answer 413 on the same connection).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks, size).toString('utf8')));
    req.on('error', reject);
  });
}
