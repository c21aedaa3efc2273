// Bundles workflows/ once at build time into dist/workflow-bundle.js, so production workers start
// without bundling and run exactly the code that was built (NODE_ENV=production picks it up).
const fs = require('fs');
const path = require('path');
const { bundleWorkflowCode } = require('@temporalio/worker');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'workflow-bundle.js');
const noop = () => undefined;

bundleWorkflowCode({
  workflowsPath: path.join(root, 'workflows'),
  logger: { trace: noop, debug: noop, info: noop, log: noop, warn: console.warn, error: console.error },
})
  .then(({ code }) => {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, code);
    console.log(`workflow bundle: ${path.relative(root, out)} (${(code.length / 1024).toFixed(0)} KiB)`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
