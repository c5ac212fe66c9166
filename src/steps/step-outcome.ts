/** What running one step produced. Expected failures (exit code, HTTP status, timeout) are outcomes, not throws. */
export type StepOutcome = {
  ok: boolean;
  durationMs: number;
  exitCode?: number;
  signal?: string;
  httpStatus?: number;
  timedOut: boolean;
  /** One line saying why the step failed; absent when it passed. */
  error?: string;
  /** Last lines of a command's output, or the status and first lines of an HTTP response: at most 20 lines. */
  output: string[];
};

export type StepRunOptions = {
  /** Working directory of `run` steps (the pipeline file's directory, typically). */
  cwd: string;
  /** The environment `run` steps start from (the bot's secrets are stripped from it), given by the caller. */
  baseEnv: Readonly<Record<string, string | undefined>>;
  /** Aborting stops the step like a timeout does (shutdown). */
  signal?: AbortSignal;
  /** Called with the pid of a `run` step's process, which is also its process group id. */
  onStart?: (pid: number) => void;
  /** How long a process group gets between SIGTERM and SIGKILL; 2000 ms by default. */
  killGraceMs?: number;
  /** `run` steps execute as this user (the bot runs as root); unset: as the bot's own user. */
  runAs?: { readonly uid: number; readonly gid: number; readonly home: string; readonly name: string };
};

export function elapsedSince(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}
