import { parentPort, workerData } from 'node:worker_threads';
import { runPostLoop, type PostLoopOptions } from './post-loop';

// The baseline runs on its own thread so the receivers (main thread) do not share its event loop.
void runPostLoop(workerData as PostLoopOptions).then((result) => parentPort!.postMessage(result));
