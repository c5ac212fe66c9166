#!/bin/sh
# The demo's deploy step: runs $VERSION of $SERVICE in $ENVIRONMENT as a local process (service.mjs) on this
# environment's port. It stops the version the pid file names and starts the new one detached, so the service
# outlives this step. A canary step of the version already running only moves its traffic weight ($WEIGHT).
set -eu
. "$(dirname "$0")/demo-env.sh"
weight=${WEIGHT:-100}

if [ "$(node "$ctl" version 2>/dev/null || true)" = "$VERSION" ]; then
  node "$ctl" weight "$weight"
  echo "$SERVICE $VERSION in $ENVIRONMENT now takes $weight% of the traffic"
  exit 0
fi

stop_service
node "$ctl" spawn "$log_file" > "$pid_file"
node "$ctl" wait "$log_file"
echo "deployed $SERVICE $VERSION to $ENVIRONMENT at $weight%: http://127.0.0.1:$port (pid $(cat "$pid_file"))"
