"""relations: the general layer of the diagnosis; names how a wrong answer relates to the
reference when no catalogued mistake behaves exactly like it.

The judge observes a failed check twice with the same seeds: with the student's code and
with the reference solution (``observe.py``; both traces list every input sent and every
value returned, in order). While the two runs send the same inputs, each pair of returned
values is compared, and a relation is named only when it holds on every pair that differs
and on enough evidence (``MIN_EVIDENCE`` differing values): the student's output is the
reference negated, transposed, scaled by a constant (a 1/2, a 2, the batch size), off by
exactly one of the inputs (a term such as the bias missing or added twice), one of the
inputs returned unchanged, or a sequence one step off or accumulated. A correct answer
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


CHECKS: tuple[Callable, ...] = (_negated, _transposed, _scaled, _off_by_input, _unchanged_input, _shifted)

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
}

ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th")


def relation(student, reference) -> Relation | None:
    """The relation that holds between the student's trace and the reference's on every
    differing value returned for the same inputs, with at least ``MIN_EVIDENCE`` of them;
    None when none does. Where the inputs cannot tell two readings apart (a factor 1/2 with a
    batch of 2), the first in ``EXPLANATIONS`` is named."""
    if student is None or reference is None or not reference.complete:
        return None
    pairs = aligned_pairs(student, reference)
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
                return None
            parts.add(i)
            evidence += 2 if s.size >= 4 else 1    # a whole array obeying it is two values' worth
    if evidence < MIN_EVIDENCE or not labels:
        return None
    label = min(labels, key=list(EXPLANATIONS).index)    # still ambiguous: the simplest reading
    many = max(len(p.student) for p in pairs) > 1
    what = ("The " + " and ".join(f"{ORDINALS[i] if i < len(ORDINALS) else f'{i + 1}th'}" for i in sorted(parts))
            + " value your function returns" if many else "What your function returns")
    return Relation(f"pattern-{label}", f"{what} {EXPLANATIONS[label]}")
