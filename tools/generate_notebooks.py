"""Regenerate the student notebooks in notebooks/ from solutions/ with real nbgrader.

    python tools/generate_notebooks.py                 # every assignment
    python tools/generate_notebooks.py 02_adaline      # just one

Runs ``nbgrader generate_assignment --force`` from autograder/, whose
nbgrader_config.py maps nbgrader's source/release folders to solutions/ and
notebooks/. tests/test_notebooks.py fails when notebooks/ is out of date.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(names):
    names = names or sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit())
    for name in names:
        print(f"generating notebooks/{name}/ ...", flush=True)
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force",
                        "--log-level=WARN"], cwd=ROOT / "autograder", check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
