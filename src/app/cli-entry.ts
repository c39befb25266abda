import { main } from './main.ts';

// A reader that goes away (`absolve audit … | head -1`) closes the pipe: end quietly, no stack trace, with the
// command's exit code when it is already known.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

// Wait for stdout to drain before exiting so piped JSON is never cut short.
const code = await main(process.argv.slice(2));
process.exitCode = code;
