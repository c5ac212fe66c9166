// Who `run` steps execute as. A step is the pipeline repository's code: as the bot's own user it could read the
// bot's environment and files from /proc and forge approvals, so as root the bot drops each step to another user.
import { readFileSync } from 'node:fs';

export type StepIdentity = {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly name: string;
};

/** Where steps run: as another user, or (with a reason to warn about) as the bot's own. */
export type StepIsolation =
  | { readonly separate: true; readonly identity: StepIdentity }
  | { readonly separate: false; readonly reason: string };

/** The unprivileged user root's steps run as when STEP_USER is unset. */
export const DEFAULT_STEP_USER = 'nobody';

/** Parses /etc/passwd lines into identities. */
export function parsePasswd(text: string): StepIdentity[] {
  return text.split('\n').flatMap((line) => {
    const [name, , uid, gid, , home] = line.split(':');
    if (!name || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) return [];
    return [{ name, uid: Number(uid), gid: Number(gid), home: home || '/' }];
  });
}

export type IsolationInput = {
  readonly stepUser?: string;
  /** The bot's own uid (`process.getuid()`). */
  readonly botUid: number;
  /**
   * A bot that is not root may still switch users and stop their steps with CAP_SETUID, CAP_SETGID and CAP_KILL
   * (systemd's AmbientCapabilities=, Kubernetes' capabilities.add with runAsUser).
   */
  readonly canSwitchUsers?: boolean;
  readonly users: readonly StepIdentity[];
};

/** Decides who steps run as; pure, so every case is tested without switching users. */
export function decideStepIsolation({
  stepUser,
  botUid,
  canSwitchUsers = false,
  users,
}: IsolationInput): StepIsolation {
  const wanted = stepUser ?? (botUid === 0 ? DEFAULT_STEP_USER : undefined);
  if (wanted === undefined) {
    return {
      separate: false,
      reason: `the bot runs as uid ${botUid}, not root, and STEP_USER is unset: steps run as the bot's own user and can read its secrets`,
    };
  }
  const identity = /^\d+$/.test(wanted)
    ? (users.find((user) => user.uid === Number(wanted)) ?? {
        name: wanted,
        uid: Number(wanted),
        gid: Number(wanted),
        home: '/',
      })
    : users.find((user) => user.name === wanted);
  if (identity === undefined)
    return { separate: false, reason: `STEP_USER ${wanted} is not a user on this host` };
  if (identity.uid === botUid) {
    return {
      separate: false,
      reason: `STEP_USER ${wanted} is the bot's own user: steps can read its secrets`,
    };
  }
  if (identity.uid === 0) return { separate: false, reason: `STEP_USER ${wanted} is root` };
  if (botUid !== 0 && !canSwitchUsers) {
    return {
      separate: false,
      reason: `the bot runs as uid ${botUid}, not root and without CAP_SETUID, CAP_SETGID and CAP_KILL, so it cannot switch to STEP_USER ${wanted}: steps run as the bot's own user`,
    };
  }
  return { separate: true, identity };
}

// Bit numbers from linux/capability.h.
const CAP_KILL = 5n;
const CAP_SETGID = 6n;
const CAP_SETUID = 7n;

/** Whether `CapEff:` of /proc/self/status holds the capabilities needed to start and stop steps as another user. */
export function hasSwitchCapabilities(procStatus: string): boolean {
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(procStatus)?.[1];
  if (hex === undefined) return false;
  const effective = BigInt(`0x${hex}`);
  return [CAP_KILL, CAP_SETGID, CAP_SETUID].every((bit) => ((effective >> bit) & 1n) === 1n);
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** Reads this host's users, the bot's uid and capabilities, then decides. */
export function resolveStepIsolation(stepUser: string | undefined): StepIsolation {
  // No /etc/passwd (a distroless image): only a numeric STEP_USER resolves.
  const passwd = readOr('/etc/passwd', '');
  return decideStepIsolation({
    ...(stepUser === undefined ? {} : { stepUser }),
    botUid: process.getuid?.() ?? -1,
    canSwitchUsers: hasSwitchCapabilities(readOr('/proc/self/status', '')),
    users: parsePasswd(passwd),
  });
}
