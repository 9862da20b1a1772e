// worker_threads bootstrap: registers tsx's CommonJS hook in this thread, then runs the TypeScript worker.
require("tsx/cjs/api").register();
require("./train-worker.ts");
