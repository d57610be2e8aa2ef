"""Command line: ``python -m autograder grade ...`` and ``python -m autograder demo``."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _options(args):
    from .worker import Options
    o = Options()
    if getattr(args, "timeout", None):
        o.notebook_timeout = float(args.timeout)
    o.feedback_run = bool(getattr(args, "run_notebooks", False))
    o.diagnose = not getattr(args, "no_diagnosis", False)
    return o


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder",
                                description="Grade a class of notebook submissions on top of nbgrader.")
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade a folder (nbgrader layout or flat LMS export) or a zip")
    g.add_argument("submissions", type=Path)
    g.add_argument("--assignment", help="grade only this assignment (e.g. 01_perceptron)")
    g.add_argument("--workers", type=int, default=os.cpu_count(), help="parallel workers (default: all cores)")
    g.add_argument("--force", action="store_true", help="regrade submissions already graded")
    g.add_argument("--out", type=Path, default=HERE,
                   help="nbgrader course folder for gradebook.db, autograded/, feedback/, grades.csv "
                        "(default: the course's autograder/ folder, where the formgrader looks)")
    g.add_argument("--run-notebooks", action="store_true",
                   help="also execute each notebook (sandboxed, hidden tests removed) so that the feedback "
                        "shows its outputs; slower: the scores never depend on it")
    g.add_argument("--timeout", type=float, help="wall-clock limit per notebook run, seconds (default 600)")
    g.add_argument("--no-diagnosis", action="store_true",
                   help="do not name known mistakes in the feedback (saves the re-run of failed checks)")
    g.add_argument("--no-progress", action="store_true")
    d = sub.add_parser("demo", help="grade the bundled example class and print the summary")
    for cmd in (g, d):
        cmd.add_argument("--scheduler", help="grade on the Dask cluster of this scheduler, tls://HOST:PORT "
                         "(default: $AUTOGRADER_SCHEDULER, else this machine; --workers is then the cluster's); "
                         "needs the cluster extra")
        cmd.add_argument("--tls", help="the cluster's certificate folder (python -m autograder cluster-certs DIR; "
                         "default: $AUTOGRADER_TLS)")
        cmd.add_argument("--insecure", action="store_true",
                         help="accept a plain tcp:// scheduler: anyone who reaches it can change grades")
    c = sub.add_parser("cluster-certs", help="make the TLS key and certificate of a grading cluster")
    c.add_argument("folder", type=Path, help="a new private folder for them")
    d.add_argument("--out", type=Path, help="where to write the results (default: a new temporary folder)")
    d.add_argument("--workers", type=int, default=os.cpu_count())
    d.add_argument("--run-notebooks", action="store_true", help="also execute the notebooks for the feedback")
    d.add_argument("--skip-if-unavailable", action="store_true",
                   help="where the sandbox cannot run, say why in one line and exit 0 (make start)")
    args = p.parse_args(argv)
    if args.command == "cluster-certs":
        from . import cluster_tls
        print(cluster_tls.commands(cluster_tls.make(args.folder)))
        return 0
    from .cluster import scheduler_address
    args.scheduler = scheduler_address(args.scheduler)
    if not args.scheduler:          # Dask workers check their own sandbox (cluster.py)
        from . import sandbox
        why = sandbox.unavailable()
        if why and getattr(args, "skip_if_unavailable", False):
            print(f"skipping the TA demo: {why}", file=sys.stderr)
            return 0
        if why:
            print(f"error: cannot grade: {why}", file=sys.stderr)
            return 2
    from .pipeline import grade_class
    if args.command == "grade":
        run = grade_class(args.submissions, args.out, assignment=args.assignment, workers=args.workers,
                          force=args.force, options=_options(args), progress=not args.no_progress,
                          scheduler=args.scheduler, tls=args.tls, insecure=args.insecure)
        return 1 if run.failure else 0
    out = args.out or Path(tempfile.mkdtemp(prefix="autograder-demo-"))
    print(f"Grading the bundled demo class ({HERE / 'demo' / 'submissions'}) into {out}\n")
    from dataclasses import replace

    from .demo import OPTIONS
    demo_opts = replace(OPTIONS, feedback_run=args.run_notebooks)
    run = grade_class(HERE / "demo" / "submissions", out, workers=args.workers, force=True, options=demo_opts,
                      scheduler=args.scheduler, tls=args.tls, insecure=args.insecure)
    return 1 if run.failure else 0



if __name__ == "__main__":
    sys.exit(main())
