"""The declarative base every app/modules/*/models.py builds on (SQLAlchemy 1.4)."""
from sqlalchemy.orm import declarative_base

Base = declarative_base()
