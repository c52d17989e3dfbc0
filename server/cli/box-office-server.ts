#!/usr/bin/env node
// The `box-office-server` command (package.json "bin"); Node runs this TypeScript directly (type stripping).
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
