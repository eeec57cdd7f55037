#!/usr/bin/env node
// The `featlearn` binary: runs the command line of src/cli/program.ts.
import { main } from './program.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
