// Bundles each task queue's workflows (workflows/<queue>.ts) once at build time into
// dist/workflow-bundle-<queue>.js, so production workers start without bundling and run exactly the
// code that was built (NODE_ENV=production picks them up). Runs after tsc: it uses the built helper.
const fs = require('fs');
const path = require('path');
const { TASK_QUEUES } = require('../dist/libs/config/config');
const { bundleFile, bundleWorkflows } = require('../dist/libs/temporal/workflow-bundles');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

(async () => {
  for (const queue of Object.keys(TASK_QUEUES)) {
    const code = await bundleWorkflows(queue);
    const out = bundleFile(dist, queue);
    fs.writeFileSync(out, code);
    process.stdout.write(`workflow bundle ${queue}: ${path.relative(root, out)} (${(code.length / 1024).toFixed(0)} KiB)\n`);
  }
})().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
