// Runs the sluice CLI (bin/sluice.js, with this script's arguments) and, as the process exits, writes
// its peak resident set size in bytes (`process.resourceUsage().maxRSS`, worker threads included)
// to the file named by SLUICE_MAX_RSS_FILE. Unlike /usr/bin/time it needs nothing installed.
import { writeFileSync } from 'node:fs';

const target = process.env.SLUICE_MAX_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS * 1024)));
await import('../../bin/sluice.js');
