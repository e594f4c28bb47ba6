"""A Redis server of a test's own, on its own port, that the test stops and starts."""

import shutil
import subprocess
import time
from contextlib import contextmanager

from tests.conftest import need_service, port_open


class RedisServer:
    def __init__(self, port: int, directory):
        self.port, self.directory, self.process = port, directory, None
        self.url = f"redis://127.0.0.1:{port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--dbfilename", "dump.rdb", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def redis_server(port: int, directory):
    need_service("redis-server", bool(shutil.which("redis-server")), "install redis-server")
    need_service("a free port", not port_open("127.0.0.1", port), f"port {port} is taken")
    server = RedisServer(port, directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def redis_save(server: RedisServer) -> None:
    """Write the data to disk, so that the next start finds it (a restart that keeps it)."""
    subprocess.run(["redis-cli", "-p", str(server.port), "SAVE"], check=True, capture_output=True)
