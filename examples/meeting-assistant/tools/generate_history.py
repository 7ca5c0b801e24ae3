#!/usr/bin/python3
"""Regenerate backend/alembic/versions/ of the Meeting Assistant example with the real Alembic.

The history is what a team would get by evolving the models and running
`alembic revision --autogenerate` against PostgreSQL after each change. This script replays that:
it works in a temporary copy of backend/, writes the models of each step, runs the real Alembic
against a scratch PostgreSQL database (created here and dropped at the end), applies the few hand
edits a developer would make (each one is marked HAND EDIT below and must match exactly), and then
replaces backend/alembic/versions/*.py and backend/app/modules/*/models.py with the result.

Revision ids are fixed (`--rev-id`) so other suites can name them; file names and `Create Date`
come from the clock of the run and are recorded in tools/generation.log.

Usage (Debian: Alembic 1.8.1, SQLAlchemy 1.4, psycopg2 from apt; PostgreSQL on 127.0.0.1):
    /usr/bin/python3 tools/generate_history.py [--admin-url postgresql://user:pw@host:port/postgres]
The admin URL defaults to the test role (AW_TEST_PG_* variables, else aw_test/aw_test@127.0.0.1:5432);
the role needs CREATEDB.
"""
import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2

EXAMPLE_ROOT = Path(__file__).resolve().parents[1]
BACKEND = EXAMPLE_ROOT / "backend"
MODULES = ("users", "meetings", "transcripts", "tags", "user_mappings")

# ---------------------------------------------------------------------------------------------
# Model states. A state is a set of feature names; each step of the history adds some.
# ---------------------------------------------------------------------------------------------

HEADER = '"""{doc}"""\n{imports}\n\nfrom app.db.base import Base\n'


def _imports(names, extra=""):
    line = "from sqlalchemy import " + ", ".join(sorted(set(names)))
    return line + ("\n" + extra if extra else "")


def render_users(state):
    cols = [
        "    id = Column(Integer, primary_key=True)",
        "    email = Column(String(255), nullable=False)",
        "    full_name = Column(String(100))",
        "    created_at = Column(DateTime(timezone=True), nullable=False, server_default=func.current_timestamp())",
    ]
    return (
        HEADER.format(
            doc="People who own meetings and sign in through external providers.",
            imports=_imports(["Column", "DateTime", "Integer", "String"], "from sqlalchemy.sql import func"),
        )
        + '\n\nclass User(Base):\n    __tablename__ = "users"\n\n'
        + "\n".join(cols)
        + "\n"
    )


def render_meetings(state):
    names = ["Column", "DateTime", "ForeignKey", "Integer", "String"]
    title_nullable = "nullable=False" if "title_not_null" in state else "nullable=True"
    cols = ["    id = Column(Integer, primary_key=True)", f"    title = Column(String(200), {title_nullable})"]
    if "description" in state:
        cols.append("    description = Column(String(500))")
    if "bigint_duration" in state:
        names.append("BigInteger")
        cols.append("    duration_seconds = Column(BigInteger)")
    else:
        cols.append("    duration_seconds = Column(Integer)")
    cols.append('    status = Column(String(50), default="scheduled")')
    if "location" in state:
        cols.append("    location = Column(String(255), nullable=True)")
    cols.append('    owner_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)')
    index = ", index=True" if "created_at_index" in state else ""
    cols.append(f"    created_at = Column(DateTime(timezone=True), server_default=func.current_timestamp(){index})")
    return (
        HEADER.format(
            doc="Meetings: what the assistant records and transcribes.",
            imports=_imports(names, "from sqlalchemy.sql import func"),
        )
        + '\n\nclass Meeting(Base):\n    __tablename__ = "meetings"\n\n'
        + "\n".join(cols)
        + "\n"
    )


def render_transcripts(state):
    if "transcripts" not in state:
        return '"""Transcripts of meetings (no tables yet)."""\n'
    names = ["Column", "DateTime", "ForeignKey", "Integer", "String"]
    cols = [
        "    id = Column(Integer, primary_key=True)",
        '    meeting_id = Column(Integer, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False)',
    ]
    if "transcript_types" in state:
        names.append("Text")
        cols += ["    content = Column(Text)", "    language = Column(String(20))"]
    else:
        cols += ["    content = Column(String(1000))", "    language = Column(String(50))"]
    cols.append("    created_at = Column(DateTime(timezone=True), server_default=func.current_timestamp())")
    return (
        HEADER.format(
            doc="Transcripts of meetings, one per language.",
            imports=_imports(names, "from sqlalchemy.sql import func"),
        )
        + '\n\nclass Transcript(Base):\n    __tablename__ = "transcripts"\n\n'
        + "\n".join(cols)
        + "\n"
    )


def render_tags(state):
    if "tags" not in state:
        return '"""Tags on meetings (no tables yet)."""\n'
    tag_cols = [
        "    id = Column(Integer, primary_key=True)",
        "    name = Column(String(50), nullable=False, unique=True)",
    ]
    if "tag_color" in state:
        tag_cols.append("    color = Column(String(7), nullable=True)")
    tag_cols.append("    created_at = Column(DateTime(timezone=True), server_default=func.current_timestamp())")
    link_cols = [
        '    meeting_id = Column(Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)',
        '    tag_id = Column(Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)',
    ]
    return (
        HEADER.format(
            doc="Tags that users put on meetings.",
            imports=_imports(
                ["Column", "DateTime", "ForeignKey", "Integer", "String"], "from sqlalchemy.sql import func"
            ),
        )
        + '\n\nclass Tag(Base):\n    __tablename__ = "tags"\n\n'
        + "\n".join(tag_cols)
        + '\n\n\nclass MeetingTag(Base):\n    __tablename__ = "meeting_tags"\n\n'
        + "\n".join(link_cols)
        + "\n"
    )


def render_user_mappings(state):
    if "user_mappings" not in state:
        return '"""Links between users and their identities at external providers (no tables yet)."""\n'
    cols = [
        "    id = Column(Integer, primary_key=True)",
        '    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)',
        "    provider = Column(String(50), nullable=False)",
        "    external_id = Column(String(100), nullable=False)",
    ]
    if "mapping_display_name" in state:
        cols.append("    display_name = Column(String(100), nullable=True)")
    cols.append("    created_at = Column(DateTime(timezone=True), server_default=func.current_timestamp())")
    return (
        HEADER.format(
            doc="Links between users and their identities at external providers (Google, Slack, ...).",
            imports=_imports(
                ["Column", "DateTime", "ForeignKey", "Integer", "String", "UniqueConstraint"],
                "from sqlalchemy.sql import func",
            ),
        )
        + '\n\nclass UserMapping(Base):\n    __tablename__ = "user_mappings"\n'
        + "    __table_args__ = (\n"
        + '        UniqueConstraint("provider", "external_id", name="uq_user_mappings_provider_external_id"),\n'
        + "    )\n\n"
        + "\n".join(cols)
        + "\n"
    )


RENDERERS = {
    "users": render_users,
    "meetings": render_meetings,
    "transcripts": render_transcripts,
    "tags": render_tags,
    "user_mappings": render_user_mappings,
}


def write_models(backend: Path, state) -> None:
    for module in MODULES:
        folder = backend / "app" / "modules" / module
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").touch()
        (folder / "models.py").write_text(RENDERERS[module](state))


# ---------------------------------------------------------------------------------------------
# Hand edits: exact replacements that must each match once, so a change in Alembic's output is
# noticed instead of silently skipped.
# ---------------------------------------------------------------------------------------------


def replace_once(text: str, old: str, new: str, what: str) -> str:
    count = text.count(old)
    if count != 1:
        raise SystemExit(f"hand edit '{what}': expected the text once, found it {count} times:\n{old}")
    return text.replace(old, new)


def edit_concurrent_index(text: str) -> str:
    # HAND EDIT (safe form): build the index without locking writes to `meetings`. CREATE INDEX
    # CONCURRENTLY cannot run in a transaction, hence the autocommit block.
    text = replace_once(
        text,
        "    # ### commands auto generated by Alembic - please adjust! ###\n"
        "    op.create_index(op.f('ix_meetings_created_at'), 'meetings', ['created_at'], unique=False)\n"
        "    # ### end Alembic commands ###\n",
        "    # CREATE INDEX CONCURRENTLY does not block writes to meetings, but PostgreSQL refuses to\n"
        "    # run it inside a transaction: run it in an autocommit block.\n"
        "    with op.get_context().autocommit_block():\n"
        "        op.create_index(\n"
        "            op.f('ix_meetings_created_at'),\n"
        "            'meetings',\n"
        "            ['created_at'],\n"
        "            unique=False,\n"
        "            postgresql_concurrently=True,\n"
        "        )\n",
        "concurrent index (upgrade)",
    )
    return replace_once(
        text,
        "    # ### commands auto generated by Alembic - please adjust! ###\n"
        "    op.drop_index(op.f('ix_meetings_created_at'), table_name='meetings')\n"
        "    # ### end Alembic commands ###\n",
        "    with op.get_context().autocommit_block():\n"
        "        op.drop_index(\n"
        "            op.f('ix_meetings_created_at'), table_name='meetings', postgresql_concurrently=True\n"
        "        )\n",
        "concurrent index (downgrade)",
    )


def edit_empty_downgrade(text: str) -> str:
    # HAND EDIT (risky on purpose): the developer "didn't need" a downgrade and left it empty.
    # `downgrade -1` then reports success but leaves user_mappings.display_name in place, and the
    # next `upgrade` fails with DuplicateColumn ("already exists").
    return replace_once(
        text,
        "def downgrade() -> None:\n"
        "    # ### commands auto generated by Alembic - please adjust! ###\n"
        "    op.drop_column('user_mappings', 'display_name')\n"
        "    # ### end Alembic commands ###\n",
        "def downgrade() -> None:\n    pass\n",
        "empty downgrade",
    )


# ---------------------------------------------------------------------------------------------
# The history.
# ---------------------------------------------------------------------------------------------


@dataclass
class Step:
    rev_id: str
    message: str
    adds: List[str] = field(default_factory=list)
    head: Optional[str] = None  # --head (None: the only head)
    splice: bool = False
    branch_label: Optional[str] = None
    render_as_batch: bool = False  # needed where SQLite has no ALTER for the operation
    autogenerate: bool = True
    merge_of: List[str] = field(default_factory=list)  # `alembic merge` of these revisions
    hand_edit: Optional[Callable[[str], str]] = None
    expect: List[str] = field(default_factory=list)  # text the generated file must contain


BRANCH_POINT = "e91f4c6b0a38"

STEPS = [
    Step("4b1d3f0a9c21", "create users and meetings tables", ["description"], expect=["op.create_table('users'"]),
    Step("8e7c2a6d5f10", "create transcripts table", ["transcripts"], expect=["op.create_table('transcripts'"]),
    Step("c3a9e1b27d44", "add meeting location", ["location"], expect=["op.add_column('meetings'"]),
    Step(
        "17f05d8e3b92",
        "index meetings created_at",
        ["created_at_index"],
        hand_edit=edit_concurrent_index,
        expect=["postgresql_concurrently=True", "autocommit_block()"],
    ),
    Step(
        "a64b9c0e2f57",
        "change transcript and duration column types",
        ["transcript_types", "bigint_duration"],
        render_as_batch=True,
        expect=["type_=sa.BigInteger()", "type_=sa.Text()", "type_=sa.String(length=20)"],
    ),
    Step(
        "5d2e8f1a7c03",
        "make meeting title not null",
        ["title_not_null"],
        render_as_batch=True,
        expect=["nullable=False)"],
    ),
    # BRANCH_POINT: both branches below start here.
    Step(BRANCH_POINT, "drop meeting description", ["-description"], expect=["op.drop_column('meetings', 'description')"]),
    Step(
        "2c8d7e9f1b60",
        "create tags tables",
        ["tags"],
        branch_label="tags",
        expect=["op.create_table('tags'", "op.create_table('meeting_tags'", "branch_labels = ('tags',)"],
    ),
    Step("9f3b6a2d4e15", "add tag color", ["tag_color"], expect=["op.add_column('tags'"]),
    Step(
        "6a0e5b3c8d29",
        "create user mappings table",
        ["user_mappings"],
        head=BRANCH_POINT,
        splice=True,
        expect=["op.create_table('user_mappings'", f"down_revision = '{BRANCH_POINT}'"],
    ),
    Step(
        "d7c1f8e4a2b6",
        "add user mapping display name",
        ["mapping_display_name"],
        head="6a0e5b3c8d29",
        hand_edit=edit_empty_downgrade,
        expect=["op.add_column('user_mappings'"],
    ),
    Step(
        "b5e2a7d9c3f8",
        "merge tags and user mappings branches",
        merge_of=["9f3b6a2d4e15", "d7c1f8e4a2b6"],
        autogenerate=False,
        expect=["down_revision = ('9f3b6a2d4e15', 'd7c1f8e4a2b6')"],
    ),
]
FINAL_HEAD = STEPS[-1].rev_id


def step_args(step: Step) -> List[str]:
    x_args = ["-x", "render_as_batch=true"] if step.render_as_batch else []
    if step.merge_of:
        # Named revisions rather than "heads": the order of down_revision then follows the
        # command line instead of Alembic's internal head order.
        return x_args + ["merge", "-m", step.message, "--rev-id", step.rev_id, *step.merge_of]
    args = x_args + ["revision", "-m", step.message, "--rev-id", step.rev_id]
    if step.autogenerate:
        args.append("--autogenerate")
    if step.head:
        args += ["--head", step.head]
    if step.splice:
        args.append("--splice")
    if step.branch_label:
        args += ["--branch-label", step.branch_label]
    return args


# ---------------------------------------------------------------------------------------------
# Running Alembic and the scratch database.
# ---------------------------------------------------------------------------------------------


class Runner:
    def __init__(self, alembic: str, cwd: Path, database_url: str, log: List[str]):
        self.alembic = alembic
        self.cwd = cwd
        self.env = {**os.environ, "DATABASE_URL": database_url, "PYTHONDONTWRITEBYTECODE": "1"}
        self.log = log

    def run(self, args: List[str]) -> str:
        result = subprocess.run(
            [self.alembic, *args], cwd=self.cwd, env=self.env, capture_output=True, text=True, check=False
        )
        self.log.append(f"exit={result.returncode}\t$ alembic {' '.join(quote_arg(a) for a in args)}")
        if result.returncode != 0:
            raise SystemExit(
                f"alembic {' '.join(args)} failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout


def quote_arg(arg: str) -> str:
    return arg if re.fullmatch(r"[\w@%+=:,./-]+", arg) else "'" + arg.replace("'", "'\\''") + "'"


def default_admin_url() -> str:
    user = os.environ.get("AW_TEST_PG_USER", "aw_test")
    password = os.environ.get("AW_TEST_PG_PASSWORD", "aw_test")
    host = os.environ.get("AW_TEST_PG_HOST", "127.0.0.1")
    port = os.environ.get("AW_TEST_PG_PORT", "5432")
    return f"postgresql://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{port}/postgres"


def with_database(url: str, name: str, driver: str = "postgresql") -> str:
    parts = urlsplit(url)
    return urlunsplit((driver, parts.netloc, "/" + name, "", ""))


def admin_execute(admin_url: str, sql: str) -> None:
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def copy_backend(target: Path) -> None:
    shutil.copy2(BACKEND / "alembic.ini", target / "alembic.ini")
    (target / "alembic" / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy2(BACKEND / "alembic" / name, target / "alembic" / name)
    shutil.copytree(BACKEND / "app", target / "app", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def generated_file(versions: Path, rev_id: str) -> Path:
    matches = list(versions.glob(f"*-{rev_id}_*.py"))
    if len(matches) != 1:
        raise SystemExit(f"expected one file for revision {rev_id}, found {matches}")
    return matches[0]


def generate(alembic: str, admin_url: str, keep: bool) -> None:
    database = f"aw_example_history_{os.getpid()}"
    admin_execute(admin_url, f'CREATE DATABASE "{database}"')
    work = Path(tempfile.mkdtemp(prefix="meeting-assistant-history-"))
    log: List[str] = [
        f"# generated {datetime.datetime.now().isoformat(timespec='seconds')} by tools/generate_history.py",
        f"# {subprocess.run([alembic, '--version'], capture_output=True, text=True).stdout.strip()}",
    ]
    try:
        backend = work / "backend"
        backend.mkdir()
        copy_backend(backend)
        versions = backend / "alembic" / "versions"
        runner = Runner(alembic, backend, with_database(admin_url, database, "postgresql+psycopg2"), log)

        state = set()
        for step in STEPS:
            for feature in step.adds:
                if feature.startswith("-"):
                    state.discard(feature[1:])
                else:
                    state.add(feature)
            write_models(backend, state)
            runner.run(step_args(step))
            path = generated_file(versions, step.rev_id)
            text = path.read_text()
            if step.hand_edit:
                text = step.hand_edit(text)
                path.write_text(text)
                log.append(f"# hand edit: {step.hand_edit.__name__} on {path.name}")
            for expected in step.expect:
                if expected not in text:
                    raise SystemExit(f"{path.name}: expected {expected!r} in the generated file:\n{text}")
            runner.run(["upgrade", "heads"])

        heads = runner.run(["heads"]).split()
        if heads[0] != FINAL_HEAD or len([h for h in heads if re.fullmatch(r"[0-9a-f]{12}", h)]) != 1:
            raise SystemExit(f"unexpected heads: {heads}")
        # The models now match the head: a further autogenerate must find nothing to do.
        runner.run(["revision", "--autogenerate", "-m", "drift check", "--rev-id", "000000000000"])
        drift = generated_file(versions, "000000000000")
        if "op." in drift.read_text().split("def upgrade()")[1]:
            raise SystemExit(f"models and history disagree:\n{drift.read_text()}")
        drift.unlink()
        log.pop()
        runner.run(["downgrade", "base"])
        runner.run(["upgrade", "head"])

        for old in (BACKEND / "alembic" / "versions").glob("*.py"):
            old.unlink()
        for new in sorted(versions.glob("*.py")):
            shutil.copy2(new, BACKEND / "alembic" / "versions" / new.name)
            log.append(f"# wrote {new.name}")
        write_models(BACKEND, state)
        (EXAMPLE_ROOT / "tools" / "generation.log").write_text("\n".join(log) + "\n")
        print("\n".join(log))
    finally:
        admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=default_admin_url(), help="PostgreSQL URL of a role with CREATEDB")
    parser.add_argument("--alembic", default="/usr/bin/alembic", help="the alembic executable")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    args = parser.parse_args()
    generate(args.alembic, args.admin_url, args.keep)


if __name__ == "__main__":
    sys.exit(main())
