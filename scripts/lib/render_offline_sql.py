"""Render each revision of an Alembic project as offline PostgreSQL SQL, one file per revision.

Used by scripts/squawkCompare.mjs (`npm run lint:squawk`) to feed Squawk. The project's own env.py
imports its application (settings, models), so a neutral env.py (offline mode, PostgreSQL dialect,
no target metadata) stands in for it; the revision files are the project's, read where they are
(`version_locations`). Modules a revision imports that are not installed (the app's own, sqlmodel,
...) are replaced by empty stand-ins, the same way ../shared/realworld's expected_*.json were made.
A revision that cannot render offline (it reads the database through op.get_bind(), or needs a real
value from a stand-in) is reported with its error and skipped.

argv: <output folder> <versions folder>...   Prints one JSON line per revision on stdout.
"""

import importlib.abc
import importlib.machinery
import io
import json
import os
import sys
import tempfile
import types
from unittest import mock

ENV_PY = '''
from alembic import context
context.configure(url="postgresql://offline/render", literal_binds=True, dialect_opts={"paramstyle": "named"})
with context.begin_transaction():
    context.run_migrations()
'''


class _StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Any module that is not installed becomes a stand-in whose attributes are mocks."""

    def find_spec(self, fullname, path, target=None):
        # Optional accelerators and the libraries' own lazy imports must fail as they normally do.
        if fullname.split(".")[0] in ("sqlalchemy", "alembic", "mako", "cython", "greenlet") or fullname.startswith("_"):
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            try:
                if finder.find_spec(fullname, path, target) is not None:
                    return None
            except (ImportError, AttributeError, ValueError):
                continue
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        # Calling a stand-in returns None, so guards such as CKAN's
        # `if skip_based_on_legacy_engine_version(op, __name__): return` let the revision run.
        module.__getattr__ = lambda name: mock.MagicMock(name=f"{spec.name}.{name}", return_value=None)
        return module

    def exec_module(self, module):
        pass


def main():
    output_folder, *versions_folders = sys.argv[1:]
    # Revisions print progress of their own: only the records go to stdout.
    records = sys.stdout
    sys.stdout = sys.stderr
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    import sqlalchemy.dialects.postgresql  # noqa: F401 (loaded before stand-ins exist)

    import sqlalchemy

    # Alembic 1.8.1 here runs on SQLAlchemy 1.4; revisions written for 2.0 use its generic UUID type.
    for name in ("UUID", "Uuid"):
        if not hasattr(sqlalchemy, name):
            setattr(sqlalchemy, name, sqlalchemy.dialects.postgresql.UUID)
    sys.meta_path.append(_StandInFinder())
    # SQLModel's string type is a String (and the only stand-in a column type needs here).
    import sqlmodel.sql.sqltypes

    sqlmodel.sql.sqltypes.AutoString = sqlalchemy.String

    script_location = tempfile.mkdtemp(prefix="aw-squawk-env-")
    with open(os.path.join(script_location, "env.py"), "w") as env:
        env.write(ENV_PY)
    with open(os.path.join(script_location, "script.py.mako"), "w") as mako:
        mako.write("")
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("version_locations", " ".join(versions_folders))
    config.set_main_option("version_path_separator", "space")
    script = ScriptDirectory.from_config(config)
    os.makedirs(output_folder, exist_ok=True)
    for revision in script.walk_revisions():
        down = revision.down_revision
        # A merge or a root: render from its first parent (or base); only this revision's own SQL counts.
        start = "base" if down is None else (down if isinstance(down, str) else down[0])
        buffer = io.StringIO()
        config.output_buffer = buffer
        record = {"revision": revision.revision, "path": revision.path}
        try:
            command.upgrade(config, f"{start}:{revision.revision}", sql=True)
            sql_file = os.path.join(output_folder, f"{revision.revision}.sql")
            # Only this revision's statements: not alembic_version's creation, not a merge's other parents.
            text = buffer.getvalue()
            marker = text.rfind(f"-> {revision.revision}\n")
            start_of_chunk = text.rfind("\n", 0, marker) + 1 if marker >= 0 else 0
            # The chunk ends with the run's COMMIT: keep its BEGIN too, so the SQL stays one transaction.
            opening = "BEGIN;\n\n" if text.lstrip().startswith("BEGIN;") and start_of_chunk > 0 else ""
            with open(sql_file, "w") as out:
                out.write(opening + text[start_of_chunk:])
            record["sql"] = sql_file
        except BaseException as error:  # a revision's own code may raise anything, even SystemExit
            record["error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}"
        print(json.dumps(record), file=records, flush=True)


if __name__ == "__main__":
    main()
