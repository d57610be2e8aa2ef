"""JupyterHub for the course (docs/jupyterhub.md): local Unix accounts, one single-user
JupyterLab per account running as that account, the course's environment as everyone's
environment, nbgrader's exchange for release, submit, collect and feedback.

Run as root (it switches to each user to start their server):

    COURSE_ENV=/opt/neuron-by-neuron/env jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Settings, all from the environment so that one file serves the machine and the test:
  COURSE_ENV          the course's environment (a venv every user can execute), default: this Python's
  COURSE_EXCHANGE     nbgrader's exchange, default /srv/nbgrader/exchange
  COURSE_HUB_STATE    the hub's database, cookie secret and pid file, default /srv/jupyterhub
  COURSE_HUB_BIND     the public URL, default http://127.0.0.1:8000 (put TLS in front for a class)
  COURSE_INSTRUCTORS  space-separated logins that are hub admins (the TAs)
  COURSE_STUDENTS     space-separated logins allowed to log in besides them
  COURSE_PROXY        configurable-http-proxy's command, default: .ci/install.sh's local copy, else PATH
"""
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent.parent
ENV = Path(os.environ.get("COURSE_ENV") or sys.prefix)
STATE = Path(os.environ.get("COURSE_HUB_STATE", "/srv/jupyterhub"))
EXCHANGE = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
INSTRUCTORS = set(os.environ.get("COURSE_INSTRUCTORS", "").split())
STUDENTS = set(os.environ.get("COURSE_STUDENTS", "").split())

c = get_config()  # noqa: F821

# --- the hub: loopback by default, state outside the checkout
c.JupyterHub.bind_url = os.environ.get("COURSE_HUB_BIND", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('COURSE_PROXY_API_PORT', '8001')}"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
local_proxy = CHECKOUT / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [os.environ.get("COURSE_PROXY") or
                                   (str(local_proxy) if local_proxy.exists() else
                                    shutil.which("configurable-http-proxy") or "configurable-http-proxy")]

# --- who: local Unix accounts through PAM; the TAs are admins
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = INSTRUCTORS | STUDENTS
c.Authenticator.admin_users = INSTRUCTORS

# --- each user's server runs as that Unix user (LocalProcessSpawner switches uid), so nbgrader
# records each submission under its owner's login. SimpleLocalProcessSpawner would run every
# server as the hub's own user: every submission then belongs to that one user, and a hub run as
# root would need --allow-root for each server. Neither is acceptable for a class.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(ENV / "bin" / "python"), "-m", "jupyterhub.singleuser"]
c.Spawner.args = os.environ.get("COURSE_SINGLEUSER_ARGS", "").split()
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
c.Spawner.environment = {
    "PATH": f"{ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "NBGRADER_EXCHANGE": EXCHANGE,
    # the students' nbgrader config (course id, exchange) first, then the course env's own
    # (nbgrader's server extensions); the env's share/jupyter holds nbgrader's lab extension
    "JUPYTER_CONFIG_PATH": f"{HERE / 'student'}:{ENV / 'etc' / 'jupyter'}",
    "JUPYTER_PATH": str(ENV / "share" / "jupyter"),
}
# root's own pip configuration (a private index, certificates) is not in a user's home: the
# variables that carry it are passed on, so `pip install` in a student's terminal works too
c.Spawner.env_keep = ["LANG", "LC_ALL", "TZ"] + sorted(k for k in os.environ if k.startswith("PIP_"))
