import os

import pytest


def pytest_sessionstart(session):
    """In CI a missing sandbox is a failure, not a reason to skip the grading suites."""
    if os.environ.get("CI"):
        from autograder import sandbox
        why = sandbox.unavailable()
        if why:
            raise pytest.UsageError(f"CI: the grading sandbox cannot run here: {why}")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Keep tests that share expensive set-up on one xdist worker (`--dist loadgroup`).

    Each assignment's notebook tests form a group, so its course is generated and
    autograded once (tests/test_notebooks.py); other suites mark their own groups.
    pytest-xdist groups a test by appending "@group" to its node id through
    `item._nodeid`, which pytest 9.2 no longer reads (the id lives in `item._id`), so
    the suffix is added here for either version; xdist's scheduler reads it from the id.
    """
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "assignment" in params:
            item.add_marker(pytest.mark.xdist_group(params["assignment"]))
    if not hasattr(config, "workerinput"):  # not an xdist worker: nothing to schedule
        return
    for item in items:
        groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                         for m in item.iter_markers("xdist_group")})
        if not groups or "@" in item.nodeid.rsplit("::", 1)[-1]:
            continue
        new_id = f"{item.nodeid}@{'_'.join(groups)}"
        if hasattr(item, "_id"):
            from _pytest.nodeid import coerce_node_id
            item._id = coerce_node_id(new_id)
        else:
            item._nodeid = new_id


@pytest.fixture
def make_jail():
    """make_jail(wall_seconds, call_timeout, **limits) -> a started ``jail.remote.Jail`` (the judge's
    sandboxed interpreter), closed when the test ends."""
    from autograder import sandbox
    from autograder.jail import remote
    jails = []

    def make(wall_seconds: float = 60, call_timeout: float = 20, **limits):
        jails.append(remote.Jail(sandbox.Limits(wall_seconds=wall_seconds, **limits), call_timeout=call_timeout))
        return jails[-1]
    yield make
    for jail in jails:
        jail.close()
