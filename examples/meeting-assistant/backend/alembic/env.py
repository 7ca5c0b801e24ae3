"""Alembic environment of the Meeting Assistant backend.

- The database URL comes from the DATABASE_URL environment variable (docker-compose.yml sets it
  for the backend service); alembic.ini's sqlalchemy.url is only the fallback.
- Autogenerate compares column types (compare_type=True; Alembic 1.8 leaves it off by default,
  which silently turns a type change into an empty migration).
- SQLite works too: there ALTER TABLE is mostly unsupported, so operations are rendered and run in
  batch mode ("move and copy"). `-x render_as_batch=true` asks for batch rendering on PostgreSQL,
  for a migration that must also run on SQLite.
- Offline mode (`alembic upgrade a:b --sql`) prints the SQL instead of running it.
- On PostgreSQL every migration runs with a lock_timeout: an ALTER that cannot get its lock gives up
  after 10 s instead of queueing every query on the table behind it (run it again later).
"""
import os
import sys
from logging.config import fileConfig
from pathlib import Path

from sqlalchemy import engine_from_config, pool

from alembic import context

# Make `app` importable wherever alembic is started from.
BACKEND_DIR = Path(__file__).resolve().parents[1]
if str(BACKEND_DIR) not in sys.path:
    sys.path.insert(0, str(BACKEND_DIR))

from app.db.base import Base  # noqa: E402
from app.modules import load_all_models  # noqa: E402

# Autogenerate only sees tables whose model modules have been imported.
load_all_models()

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

database_url = os.environ.get("DATABASE_URL")
if database_url:
    # The ini parser interpolates "%": a URL-encoded password (e.g. %40) must be escaped.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))

target_metadata = Base.metadata

_x_args = context.get_x_argument(as_dictionary=True)


def _x_flag(name: str) -> bool:
    return _x_args.get(name, "").lower() in ("1", "true", "yes", "on")


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("No database URL: set DATABASE_URL or sqlalchemy.url in alembic.ini")
    return url


def _options(url: str) -> dict:
    is_sqlite = url.startswith("sqlite")
    return dict(
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=is_sqlite or _x_flag("render_as_batch"),
        # One transaction per revision: a revision that uses autocommit_block() (e.g. CREATE INDEX
        # CONCURRENTLY) then commits only its own work, never half of the next revision.
        transaction_per_migration=True,
    )


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **_options(url),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _url()
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
        # libpq options: PostgreSQL only (SQLite's driver takes no such argument).
        connect_args={"options": "-c lock_timeout=10s"} if url.startswith("postgresql") else {},
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, **_options(url))
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
