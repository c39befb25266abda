import { main } from './main.ts';

// Wait for stdout to drain before exiting so piped JSON is never cut short.
const code = await main(process.argv.slice(2));
process.exitCode = code;
