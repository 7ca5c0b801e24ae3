"""Links between users and their identities at external providers (Google, Slack, ...)."""
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.sql import func

from app.db.base import Base


class UserMapping(Base):
    __tablename__ = "user_mappings"
    __table_args__ = (
        UniqueConstraint("provider", "external_id", name="uq_user_mappings_provider_external_id"),
    )

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    provider = Column(String(50), nullable=False)
    external_id = Column(String(100), nullable=False)
    display_name = Column(String(100), nullable=True)
    created_at = Column(DateTime(timezone=True), server_default=func.current_timestamp())
