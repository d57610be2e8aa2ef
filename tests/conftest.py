import pytest


def pytest_collection_modifyitems(items):
    """Keep each assignment's notebook tests on one xdist worker, so its course is
    generated and autograded once (see tests/test_notebooks.py)."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "assignment" in params:
            item.add_marker(pytest.mark.xdist_group(params["assignment"]))
