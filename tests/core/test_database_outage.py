"""A database that stops answering must not take the site down with it.

gunicorn, configured as in production, talks to PostgreSQL through a stand-in that either
passes every byte on or, while "hung", accepts connections and never answers (the issue's
outage: no refusal, no error, nothing). While it hangs, /healthz answers 503 and pages the
error page with the crisis lines, each within 5 seconds (DATABASE_CONNECT_TIMEOUT); once the
database answers again, so does the site, with nobody restarting anything.
"""

import socket
import threading
import time

import pytest
from django.db import connection

from tests.core.production_server import get, gunicorn

BOUND_SECONDS = 5
PAGES = ["/programs/?near=94612&level=iop", "/about/data/"]


class StandIn:
    """A TCP server in front of the real database: forwards to it, or hangs."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.hung = True
        self.sockets: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.sockets.append(client)
            if not self.hung:
                upstream = socket.create_connection(self.target)
                self.sockets.append(upstream)
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def _drop_connections(self):
        for held in self.sockets:
            try:
                held.shutdown(socket.SHUT_RDWR)  # wakes a pump waiting on it
            except OSError:
                pass
            held.close()
        self.sockets = []

    def hang(self):
        """As after a restart that never finished: open connections end, new ones hang."""
        self.hung = True
        self._drop_connections()

    def answer(self):
        self.hung = False
        self._drop_connections()

    def close(self):
        self.listener.close()
        self._drop_connections()


def assert_down(url):
    health = get(f"{url}/healthz")
    assert (health.status, health.seconds < BOUND_SECONDS) == (503, True), health
    for page in PAGES:
        answer = get(url + page)
        assert answer.status == 503, (page, answer.status)
        assert answer.seconds < BOUND_SECONDS, (page, answer.seconds)
        assert 'href="tel:988"' in answer.body and "Content-Security-Policy" in answer.headers


def assert_back(url):
    deadline = time.monotonic() + 15
    while (health := get(f"{url}/healthz")).status != 200:
        assert time.monotonic() < deadline, f"the site did not come back: {health}"
        time.sleep(0.5)
    for page in PAGES:
        assert get(url + page).status == 200, page


@pytest.fixture
def stand_in():
    database = connection.settings_dict
    server = StandIn((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    yield server
    server.close()


def test_a_hung_database_answers_503_within_seconds_and_the_site_recovers(db, stand_in, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's connect timeout: run with DATABASE_URL=postgres://...")
    database = connection.settings_dict  # the test database, migrated
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    address = f"postgres://{credentials}@127.0.0.1:{stand_in.port}/{database['NAME']}"
    with gunicorn({"DATABASE_URL": address}, tmp_path / "gunicorn.log") as url:
        assert_down(url)
        stand_in.answer()
        assert_back(url)
        stand_in.hang()
        assert_down(url)
        stand_in.answer()
        assert_back(url)
