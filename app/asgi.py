"""ASGI entry point for servers that import an application object (uvicorn --reload, Docker)."""

from app.main import create_app

app = create_app()
