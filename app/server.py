"""Serving with several processes on one port, each with a listening socket of its own.

uvicorn's own `--workers` hands one listening socket to every process, and whichever process
wakes first takes the connection. Under load one process can take nearly all the keep-alive
connections while the other idles: measured with 32 clients on 2 cores, one worker used 0.89
of a core and the other none. Here each process binds its own socket with SO_REUSEPORT, and the
kernel spreads new connections over them by their addresses, so every core serves.

A supervising process starts the servers, starts a new one in place of one that dies, and
stops them all on SIGTERM or SIGINT. `python -m app.server MODULE:APP --port 8000 --workers 2`
serves any ASGI app this way (the load bench serves its floor app with it too).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

logger = logging.getLogger("kravlotsen.server")

# A server that stops within this many seconds of starting failed to start (a port taken, an
# import error): starting it again would only fail again, so everything stops.
START_SECONDS = 5.0
# How long the servers have to finish their requests after SIGTERM before they are killed.
STOP_SECONDS = 30.0
BACKLOG = 2048


def reuse_port_supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _serve_one(app: str, host: str, port: int, options: dict[str, Any]) -> None:
    """One server process: its own socket on the shared port, then uvicorn until stopped."""
    import uvicorn

    sock = _listening_socket(host, port)
    sock.listen(BACKLOG)
    config = uvicorn.Config(app, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(app: str, *, host: str, port: int, workers: int, **options: Any) -> int:
    """Serve the ASGI app at import string `app` from `workers` processes; return the exit
    status once they have stopped. `options` are uvicorn.Config's (proxy_headers, factory,
    log_level, ...)."""
    # Fail at once, in the user's terminal, when the port is taken by a server without
    # SO_REUSEPORT.
    probe = _listening_socket(host, port)
    probe.close()
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> BaseProcess:
        process = context.Process(
            target=_serve_one, args=(app, host, port, options), name="kravlotsen-web"
        )
        process.start()
        return process

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    started: dict[int, float] = {}
    processes: list[BaseProcess] = []
    status = 0
    try:
        for _ in range(workers):
            process = start()
            processes.append(process)
            started[id(process)] = time.monotonic()
        while not stopping:
            wait([process.sentinel for process in processes], timeout=0.5)
            for position, process in enumerate(processes):
                if process.is_alive() or stopping:
                    continue
                if time.monotonic() - started[id(process)] < START_SECONDS:
                    logger.error(
                        "A server process stopped as it started (exit %s).", process.exitcode
                    )
                    status, stopping = 1, True
                    break
                logger.warning(
                    "A server process stopped (exit %s); starting another.", process.exitcode
                )
                replacement = start()
                processes[position] = replacement
                started[id(replacement)] = time.monotonic()
    finally:
        # A second SIGTERM while the servers finish is the same request to stop.
        for process in processes:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.server", description=__doc__)
    parser.add_argument("app", help="the ASGI app as MODULE:NAME")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--factory", action="store_true", help="APP is a factory to call")
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--no-access-log", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    return run_workers(
        args.app,
        host=args.host,
        port=args.port,
        workers=args.workers,
        factory=args.factory,
        log_level=args.log_level,
        access_log=not args.no_access_log,
    )


if __name__ == "__main__":
    sys.exit(main())
