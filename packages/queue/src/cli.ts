#!/usr/bin/env node
// The `sync-queue` command: see `sync-queue --help`.
import { runCommand } from './command.js';

void runCommand(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
