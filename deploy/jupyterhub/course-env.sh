#!/usr/bin/env bash
# The course's environment for every account on the hub: a venv from the system's Python, so
# that students can execute it (a venv made from a Python under a private home, such as
# root's pyenv, is not executable by anyone else). Usage:
#
#   deploy/jupyterhub/course-env.sh /opt/neuron-by-neuron/env            # installs the course
#   deploy/jupyterhub/course-env.sh ENV --reuse /path/to/existing/.venv  # same Python minor:
#       ENV's interpreter, the existing env's packages (a CI machine that has installed them once)
set -euo pipefail
env_dir="${1:?usage: course-env.sh ENV [--reuse EXISTING_ENV]}"
checkout="$(cd "$(dirname "$0")/../.." && pwd)"
sys_py="${SYSTEM_PYTHON:-/usr/bin/python3}"
[ -x "$env_dir/bin/python" ] || "$sys_py" -m venv "$env_dir"
if [ "${2:-}" = "--reuse" ]; then
  existing="$(cd "${3:?--reuse needs an environment}" && pwd)"
  site="$("$existing/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  want="$("$existing/bin/python" -c 'import sys; print(sys.version_info[:2])')"
  have="$("$env_dir/bin/python" -c 'import sys; print(sys.version_info[:2])')"
  [ "$want" = "$have" ] || { echo "course-env.sh: $existing is Python $want, $sys_py is $have" >&2; exit 2; }
  own_site="$("$env_dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "import site; site.addsitedir('$site')" > "$own_site/zz-course-env.pth"
  ln -sfn "$existing/share" "$env_dir/share"
  mkdir -p "$env_dir/etc" && ln -sfn "$existing/etc/jupyter" "$env_dir/etc/jupyter"
else
  "$env_dir/bin/python" -m pip install -q -e "$checkout[course,hub]"
fi
chmod -R a+rX "$env_dir"
echo "course environment: $env_dir ($("$env_dir/bin/python" -V))"
