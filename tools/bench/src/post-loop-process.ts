import { runPostLoop, type PostLoopOptions } from './post-loop';

// The baseline's load generator in its own process (forked by the baseline phase): its CPU is
// its own, and the receivers' is theirs, as with any client and server on one machine. It says
// 'ready' once loaded, so the bench's windows do not include module loading.
process.once('message', (options: PostLoopOptions) => {
  void runPostLoop(options).then((result) => {
    process.send!(result, () => process.exit(0));
  });
});
process.on('disconnect', () => process.exit(0));
process.send!('ready');
