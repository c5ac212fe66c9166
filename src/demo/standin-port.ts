// The stand-in's page keeps its address from one demo run to the next (a bookmark, or a tab left open, which
// reconnects by itself): the same port every time, unless something else holds it.
export const DEFAULT_STANDIN_PORT = 4747;

export type PortChoice = {
  /** `--port`: that port or nothing. Without it, the default port, or a free one when the default is taken. */
  readonly port?: number | undefined;
  /** The port tried first without `--port` (default DEFAULT_STANDIN_PORT; tests give one of their own). */
  readonly preferred?: number | undefined;
};

/**
 * Starts `listen` on the chosen port. `taken` is the preferred port that was in use when the fallback took a free
 * one instead, so the demo can say why its address changed.
 */
export async function onStablePort<T>(
  listen: (port: number) => Promise<T>,
  choice: PortChoice,
): Promise<{ readonly listening: T; readonly taken?: number }> {
  if (choice.port !== undefined) return { listening: await listen(choice.port) };
  const preferred = choice.preferred ?? DEFAULT_STANDIN_PORT;
  try {
    return { listening: await listen(preferred) };
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    return { listening: await listen(0), taken: preferred };
  }
}

function isAddressInUse(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
}
