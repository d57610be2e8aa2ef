"""Pieces of the grading pipeline: file-name rules, the wire format, the proxies, flags,
and the judge on every assignment's reference solution."""
from __future__ import annotations

import zipfile

import numpy as np
import pytest

from autograder import collect, flags, ids, sandbox
from autograder.jail import remote, wire
from autograder import source as src
from autograder.demo import build
from autograder.judge import Judge
from autograder.normalize import normalize
from autograder.outdir import OutputFolder
from common import JUDGE_LIMITS, needs_sandbox
import fixtures_01



@pytest.mark.parametrize("name,student", [
    ("alice_01_perceptron.ipynb", "alice"),
    ("01_perceptron_alice.ipynb", "alice"),
    ("smith_12345_67890_01_perceptron.ipynb", "smith_12345_67890"),
    ("Alice Smith_123_assignsubmission_file_01_perceptron-1.ipynb", "Alice Smith_123_assignsubmission_file"),
    ("bob-01_perceptron (2).ipynb", "bob"),
    ("=HYPERLINK(1)_01_perceptron.ipynb", "=HYPERLINK(1)"),
])
def test_flat_file_names_map_to_students(tmp_path, name, student):
    """The student part of a file name is mapped like a folder's name (``ids.student_id``): a
    safe name stays, another gets a safe id and the raw name in a note (never lost, and two
    raw names never merged into one id)."""
    (tmp_path / name).write_text("{}")
    found, unmapped = collect.collect(tmp_path, {"01_perceptron": src.load("01_perceptron")})
    safe, note = ids.student_id(student)
    assert [(f.student, f.assignment) for f in found] == [(safe, "01_perceptron")] and not unmapped
    assert note is None or note in found[0].notes, (note, found[0].notes)


def test_zip_extraction_refuses_traversal_and_links(tmp_path):
    z = tmp_path / "class.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("ok/alice_01_perceptron.ipynb", "{}")
        f.writestr("../../evil_01_perceptron.ipynb", "{}")
        f.writestr("/abs_01_perceptron.ipynb", "{}")
        link = zipfile.ZipInfo("link_01_perceptron.ipynb")
        link.external_attr = 0o120777 << 16
        f.writestr(link, "/etc/passwd")
    found, unmapped = collect.collect(z, {"01_perceptron": src.load("01_perceptron")}, out=OutputFolder(tmp_path / "w"))
    assert [f.student for f in found] == ["alice"]
    assert len([u for u in unmapped if "unsafe" in u.reason]) == 3
    assert not (tmp_path / "evil_01_perceptron.ipynb").exists()


def test_the_trusted_side_never_unpickles():
    import pickle
    blob = pickle.dumps(object())
    dec = wire.Decoder([blob], lambda t: (_ for _ in ()).throw(wire.WireError("refused")))
    with pytest.raises(wire.WireError):
        dec.decode({"$": "pickle", "b": 0})
    obj_array = np.array([object()], dtype=object)
    with pytest.raises(ValueError):
        wire.array_to_bytes(obj_array)          # object arrays never become .npy data


def test_flags():
    code = ("import ctypes\nnp.allclose = lambda *a, **k: True\n"
            "class A:\n    def __eq__(self, other):\n        return True\n"
            "get_ipython().events.register('pre_run_cell', f)\nopen('/work/main/solutions/x')\n")
    assert set(flags.scan(code)) >= {"ctypes", "monkeypatch", "always-equal", "ipython-hooks", "file-access"}
    assert flags.scan(build.reference_answers("01_perceptron")["net_input"]) == []


@needs_sandbox
def test_proxies_refuse_comparisons_and_forward_the_rest(make_jail):
    jail = make_jail(wall_seconds=60, call_timeout=20)
    jail.exec_cell("import numpy as np\n"
                   "class V:\n    def __init__(self, x): self.x = x\n"
                   "    def __eq__(self, o): return True\n    __hash__ = object.__hash__\n"
                   "    def __add__(self, o): return V(self.x + (o.x if isinstance(o, V) else o))\n"
                   "    __radd__ = __add__\n"
                   "def f(a):\n    a += 1\n    return V(3)\n"
                   "def bad(k):\n    raise ValueError('no ' + k)\n", "<t>", 20)
    arr = np.zeros(3)
    v = jail.proxy("f")(arr)
    assert isinstance(v, remote.RemoteObject) and (1 + v + 2).x == 6
    assert isinstance(v, jail.proxy("V")) and np.array_equal(arr, np.ones(3))  # in-place change seen
    for compare in (lambda: v == 3, lambda: v != 3, lambda: bool(v), lambda: hash(v), lambda: v < 1):
        with pytest.raises(remote.ProxyRefused):
            compare()
    with pytest.raises(ValueError, match="no way"):
        jail.proxy("bad")("way")
    import threading
    with pytest.raises(remote.ProxyUnsupported):   # judged as a grader error (to a human), not a 0
        jail.proxy("f")(threading.Lock())


@needs_sandbox
def test_a_copy_of_the_interpreter_leaves_its_parent_as_it_was(make_jail):
    """Jail.fork/join, which the catalogued mistakes' traces use: what the copy does is gone
    after join, a copy that dies or hangs costs only itself (or the sandbox, never the judge),
    and a reference from the copy is stale in the parent."""
    jail = make_jail(wall_seconds=60, call_timeout=5)
    jail.exec_cell("x = [1]\ndef get():\n    return x\nclass C: pass\n", "<t>", 5)
    jail.fork()
    jail.exec_cell("x.append(2)\ndef get():\n    return x + [3]\n", "<copy>", 5)
    assert jail.proxy("get")() == [1, 2, 3]
    obj = jail.proxy("C")()
    jail.join()
    assert jail.proxy("get")() == [1] and not jail.dead
    with pytest.raises(remote.RemoteError, match="earlier run"):
        jail.proxy("get")(obj)
    jail.fork()
    with pytest.raises(remote.JailDied):
        jail.exec_cell("import os\nos._exit(3)", "<copy dies>", 5)
    assert jail.dead
    with pytest.raises(remote.JailDied):
        jail.proxy("get")()               # not answered by the parent in the copy's place
    jail.join()
    assert not jail.dead and jail.proxy("get")() == [1]
    jail.fork()
    with pytest.raises(remote.JailTimeout):
        jail.exec_cell("while True:\n    pass", "<copy hangs>", 1)
    jail.join()
    assert jail.dead and jail.proc is None     # a hung copy takes its sandbox down with it


@needs_sandbox
def test_mistake_traces_observed_in_copies_equal_fresh_ones():
    """diagnose.many_mistake_traces observes every mistake in a copy of one interpreter
    (Judge.observe_variants); each trace equals the one a fresh sandbox per mistake gives."""
    from autograder import diagnose
    a = src.load("04_chain_rule")

    def make_judge(answers):
        return Judge(a, answers, JUDGE_LIMITS, call_timeout=30, cell_timeout=180, exec_timeout=30)
    mistakes = diagnose.catalogue(a)[::3]
    saved = diagnose.TRACES.snapshot()
    diagnose.TRACES.clear()
    try:
        together = diagnose.many_mistake_traces(a, mistakes, make_judge)
    finally:
        diagnose.TRACES.clear()
        diagnose.TRACES.merge(saved)
    for m, traces in zip(mistakes, together):
        alone = make_judge(dict(a.reference_answers, **{m.exercise: m.code})).observe_only(list(m.loses))
        assert set(traces) == set(alone) == set(m.loses), m.id
        for gid, t in traces.items():
            assert t.complete and t.events and t.matches(alone[gid]), f"{m.id} on {gid}"


@needs_sandbox
def test_torch_models_travel_as_plain_data_and_training_writes_back(make_jail):
    torch = pytest.importorskip("torch")
    jail = make_jail(wall_seconds=120, call_timeout=60)
    jail.exec_cell("import torch\nfrom torch import nn\n"
                   "def build():\n    return nn.Sequential(nn.Linear(1, 3), nn.ReLU(), nn.Linear(3, 1))\n"
                   "def train(model, x, y, lr):\n    opt = torch.optim.SGD(model.parameters(), lr=lr)\n"
                   "    loss = ((model(x) - y) ** 2).mean()\n    opt.zero_grad(); loss.backward(); opt.step()\n"
                   "    model.eval()\n    return [loss.item()]\n", "<t>", 60)
    torch.manual_seed(0)
    a = jail.proxy("build")()
    torch.manual_seed(0)
    b = jail.proxy("build")()
    assert isinstance(a, torch.nn.Sequential) and torch.equal(a[0].weight, b[0].weight)  # RNG state follows
    before = a[0].weight.detach().clone()
    losses = jail.proxy("train")(a, torch.ones(4, 1), torch.zeros(4, 1), 0.5)
    assert isinstance(losses[0], float) and not torch.equal(before, a[0].weight) and not a.training


REFERENCE_CASES = [a for a in src.available() if (src.ROOT / "notebooks" / a).exists()]


@needs_sandbox
@pytest.mark.xdist_group("grading-reference")
@pytest.mark.parametrize("assignment_id", REFERENCE_CASES)
def test_reference_solution_gets_full_marks_from_the_judge(assignment_id, tmp_path):
    """Every test cell of every notebook runs under the proxies unchanged."""
    path = build.write(fixtures_01.core_only(build.filled(assignment_id)), tmp_path / "s.ipynb")
    n = normalize(path, src.load(assignment_id))
    report = Judge(src.load(assignment_id), n.answers, sandbox.Limits(wall_seconds=600), call_timeout=120).run()
    assert report.setup_errors == []
    for cell in report.cells:
        assert cell.score == cell.points > 0, (cell.grade_id, cell.status, cell.message, cell.detail)
