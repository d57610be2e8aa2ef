#!/usr/bin/env bash
# A local account for the hub (run as root): a home only its owner can enter, since a student's
# fetched notebooks and nbgrader's cache of her submissions live there (Debian's useradd makes
# homes world-readable by default). The password is read from stdin, one line.
#
#   echo 's3cret' | deploy/jupyterhub/add-user.sh alice
set -euo pipefail
name="${1:?usage: add-user.sh LOGIN (password on stdin)}"
useradd --create-home --shell /bin/bash -K HOME_MODE=0700 "$name"
chmod 0700 "$(getent passwd "$name" | cut -d: -f6)"
IFS= read -r password
printf '%s:%s\n' "$name" "$password" | chpasswd
