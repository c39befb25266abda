// Preloaded into a child (`node --import ./report-max-rss.mjs …`): at exit, writes the process's peak resident
// set size in bytes to the file named by ABSOLVE_TEST_RSS_FILE, so a test can assert memory, not time.
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * This process's own peak RSS in bytes. On Linux it is VmHWM from /proc/self/status (proc(5)): the high-water
 * mark of the address space exec gave us. `process.resourceUsage().maxRSS` (getrusage's ru_maxrss) is not: Linux
 * carries the parent's RSS at fork into it across exec, so a child of a 350 MB test runner "peaks" at 350 MB
 * before it runs a line. Elsewhere ru_maxrss is the best there is.
 */
export function peakRssBytes() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const target = process.env.ABSOLVE_TEST_RSS_FILE;
if (target !== undefined && target !== '') {
  process.on('exit', () => {
    writeFileSync(target, String(peakRssBytes()));
  });
}
