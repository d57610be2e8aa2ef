"""How often the general layer of the diagnosis (autograder/relations.py) names the catalogued
mistakes: for every relation kind, used alone, the catalogued mistakes (solutions/*/mistakes.py)
it names on the checks that catch them; then the layer as a whole.

    python tools/relation_counts.py                      # every assignment
    python tools/relation_counts.py 04_chain_rule        # just one
    python tools/relation_counts.py --cache DIR          # where the traces are kept (default: a temporary folder)

Each mistake and the reference are observed once per check, in the sandbox, with the grader's
own code (``diagnose.many_mistake_traces``, as the grader does for a student); with ``--cache``
a later run reads the traces back (they are keyed by the assignment's source digest). This
is what the last column of test-artifacts/diagnosis/<assignment>/<mistake>.tsv records per
check (tests/test_diagnosis.py), counted without running every mistake through the judge.
Needs the sandbox (bubblewrap), like the grader.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import diagnose, judge, relations, sandbox  # noqa: E402
from autograder import source as src  # noqa: E402

LIMITS = sandbox.Limits(memory_bytes=4 << 30, processes=64, wall_seconds=600, cpu_seconds=1200)


def observed(assignment: str, cache: Path) -> list[tuple[str, object, object]]:
    """(mistake id, its trace, the reference's trace) for every check that catches a mistake."""
    a = src.load(assignment)

    def make_judge(answers):
        return judge.Judge(a, answers, LIMITS, call_timeout=30, cell_timeout=180, exec_timeout=30)
    mistakes = diagnose.catalogue(a)
    references = {}
    for m in mistakes:
        for test_id in m.loses:
            code = a.reference_answers[m.exercise]
            references.setdefault(test_id, diagnose.Mistake(m.exercise, f"reference-{test_id}", code, "", "", (test_id,)))
    traces = diagnose.many_mistake_traces(a, mistakes + list(references.values()), make_judge, cache)
    by_id = {m.id: t for m, t in zip(mistakes + list(references.values()), traces)}
    return [(m.id, by_id[m.id].get(t), by_id[f"reference-{t}"].get(t)) for m in mistakes for t in m.loses]


def counts(rows: dict[str, list]) -> list[tuple[str, int, int]]:
    """(kind, mistakes named, checks named) for each kind alone, then (None, ...) for the layer."""
    table = []
    for kind in (*relations.KINDS, None):
        mistakes, checks = set(), 0
        for assignment, observations in rows.items():
            for mistake_id, student, reference in observations:
                if relations.relation(student, reference, only=kind) is not None:
                    mistakes.add((assignment, mistake_id))
                    checks += 1
        table.append((kind, len(mistakes), checks))
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp)
        rows = {a: observed(a, cache) for a in (args.assignments or src.available())}
    total = sum(len({m for m, _, _ in obs}) for obs in rows.values())
    print(f"{'relation (alone)':22s} mistakes  checks   of {total} catalogued mistakes")
    for kind, n_mistakes, n_checks in counts(rows):
        print(f"{kind or 'all together':22s} {n_mistakes:8d} {n_checks:7d}")


if __name__ == "__main__":
    main()
