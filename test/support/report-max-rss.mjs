// Preloaded into a child (`node --import ./report-max-rss.mjs …`): at exit, writes the process's peak resident
// set size in bytes to the file named by ABSOLVE_TEST_RSS_FILE, so a test can assert memory, not time.
import { writeFileSync } from 'node:fs';

const target = process.env.ABSOLVE_TEST_RSS_FILE;
if (target !== undefined && target !== '') {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}
