// Pre-renders what the demo's index page shows beside the links: the capacity chart of the
// claims-survey workload (capacity/claims.ts), for the default strategy and for `threshold`.
// Run by `npm run build` (node --import tsx scripts/demo-assets.ts); writes demo/capacity*.svg.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { claimsChart } from '../capacity/claims.js';

const demo = fileURLToPath(new URL('../demo/', import.meta.url));
writeFileSync(`${demo}capacity.svg`, claimsChart());
writeFileSync(`${demo}capacity-threshold.svg`, claimsChart({ strategy: 'threshold', splits: [1, 2, 3, 4, 5, 6, 7, 8] }));
console.log('demo-assets: wrote demo/capacity.svg and demo/capacity-threshold.svg');
