#!/usr/bin/env node
// The control center lives in the server/ workspace (@multi-seat/server); this shim keeps the
// documented `node bin/multi-seat-server.js …` working from the repository root.
await import('../server/bin/multi-seat-server.js');
