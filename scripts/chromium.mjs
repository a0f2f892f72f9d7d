// @ts-check
// Debian's Chromium as every browser test and benchmark here launches it: headless, with a fake
// camera and microphone that need no permission prompt, and none of the background traffic that
// this machine's closed network would refuse. One list, so the tests and the benchmark measure
// the same browser. `CHROMIUM_PATH` overrides the binary.

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];
