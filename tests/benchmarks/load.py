"""Kravlotsen under load, as its users would meet it: a real uvicorn server in its own process,
people logged in before the measured window, each working in a draft of their own and pausing
1-3 s between actions (open a step, autosave an answer, open Krav). Measured:

- paced load of USERS people on SQLite: p50, p95, errors, and lost answers (each person's last
  autosaved value read back from the database afterwards);
- the ceiling without pauses, beside a floor app (FastAPI + Jinja2, one SQLite read per page)
  served the same way (the same uvicorn, as many workers): the share of the floor Kravlotsen
  reaches;
- the paced load again while two PDF exports run all the time;
- the paced load on PostgreSQL with two uvicorn workers.

The load generator is asyncio + httpx in this process; the servers are other processes, so
they do not share its interpreter. KRAVLOTSEN_BENCH_SECONDS shortens every window, and
KRAVLOTSEN_BENCH_LOAD runs only the parts it names, comma-separated, of floor, paced, ceiling,
export and pg (all of them by default): `KRAVLOTSEN_BENCH_LOAD=paced,ceiling
KRAVLOTSEN_BENCH_SECONDS=20 python -m tests.benchmarks.load` answers in about a minute.
KRAVLOTSEN_BENCH_WORKERS sets the uvicorn workers on SQLite (the floor's and Kravlotsen's alike;
by default one per core, as `serve --workers` is meant to be used)."""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlmodel import Session, select

from app.accounts import SESSION_COOKIE, start_session
from app.config import PROJECT_ROOT
from app.content import Content
from app.csrf import csrf_token_for
from app.db import make_engine
from app.drafts.groups import NeedStore
from app.drafts.store import create_draft, save_answer
from app.drafts.suggestions import sync_suggestions
from app.models import Answer, Membership, Organisation, Role, User

USERS = int(os.environ.get("KRAVLOTSEN_BENCH_USERS", "200"))
SECONDS = float(os.environ.get("KRAVLOTSEN_BENCH_SECONDS", "60"))
CEILING_SECONDS = min(SECONDS, 15.0)
# Fewer than the requests one process lets in at once (MAX_REQUESTS_IN_FLIGHT, 40).
CEILING_CLIENTS = 32
SECRET = "bench-secret-key-0123456789-0123456789-abcdef"
STEPS = ("basics", "situation", "needs", "effect_goals", "area_questions", "evaluation")
SQLITE_WORKERS = int(os.environ.get("KRAVLOTSEN_BENCH_WORKERS", str(os.cpu_count() or 1)))
PARTS = frozenset(
    part.strip()
    for part in os.environ.get("KRAVLOTSEN_BENCH_LOAD", "floor,paced,ceiling,export,pg").split(",")
)
T = TypeVar("T")
PG_URL = os.environ.get(
    "KRAVLOTSEN_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/kl_bench"
)


def drive(work: Coroutine[Any, Any, T]) -> T:
    """Run the load generator on uvloop when it is there, as the server runs: the generator
    shares the machine's cores with the server, and asyncio's own loop costs it more CPU."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
        return asyncio.run(work)
    return uvloop.run(work)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(
    app: str, env: dict[str, str], *, workers: int = 1, factory: bool = False
) -> Iterator[Any]:
    """uvicorn serving `app` in processes of its own, until the block ends: as `serve
    --workers` serves, each process with a listening socket of its own (app.server)."""
    port = _free_port()
    command = [sys.executable, "-m", "app.server", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--log-level", "warning", "--workers", str(workers), "--no-access-log"]
    if factory:
        command.append("--factory")
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=PROJECT_ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(f"{app} did not start")
    try:
        yield type("Served", (), {"url": url, "pid": process.pid})
    finally:
        process.terminate()
        process.wait(timeout=30)


def _tree(pid: int) -> list[int]:
    """The process and every process under it, alive now."""
    parents: dict[int, int] = {}
    for path in Path("/proc").glob("[0-9]*"):
        try:
            stat = (path / "stat").read_text()
        except OSError:
            continue
        parents[int(path.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found = [pid]
    for process in parents:
        ancestor, seen = parents.get(process, 0), set()
        while ancestor and ancestor not in seen:
            if ancestor == pid:
                found.append(process)
                break
            seen.add(ancestor)
            ancestor = parents.get(ancestor, 0)
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) the server and its workers have used so far: what a request
    costs whatever else the machine runs, where a latency measures the machine as well."""
    total = 0
    for process in _tree(pid):
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """The highest resident memory of the process and every process under it (workers, the
    PDF renderers' fork server and the renderers alive now), summed."""
    total = 0
    for process in _tree(pid):
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        total += int(fields.get("VmHWM", "0 kB").split()[0])
    return round(total / 1024, 1)


@dataclass
class Person:
    email: str
    cookie: str
    csrf: str
    draft_id: int
    saved: str | None = None


def seed(url: str, content: Content, users: int) -> list[Person]:
    """An organisation with `users` officers, each with a filled draft and a login."""
    engine = make_engine(url)
    people = []
    with Session(engine, expire_on_commit=False) as session:
        organisation = Organisation(name="Lastkommunen")
        session.add(organisation)
        session.flush()
        for number in range(users):
            user = User(email=f"person{number}@last.se", name=f"Person {number}", password_hash="-")
            session.add(user)
            session.flush()
            session.add(
                Membership(
                    user_id=user.id or 0, organisation_id=organisation.id or 0, role=Role.editor
                )
            )
            draft = create_draft(session, organisation, user, f"Upphandling {number}")
            for question, value in {
                "object_type": "tjanst",
                "area": "it",
                "estimated_value": 2_000_000,
                "current_situation": "Ansökningar kommer in på papper.",
                "problem": "Handläggarna kompletterar ansökningar för hand.",
            }.items():
                save_answer(session, draft, user, question, value)
            NeedStore(session, draft, user).add(
                who="Sökande", what="Kunna ansöka från mobilen", why="Kvällar", kinds=["access"]
            )
            sync_suggestions(session, draft, content.library, user)
            token = start_session(session, user, 24 * 3600)[0]
            people.append(
                Person(user.email, token, csrf_token_for(SECRET, token, None), draft.id or 0)
            )
            if number % 50 == 49:
                session.commit()
        session.commit()
    engine.dispose()
    return people


def lost_answers(url: str, people: list[Person]) -> int:
    """Autosaved values that the database does not hold afterwards."""
    engine = make_engine(url)
    with Session(engine) as session:
        stored = {
            row.draft_id: row.value
            for row in session.exec(select(Answer).where(Answer.question_id == "problem")).all()
        }
    engine.dispose()
    return sum(
        1
        for person in people
        if person.saved is not None and stored.get(person.draft_id) != person.saved
    )


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    requests: int = 0
    # what the errors were: a status code, or the kind of failure
    causes: dict[str, int] = field(default_factory=dict)

    def figures(self, prefix: str) -> dict[str, float]:
        ordered = sorted(self.latencies) or [0.0]
        return {
            f"{prefix}_p50_ms": round(statistics.median(ordered), 1),
            f"{prefix}_p95_ms": round(
                ordered[int(len(ordered) * 0.95) - 1 if len(ordered) > 1 else 0], 1
            ),
            f"{prefix}_requests": self.requests,
            f"{prefix}_errors": self.errors,
        }


async def _act(client: httpx.AsyncClient, person: Person, run: Run, counter: list[int]) -> None:
    roll = random.random()
    started = time.perf_counter()
    cause = ""
    try:
        if roll < 0.5:
            step = random.choice(STEPS)
            response = await client.get(f"/drafts/{person.draft_id}/steps/{step}")
            ok = response.status_code == 200
        elif roll < 0.85:
            counter[0] += 1
            value = f"Handläggarna kompletterar ansökningar, mätning {counter[0]}."
            response = await client.post(
                f"/drafts/{person.draft_id}/answers/problem",
                data={"problem": value},
                headers={"X-CSRF-Token": person.csrf, "HX-Request": "true"},
            )
            ok = response.status_code == 200
            if ok:
                person.saved = value
        else:
            response = await client.get(f"/drafts/{person.draft_id}/requirements")
            ok = response.status_code == 200
        cause = str(response.status_code)
    except httpx.HTTPError as error:
        ok, cause = False, type(error).__name__
    run.latencies.append((time.perf_counter() - started) * 1000)
    run.requests += 1
    if not ok:
        run.errors += 1
        run.causes[cause] = run.causes.get(cause, 0) + 1


async def warm(url: str, people: list[Person]) -> None:
    """Before the window: everyone has opened their draft once, as after logging in."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for start in range(0, len(people), 20):
            await asyncio.gather(
                *(
                    client.get(
                        f"/drafts/{person.draft_id}", cookies={SESSION_COOKIE: person.cookie}
                    )
                    for person in people[start : start + 20]
                )
            )


async def paced(url: str, people: list[Person], seconds: float) -> Run:
    """Every person works for `seconds`, pausing 1-3 s between actions."""
    run = Run()
    counter = [0]
    limits = httpx.Limits(
        max_connections=len(people) + 10, max_keepalive_connections=len(people) + 10
    )
    # Every client is made before the window: making 200 of them blocks the loop for about a
    # second, and the people would then all start at once, a burst no office produces.
    clients = [
        httpx.AsyncClient(
            base_url=url, cookies={SESSION_COOKIE: person.cookie}, timeout=30, limits=limits
        )
        for person in people
    ]
    deadline = time.monotonic() + seconds

    async def person_works(person: Person, client: httpx.AsyncClient) -> None:
        async with client:
            await asyncio.sleep(random.uniform(0, 3))
            while time.monotonic() < deadline:
                await _act(client, person, run, counter)
                await asyncio.sleep(random.uniform(1, 3))

    await asyncio.gather(
        *(person_works(person, client) for person, client in zip(people, clients, strict=True))
    )
    return run


async def flat_out(
    url: str, people: list[Person], seconds: float, clients: int
) -> tuple[float, int]:
    """Requests per second with `clients` people acting without pauses, and how many were
    answered."""
    run = Run()
    counter = [0]
    deadline = time.monotonic() + seconds

    async def hammer(person: Person) -> None:
        async with httpx.AsyncClient(
            base_url=url, cookies={SESSION_COOKIE: person.cookie}, timeout=30
        ) as client:
            while time.monotonic() < deadline:
                await _act(client, person, run, counter)

    started = time.monotonic()
    await asyncio.gather(*(hammer(person) for person in people[:clients]))
    # Answered pages only: a quick refusal is no page served.
    answered = run.requests - run.errors
    return answered / (time.monotonic() - started), answered


async def floor_rps(url: str, seconds: float, clients: int) -> float:
    count = 0
    deadline = time.monotonic() + seconds

    async def hammer() -> None:
        nonlocal count
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            while time.monotonic() < deadline:
                await client.get(f"/page/{random.randint(1, 1000)}")
                count += 1

    started = time.monotonic()
    await asyncio.gather(*(hammer() for _ in range(clients)))
    return count / (time.monotonic() - started)


async def exporting(url: str, person: Person, stop: asyncio.Event) -> int:
    """One colleague exporting the need statement PDF again and again."""
    done = 0
    async with httpx.AsyncClient(
        base_url=url, cookies={SESSION_COOKIE: person.cookie}, timeout=300
    ) as client:
        while not stop.is_set():
            try:
                response = await client.get(f"/drafts/{person.draft_id}/export-rfi.pdf")
                done += response.status_code == 200
            except httpx.HTTPError:
                await asyncio.sleep(0.5)
    return done


async def paced_with_exports(url: str, people: list[Person], seconds: float) -> tuple[Run, int]:
    stop = asyncio.Event()
    exports = [asyncio.create_task(exporting(url, person, stop)) for person in people[-2:]]
    run = await paced(url, people[:-2], seconds)
    stop.set()
    return run, sum(await asyncio.gather(*exports))


def _pg_ready() -> bool:
    try:
        import psycopg

        base = PG_URL.replace("postgresql+psycopg://", "postgresql://")
        admin, name = base.rsplit("/", 1)
        with psycopg.connect(admin + "/postgres", autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception as error:  # no PostgreSQL here: its figures are left out
        print(f"load: PostgreSQL not used ({error})")
        return False


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "app", "migrate"],
        env={**os.environ, **env},
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )


def bench_load(content: Content) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/load.db"
        env = {
            "KRAVLOTSEN_ENV": "production",
            "SECURE_COOKIES": "false",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": url,
            "KRAVLOTSEN_VAR_DIR": directory,
            "FLOOR_DATABASE_URL": f"sqlite:///{directory}/floor.db",
        }
        _migrate(env)
        people = seed(url, content, USERS)
        if "floor" in PARTS:
            with server(
                "tests.benchmarks.floor_app:create_floor_app",
                env,
                factory=True,
                workers=SQLITE_WORKERS,
            ) as floor:
                used = cpu_seconds(floor.pid)
                floor_max = drive(floor_rps(floor.url, CEILING_SECONDS, CEILING_CLIENTS))
                figures["floor_max_rps"] = round(floor_max, 1)
                figures["floor_cpu_ms_per_request"] = round(
                    (cpu_seconds(floor.pid) - used) * 1000 / max(floor_max * CEILING_SECONDS, 1),
                    2,
                )
        figures["sqlite_workers"] = SQLITE_WORKERS
        with server("app.asgi:app", env, workers=SQLITE_WORKERS) as app:
            drive(warm(app.url, people))
            if "paced" in PARTS:
                run = drive(paced(app.url, people, SECONDS))
                figures |= run.figures("wizard")
                figures["wizard_rps"] = round(run.requests / SECONDS, 1)
                figures["lost_answers"] = lost_answers(url, people)
                if run.causes:
                    print(f"load: errors by cause {run.causes}")
            if "ceiling" in PARTS:
                used = cpu_seconds(app.pid)
                ceiling, answered = drive(
                    flat_out(app.url, people, CEILING_SECONDS, CEILING_CLIENTS)
                )
                figures["wizard_max_rps"] = round(ceiling, 1)
                figures["wizard_cpu_ms_per_request"] = round(
                    (cpu_seconds(app.pid) - used) * 1000 / max(answered, 1), 2
                )
                if "floor_max_rps" in figures:
                    figures["wizard_vs_floor"] = round(ceiling / figures["floor_max_rps"], 2)
            if "export" in PARTS:
                during, exported = drive(paced_with_exports(app.url, people, SECONDS))
                figures["wizard_p95_during_export_ms"] = during.figures("x")["x_p95_ms"]
                figures["errors_during_export"] = during.errors
                figures["exports_during_load"] = exported
                if during.causes:
                    print(f"load: errors during exports by cause {during.causes}")
            figures["peak_rss_mb"] = peak_rss_mb(app.pid)
    if "pg" in PARTS and _pg_ready():
        env = {
            "KRAVLOTSEN_ENV": "production",
            "SECURE_COOKIES": "false",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": PG_URL,
            "KRAVLOTSEN_VAR_DIR": tempfile.mkdtemp(),
        }
        _migrate(env)
        people = seed(PG_URL, content, USERS)
        with server("app.asgi:app", env, workers=2) as app:
            drive(warm(app.url, people))
            run = drive(paced(app.url, people, SECONDS))
            pg = run.figures("pg_wizard")
            figures["pg_wizard_p50_ms"] = pg["pg_wizard_p50_ms"]
            figures["pg_wizard_p95_ms"] = pg["pg_wizard_p95_ms"]
            figures["pg_errors"] = run.errors
            figures["pg_lost_answers"] = lost_answers(PG_URL, people)
    return figures


def print_load(figures: dict[str, float]) -> None:
    print(
        f"load: {USERS} people pausing 1-3 s for {SECONDS:g} s on SQLite "
        f"({figures.get('sqlite_workers')} uvicorn workers): "
        f"p50 {figures.get('wizard_p50_ms')} ms, p95 {figures.get('wizard_p95_ms')} ms "
        f"(goal < 50), {figures.get('wizard_rps')} requests/s, "
        f"errors {figures.get('wizard_errors')}, lost answers {figures.get('lost_answers')}"
    )
    print(
        f"load: ceiling {figures.get('wizard_max_rps')} requests/s against the floor's "
        f"{figures.get('floor_max_rps')}: {figures.get('wizard_vs_floor')}x (goal >= 0.4); "
        f"{figures.get('wizard_cpu_ms_per_request')} ms of server CPU a request (the floor's "
        f"{figures.get('floor_cpu_ms_per_request')})"
    )
    print(
        f"load: p95 {figures.get('wizard_p95_during_export_ms')} ms while 2 PDF exports run "
        f"({figures.get('exports_during_load')} exports done; goal <= 1.2x the p95 without)"
    )
    if "pg_wizard_p95_ms" in figures:
        print(
            f"load: PostgreSQL, 2 workers: p95 {figures['pg_wizard_p95_ms']} ms, errors "
            f"{figures['pg_errors']}, lost answers {figures['pg_lost_answers']}"
        )


if __name__ == "__main__":
    import json

    from app.content import load_content

    loaded = load_content(PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library")
    result = bench_load(loaded)
    print_load(result)
    print(json.dumps(result))
