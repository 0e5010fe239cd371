"""Starts the whole Kefu stack for the browser tests: throwaway Redis and PostgreSQL (or the ones that
scripts/test exported as KEFU_TEST_REDIS_URL / KEFU_TEST_DATABASE_URL, with a fresh database and a fresh
stream prefix), and the five kefu-* executables built by `swift build`, each on a free port."""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICES = ["gateway", "routing", "store", "knowledge", "reporting"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lib(command):
    """Runs a function of scripts/lib.sh."""
    subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/lib.sh"; {command}'], check=True, cwd=ROOT)


class StackError(Exception):
    pass


class Stack:
    """The running system. `url` is the gateway's base URL; `admin` the bootstrap admin's credentials."""

    def __init__(self, work_dir=None):
        self.work = work_dir or tempfile.mkdtemp(prefix="kefu-browser-")
        os.chmod(self.work, 0o755)
        self.processes = {}
        self.own_redis = None
        self.own_pg = None
        self.ports = {}
        self.admin = ("admin", "admin-" + secrets.token_hex(8))
        self.env = {}

    # ---------- infrastructure ----------

    def bin_dir(self):
        explicit = os.environ.get("KEFU_BROWSER_BIN")
        if explicit:
            return explicit
        result = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            raise StackError("swift build --show-bin-path failed: " + result.stderr)
        return result.stdout.strip()

    def missing_executables(self):
        folder = self.bin_dir()
        return [s for s in SERVICES if not os.access(os.path.join(folder, "kefu-" + s), os.X_OK)]

    def start_infrastructure(self):
        redis_url = os.environ.get("KEFU_TEST_REDIS_URL")
        database_url = os.environ.get("KEFU_TEST_DATABASE_URL")
        if not redis_url:
            port = free_port()
            self.own_redis = os.path.join(self.work, "redis")
            lib(f'start_redis "{self.own_redis}" {port}')
            redis_url = f"redis://127.0.0.1:{port}/0"
        if not database_url:
            port = free_port()
            self.own_pg = os.path.join(self.work, "pg")
            os.makedirs(self.own_pg, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.own_pg, "postgres", "postgres")
            lib(f'start_postgres "{self.own_pg}" {port} trust')
            database_url = f"postgres://postgres@127.0.0.1:{port}/postgres"
        name = "kefu_browser_" + secrets.token_hex(4)
        parsed = urllib.parse.urlparse(database_url)
        subprocess.run(
            ["psql", "-h", parsed.hostname, "-p", str(parsed.port), "-U", parsed.username or "postgres", "-d",
             parsed.path.lstrip("/") or "postgres", "-v", "ON_ERROR_STOP=1", "-qAt", "-c", f"CREATE DATABASE {name}"],
            check=True, capture_output=True)
        self.database_url = parsed._replace(path="/" + name).geturl()
        self.redis_url = redis_url

    # ---------- services ----------

    def service_env(self, service):
        env = dict(os.environ)
        for key in list(env):
            if key.startswith("KEFU_TEST_"):
                del env[key]
        env.update({
            "REDIS_URL": self.redis_url,
            "DATABASE_URL": self.database_url,
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(self.ports[service]),
            "KEFU_INSTANCE": f"browser-{service}-0",
            "KEFU_STREAM_PREFIX": self.prefix,
            "KEFU_STREAM_BLOCK_MS": "250",
            "KEFU_STREAM_CLAIM_IDLE_MS": "5000",
            "KEFU_SHUTDOWN_TIMEOUT_MS": "3000",
            "LOG_LEVEL": os.environ.get("KEFU_BROWSER_LOG_LEVEL", "info"),
        })
        if service == "gateway":
            env.update({
                "KEFU_GATEWAY_SECRET": self.secret,
                "KEFU_BOOTSTRAP_ADMIN_USERNAME": self.admin[0],
                "KEFU_BOOTSTRAP_ADMIN_PASSWORD": self.admin[1],
                "KEFU_BCRYPT_COST": "4",
                "KEFU_RATE_VISITOR_PER_MIN": "6000", "KEFU_RATE_VISITOR_BURST": "2000",
                "KEFU_RATE_IP_PER_MIN": "60000", "KEFU_RATE_IP_BURST": "20000",
                "KEFU_HEARTBEAT_INTERVAL_S": "3", "KEFU_HEARTBEAT_TTL_S": "15",
            })
        if service == "routing":
            env.update({"KEFU_ROUTING_BOT_TIMEOUT_S": "4", "KEFU_ROUTING_POSITION_MS": "300", "KEFU_ROUTING_TICK_MS": "500"})
        env.update(self.env.get(service, {}))
        return env

    def start_service(self, service):
        folder = self.bin_dir()
        log = open(os.path.join(self.work, service + ".log"), "ab")
        process = subprocess.Popen(
            [os.path.join(folder, "kefu-" + service)], env=self.service_env(service), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, cwd=self.work)
        self.processes[service] = process

    def start(self):
        missing = self.missing_executables()
        if missing:
            raise StackError("missing executables: " + ", ".join("kefu-" + s for s in missing) + " (run swift build)")
        self.start_infrastructure()
        self.prefix = "kbt" + secrets.token_hex(3)
        self.secret = secrets.token_hex(32)
        for service in SERVICES:
            self.ports[service] = free_port()
        for service in SERVICES:
            self.start_service(service)
        for service in SERVICES:
            self.wait_ready(service)
        self.url = f"http://127.0.0.1:{self.ports['gateway']}"
        self.wait_admin()
        return self

    def wait_ready(self, service, timeout=120):
        deadline = time.time() + timeout
        url = f"http://127.0.0.1:{self.ports[service]}/ready"
        while time.time() < deadline:
            process = self.processes[service]
            if process.poll() is not None:
                raise StackError(f"kefu-{service} exited with {process.returncode}:\n" + self.log_tail(service))
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.3)
        raise StackError(f"kefu-{service} not ready after {timeout} s:\n" + self.log_tail(service))

    def wait_admin(self, timeout=30):
        """The bootstrap admin is created in the background: wait until it can log in."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                self.login(*self.admin)
                return
            except Exception as error:  # noqa: BLE001 - retried until the deadline
                last = error
                time.sleep(0.5)
        raise StackError(f"the bootstrap admin cannot log in: {last}")

    def restart(self, service):
        """Stops a service (SIGTERM) and starts it again on the same port."""
        self.stop_service(service)
        self.start_service(service)
        self.wait_ready(service)

    def stop_service(self, service, timeout=15):
        process = self.processes.pop(service, None)
        if not process or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log_tail(self, service, lines=30):
        try:
            with open(os.path.join(self.work, service + ".log"), errors="replace") as handle:
                return "".join(handle.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        for service in list(self.processes):
            self.stop_service(service)
        if self.own_redis:
            lib(f'stop_redis "{self.own_redis}"')
        if self.own_pg:
            lib(f'stop_postgres "{self.own_pg}"')

    # ---------- HTTP helpers for setup and checks ----------

    def api(self, method, path, body=None, token=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + "/api/v1" + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                text = response.read().decode()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            raise StackError(f"{method} {path}: {error.code} {error.read().decode(errors='replace')}") from None

    def login(self, username, password):
        return self.api("POST", "/auth/login", {"username": username, "password": password})["access_token"]
