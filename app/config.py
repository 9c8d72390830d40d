"""Settings for Kravlotsen, read from the environment (and .env) by pydantic-settings."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(RuntimeError):
    """Raised when the configuration cannot be used (for example no SECRET_KEY in production)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    kravlotsen_env: Literal["development", "test", "production"] = Field(
        default="development", alias="KRAVLOTSEN_ENV"
    )
    database_url: str = Field(default="", alias="DATABASE_URL")
    secret_key: str = Field(default="", alias="SECRET_KEY")
    var_dir: Path = Field(default=PROJECT_ROOT / "var", alias="KRAVLOTSEN_VAR_DIR")
    wizard_steps_dir: Path = Field(default=PROJECT_ROOT / "wizard_steps")
    library_dir: Path = Field(default=PROJECT_ROOT / "requirement_library")
    templates_dir: Path = Field(default=PROJECT_ROOT / "templates")
    default_locale: Literal["sv", "en"] = "sv"
    session_max_age_seconds: int = Field(default=12 * 3600, alias="SESSION_MAX_AGE")
    # A login left unused this long ends, however long it may last.
    session_idle_seconds: int = Field(default=2 * 3600, alias="SESSION_IDLE")
    # Requests one process works on at once; more wait a little (ADMISSION_WAIT), then 503.
    max_requests_in_flight: int = Field(default=40, ge=1, alias="MAX_REQUESTS_IN_FLIGHT")
    # How long one more request may wait (holding no thread or connection) for one in flight
    # to end before it is answered 503; 0 refuses at once.
    admission_wait_seconds: float = Field(default=2, ge=0, alias="ADMISSION_WAIT")
    # Cookies are sent over HTTPS only in production unless explicitly turned off.
    secure_cookies: bool | None = Field(default=None, alias="SECURE_COOKIES")
    # PDFs rendered at once (direct downloads) and exports made at once (the local pool, or one
    # worker's jobs). Unset: on SQLite, where everything runs on one machine beside the web
    # processes, one core fewer than the machine has (at least one), and the PDF renderers of
    # every process on it share that many slots (see PdfRenderer); on PostgreSQL 2.
    pdf_workers: int = Field(default=0, ge=0, alias="PDF_WORKERS")
    # A tender document that takes longer or needs more to render is stopped.
    pdf_timeout_seconds: float = Field(default=120, gt=0, alias="PDF_TIMEOUT")
    pdf_memory_mb: int = Field(default=2048, ge=256, alias="PDF_MEMORY_MB")
    # Who makes kept exports: "local", export processes beside each web process (the default
    # on SQLite; they make its direct downloads too); "procrastinate", `worker` processes
    # taking jobs from PostgreSQL (the default there; the web processes only queue); "inline",
    # at once after the request's commit.
    export_queue: Literal["inline", "local", "procrastinate"] | None = Field(
        default=None, alias="EXPORT_QUEUE"
    )
    export_workers: int = Field(default=0, ge=0, alias="EXPORT_WORKERS")
    # An export job past either is stopped and marked failed; the worker takes the next.
    export_time_limit_seconds: float = Field(default=120, gt=0, alias="EXPORT_TIME_LIMIT")
    export_memory_mb: int = Field(default=2048, ge=256, alias="EXPORT_MEMORY_MB")
    # Notifications by email: off unless SMTP_HOST is set (the inbox has them anyway).
    smtp_host: str = Field(default="", alias="SMTP_HOST")
    smtp_port: int = Field(default=587, alias="SMTP_PORT")
    smtp_username: str = Field(default="", alias="SMTP_USERNAME")
    smtp_password: str = Field(default="", alias="SMTP_PASSWORD")
    smtp_starttls: bool = Field(default=True, alias="SMTP_STARTTLS")
    mail_from: str = Field(default="", alias="MAIL_FROM")
    # Database connections of one process: by default one for each request let in, and
    # none beyond (PostgreSQL's max_connections must hold every process's pool).
    db_pool_size: int | None = Field(default=None, ge=1, alias="DB_POOL_SIZE")
    db_max_overflow: int = Field(default=0, ge=0, alias="DB_MAX_OVERFLOW")
    # The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (comma-separated
    # addresses, or * behind a load balancer that is the only way in).
    forwarded_allow_ips: str = Field(default="127.0.0.1", alias="FORWARDED_ALLOW_IPS")
    # The address users reach Kravlotsen at, for the links in emails.
    public_url: str = Field(default="", alias="PUBLIC_URL")

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'kravlotsen.db'}"
        if self.export_queue is None:
            self.export_queue = "local" if self.is_sqlite else "procrastinate"
        spare_cores = max(1, (os.cpu_count() or 2) - 1)
        if not self.pdf_workers:
            self.pdf_workers = spare_cores if self.is_sqlite else 2
        if not self.export_workers:
            self.export_workers = spare_cores if self.is_sqlite else 2
        if self.secure_cookies is None:
            self.secure_cookies = self.kravlotsen_env == "production"
        return self

    @property
    def is_development(self) -> bool:
        return self.kravlotsen_env == "development"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def pdf_slot_files(self) -> Path | None:
        """Where the PDF renderers of one machine's processes share their slots: beside the
        SQLite database file (its processes are on one machine); none on PostgreSQL or an
        in-memory database."""
        if not self.database_url.startswith("sqlite:///"):
            return None
        path = self.database_url.split("sqlite:///", 1)[1].split("?", 1)[0]
        if not path or path == ":memory:":
            return None
        return Path(path)

    def resolved_secret_key(self) -> str:
        """The secret key; in development generated once and kept under var/."""
        if self.secret_key:
            if self.kravlotsen_env == "production" and len(self.secret_key) < 32:
                raise SettingsError("SECRET_KEY must be at least 32 characters in production.")
            return self.secret_key
        if self.kravlotsen_env == "production":
            raise SettingsError(
                "SECRET_KEY is not set. Kravlotsen refuses to start outside development "
                "without one: set SECRET_KEY to a long random value."
            )
        if self.kravlotsen_env == "test":
            return "test-secret-key-not-for-production-use-0000"
        key_file = self.var_dir / "secret_key"
        if key_file.exists():
            return key_file.read_text(encoding="utf-8").strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.write_text(key, encoding="utf-8")
        key_file.chmod(0o600)
        return key


def get_settings() -> Settings:
    return Settings()
