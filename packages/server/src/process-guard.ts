// Last line of defence: an error that escapes every handler is logged and the server keeps serving. One
// candidate's bad message must never stop the exam for everyone else (issue #13). Installed once, by main.ts.
interface Log {
  error(obj: unknown, msg: string): void;
}

export function installProcessGuard(log: Log, proc: NodeJS.Process = process): () => void {
  const onRejection = (reason: unknown) => log.error({ err: reason }, 'unhandled promise rejection (kept serving)');
  const onException = (err: Error) => log.error({ err }, 'uncaught exception (kept serving)');
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return () => {
    proc.off('unhandledRejection', onRejection);
    proc.off('uncaughtException', onException);
  };
}
