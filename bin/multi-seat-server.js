#!/usr/bin/env node
// The server is TypeScript run as is: tsx compiles it on load, so there is no build step to
// forget and the files that run are the files in the repository.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli.ts');
await main();
