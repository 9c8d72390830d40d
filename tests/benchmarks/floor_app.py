"""The floor of the load benchmark: a bare FastAPI + Jinja2 app doing one SQLite read per page,
served by the same uvicorn as Kravlotsen. No app on this stack can serve pages faster; the
benchmark states Kravlotsen's ceiling as a share of this one."""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from sqlalchemy import create_engine, text

PAGE = Environment(autoescape=True).from_string(
    "<!doctype html><html lang=sv><head><title>{{ title }}</title></head>"
    "<body><main><h1>{{ title }}</h1><p>{{ body }}</p></main></body></html>"
)


def create_floor_app() -> FastAPI:
    engine = create_engine(os.environ["FLOOR_DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(
            text("CREATE TABLE IF NOT EXISTS page (id INTEGER PRIMARY KEY, body TEXT)")
        )
        connection.execute(text("INSERT OR IGNORE INTO page VALUES (1, 'En sida ur databasen.')"))
    app = FastAPI()

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/page/{page_id}", response_class=HTMLResponse)
    def page(page_id: int) -> str:
        with engine.connect() as connection:
            body = connection.execute(text("SELECT body FROM page WHERE id = 1")).scalar_one()
        return PAGE.render(title=f"Sida {page_id}", body=body)

    return app
