#!/usr/bin/env node
// The `sync-queue` command: see `sync-queue --help`.
import { runCommand } from './command.js';

process.exitCode = await runCommand(process.argv.slice(2));
