"""The topology test's client: acceptance flows, replica proof, and a web process killed mid-run.

Run by deploy/topology/run.sh, which starts PostgreSQL (primary + streaming
replica), Redis, two WSGI servers behind nginx, the ASGI process and a Celery
worker on loopback. This script talks to nginx over HTTPS like any client, and
to the two PostgreSQL servers with psql only to show where queries ran.
Standard library only, so it runs with any Python 3.11.

Every check prints one line; the first failed check ends the run with exit 1.
"""

import base64
import http.client
import http.cookiejar
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from typing import Any

BASE = os.environ["TOPOLOGY_URL"]  # https://localhost:PORT
HOST, PORT = BASE.removeprefix("https://").split(":")
PRIMARY = os.environ["TOPOLOGY_PRIMARY_DSN"]
REPLICA = os.environ["TOPOLOGY_REPLICA_DSN"]
WORK = os.environ["TOPOLOGY_WORK"]
WEB1_PORT = int(os.environ["TOPOLOGY_WEB1_PORT"])
NGINX_FAIL_TIMEOUT_SECONDS = 5  # max_fails=1 fail_timeout=5s on each upstream
HR = ("hr@plaudit.example", "plaudit-demo-2026")
PASSWORD = "topology-Secret-2026"
TLS = ssl.create_default_context(cafile=os.path.join(WORK, "tls.crt"))
# A request that got no whole answer: refused, timed out, or cut off mid-body when the
# process writing it died after its headers had gone out (nginx cannot retry then).
NO_ANSWER = (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException)


def check(condition: bool, what: str, detail: Any = "") -> None:
    shown = f" ({str(detail)[:160]})" if detail != "" else ""
    print(f"{'ok  ' if condition else 'FAIL'} {what}{shown}")
    sys.stdout.flush()
    if not condition:
        sys.exit(1)


class Client:
    """One API client: its own cookie jar (so the replica pin cookie works) and token."""

    def __init__(self, token: str | None = None) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=TLS), urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.token = token

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any, dict[str, str]]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(BASE + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=30) as response:
                status, raw, head = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, raw, head = error.code, error.read(), dict(error.headers)
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace")
        return status, payload, head

    def sign_in(self, email: str, password: str) -> "Client":
        status, body, _ = self.call(
            "POST", "/api/v1/auth/token/", {"email": email, "password": password}
        )
        check(status == 200, f"sign in as {email}", status)
        self.token = body["access"]
        return self


def psql(dsn: str, sql: str) -> str:
    result = subprocess.run(["psql", dsn, "-XAtc", sql], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def committed_transactions(dsn: str) -> int:
    """Commits in the app's database, asked through the maintenance database so the
    probe's own transaction is not counted."""
    server, _, database = dsn.rpartition("/")
    return int(
        psql(
            f"{server}/postgres",
            f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{database}'",
        )
    )


def settled_transaction_counts(quiet_seconds: float = 11, timeout: float = 40) -> tuple[int, int]:
    """(primary, replica) commit counters once every backend has reported its own.

    PostgreSQL backends report statistics lazily, an idle one up to 10 s later, so a
    reading taken right after some work misses part of it (and a later reading gets it):
    the counters count as settled once they have not moved for longer than that.
    """
    deadline = time.monotonic() + timeout
    last = (committed_transactions(PRIMARY), committed_transactions(REPLICA))
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = (committed_transactions(PRIMARY), committed_transactions(REPLICA))
        if now != last:
            last, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= quiet_seconds:
            break
    return last


# --- acceptance flows ------------------------------------------------------------------
def acceptance_flows() -> dict[str, Any]:
    anonymous = Client()
    status, body, head = anonymous.call("GET", "/health/")
    check(status == 200 and body == {"status": "ok"}, "GET /health/ through nginx")
    check(
        len(head.get("X-Request-ID", "")) == 32,
        "nginx and Django tag the response with a request id",
    )
    status, body, _ = anonymous.call("GET", "/health/ready/")
    check(status == 200, "GET /health/ready/: database, cache and broker answer", body)
    status, body, head = anonymous.call("GET", "/api/v1/me/")
    check(
        status == 401 and head["Content-Type"].startswith("application/problem+json"),
        "anonymous is a 401 problem",
    )

    hr = Client().sign_in(*HR)
    suffix = uuid.uuid4().hex[:8]
    people = []
    for index in range(3):
        status, person, _ = hr.call(
            "POST",
            "/api/v1/people/",
            {
                "email": f"topo-{suffix}-{index}@plaudit.example",
                "first_name": "Topo",
                "last_name": f"Logy{index}",
                "employee_id": f"T{suffix}{index}",
                "department": "Operations",
                "title": "Engineer",
                "role": "employee",
                "manager": None,
                "salary": "50000.00",
                "hire_date": "2024-01-15",
                "password": PASSWORD,
            },
        )
        check(status == 201, f"hr_admin creates person {index}", person)
        people.append(person)
        status, grant, _ = hr.call(
            "POST",
            "/api/v1/points/grants/",
            {"user": person["id"], "amount": 100000, "reason": "topology"},
        )
        check(status == 201, f"hr_admin grants 100000 points to person {index}", grant)
    status, reward, _ = hr.call(
        "POST",
        "/api/v1/rewards/",
        {
            "name": f"Sticker {suffix}",
            "description": "A sticker",
            "cost": 1,
            "stock": None,
            "per_user_limit": None,
            "available_from": None,
            "expires_at": None,
            "category": "swag",
        },
    )
    check(status == 201 and reward["is_available"], "hr_admin creates a reward", reward)

    employee = Client().sign_in(people[0]["email"], PASSWORD)
    status, me, _ = employee.call("GET", "/api/v1/me/")
    check(
        status == 200 and me["points"]["balance"] == 100000,
        "the employee sees the granted balance",
        me.get("points"),
    )
    key = uuid.uuid4().hex
    status, first, _ = employee.call(
        "POST", "/api/v1/redemptions/", {"reward": reward["id"]}, {"Idempotency-Key": key}
    )
    check(status == 201 and first["status"] == "pending", "the employee redeems", first)
    status, again, head = employee.call(
        "POST", "/api/v1/redemptions/", {"reward": reward["id"]}, {"Idempotency-Key": key}
    )
    check(
        status == 201 and again["id"] == first["id"] and head.get("Idempotent-Replayed") == "true",
        "the same Idempotency-Key replays the first answer",
    )
    status, body, _ = hr.call("POST", f"/api/v1/redemptions/{first['id']}/approve/")
    check(status == 200 and body["status"] == "approved", "hr_admin approves")
    status, body, _ = hr.call("POST", f"/api/v1/redemptions/{first['id']}/fulfil/")
    check(status == 200 and body["status"] == "fulfilled", "hr_admin fulfils")
    status, second, _ = employee.call(
        "POST",
        "/api/v1/redemptions/",
        {"reward": reward["id"]},
        {"Idempotency-Key": uuid.uuid4().hex},
    )
    status, body, _ = employee.call("POST", f"/api/v1/redemptions/{second['id']}/cancel/")
    check(
        status == 200 and body["status"] == "cancelled", "the employee cancels a second redemption"
    )
    status, me, _ = employee.call("GET", "/api/v1/me/")
    check(me["points"]["balance"] == 100000 - 1, "the cancel refunded its points", me["points"])
    status, entries, _ = employee.call("GET", "/api/v1/points/entries/")
    check(
        status == 200 and entries["count"] >= 4,
        "the ledger lists every movement",
        entries.get("count"),
    )
    status, body, _ = employee.call("GET", "/api/v1/reports/top-salaries/")
    check(status == 403, "an employee may not read salaries", status)
    status, body, _ = hr.call("GET", "/api/v1/reports/top-salaries/?n=3")
    check(status == 200 and len(body["results"]) == 3, "hr_admin reads the top salaries")
    status, body, _ = employee.call(
        "POST",
        "/api/v1/recognitions/",
        {
            "message": "Thanks for the topology!",
            "recipients": [{"user": people[1]["id"], "points": 5}],
            "values": [],
        },
    )
    check(status == 201, "the employee recognises a colleague", body)
    status, body, _ = anonymous.call("GET", "/api/schema/")
    check(status == 200, "the OpenAPI schema is served")
    return {"hr": hr, "people": people, "reward": reward, "employee": employee}


# --- WebSockets through nginx to the ASGI process, fed by the Celery worker ----------------
def websocket_receives_balance(token: str, hr: Client, user_id: int) -> None:
    raw = socket.create_connection((HOST, int(PORT)), timeout=20)
    sock = TLS.wrap_socket(raw, server_hostname=HOST)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws/notifications/?token={token} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(4096)
    head, _, rest = response.partition(b"\r\n\r\n")
    check(
        head.startswith(b"HTTP/1.1 101"),
        "WebSocket upgrade through nginx to the ASGI process",
        head.split(b"\r\n")[0],
    )
    status, _, _ = hr.call(
        "POST", "/api/v1/points/grants/", {"user": user_id, "amount": 7, "reason": "live"}
    )
    check(status == 201, "a grant while the socket listens")
    buffer = rest
    deadline = time.monotonic() + 20
    messages = []
    while time.monotonic() < deadline:
        while len(buffer) >= 2:
            length = buffer[1] & 0x7F
            offset = 2
            if length == 126:
                length, offset = int.from_bytes(buffer[2:4], "big"), 4
            elif length == 127:
                length, offset = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < offset + length:
                break
            frame, buffer = buffer[offset : offset + length], buffer[offset + length :]
            messages.append(json.loads(frame))
        if any(message.get("type") == "balance" for message in messages):
            break
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            break
        if not chunk:
            break
        buffer += chunk
    sock.close()
    balance = [m for m in messages if m.get("type") == "balance"]
    check(bool(balance), "the worker pushed the new balance over the socket", messages[-3:])


# --- reads on the replica, writes on the primary -----------------------------------------
def replica_serves_reads(hr: Client, people: list[dict[str, Any]]) -> None:
    reader = Client(Client().sign_in(people[2]["email"], PASSWORD).token)  # no pin cookie
    primary_before, replica_before = settled_transaction_counts()
    for _ in range(100):
        status, _, _ = reader.call("GET", "/api/v1/people/?page_size=5")
        assert status == 200, status
    primary_after, replica_after = settled_transaction_counts()
    replica_delta, primary_delta = replica_after - replica_before, primary_after - primary_before
    print(
        f"     100 GETs: {replica_delta} transactions on the replica, "
        f"{primary_delta} on the primary"
    )
    check(
        replica_delta >= 100 and primary_delta < 30,
        "safe reads are served by the replica",
        (replica_delta, primary_delta),
    )
    in_recovery = psql(REPLICA, "SELECT pg_is_in_recovery()")
    check(in_recovery == "t", "the replica is a read-only hot standby (writes cannot land there)")

    # Make the replica lag on purpose: a write is visible at once to the client that made
    # it (pinned to the primary), and to others only once the replica has replayed it.
    delay = 4
    subprocess.run([os.path.join(WORK, "replica-delay.sh"), f"{delay}s"], check=True)
    time.sleep(1)
    suffix = uuid.uuid4().hex[:8]
    status, person, _ = hr.call(
        "POST",
        "/api/v1/people/",
        {
            "email": f"lag-{suffix}@plaudit.example",
            "first_name": "Lag",
            "last_name": "Test",
            "employee_id": f"L{suffix}",
            "department": "Operations",
            "title": "Engineer",
            "role": "employee",
            "manager": None,
            "salary": "1.00",
            "hire_date": "2024-01-15",
        },
    )
    check(status == 201, "a write goes to the primary (the replica is read-only)")
    status, _, _ = hr.call("GET", f"/api/v1/people/{person['id']}/")
    check(status == 200, "the writer reads its own write at once (pinned to the primary)")
    status, _, _ = reader.call("GET", f"/api/v1/people/{person['id']}/")
    check(
        status == 404,
        "another client does not see it yet: its read was served by the lagging replica",
        status,
    )
    time.sleep(delay + 1)
    status, _, _ = reader.call("GET", f"/api/v1/people/{person['id']}/")
    check(status == 200, "after the replica replays the write, everyone sees it", status)
    subprocess.run([os.path.join(WORK, "replica-delay.sh"), "0"], check=True)


def read_pgid(name: str) -> int:
    with open(os.path.join(WORK, f"{name}.pgid")) as handle:
        return int(handle.read())


# --- kill a web process while clients keep working ----------------------------------------
def wait_until_web1_serves(timeout: float = 90) -> None:
    """A restarted server is up when it answers, not when its process exists."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        f"http://127.0.0.1:{WEB1_PORT}/health/", headers={"Host": "localhost"}
    )
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit("topology: web1 did not come back after its restart")


def survive_a_killed_web_process(people: list[dict[str, Any]], reward: dict[str, Any]) -> None:
    clients = [Client().sign_in(person["email"], PASSWORD) for person in people]
    redeemed_before = {
        person["id"]: int(
            psql(PRIMARY, f"SELECT count(*) FROM rewards_redemption WHERE user_id = {person['id']}")
        )
        for person in people
    }
    stop = threading.Event()
    outcome: Counter[str] = Counter()
    acknowledged: dict[int, set[str]] = {person["id"]: set() for person in people}
    lock = threading.Lock()

    def read(client: Client, path: str) -> int:
        """A GET's status; one whose answer broke off is sent again, as any client would."""
        try:
            return client.call("GET", path)[0]
        except NO_ANSWER:
            with lock:
                outcome["GET cut off, sent again"] += 1
            return client.call("GET", path)[0]

    def work(client: Client, user_id: int) -> None:
        while not stop.is_set():
            for path in ("/api/v1/rewards/", "/api/v1/me/"):
                status = read(client, path)
                with lock:
                    outcome[f"GET {status}"] += 1
            key = uuid.uuid4().hex
            for attempt in range(20):
                try:
                    status, body, _ = client.call(
                        "POST",
                        "/api/v1/redemptions/",
                        {"reward": reward["id"]},
                        {"Idempotency-Key": key},
                    )
                except NO_ANSWER:  # committed or not, the same key settles it
                    status = 0
                with lock:
                    outcome[f"POST {status}"] += 1
                if status == 201:
                    with lock:
                        acknowledged[user_id].add(body["id"])
                    break
                time.sleep(0.2 * (attempt + 1))  # 502 / 409 in use: retry the same key
            else:
                with lock:
                    outcome["POST gave up"] += 1

    def work_or_report(client: Client, user_id: int) -> None:
        try:
            work(client, user_id)
        except Exception as error:  # reported by the check below rather than lost
            with lock:
                outcome[f"client failed: {error!r}"[:120]] += 1

    threads = [
        threading.Thread(target=work_or_report, args=(client, person["id"]))
        for client, person in zip(clients * 2, people * 2, strict=True)
    ]
    for thread in threads:
        thread.start()
    time.sleep(4)
    web1 = read_pgid("web1")
    print(f"     SIGKILL web1 (process group {web1}) mid-run")
    os.killpg(web1, signal.SIGKILL)
    time.sleep(6)
    subprocess.run([os.path.join(WORK, "start-web.sh"), "1"], check=True)
    wait_until_web1_serves()
    # nginx marked web1 down when it died; only after fail_timeout does it send web1 work
    # again. Stopping web2 before that would leave nginx with no upstream at all.
    time.sleep(NGINX_FAIL_TIMEOUT_SECONDS + 1)
    print("     web1 restarted and serving; now SIGTERM web2 (graceful shutdown)")
    web2 = read_pgid("web2")
    os.killpg(web2, signal.SIGTERM)
    time.sleep(5)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    print(f"     outcomes: {dict(sorted(outcome.items()))}")
    get_failures = sum(
        count
        for name, count in outcome.items()
        if name.startswith("GET ") and name not in ("GET 200", "GET cut off, sent again")
    )
    check(
        get_failures == 0,
        "every read was answered while a web process died (nginx retried; cut-off answers re-sent)",
        get_failures,
    )
    check(outcome["POST gave up"] == 0, "every redemption was eventually acknowledged")
    failed = [name for name in outcome if name.startswith("client failed")]
    check(not failed, "every client ran to the end", failed)
    for person in people:
        rows = int(
            psql(PRIMARY, f"SELECT count(*) FROM rewards_redemption WHERE user_id = {person['id']}")
        )
        new_rows = rows - redeemed_before[person["id"]]
        acknowledged_count = len(acknowledged[person["id"]])
        check(
            new_rows == acknowledged_count,
            f"person {person['id']}: {new_rows} redemptions stored, {acknowledged_count} "
            "acknowledged (nothing lost, nothing doubled)",
        )


def request_id_reaches_the_worker(hr: Client, user_id: int) -> None:
    request_id = uuid.uuid4().hex
    status, _, head = hr.call(
        "POST",
        "/api/v1/points/grants/",
        {"user": user_id, "amount": 1, "reason": "traced"},
        {"X-Request-ID": request_id},
    )
    check(
        status == 201 and head.get("X-Request-ID") == request_id,
        "the client's request id comes back",
    )
    log = os.path.join(WORK, "worker.log")
    deadline = time.monotonic() + 20
    found = []
    while time.monotonic() < deadline and not found:
        time.sleep(1)
        with open(log) as handle:
            found = [line for line in handle if request_id in line]
    check(bool(found), "the Celery worker's JSON log lines carry the same request id", found[:1])
    check(
        json.loads(found[0]).get("request_id") == request_id,
        "as the request_id field of a JSON line",
    )


def main() -> None:
    started = time.monotonic()
    state = acceptance_flows()
    websocket_receives_balance(state["employee"].token, state["hr"], state["people"][0]["id"])
    request_id_reaches_the_worker(state["hr"], state["people"][0]["id"])
    replica_serves_reads(state["hr"], state["people"])
    survive_a_killed_web_process(state["people"], state["reward"])
    print(f"flows finished in {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
