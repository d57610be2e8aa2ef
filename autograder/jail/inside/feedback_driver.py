"""Runs inside the sandbox: execute a notebook with nbclient (kernel and client together,
since the sandbox has its own network namespace) and write it back on the private stdout.

stdin: {"nb": <notebook JSON>, "cell_timeout": s, "max_output": bytes per cell}
stdout: the executed notebook JSON, with "metadata.autograder_run" telling how it went.

It runs as ``__main__`` (``jail.feedback_driver_source``); imported, it only defines.
"""
import ctypes
import json
import os
import sys

# jsonschema (imported by nbformat) optionally imports rfc3987_syntax, which builds a parser
# at import time (~2 s per run); notebook validation does not need it.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402


class Client(NotebookClient):
    """Caps the outputs of each cell (a print loop must not fill memory)."""
    max_output = 200_000     # bytes per cell (the request's "max_output")

    def output(self, outs, msg, display_id, cell_index):
        size = getattr(self, "_sizes", {})
        self._sizes = size
        n = len(json.dumps(msg.get("content", {}), default=str))
        size[cell_index] = size.get(cell_index, 0) + n
        if size[cell_index] > self.max_output:
            if not getattr(self, "_noted", {}).get(cell_index):
                self._noted = getattr(self, "_noted", {})
                self._noted[cell_index] = True
                outs.append(nbformat.v4.new_output("stream", name="stderr",
                                                   text="\n[output truncated by the grader]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)


class Bounded(Client):
    """After two cells were stopped for time, the rest is not run (an endless loop in the
    student's code would otherwise cost a cell timeout in every cell that calls it)."""
    stopped = 0

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if self.stopped >= 2 and cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stderr",
                                                   text="[not run: earlier cells ran out of time]\n")]
            return cell
        cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if any(o.get("ename") in ("KeyboardInterrupt", "CellTimeoutError") for o in cell.get("outputs", [])):
            Bounded.stopped += 1
        return cell


def run(nb, req):
    """Execute ``nb`` in place; its run's status (``metadata.autograder_run``)."""
    status = "ok"
    client = Bounded(nb, timeout=float(req.get("cell_timeout", 60)), allow_errors=True, kernel_name="python3",
                     record_timing=False, interrupt_on_timeout=True, raise_on_iopub_timeout=False,
                     startup_timeout=60)
    try:
        client.execute(cwd="/home/student")
    except DeadKernelError:
        status = "kernel-died"
    except CellTimeoutError:
        status = "timeout"
    except Exception as e:  # noqa: BLE001
        status = f"error: {type(e).__name__}: {e}"[:300]
    if status == "ok" and Bounded.stopped:
        status = f"{Bounded.stopped} cell(s) stopped after {req.get('cell_timeout')} s"
    return status


def main():
    # Not dumpable: the student's kernel runs as the same uid, and could otherwise take this
    # process's descriptors (pidfd_getfd, /proc/<pid>/fd) or ptrace it, and answer in its place.
    # Children get their own flag back at exec; this process keeps it. No run without it.
    if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:     # PR_SET_DUMPABLE, 0
        sys.exit("feedback_driver: prctl(PR_SET_DUMPABLE, 0) failed")
    out = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)            # the kernel inherits these, not the channel
    sys.stdout = sys.stderr
    req = json.loads(sys.stdin.buffer.read())
    os.dup2(null, 0)
    nb = nbformat.reads(json.dumps(req["nb"]), as_version=4)
    Client.max_output = int(req.get("max_output", 200_000))
    nb.metadata["autograder_run"] = run(nb, req)
    data = nbformat.writes(nb).encode()
    view = memoryview(data)
    while view:
        view = view[os.write(out, view):]


if __name__ == "__main__":
    main()
