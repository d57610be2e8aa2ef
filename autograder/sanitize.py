"""sanitize: what a student wrote reaches the TA as data, never as something that runs.

Four places show a submission's text to a person or a program:

- the feedback HTML (a browser): rendered by nbconvert with its sanitizer on (``clean_html``
  after the markdown is rendered, no JavaScript outputs), the sanitizer's allow-list
  widened to what the course's own prose uses (paragraphs, headings, tables, images,
  ``<details>``) and nothing that runs: no script, no event handler, no ``<iframe>``, no
  ``<style>``, links only to ``http(s):``, ``mailto:`` and anchors, images only from
  ``http(s):`` or embedded raster data;
- the autograded notebook (nbgrader's formgrader renders it on the TA's Jupyter server):
  the same cleaning applied to the student's markdown and HTML outputs (``clean_notebook``);
- in both: an output's metadata keeps only numeric width/height and the known display keys
  (``output_metadata``: nbconvert writes width unquoted), an image from another site becomes
  a link (``inert_remote``: no request tells the student when and where the TA graded), a
  reference to a missing attachment is made inert with a note, and a cell nbconvert still
  cannot render is replaced by a note (``render_html``);
- the CSV files (a spreadsheet): a cell that starts like a formula is quoted (``csv_cell``);
- the terminal: control characters (ANSI escapes) are dropped from names (``printable``).

Every string the grader itself pastes into markdown goes through ``md_text`` (one line)
or ``md_code_block`` (verbatim text).

Rendering cost is bounded too: nbconvert's ``strip_files_prefix`` filter uses a regular
expression that is quadratic in the number of ``[`` on a line, so the exporter uses a
linear one; and markup the student controls is cut to ``MAX_MARKDOWN_CHARS`` per cell and
``MAX_MARKDOWN_TOTAL`` per notebook before rendering (the sanitizer and the markdown parser
are superlinear on some nestings), HTML outputs to ``MAX_HTML_OUTPUT_CHARS``, and the code
the feedback page shows to ``MAX_CODE_CHARS`` per cell and ``MAX_CODE_TOTAL`` per notebook
(syntax highlighting took over five minutes of CPU for one 3 MB cell).
"""
from __future__ import annotations

import copy
import html
import re
import unicodedata

import bleach
from bleach.css_sanitizer import CSSSanitizer

from . import text

MAX_MARKDOWN_CHARS = 10_000     # one markdown cell the student controls (the course's longest: 2,254)
MAX_MARKDOWN_TOTAL = 100_000    # all of them in one notebook (the course's longest notebook: 16,507)
MAX_HTML_OUTPUT_CHARS = 50_000  # one text/html, text/markdown or image/svg+xml output
MAX_CODE_CHARS = 20_000         # one code cell of the student's in the feedback page (the course's longest: 6,045)
MAX_CODE_TOTAL = 200_000        # all of them in one feedback page (the course's longest notebook: 87,742)
PREVIEW_CHARS = 2_000           # what the feedback shows, as plain text, of a cell cut for size

# --- the HTML allow-list ---------------------------------------------------------------

TAGS = frozenset(bleach.ALLOWED_TAGS) | {
    "p", "div", "span", "pre", "code", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "details", "summary",
    "sup", "sub", "del", "s", "ins", "kbd", "samp", "var", "mark", "small", "dl", "dt", "dd",
    "figure", "figcaption", "input"}
PROTOCOLS = frozenset({"http", "https", "mailto", "data", "attachment"})
_RASTER_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.I)
_LINK = re.compile(r"(https?:|mailto:|#)", re.I)
_RELATIVE = re.compile(r"[^:/?#]*(?:[/?#]|\Z)")     # no scheme at all: a path in the same site


_CSS = CSSSanitizer(allowed_css_properties=["text-align"])    # markdown tables' column alignment


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "title"):
        return True
    if name == "id":        # headings' anchors (nbconvert's markdown gives each heading one)
        return tag in ("h1", "h2", "h3", "h4", "h5", "h6")
    if tag == "a":
        return name == "href" and bool(_LINK.match(value.strip()) or _RELATIVE.match(value.strip()))
    if tag == "img":
        if name == "src":
            v = value.strip()
            return bool(re.match(r"(https?|attachment):", v, re.I) or _RASTER_DATA.match(v))
        return name in ("alt", "width", "height")
    if tag in ("th", "td"):
        return name in ("align", "colspan", "rowspan", "style")     # style: text-align only (_CSS)
    if tag == "input":     # task lists: [x]
        return name in ("type", "checked", "disabled") and (name != "type" or value == "checkbox")
    return tag in ("ol",) and name == "start"


def clean_html(text) -> str:
    """HTML with every tag, attribute and URL outside the allow-list escaped or removed, and
    every image from another site turned into a link to it (``inert_remote``)."""
    text = text.decode() if isinstance(text, bytes) else str(text)
    return inert_remote(bleach.clean(text, tags=TAGS, attributes=_allowed_attribute, protocols=PROTOCOLS,
                                     strip=False, strip_comments=True, css_sanitizer=_CSS))


# bleach's serializer writes every attribute as name="value" (quotes escaped), so after
# cleaning an image tag is matched exactly by this
_REMOTE_IMG = re.compile(r'<img\b[^<>]*?\bsrc="(https?:[^"]*)"[^<>]*>', re.I)


def inert_remote(cleaned: str) -> str:
    """Cleaned HTML in which no image loads from another site (the request would tell the
    student when, from where and in which browser the TA graded): each becomes a link the
    reader may follow, ``[image: URL]``."""
    return _REMOTE_IMG.sub(lambda m: f'<a href="{m.group(1)}" rel="noreferrer noopener">[image: {m.group(1)}]</a>',
                           cleaned)


def _clean_if_needed(text) -> str:
    """``clean_html`` when the HTML holds anything outside the allow-list (``_needs_cleaning``
    parses it as bleach does, at a twentieth of bleach's cost); as it is otherwise."""
    text = text.decode() if isinstance(text, bytes) else str(text)
    return clean_html(text) if _needs_cleaning(text) else text


_FILES_URL = re.compile(r"""(src|href)=(['"]?)/?files/""")


def strip_files_prefix(text: str) -> str:
    """nbconvert's filter of the same name, without its quadratic markdown-link pattern (the
    markdown is already rendered to HTML when the template applies it)."""
    return _FILES_URL.sub(r"\1=\2", text)


_exporter: list = []


def render_html(nb, trusted_cells: set[str] = frozenset()) -> str:
    """The notebook as a standalone HTML page, sanitized and bounded (see the module doc).
    A cell nbconvert cannot render is replaced by a note saying so; the rest is shown."""
    nb = bound_code(bound_markup(nb, trusted_cells, preview=True), trusted_cells)
    try:
        return _export(nb)
    except Exception:  # noqa: BLE001  (nbconvert raises many kinds on what a student wrote)
        pass
    for i, cell in enumerate(nb.cells):       # the cells that fail alone
        alone = copy.copy(nb)
        alone.cells = [cell]
        try:
            _export(alone)
        except Exception as e:  # noqa: BLE001
            nb.cells[i] = _unrenderable(cell, e)
    return _export(nb)


def _unrenderable(cell, error: Exception):
    import nbformat
    note = (f"*[This cell could not be shown ({md_text(type(error).__name__)}); "
            "the submitted notebook keeps it as written.]*")
    return nbformat.v4.new_markdown_cell(note, id=cell.get("id") or "unrenderable")


def _export(nb) -> str:
    if not _exporter:
        from nbconvert import HTMLExporter
        _exporter.append(HTMLExporter(template_name="lab", sanitize_html=True,
                                      filters={"clean_html": _clean_if_needed,
                                               "strip_files_prefix": strip_files_prefix}))
    return _exporter[0].from_notebook_node(nb)[0]


def bound_code(nb, trusted_cells: set[str] = frozenset()):
    """``nb`` with each of the student's code cells that is over the size limits (see the
    module doc) cut to its first ``PREVIEW_CHARS`` characters and a comment saying so; in place."""
    budget = MAX_CODE_TOTAL
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.get("id") in trusted_cells:
            continue
        n = len(cell.source)
        if n > MAX_CODE_CHARS or n > budget:
            cell.source = (cell.source[:PREVIEW_CHARS] + f"\n# [this cell has {n:,} characters, more than the "
                           f"feedback shows ({MAX_CODE_CHARS:,} per cell, {MAX_CODE_TOTAL:,} per notebook); "
                           "it was graded in full]")
        budget -= min(len(cell.source), budget)
    return nb


# --- bounding and cleaning a notebook -------------------------------------------------------

def _cut_note(n: int, preview: bool, text: str) -> str:
    note = (f"*[This cell has {n:,} characters, more than the grader renders "
            f"({MAX_MARKDOWN_CHARS:,} per cell, {MAX_MARKDOWN_TOTAL:,} per notebook). "
            "The submitted notebook keeps it in full.]*")
    if preview:
        return note + "\n\n" + md_code_block(text[:PREVIEW_CHARS])
    return note


def bound_markup(nb, trusted_cells: set[str] = frozenset(), preview: bool = False):
    """A copy of ``nb`` whose student-controlled markup is within the size limits.

    trusted_cells: ids of cells whose source comes from the course (not counted, not cut).
    A markdown cell over the limit becomes a note (with, if ``preview``, its start as plain
    text); an HTML-like output over its limit becomes a plain-text note.
    """
    nb = copy.deepcopy(nb)
    budget = MAX_MARKDOWN_TOTAL
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.get("id") not in trusted_cells:
            n = len(cell.source)
            if n > MAX_MARKDOWN_CHARS or n > budget:
                cell.source = _cut_note(n, preview and budget >= PREVIEW_CHARS, cell.source)
                cell.pop("attachments", None)
                n = len(cell.source)
            budget -= min(n, budget)
            drop_missing_attachments(cell)
        elif cell.cell_type == "raw":
            cell.source = md_code_block(cell.source[:PREVIEW_CHARS])
            cell.cell_type = "markdown"
            cell.pop("attachments", None)
        for out in cell.get("outputs", []):
            if "metadata" in out:
                out["metadata"] = output_metadata(out["metadata"])
            data = out.get("data")
            if not data:
                continue
            for mime in [m for m in data if m not in SAFE_OUTPUTS]:
                del data[mime]
            for mime in ("text/html", "text/markdown", "image/svg+xml"):
                if mime in data and len(str(data[mime])) > MAX_HTML_OUTPUT_CHARS:
                    del data[mime]
                    data.setdefault("text/plain", f"[an output of {mime} over {MAX_HTML_OUTPUT_CHARS:,} "
                                                  "characters, not shown]")
    return nb


_ATTACHMENT_REF = re.compile(r"attachment:([^\s)\"'<>]*)")
MISSING_ATTACHMENT = ("*[An image of this cell refers to an attachment the notebook does not have "
                      "(or cannot show): not shown. The submitted notebook keeps the cell as written.]*")


def drop_missing_attachments(cell) -> None:
    """In a markdown cell, every reference to an attachment that is not there (or is not an
    image nbconvert can embed) made inert (nbconvert raises on it), with a note; in place."""
    attachments = cell.get("attachments")
    attachments = attachments if isinstance(attachments, dict) else {}

    def usable(name: str) -> bool:
        a = attachments.get(name)
        return isinstance(a, dict) and bool(a) and all(isinstance(v, str) for v in a.values())
    missing = [m.group(1) for m in _ATTACHMENT_REF.finditer(cell.source) if not usable(m.group(1))]
    if missing:
        cell.source = _ATTACHMENT_REF.sub(lambda m: m.group(0) if usable(m.group(1)) else "#missing-attachment",
                                          cell.source) + "\n\n" + MISSING_ATTACHMENT


# what an output's metadata may say, and of what type (nbconvert writes width and height
# unquoted into the <img> tag: only numbers may reach it)
_NUMBER_KEYS = ("width", "height")
_OTHER_KEYS = {"unconfined": (bool,), "needs_background": ("light", "dark")}


def output_metadata(meta) -> dict:
    """An output's metadata reduced to what renders safely: per image type and at the top,
    a numeric ``width``/``height``, a boolean ``unconfined``, ``needs_background`` light or
    dark; every other key goes."""
    if not isinstance(meta, dict):
        return {}
    clean = _display_keys(meta)
    for mime in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        if isinstance(meta.get(mime), dict):
            clean[mime] = _display_keys(meta[mime])
    return clean


def _display_keys(meta: dict) -> dict:
    out = {}
    for k in _NUMBER_KEYS:
        v = meta.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 100_000:
            out[k] = int(v) if float(v).is_integer() else float(v)
    for k, allowed in _OTHER_KEYS.items():
        v = meta.get(k)
        if v is not None and (isinstance(v, allowed[0]) if isinstance(allowed[0], type) else v in allowed):
            out[k] = v
    return out


# what an output may carry into the feedback or the autograded notebook (no JavaScript,
# no widget views whose state could hold arbitrary HTML)
SAFE_OUTPUTS = frozenset({"text/plain", "text/html", "text/markdown", "text/latex", "image/png",
                          "image/jpeg", "image/gif", "image/svg+xml", "application/json"})


def clean_notebook(nb, trusted_cells: set[str] = frozenset()):
    """The autograded notebook the formgrader renders: student markdown cleaned and bounded,
    HTML outputs cleaned; no JavaScript, widget or SVG outputs; raw cells as plain text."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    nb = bound_markup(nb, trusted_cells)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.get("id") not in trusted_cells:
            # cleaning the markdown source would miss markdown's own links ([x](javascript:...)),
            # so the cell is rendered as the formgrader will render it; when cleaning changes
            # that HTML, the cell becomes the cleaned HTML (an honest cell stays as written)
            rendered = markdown2html_mistune(cell.source)
            if _needs_cleaning(rendered):
                cell.source = clean_html(rendered)
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            if "text/markdown" in data:        # rendered here, so its links and images are cleaned
                markdown = data.pop("text/markdown")
                data.setdefault("text/html", markdown2html_mistune(str(markdown)))
            if "text/html" in data:
                data["text/html"] = clean_html(data["text/html"])
            if data.pop("image/svg+xml", None) is not None:     # an SVG document can hold script
                data.setdefault("text/plain", "[an SVG image, not shown]")
    return nb


_ALIGN = re.compile(r"text-align: ?(left|right|center);?")
_XHTML = "{http://www.w3.org/1999/xhtml}"


def _needs_cleaning(rendered: str) -> bool:
    """Would the sanitizer remove or escape anything from this HTML? Parsed as bleach (and a
    browser) parses it; any comment, foreign (SVG, MathML) or unlisted element or attribute
    counts. An honest cell's rendering has none, so it stays as the student wrote it."""
    from bleach._vendor.html5lib import parseFragment     # the parser bleach itself runs
    for el in parseFragment(rendered, treebuilder="etree").iter():
        tag = el.tag
        if not isinstance(tag, str):                       # a comment or processing instruction
            return True
        if tag.startswith("DOCUMENT_FRAGMENT"):
            continue
        if not tag.startswith(_XHTML) or tag[len(_XHTML):] not in TAGS:
            return True
        name = tag[len(_XHTML):]
        for k, v in el.attrib.items():
            if not isinstance(k, str) or not _allowed_attribute(name, k, v or "") \
                    or k == "style" and not _ALIGN.fullmatch((v or "").strip()) \
                    or k == "src" and re.match(r"\s*https?:", v or "", re.I):     # remote: made a link
                return True
    return False


# --- strings the grader pastes ----------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")


def md_text(value) -> str:
    """``value`` as literal text on one line of markdown: no markup, no HTML, no math."""
    return html.escape(_MD_SPECIAL.sub(r"\\\1", printable(value)), quote=True)


def md_code_block(value) -> str:
    """``value`` verbatim in a fenced code block (the fence is longer than any run of backticks)."""
    s = str(value)
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{s}\n{fence}"


# --- CSV and terminal ---------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value):
    """A CSV value a spreadsheet shows as text: a leading ``'`` before ``= + - @``, tab or CR;
    valid text (``text.file_name``: a path's undecodable bytes read as Latin-1)."""
    if isinstance(value, str):
        value = text.file_name(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def printable(value) -> str:
    """``value`` on one line without control characters: ANSI escape sequences are removed,
    newlines and tabs become spaces, other control and format characters (bidi overrides) go."""
    s = _ANSI.sub("", text.file_name(str(value)))
    return "".join(" " if ch in "\n\r\t" else ch for ch in s if ch in "\n\r\t" or unicodedata.category(ch)[0] != "C")


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-9;?]*[ -/]*[@-~]")
