/**
 * `npm run bench`: every benchmark prints its figure as a ratio against a baseline measured
 * in the same run, so the numbers mean the same on a fast or a slow machine.
 */
import { benchImageNewTabBytes } from './image-newtab-bytes';
import { benchImageUploadMemory } from './image-upload-memory';
import { benchRandomPick } from './random-pick';
import { benchImport } from './import';
import { benchSearch } from './search';

const benches: Record<string, () => Promise<void>> = {
  'random-pick': benchRandomPick,
  'image-upload-memory': benchImageUploadMemory,
  'image-newtab-bytes': benchImageNewTabBytes,
  search: benchSearch,
  import: benchImport,
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  await run();
}
