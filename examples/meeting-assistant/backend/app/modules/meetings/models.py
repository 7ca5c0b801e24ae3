"""Meetings: what the assistant records and transcribes."""
from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.sql import func

from app.db.base import Base


class Meeting(Base):
    __tablename__ = "meetings"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    duration_seconds = Column(BigInteger)
    status = Column(String(50), default="scheduled")
    location = Column(String(255), nullable=True)
    owner_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime(timezone=True), server_default=func.current_timestamp(), index=True)
