"""Grade a class in a process of its own (the test kills it if it runs past its limit).

    python tests/hostile_wire/run_class.py SUBMISSIONS OUT OPTIONS_JSON
writes OUT/run.json: {"results": [...], "summary": "..."}. Options the installed
autograder does not have are dropped (so an older grader runs without them)."""
import dataclasses
import json
import sys
from pathlib import Path

from autograder.worker import Options
from autograder.pipeline import grade_class

if __name__ == "__main__":
    submissions, out, opts = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    known = {f.name for f in dataclasses.fields(Options)}
    options = Options(**{k: v for k, v in opts.items() if k in known})
    run = grade_class(submissions, out, workers=2, options=options, progress=False, quiet=True)
    if isinstance(run, dict):          # an older grader's plain result
        results, summary = run["results"], run["summary"]
    else:
        results, summary = [r.to_json() for r in run.results], run.summary
    (out / "run.json").write_text(json.dumps({"results": results, "summary": summary}))
