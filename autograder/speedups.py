"""Process-wide speed-ups for the grader's own work (not the learners' kernels).

The grader process starts faster without ``rfc3987_syntax`` (see :func:`skip_slow_imports`), and
nbgrader builds a new nbconvert exporter, and so a new Jinja environment, for every learner's
feedback: each one compiles the same nine HTML templates again (about a second). An in-memory
bytecode cache shared by every environment in the process compiles them once.
"""

from __future__ import annotations

import sys

_INSTALLED = False


def skip_slow_imports() -> None:
    """Call before nbgrader is imported: skip a library that costs seconds and that grading never uses.

    ``jsonschema`` (via nbformat) imports ``rfc3987_syntax`` when it is installed, which builds Lark
    grammars at import time: 1.4–2.8 s of nbgrader's start-up (python-jsonschema/jsonschema#1428). It
    only serves the ``iri``/``uri`` format checks, which nothing in grading uses; jsonschema runs without
    it. Blocking it cuts ``import nbgrader`` from about 3.9 s to 1.0 s here.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def install() -> None:
    """Install the speed-ups in this process (and the workers it forks); idempotent."""
    global _INSTALLED
    if _INSTALLED:
        return
    _INSTALLED = True
    _sqlite_pragmas()
    _gradebook_engines()
    _metadata_validator()
    _html_accessibility()
    try:
        import jinja2
        from nbconvert.exporters.templateexporter import TemplateExporter
    except ImportError:
        return

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}

        def load_bytecode(self, bucket) -> None:
            code = self.store.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    cache = MemoryBytecodeCache()
    original = TemplateExporter._create_environment

    def _create_environment(self):
        env = original(self)
        env.bytecode_cache = cache
        return env

    TemplateExporter._create_environment = _create_environment


def _sqlite_pragmas() -> None:
    """sqlite gradebooks: WAL journal with ``synchronous=NORMAL`` (no fsync per commit).

    nbgrader commits many small transactions per learner; with the default settings each one waits
    for the disk. In WAL mode with ``synchronous=NORMAL`` the database stays consistent and a killed
    process (even SIGKILL) loses nothing; only a power cut can lose the last transactions, which the
    next run regrades (its result record is written after them).
    """
    try:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
    except ImportError:
        return

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, connection_record):  # noqa: ARG001
        import sqlite3

        if isinstance(dbapi_connection, sqlite3.Connection):
            cur = dbapi_connection.cursor()
            try:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error:
                pass
            finally:
                cur.close()


def _gradebook_engines() -> None:
    """One SQLAlchemy engine per gradebook and process, instead of one per ``Gradebook()``.

    nbgrader opens about ten ``Gradebook`` objects per learner; each made a new engine (an empty
    compiled-statement cache, so every query was compiled again) and re-checked all fourteen tables.
    The first one in a process does the full set-up; later ones reuse its engine. Closing still
    disposes the connection pool, as before. Keyed by process id: forked workers never share one.
    """
    import os

    try:
        from nbgrader import api
        from sqlalchemy.orm import scoped_session, sessionmaker
    except ImportError:
        return
    original = api.Gradebook.__init__
    engines: dict = {}

    def __init__(self, db_url, course_id="default_course", authenticator=None):
        key = (os.getpid(), db_url)
        engine = engines.get(key)
        if engine is None:
            original(self, db_url, course_id, authenticator)
            engines[key] = self.engine
            return
        self.engine = engine
        self.db = scoped_session(sessionmaker(autoflush=True, bind=engine, future=True))
        self.check_course(course_id=course_id)
        self.course_id = course_id
        self.authenticator = authenticator

    api.Gradebook.__init__ = __init__


def _metadata_validator() -> None:
    """nbgrader checks every cell's metadata with ``jsonschema.validate``, which re-checks the schema
    itself on every call (a third of a second per learner); validate with one compiled validator."""
    try:
        import jsonschema
        from nbgrader.nbgraderformat import common
    except ImportError:
        return
    validators: dict = {}

    class _Shim:
        ValidationError = jsonschema.ValidationError

        def __getattr__(self, name):
            return getattr(jsonschema, name)

        @staticmethod
        def validate(instance, schema, *args, **kwargs):
            if args or kwargs:
                return jsonschema.validate(instance, schema, *args, **kwargs)
            v = validators.get(id(schema))
            if v is None or v[0] is not schema:
                cls = jsonschema.validators.validator_for(schema)
                cls.check_schema(schema)
                v = validators[id(schema)] = (schema, cls(schema))
            error = jsonschema.exceptions.best_match(v[1].iter_errors(instance))
            if error is not None:
                raise error

    common.jsonschema = _Shim()


def _html_accessibility() -> None:
    """nbconvert's HTML export re-parses the whole page (half a megabyte: the theme's CSS is inlined)
    with BeautifulSoup, only to add ``alt`` to images and ``tabindex`` to cells: a fifth of the
    grader's own CPU per learner. The same attributes, added with two regular expressions."""
    import re

    try:
        from nbconvert.exporters import html as html_mod
        from nbconvert.exporters.templateexporter import TemplateExporter
    except ImportError:
        return

    img = re.compile(r"<img\b(?![^>]*\balt=)", re.IGNORECASE)
    focus = re.compile(
        r'<div\b(?![^>]*\btabindex=)(?=[^>]*\bclass="[^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b)'
    )
    alt_text = ' alt="No description has been provided for this image"'

    def from_notebook_node(self, nb, resources=None, **kw):
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get("highlight_code", html_mod.Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = html_mod.WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        output, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        output = img.sub(lambda m: m.group(0) + alt_text, output)
        output = focus.sub(lambda m: m.group(0) + ' tabindex="0"', output)
        return output, resources

    html_mod.HTMLExporter.from_notebook_node = from_notebook_node
