import { Types } from 'mongoose';
import { hash32 } from './random';

/**
 * Deterministic ObjectIds: 4 bytes timestamp (fixed), 3 bytes from the seed, 1 byte
 * naming the department, 4 bytes counter. Same seed → same ids; a department's ids never
 * collide with another's and do not move when a department is added.
 */
export class ObjectIdFactory {
  private counter = 0;
  private readonly prefix: string;

  constructor(seed: number, departmentTag: number, timestampSeconds: number) {
    const ts = (timestampSeconds >>> 0).toString(16).padStart(8, '0');
    const seedPart = (hash32(`objectid:${seed}`) & 0xffffff).toString(16).padStart(6, '0');
    const tag = (departmentTag & 0xff).toString(16).padStart(2, '0');
    this.prefix = ts + seedPart + tag;
  }

  next(): Types.ObjectId {
    this.counter += 1;
    if (this.counter > 0xffffffff) throw new Error('ObjectId counter overflow');
    return new Types.ObjectId(this.prefix + this.counter.toString(16).padStart(8, '0'));
  }
}
