import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Journal } from '../src/journal';
import { Store } from '../src/store';

/*
 * When the periodic check rewrites the store: only once the journal holds a quarter of the last
 * snapshot's size (and at least 1 MiB), so a trickle of writes to a large store (the access log
 * under read traffic) does not rewrite the whole store every five minutes.
 */
it('a small journal on a large store is not worth a snapshot; a quarter of it is', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-compaction-'));
  const store = new Store();
  const journal = await Journal.open(dir, store);
  store.persistence = journal;
  try {
    const coll = store.ensure('db', 'residents');
    const pad = 'x'.repeat(1000);
    let id = 0;
    const write = async (n: number) => {
      for (let i = 0; i < n; i++) coll.insert({ _id: ++id, pad });
      await journal.sync();
    };
    await write(8000); // ≈ 8 MB
    expect(journal.periodicCompactionDue()).toBe(true); // no snapshot yet: 1 MiB is enough
    await journal.compact();
    expect(journal.snapshotBytes).toBeGreaterThan(8_000_000);
    expect(journal.status()).toMatchObject({ compactions: 1, journalBytes: 0, snapshotBytes: journal.snapshotBytes, compacting: false });

    await write(1500); // ≈ 1.5 MB: over 1 MiB, under a quarter of the snapshot
    expect(journal.periodicCompactionDue()).toBe(false);
    await write(1000); // ≈ 2.5 MB
    expect(journal.periodicCompactionDue()).toBe(true);
  } finally {
    await journal.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // The snapshot's size is known again after a restart.
  const again = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-compaction-'));
  try {
    const s1 = new Store();
    const j1 = await Journal.open(again, s1);
    s1.persistence = j1;
    for (let i = 0; i < 3000; i++) s1.ensure('db', 'c').insert({ _id: i, pad: 'y'.repeat(1000) });
    await j1.close(); // leaves a snapshot
    const s2 = new Store();
    const j2 = await Journal.open(again, s2);
    expect(j2.snapshotBytes).toBeGreaterThan(3_000_000);
    await j2.close();
  } finally {
    fs.rmSync(again, { recursive: true, force: true });
  }
});
