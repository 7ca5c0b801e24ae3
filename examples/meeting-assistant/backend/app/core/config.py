import os


class Settings:
    """Settings from the environment (docker-compose.yml sets DATABASE_URL for the backend)."""

    DATABASE_URL: str = os.environ.get(
        "DATABASE_URL", "postgresql+psycopg2://meeting:meeting@localhost:5432/meeting_assistant"
    )


settings = Settings()
