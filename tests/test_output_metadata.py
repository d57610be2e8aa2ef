"""What a notebook's outputs and markup carry renders as data (issue 24, items 10 and 13).

An output's metadata reaches nbconvert's ``<img width=...>`` unquoted: only numeric
width/height and the known display keys survive, in the feedback page and in the
autograded notebook the formgrader renders. An image from another site (markdown, HTML
output, markdown output) becomes an inert link in both, so opening them makes no request
anywhere. Chromium opens both pages with every request recorded.
"""
from __future__ import annotations

import base64
import re

import nbformat
import pytest

from autograder import sanitize

PWN = "window.__pwned=(window.__pwned||[]).concat"
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ff1f0003030200effa5cd30000000049454e44ae426082")).decode()
REMOTE = "https://tracker.example"


def _notebook():
    """A notebook as a feedback run would leave it: image outputs whose metadata carries a
    handler, remote images in a written answer and in HTML and markdown outputs."""
    bad = f"1 onerror={PWN}('width')"
    outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": PNG},
                               metadata={"image/png": {"width": bad, "height": f"2 onload={PWN}('h')"},
                                         "width": bad, "isolated": True, "x": "<script>"}),
        nbformat.v4.new_output("execute_result", data={"image/jpeg": PNG}, execution_count=1,
                               metadata={"image/jpeg": {"width": 40, "height": 30.5, "unconfined": "yes"}}),
        nbformat.v4.new_output("display_data", data={"text/html": f'<img src="{REMOTE}/html.png">'}),
        nbformat.v4.new_output("display_data", data={"text/markdown": f"![m]({REMOTE}/md-output.png)"}),
    ]
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(f"My answer ![sketch]({REMOTE}/answer.png) and "
                                      f'<img src="{REMOTE}/tag.png" alt="t">', id="answer"),
        nbformat.v4.new_code_cell("show()", outputs=outputs, id="code")])


def _pages(tmp_path) -> dict:
    from nbconvert import HTMLExporter
    feedback = sanitize.render_html(_notebook())
    autograded = sanitize.clean_notebook(_notebook())
    formgrader = HTMLExporter(template_name="lab").from_notebook_node(autograded)[0]   # no sanitizer of its own
    pages = {"feedback": feedback, "autograded": formgrader}
    for name, page in pages.items():
        (tmp_path / f"{name}.html").write_text(page)
    return pages


def test_output_metadata_keeps_only_numbers_and_known_keys():
    meta = sanitize.output_metadata({"image/png": {"width": "1 onerror=x", "height": 20},
                                     "image/jpeg": {"width": 3.5, "unconfined": True, "needs_background": "red"},
                                     "width": float("nan"), "isolated": True, "x": 1})
    assert meta == {"image/png": {"height": 20}, "image/jpeg": {"width": 3.5, "unconfined": True}}


@pytest.mark.parametrize("name", ["feedback", "autograded"])
def test_no_handler_and_no_remote_source_in_either_page(name, tmp_path):
    page = _pages(tmp_path)[name]
    imgs = re.findall(r"<img\b[^>]*>", page)
    assert imgs and all("onerror" not in i and "onload" not in i for i in imgs), imgs
    assert all(re.search(r'\bsrc="(data:image/(png|jpeg);base64,|#)', i) or "src=" not in i for i in imgs), imgs
    body = page[page.find("<body"):]             # the template's head loads its own scripts (MathJax)
    assert not re.search(r"""(src|srcset|poster|background)\s*=\s*["']?https?:""", body, re.I)
    for kept in ("answer.png", "tag.png", "html.png"):           # as links the TA may follow
        assert re.search(rf'<a href="{REMOTE}/{kept}"', page), kept


def test_chromium_runs_no_handler_and_requests_nothing_remote(tmp_path):
    from test_hostile_class import PROVOKE, _browser
    sync_playwright, chromium = _browser()
    _pages(tmp_path)
    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            for name in ("feedback", "autograded"):
                page = browser.new_page()
                requests = []
                page.on("request", lambda r, requests=requests: requests.append(r.url)
                        if not r.url.startswith(("file:", "data:")) else None)
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                           else route.abort())
                page.add_init_script("window.alert = (m) => { window.__pwned = (window.__pwned || []).concat('alert'); };")
                page.goto((tmp_path / f"{name}.html").as_uri(), wait_until="load")
                page.evaluate(PROVOKE)
                page.wait_for_timeout(300)
                seen[name] = {"pwned": page.evaluate("() => window.__pwned || null"),
                              "remote": [u for u in requests if "tracker.example" in u]}
                page.close()
        finally:
            browser.close()
    assert all(v == {"pwned": None, "remote": []} for v in seen.values()), seen
