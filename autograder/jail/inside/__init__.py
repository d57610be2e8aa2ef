"""What runs inside the sandbox, and nothing else: the request server (``server.py``) and its
CPU clock (``cputime.py``), the loader that makes a package of them there (``boot.py``), and
the feedback run's program (``feedback_driver.py``).

These modules import the standard library, NumPy (nbclient and nbformat for the feedback run),
each other and the modules shared by both sides (``jail.SHARED_MODULES``: ``wire``,
``torch_support``), never the trusted side (``jail.remote``, the rest of ``autograder``):
``tests/test_layout.py`` checks it by location. On the trusted side they are ordinary modules,
imported only to be tested; inside the sandbox this file is not sent (the loader makes the
package).
"""
