// What `promotion-bot --help` and `promotion-bot <command> --help` print: one text per command, kept here so the
// top-level summary and each command's own help say the same.

export const COMMAND_USAGE = {
  start: `usage: promotion-bot start [--role all|web|worker]

Serves Slack and the HTTP API (web), runs the deploy, test, monitor and rollback jobs (worker), or both (all,
the default). Any number of processes may share one Redis. Configured by environment variables (SLACK_BOT_TOKEN,
SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, REDIS_URL, PIPELINE_FILE, PORT, PROMOTION_API_TOKEN, …: see the README).

  --role ROLE   all, web or worker (default: all)

Exit 0 after SIGTERM or SIGINT, 1 when the configuration is missing or bad (each problem is named), 2 for bad
arguments.`,
  validate: `usage: promotion-bot validate [FILE]

Checks a pipeline file (default: $PIPELINE_FILE, else ./pipeline.yml) and prints each problem with its line and
YAML path, or a one-line summary of the services.

Exit 0 when the file is valid, 1 when it is not or cannot be read.`,
  publish: `usage: promotion-bot publish --service S --version V --digest sha256:HEX [--commit SHA] [--url URL]
                             [--notes TEXT] [--api URL] [--dry-run]

Publishes a build artifact, as CI does after building it: the bot then promotes it through the service's
environments. Reads the API token from PROMOTION_API_TOKEN.

  --service S        the service, as named in the pipeline file (required)
  --version V        the artifact's version, e.g. 1.4.2; a version is published once (required)
  --digest HEX       its image digest: sha256: and 64 lowercase hex digits (required)
  --commit SHA       the commit it was built from
  --url URL          a link to the build or the release
  --notes TEXT       release notes
  --api URL          the bot's address (default: $PROMOTION_API_URL, else http://127.0.0.1:3000)
  --dry-run          print the plan (each environment's steps, the gate and its approvers, holds and freeze
                     windows in force and when they end, soak, what runs there now) and create nothing

Exit 0 when the bot accepted it (new, or the identical artifact again), 1 when the bot refused it or could not be
reached, 2 for bad arguments or a missing PROMOTION_API_TOKEN (nothing is sent). A dry run exits 1 when publishing
would be refused.`,
  audit: `usage: promotion-bot audit export [--since ISO|ID] [--out FILE] [--service S] [--api URL]

Writes the audit trail of every promotion (or of one service) as NDJSON, oldest first: one line per entry, its
"id" first. The trail outlives RETENTION: a removed promotion's entries stay until AUDIT_RETENTION. Reads the API
token from PROMOTION_API_TOKEN.

  --since ISO|ID   start at this time (e.g. 2026-01-31T00:00:00Z), or after the entry with this id
  --out FILE       append to FILE; when it has entries already, go on after its last one (so an export that was
                   stopped or broke off is run again, and nothing is written twice or left out); default: stdout
  --service S      only this service's entries
  --api URL        the bot's address (default: $PROMOTION_API_URL, else http://127.0.0.1:3000)

Exit 0 once everything is written, 1 when the bot refused or the transfer broke off (run it again to go on), 2 for
bad arguments or a missing PROMOTION_API_TOKEN.`,
  demo: `usage: promotion-bot demo [--port N]

Runs the whole flow on this machine with no Slack workspace: a local Slack stand-in page, an ephemeral Redis
(unless REDIS_URL is set), the bot and an example pipeline whose environments are local demo services. Prints
where to look; Ctrl-C stops everything.

  --port N   the stand-in page's port (default: a free one)

Exit 0 once stopped, 1 when it could not start, 2 for bad arguments.`,
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

export const USAGE = `usage: promotion-bot <command> [options]

  start [--role all|web|worker]   serve Slack and the HTTP API (web), run jobs (worker), or both (all)
  validate [FILE]                 check a pipeline file (default: $PIPELINE_FILE or ./pipeline.yml)
  publish --service S --version V --digest sha256:HEX [--commit SHA] [--url URL] [--notes TEXT] [--api URL]
          [--dry-run]             publish an artifact from CI (reads PROMOTION_API_TOKEN), or print its plan
  audit export [--since ISO|ID] [--out FILE] [--service S]
                                  write the audit trail as NDJSON (resumes after FILE's last entry)
  demo [--port N]                 the whole flow on this machine, with a Slack stand-in page (no workspace needed)

promotion-bot <command> --help shows a command's options and exit codes.`;

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMAND_USAGE, name);
}

/** Whether the arguments ask for help (before a `--`, after which everything is an operand). */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}
