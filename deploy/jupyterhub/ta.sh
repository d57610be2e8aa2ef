#!/usr/bin/env bash
# The TA's side of the course's JupyterHub cycle (docs/jupyterhub.md); each step prints the
# nbgrader or autograder command it runs, in the course root. The test
# (tests/test_jupyterhub.py) runs these same steps.
#
#   ta.sh setup                       the course root: its nbgrader_config.py, the exchange
#   ta.sh release 01_perceptron "2026-03-01 23:59:00 UTC"   due date, then release to the exchange
#   ta.sh due 01_perceptron "..."     move the due date (an extension for everyone)
#   ta.sh collect 01_perceptron       submissions from the exchange into submitted/ (latest each)
#   ta.sh grade 01_perceptron         the course's grader instead of `nbgrader autograde`
#   ta.sh feedback 01_perceptron      the course's feedback pages back through the exchange
#   ta.sh export                      canvas_grades.csv and moodle_grades.csv for the LMS
#
# Environment: COURSE_ROOT (default: the checkout's grading folder), COURSE_EXCHANGE (default
# /srv/nbgrader/exchange), PYTHON (default: python3 of the active course environment).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
checkout="$(cd "$here/../.." && pwd)"
PY="${PYTHON:-python3}"
# nbgrader loads the course's plugins (autograder.late, autograder.lms) from the checkout
export PYTHONPATH="$checkout${PYTHONPATH:+:$PYTHONPATH}"
root="${COURSE_ROOT:-$(cd "$checkout" && "$PY" -c 'from autograder import outdir; print(outdir.DEFAULT_ROOT)')}"
exchange="${COURSE_EXCHANGE:-/srv/nbgrader/exchange}"
mkdir -p "$root"
cd "$root"

run() { printf '+ (cd %s &&' "$root"; printf ' %q' "$@"; printf ')\n'; "$@"; }

step="${1:?usage: ta.sh setup|release|due|collect|grade|feedback|export [assignment] [due date]}"
shift
case "$step" in
  setup)
    # the exchange: everyone may enter and write, nobody may list another user's files
    mkdir -p "$exchange" && chmod 1777 "$exchange"
    cat > nbgrader_config.py <<CONFIG
# Written by deploy/jupyterhub/ta.sh setup: the course root on the hub.
c = get_config()  # noqa: F821
load_subconfig("$here/nbgrader_config.py")  # noqa: F821
c.CourseDirectory.root = "$root"
c.CourseDirectory.db_url = "sqlite:///$root/gradebook.db"
c.Exchange.root = "$exchange"
CONFIG
    echo "course root $root, exchange $exchange";;
  release)
    run "$PY" -m nbgrader db assignment add "$1" --duedate="$2"
    run "$PY" -m nbgrader release_assignment "$1" --force;;
  due)
    run "$PY" -m nbgrader db assignment add "$1" --duedate="$2";;
  collect)
    run "$PY" -m nbgrader collect "$1" --update;;
  grade)
    run "$PY" -m autograder grade submitted --assignment "$1" --out "$root" --no-progress;;
  feedback)
    run "$PY" -m nbgrader release_feedback "$1";;
  export)
    run "$PY" -m nbgrader export --exporter autograder.lms.CanvasExporter --to canvas_grades.csv
    run "$PY" -m nbgrader export --exporter autograder.lms.MoodleExporter --to moodle_grades.csv;;
  *)
    echo "unknown step $step" >&2; exit 2;;
esac
