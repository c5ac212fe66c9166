# Sourced by deploy.sh and rollback.sh: this environment's port, pid file and log, and how to stop its service.
demo_dir=$(cd "$(dirname "$0")" && pwd)
ctl="$demo_dir/demo-ctl.mjs"
state_dir=${DEMO_STATE_DIR:-${TMPDIR:-/tmp}/promotion-bot-demo}
mkdir -p "$state_dir"
port=$(node "$ctl" port)
pid_file="$state_dir/$SERVICE-$ENVIRONMENT.pid"
log_file="$state_dir/$SERVICE-$ENVIRONMENT.log"

# Stops the service the pid file names (its whole process group) and forgets it.
stop_service() {
  if [ -f "$pid_file" ]; then
    node "$ctl" stop "$(cat "$pid_file")"
    rm -f "$pid_file"
  fi
}
