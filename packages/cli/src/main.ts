/** The `msgport` executable (bin/msgport.js loads the build of this file). */
import { runCli } from './program.js';

// Node 20 is supported by msgport; the AWS SDK's notice about it is noise on a command line.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});
