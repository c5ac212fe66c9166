#!/bin/sh
# The demo's rollback step: production goes back to $PREVIOUS_VERSION, restarted with all the traffic. Without a
# previous version (the first release failed) the service is stopped.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${PREVIOUS_VERSION:-}" ]; then
  . "$here/demo-env.sh"
  stop_service
  echo "no previous version of $SERVICE: stopped $VERSION in $ENVIRONMENT"
  exit 0
fi
echo "rolling $SERVICE in $ENVIRONMENT back from $VERSION to $PREVIOUS_VERSION"
VERSION=$PREVIOUS_VERSION WEIGHT=100 exec "$here/deploy.sh"
