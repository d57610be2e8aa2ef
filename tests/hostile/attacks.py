"""A hostile class for notebook 01: each attack is one submission (or one file) next to
honest submissions, in the layouts an LMS or nbgrader produces.

``folder_class(root)`` builds a folder (nbgrader layout, flat files and one folder per
student mixed); ``zip_class(path)`` a zip export. Both return what each student should
score: ``HONEST`` (8 of 8) or ``ATTACKER_OWN_WORK`` (the attacker's honest part).
Notebook 01's points: net_input 1, heaviside 1, perceptron_predict 1, perceptron_update 2,
train_perceptron 3.
"""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import nbformat

from autograder.demo import build
import fixtures_01

A = "01_perceptron"
CELLS = ["test_net_input", "test_heaviside", "test_perceptron_predict", "test_perceptron_update",
         "test_train_perceptron"]
FULL = dict(zip(CELLS, [1, 1, 1, 2, 3]))
WRONG_NET_INPUT = {**FULL, "test_net_input": 0, "test_perceptron_predict": 0}
NO_HEAVISIDE = {**FULL, "test_heaviside": 0}   # the other checks use the reference heaviside

# every script an attack plants sets window.__pwned (or calls alert); the browser test
# asserts none ran
PWN = "window.__pwned=(window.__pwned||[]).concat"
XSS_ANSWER = (f'<img src=x onerror="{PWN}(\'img\')">\n\n<script>{PWN}(\'script\')</script>\n\n'
              f'[a link](javascript:{PWN}(\'link\'))\n\n'
              f'<a href="javascript:{PWN}(\'a-href\')">another</a>\n\n'
              f'<iframe srcdoc="<script>parent.{PWN}(\'iframe\')</script>"></iframe>\n\n'
              f'<svg><script>{PWN}(\'svg\')</script></svg><svg onload="{PWN}(\'svg-onload\')"></svg>\n\n'
              f'<details open ontoggle="{PWN}(\'details\')"><summary>x</summary>y</details>\n\n'
              f'<style>body {{ background: url("javascript:{PWN}(\'css\')") }}</style>\n\n'
              f'<math><mtext><table><mglyph><style><img src=x onerror="{PWN}(\'mxss\')">')
XSS_SETUP_ERROR = ("def heaviside(z):\n    return z\n"
                   f"raise ValueError('<img src=x onerror=\"{PWN}(\\'setup-error\\')\"> **bold** $x$')\n")
XSS_ID = f'<img src=x onerror="{PWN}(\'heading\')">'       # a folder name: one student's id
FORMULA_IDS = ["@SUM(1+1)", "=HYPERLINK(\"evil.example\")", "+1+1", "-2-3"]
ANSI_NAME = "\x1b[2J\x1b[31mowned\x1b[0m.txt"


EMOJI_ID = "\U0001F600" * 63                   # 63 characters, 252 bytes: over a file name's limit
LATIN1_FILE = os.fsdecode(b"Jos\xe9_" + A.encode() + b".ipynb")
LATIN1_STUDENT = os.fsdecode(b"Jos\xe9")       # its student part (mapped to a safe id with a note)
REMOTE_IMAGE = "https://tracker.example/seen.png"


def surrogate() -> str:
    """Honest answers; a lone surrogate (valid JSON) in a written answer."""
    data = json.loads(nbformat.writes(honest()))
    data["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "a \ud800 b"})
    return json.dumps(data)


def unrenderable():
    """Honest answers; the written answer shows an attachment it does not have (nbconvert
    raises on it) and an image from another site."""
    nb = honest()
    for cell in nb.cells:
        if cell.cell_type == "markdown" and (cell.metadata.get("nbgrader") or {}).get("solution"):
            cell.source += f"\n\n![sketch](attachment:sketch.png) ![seen]({REMOTE_IMAGE})"
    return nb


def write_nb(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb))
    return path


def honest():
    return build.filled(A)


def bad_cell_ids():
    """Honest answers, plus cells of the student's with ids nbformat's schema refuses."""
    data = json.loads(nbformat.writes(honest()))
    data["cells"].append({"cell_type": "markdown", "id": 5.5, "metadata": {}, "source": "a float id"})
    data["cells"].append({"cell_type": "markdown", "id": True, "metadata": {}, "source": "a bool id"})
    data["cells"].append({"cell_type": "code", "id": "not valid!", "metadata": {}, "source": "x = 1",
                          "outputs": [], "execution_count": None})
    data["cells"].append({"cell_type": "markdown", "id": {"a": 1}, "metadata": {}, "source": "a dict id"})
    data["cells"].append({"cell_type": "markdown", "id": "y" * 200, "metadata": {}, "source": "a long id"})
    data["cells"].append(dict(data["cells"][0]))                     # a duplicated id
    return json.dumps(data)


def xss():
    """Full marks except heaviside (its cell raises with markup in the message), markup in
    the written answer and in an extra markdown cell."""
    nb = build.filled(A, {"heaviside": XSS_SETUP_ERROR, "q_xor": XSS_ANSWER})
    nb.cells.append(nbformat.v4.new_markdown_cell(f"<b onmouseover=\"{PWN}('extra')\">extra cell</b>"))
    nb.cells[-1].metadata["tags"] = [f'x" onmouseover="{PWN}(\'tag\')']
    return nb


def folder_class(root: Path) -> dict[str, dict]:
    """The class folder; returns student -> expected scores (the attackers' honest work)."""
    expected = {}
    # honest, in each layout
    write_nb(honest(), root / "alice" / A / f"{A}.ipynb")                        # nbgrader
    write_nb(honest(), root / f"bob_{A}.ipynb")                                  # flat LMS
    # one folder per student (Moodle): the same file name twice; a file named after another
    write_nb(honest(), root / "carol" / f"{A}_final.ipynb")
    write_nb(honest(), root / "dave" / f"{A}_final.ipynb")
    write_nb(build.filled(A, {"net_input": fixtures_01.WRONG_NET_INPUT}), root / "mallory" / f"carol_{A}.ipynb")
    expected.update(alice=FULL, bob=FULL, carol=FULL, dave=FULL, mallory=WRONG_NET_INPUT)
    # two claims of one id: both kept and flagged
    write_nb(honest(), root / "erin" / A / f"{A}.ipynb")
    write_nb(build.filled(A, {"net_input": fixtures_01.WRONG_NET_INPUT}), root / f"erin_{A}.ipynb")
    expected.update({"erin~1": WRONG_NET_INPUT, "erin~2": FULL})   # origins sorted: "." then "erin/01_perceptron"
    # ids that are not safe path components: graded under safe ids they map to
    for name in ("...", "L" * 150, "red\x1b[31m"):
        write_nb(honest(), root / name / A / f"{A}.ipynb")
        expected[name] = FULL
    # symbolic links: to the reference solution, to a classmate's file, to a system file, a folder
    (root / "sym1" / A).mkdir(parents=True)
    os.symlink(build.ROOT / "solutions" / A / f"{A}.ipynb", root / "sym1" / A / f"{A}.ipynb")
    os.symlink(root / f"bob_{A}.ipynb", root / f"sym2_{A}.ipynb")
    os.symlink("/etc/shadow", root / f"sym3_{A}.ipynb")
    os.symlink(root / "alice", root / "sym4")
    os.symlink("../../../solutions", root / "sym5")
    # ids a spreadsheet would run; a file name that rewrites the terminal
    for name in FORMULA_IDS:
        write_nb(honest(), root / "lms" / name / f"{A}.ipynb")
    write_nb(honest(), root / "lms" / XSS_ID / f"{A}.ipynb")
    expected.update({name: FULL for name in FORMULA_IDS})
    expected[XSS_ID] = FULL
    (root / ANSI_NAME).write_text("hello")
    (root / '=HYPERLINK("evil.example").txt').write_text("x")
    # issue 24: text that is not valid Unicode, an id too long in bytes, a file name that is
    # not UTF-8, an extra file named so in a student's folder; a page nbconvert cannot render
    # in full and remote images (made inert links)
    (root / "sur" / A).mkdir(parents=True)
    (root / "sur" / A / f"{A}.ipynb").write_text(surrogate())
    write_nb(honest(), root / EMOJI_ID / A / f"{A}.ipynb")
    write_nb(honest(), root / LATIN1_FILE)
    (root / "alice" / A / os.fsdecode(b"notes\xff.txt")).write_text("my notes")
    write_nb(unrenderable(), root / f"rita_{A}.ipynb")
    expected.update({"sur": FULL, EMOJI_ID: FULL, LATIN1_STUDENT: FULL, "rita": FULL})
    # a cell id that breaks the schema; markup everywhere
    (root / f"frank_{A}.ipynb").write_text(bad_cell_ids())
    write_nb(xss(), root / f"xena_{A}.ipynb")
    expected.update(frank=FULL, xena=NO_HEAVISIDE)
    return expected


LONG_NAME = "Surname Firstname_123456_assignsubmission_file_" + "very_long_upload_name_" * 12 + f"{A}.ipynb"


def zip_class(path: Path) -> dict[str, dict]:
    """An LMS zip: honest files, a name too long for the file system, a zip bomb."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"export/amy_{A}.ipynb", nbformat.writes(honest()))
        z.writestr(f"export/{LONG_NAME}", nbformat.writes(honest()))
        z.writestr(f"export/ben_{A}.ipynb", nbformat.writes(honest()))
        with z.open(f"export/bomb_{A}.ipynb", "w", force_zip64=True) as f:     # 60 MB of spaces
            block = b" " * (1 << 20)
            for _ in range(60):
                f.write(block)
        z.writestr(f"export/zed_{A}.ipynb", nbformat.writes(honest()))
    return {"amy": FULL, "ben": FULL, "zed": FULL}
