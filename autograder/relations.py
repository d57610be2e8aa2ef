"""relations: the general layer of the diagnosis; names how a wrong answer relates to the
reference when no catalogued mistake behaves exactly like it.

The judge observes a failed check twice with the same seeds: with the student's code and
with the reference solution (``observe.py``; both traces list every input sent and every
value returned, in order). While the two runs send the same inputs, each pair of returned
values is compared, and a relation is named only when it holds on every pair that differs
and on enough evidence (``MIN_EVIDENCE`` differing values): the student's output is the
reference negated, transposed, scaled by a constant (a 1/2, a 2, the batch size), off by
exactly one of the inputs (a term such as the bias missing or added twice), one of the
inputs returned unchanged, a sequence one step off or accumulated, a derivative written with an
activation's output evaluated at the pre-activation, or values that hold what others of the
expected values are (a derivative taken of the wrong variable). A correct answer
never reaches this layer (it passes), and a relation that fails on one input tried is not
named: the layer never guesses.

A value made of several parts (a tuple such as ``(dw, db)``, a list, a dict) is compared part
by part: the parts that differ must all obey the same relation, and the message says which.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

MIN_EVIDENCE = 2           # differing returned values needed (an array of 4 or more counts as 2)
RTOL, ATOL = 1e-4, 1e-6    # as observe.same: float32-sized tolerance
NICE_FACTORS = (2.0, 0.5, 4.0, 0.25)
MAX_ENTRIES = 8            # a tuple of numbers travels as one short array: its entries are compared one by one


@dataclass(frozen=True)
class Relation:
    """A named relation between a wrong answer and the reference, with the course's words."""
    id: str              # "pattern-<kind>", shown to the TA in the class report
    explanation: str     # shown to the student


def is_pattern(mistake_id: str) -> bool:
    """Whether a diagnosis id was named by this layer (not by a catalogue)."""
    return mistake_id.startswith("pattern-")


# --- reading traces --------------------------------------------------------------------

def _arrays(fp):
    """A returned value's fingerprint (``observe.fingerprint``) as a list of numeric arrays,
    one per part, or None if a part is not numeric."""
    tag = fp[0]
    if tag == "n":
        z = fp[1]
        return [np.array(z.real if z.imag == 0 else z)]
    if tag == "a":
        return [np.asarray(fp[2])]
    if tag == "L":
        return [np.asarray(fp[1])]
    if tag in ("l", "d"):
        parts = fp[1] if tag == "l" else tuple(v for _, v in fp[1])
        out = []
        for p in parts:
            sub = _arrays(p)
            if sub is None or len(sub) != 1:
                return None
            out.extend(sub)
        return out or None
    return None


def _input_arrays(fp) -> list[np.ndarray]:
    """The numeric arguments of a call (an "in" event: op, name, target, args, kwargs)."""
    found = []

    def walk(f, depth=0):
        if depth > 4:
            return
        parts = _arrays(f) if f[0] in ("n", "a", "L") else None
        if parts:
            found.extend(parts)
        elif f[0] == "l":
            for p in f[1]:
                walk(p, depth + 1)
        elif f[0] == "d":
            for _, p in f[1]:
                walk(p, depth + 1)
    walk(fp)
    return found


@dataclass
class Pair:
    """One value both runs returned for the same inputs."""
    student: list
    reference: list
    inputs: list


def aligned_pairs(student, reference) -> list[Pair]:
    """The returned values of two traces of one check, paired while both runs sent the same
    inputs (after the first difference in what was sent, the runs are no longer comparable)."""
    from .observe import same
    pairs, inputs = [], []
    for (ks, vs), (kr, vr) in zip(student.events, reference.events):
        if ks != kr:
            break
        if ks == "in":
            if not same(vs, vr):
                break
            inputs = _input_arrays(vs)
        elif ks in ("out", "mut"):
            s, r = _arrays(vs), _arrays(vr)
            if s is None or r is None or len(s) != len(r):
                if not same(vs, vr):
                    break
                continue
            pairs.append(Pair(s, r, inputs))
        elif not same(vs, vr):
            break
    return pairs


# --- the relations: each maps (student part, reference part, inputs) to a label or None ----

def _close(a, b) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _negated(s, r, inputs):
    return "negated" if _close(s, -r) and not _close(r, np.zeros_like(r)) else None


def _transposed(s, r, inputs):
    if r.ndim == 2 and s.shape == r.T.shape and _close(s, r.T) and not (s.shape == r.shape and _close(s, r)):
        return "transposed"
    return None


def _scaled(s, r, inputs):
    if s.shape != r.shape or _close(r, np.zeros_like(r)):
        return None
    c = float(np.vdot(r, s).real / np.vdot(r, r).real)
    if not np.isfinite(c) or abs(c - 1) < 1e-6 or abs(c + 1) < 1e-6 or not _close(s, c * r):
        return None
    labels = {f"factor-{f:g}" for f in NICE_FACTORS if np.isclose(c, f, rtol=1e-6)}
    n = next((a.shape[0] for a in inputs if a.ndim >= 1), 0)     # the batch: the first array's rows
    if n > 1 and np.isclose(c, n, rtol=1e-6):
        labels.add("times-n")
    if n > 1 and np.isclose(c, 1 / n, rtol=1e-6):
        labels.add("over-n")
    return labels or None


def _off_by_input(s, r, inputs):
    if s.shape != r.shape:
        return None
    d = s - r
    for a in inputs:
        if a.size and not _close(a, np.zeros_like(a)):
            try:
                b = np.broadcast_to(a, d.shape)
            except ValueError:
                continue
            if _close(d, b) or _close(d, -b):
                return "off-by-input"
    return None


def _unchanged_input(s, r, inputs):
    for a in inputs:
        if a.shape == s.shape and _close(s, a) and not _close(r, a):
            return "unchanged"
    return None


def _shifted(s, r, inputs):
    if s.ndim != 1 or s.shape != r.shape or len(s) < 3:
        return None
    if _close(s[1:], r[:-1]) or _close(s[:-1], r[1:]):
        return "shifted"
    if _close(s, np.cumsum(r)) or _close(r, np.cumsum(s)):
        return "cumulative"
    return None


def _sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


# the activations whose derivative the course writes with their output a = f(z): f, and f' as a function of a
OUTPUT_FORM = {"sigmoid": (_sigmoid, lambda a: a * (1 - a)), "tanh": (np.tanh, lambda a: 1 - a ** 2)}


def _pre_activation(s, r, inputs):
    """The derivative written with the activation's output, h(a), evaluated at the
    pre-activation z: the student's s = u * h(z) where the reference's r = u * h(f(z)), with z
    one of the inputs and u another (an upstream gradient) or none."""
    real = [a.astype(float) for a in inputs if a.shape == s.shape and np.isrealobj(a) and a.dtype != object]
    with np.errstate(all="ignore"):
        for k, z in enumerate(real):
            for u in [1.0, *real[:k], *real[k + 1:]]:
                for f, h in OUTPUT_FORM.values():
                    if _close(r, u * h(f(z))) and _close(s, u * h(z)):
                        return "pre-activation"
    return None


CHECKS: tuple[Callable, ...] = (_negated, _transposed, _scaled, _off_by_input, _unchanged_input, _shifted,
                                _pre_activation)

EXPLANATIONS = {
    "negated": ("is the exact negative of the expected value on every input tried: a sign is flipped. "
                "Check the direction of each difference (target minus prediction or the reverse) and "
                "whether a minus sign was lost on the way through the chain rule."),
    "transposed": ("holds the expected numbers in transposed order: an operand is transposed. Compare the "
                   "shapes in the docstring with the shapes of your intermediate results."),
    "times-n": ("is the expected value multiplied by the batch size on every input tried: a sum over the "
                "batch where the mean was asked for (or a 1/n forgotten)."),
    "over-n": ("is the expected value divided by the batch size on every input tried: a mean over the batch "
               "where a sum was asked for (or a 1/n applied twice)."),
    "factor-2": ("is twice the expected value on every input tried: a constant factor of 2 is counted "
                 "twice or a 1/2 is missing (the 1/2 in front of a squared error and the 2 from its "
                 "derivative cancel)."),
    "factor-0.5": ("is half the expected value on every input tried: a 1/2 is applied where it should "
                   "cancel (or a factor 2 from a derivative is missing)."),
    "factor-4": "is four times the expected value on every input tried: a constant factor is applied twice.",
    "factor-0.25": "is a quarter of the expected value on every input tried: a constant factor is applied twice.",
    "off-by-input": ("differs from the expected value by exactly one of the inputs on every input tried: a "
                     "term is missing or added twice (often the bias, or the value being updated)."),
    "unchanged": ("is one of the inputs, returned unchanged: the step that should change it (an update, an "
                  "activation, a gradient) did not take effect."),
    "shifted": ("is the expected sequence shifted by one step: a value recorded before instead of after its "
                "step (or one epoch off)."),
    "cumulative": ("holds running totals where per-step values are expected (or the reverse): count or add "
                   "up only what the docstring asks for each step."),
    "pre-activation": ("is the activation's derivative written with its output (s * (1 - s) for the sigmoid, "
                       "1 - t**2 for tanh) but evaluated at the pre-activation z itself, on every input tried. "
                       "Those formulas take the activation's output: compute s = sigmoid(z) (or t = tanh(z)) "
                       "first, then apply the formula to it."),
}
WRONG_VARIABLE = ("on every input tried: values in each other's places. A derivative was taken with respect to "
                  "the wrong variable (a multiply gate's local gradient for one input is the other input), or "
                  "results were returned in the wrong order: for each value, check which variable it is the "
                  "derivative of, and the order the docstring gives.")

KINDS = (*EXPLANATIONS, "wrong-variable")     # every relation this layer names ("pattern-<kind>")

ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th")


def _ordinal(i: int) -> str:
    return ORDINALS[i] if i < len(ORDINALS) else f"{i + 1}th"


def _common_labels(pairs: list[Pair]):
    """The labels that hold on every differing part of every pair, the parts that differ and
    the evidence; (None, ...) when some differing part obeys none."""
    labels, parts, evidence = None, set(), 0
    for p in pairs:
        for i, (s, r) in enumerate(zip(p.student, p.reference)):
            if _close(s, r):
                continue
            here = set()
            for check in CHECKS:
                found = check(s, r, p.inputs)
                here |= {found} if isinstance(found, str) else (found or set())
            labels = here if labels is None else labels & here
            if not labels:
                return None, parts, evidence
            parts.add(i)
            evidence += 2 if s.size >= 4 else 1    # a whole array obeying it is two values' worth
    return labels, parts, evidence


def _items(values: list) -> list | None:
    """The values a call returned, one by one: the parts of a tuple, or the entries of one
    short vector (a tuple of numbers travels as one array)."""
    if len(values) > 1:
        return values
    (v,) = values
    return [np.asarray(x) for x in v] if v.ndim == 1 and 2 <= len(v) <= MAX_ENTRIES else None


def exchanged(pairs: list[Pair]) -> tuple[dict[int, int], int]:
    """Returned values in each other's places: each wrong value holds, on every input tried,
    what another wrong one should be. {position: the expected value's position} and the
    evidence (integer values, too often equal by chance, are no evidence); ({}, 0) when a
    wrong value is not one of the other wrong values' expected ones (a value that repeats a
    right one is a missing term or path, not an exchange)."""
    where: dict[int, set] = {}
    evidence = 0
    for p in pairs:
        s_items, r_items = _items(p.student), _items(p.reference)
        if s_items is None or r_items is None or len(s_items) != len(r_items):
            return {}, 0
        wrong = {k for k, (s, r) in enumerate(zip(s_items, r_items)) if not _close(s, r)}
        for k in sorted(wrong):
            s = s_items[k]
            js = {j for j in wrong - {k} if _close(s, r_items[j])}
            where[k] = where.get(k, js) & js
            if not where[k]:
                return {}, 0
            integer = bool(np.all(np.mod(s.real, 1) == 0))
            evidence += 0 if integer else (2 if s.size >= 4 else 1)
    return {k: min(js) for k, js in where.items()}, evidence


def relation(student, reference, only: str | None = None) -> Relation | None:
    """The relation that holds between the student's trace and the reference's on every
    differing value returned for the same inputs, with at least ``MIN_EVIDENCE`` of them;
    None when none does. Where the inputs cannot tell two readings apart (a factor 1/2 with a
    batch of 2), the first in ``EXPLANATIONS`` is named. Values that are each another expected
    value (``exchanged``) are named when no relation holds part by part. ``only`` (one of
    ``KINDS``) looks for that relation alone (``tools/relation_counts.py`` measures each)."""
    if student is None or reference is None or not reference.complete:
        return None
    pairs = aligned_pairs(student, reference)
    labels, parts, evidence = _common_labels(pairs) if only != "wrong-variable" else (None, set(), 0)
    if labels and only is not None:
        labels &= {only}
    if labels and evidence >= MIN_EVIDENCE:
        label = min(labels, key=list(EXPLANATIONS).index)    # still ambiguous: the simplest reading
        many = max(len(p.student) for p in pairs) > 1
        what = ("The " + " and ".join(_ordinal(i) for i in sorted(parts)) + " value your function returns"
                if many else "What your function returns")
        return Relation(f"pattern-{label}", f"{what} {EXPLANATIONS[label]}")
    where, evidence = exchanged(pairs) if only in (None, "wrong-variable") else ({}, 0)
    if not where or evidence < MIN_EVIDENCE:
        return None
    (k0, j0), *rest = sorted(where.items())
    what = f"The {_ordinal(k0)} value your function returns is the expected {_ordinal(j0)}"
    tail = [f"the {_ordinal(k)} the expected {_ordinal(j)}" for k, j in rest]
    if tail:
        what += ", " + ", ".join(tail[:-1] + [f"and {tail[-1]}"])
    return Relation("pattern-wrong-variable", f"{what}, {WRONG_VARIABLE}")
