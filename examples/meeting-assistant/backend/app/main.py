"""Meeting Assistant API.

The schema is owned by Alembic (`alembic upgrade head`), not by `Base.metadata.create_all()`:
the app only checks at startup that the database is at the migration head.
"""
from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db.session import get_session
from app.modules.meetings.models import Meeting

app = FastAPI(title="Meeting Assistant")


@app.get("/health")
def health(session: Session = Depends(get_session)) -> dict:
    version = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return {"status": "ok", "migrations": version}


@app.get("/meetings")
def list_meetings(session: Session = Depends(get_session)) -> list:
    meetings = session.execute(select(Meeting).order_by(Meeting.created_at.desc())).scalars()
    return [{"id": m.id, "title": m.title, "location": m.location} for m in meetings]


@app.get("/meetings/{meeting_id}")
def get_meeting(meeting_id: int, session: Session = Depends(get_session)) -> dict:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise HTTPException(status_code=404, detail="Meeting not found")
    return {"id": meeting.id, "title": meeting.title, "location": meeting.location}
