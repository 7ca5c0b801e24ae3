"""Feature modules. Each `app/modules/<name>/models.py` declares that module's tables."""
import importlib
import pkgutil


def load_all_models() -> None:
    """Import every module's models so their tables are registered on Base.metadata.

    Alembic's env.py calls this before autogenerate; a new module is picked up without editing
    env.py.
    """
    for module in pkgutil.iter_modules(__path__):
        if module.ispkg:
            try:
                importlib.import_module(f"{__name__}.{module.name}.models")
            except ModuleNotFoundError as error:
                if error.name != f"{__name__}.{module.name}.models":
                    raise
