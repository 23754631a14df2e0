/**
 * The bounded document cache must not change any answer: the CRUD specification suite and
 * the find / aggregate / write / index suites run a second time, each against a dbpath store
 * whose cache holds only a few documents (20 KB of charge ≈ 6 KB of BSON), so nearly every
 * document they read is cold: read back from the journal or a snapshot by its location.
 * (helpers.startServer honours DOCSTORE_TEST_CACHE_MB; each suite keeps its own hooks.)
 */
process.env.DOCSTORE_TEST_CACHE_MB = '0.02';

for (const suite of ['./spec.test', './find.test', './aggregate.test', './write.test', './indexes.test']) {
  describe(`${suite.slice(2)} with a tiny document cache`, () => {
    require(suite);
  });
}

import { DocCache } from '../src/cache';

afterAll(() => {
  // the suites above really went through cold documents (not a cache big enough to hold them all)
  expect(DocCache.totals.evictions).toBeGreaterThan(500);
  expect(DocCache.totals.coldReads).toBeGreaterThan(500);
  console.log(`tiny-cache conformance: ${DocCache.totals.evictions} evictions, ${DocCache.totals.coldReads} cold reads`);
});
