"""Start JupyterLab on the course's first notebook and print the URL that opens it.

    python tools/lab.py [JupyterLab arguments...]     (what `make lab` runs)

The token is chosen here (or taken from $JUPYTER_TOKEN), so the printed URL goes straight
to notebook 01 and works when no browser opens by itself (a server, a container, WSL).
"""
from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "notebooks/01_perceptron/01_perceptron.ipynb"


def _port_from(args: list[str]) -> int | None:
    for i, a in enumerate(args):
        for flag in ("--port", "--ServerApp.port"):
            if a.startswith(flag + "="):
                return int(a.split("=", 1)[1])
            if a == flag and i + 1 < len(args):
                return int(args[i + 1])
    return None


def free_port(start: int = 8888, tries: int = 50) -> int:
    for port in range(start, start + tries):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {start}-{start + tries - 1}: pass LAB_ARGS=--port=N")


def main(args: list[str]) -> None:
    token = os.environ.get("JUPYTER_TOKEN") or secrets.token_hex(24)
    port = _port_from(args)
    if port is None:
        port = free_port()
        args = [f"--ServerApp.port={port}", *args]
    print(f"\nThe course opens at  http://localhost:{port}/lab/tree/{NOTEBOOK}?token={token}\n", flush=True)
    env = dict(os.environ, JUPYTER_TOKEN=token)
    os.chdir(ROOT)
    os.execve(sys.executable, [sys.executable, "-m", "jupyter", "lab", "--ServerApp.port_retries=0",
                               f"--notebook-dir={ROOT}", NOTEBOOK, *args], env)


if __name__ == "__main__":
    main(sys.argv[1:])
