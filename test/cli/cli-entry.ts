// Runs the tensile CLI from the sources (node --import tsx test/cli/cli-entry.ts <args>), as bin/tensile.cjs runs the build.
import { main } from '../../lib/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
