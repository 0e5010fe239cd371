#!/usr/bin/env python3
"""The whole message path under load, driven like a channel connector (scripts/bench pipeline).

A separate process with its own clients (redis-py, psycopg2): it XADDs envelopes to `<prefix>:inbound` as
docs/streams.md says and measures until routing, store, reporting (and knowledge, for bot answers) have
applied everything. It reports, in one run:

  (a) sustained msg/s for messages in bot sessions (bot answers included) and in assigned human sessions;
  (b) p50/p99 of XADD -> `message.accepted` on the events stream and XADD -> row in store, at fixed rates;
  (c) raw baselines on the same Redis and PostgreSQL: a plain XADD/XREADGROUP/XACK loop and a plain batched
      INSERT of the same rows.

Exits non-zero when any message is missing or duplicated at the end, or a phase does not drain in time.
"""
import argparse
import json
import os
import sys
import threading
import time
import uuid
from datetime import datetime, timezone

import re
import signal
import subprocess
import urllib.request

import psycopg2
import redis

ENTRY = "event"


def now_rfc3339():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def envelope(kind, data, reply_to=None):
    env = {"id": str(uuid.uuid4()), "type": kind, "version": 1, "time": now_rfc3339(), "source": "bench-connector",
           "data": data}
    if reply_to:
        env["reply_to"] = reply_to
    return json.dumps(env, ensure_ascii=False)


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Bench:
    def __init__(self, args):
        self.args = args
        self.prefix = args.prefix
        self.r = redis.Redis.from_url(args.redis_url)
        self.pg = psycopg2.connect(args.database_url)
        self.pg.autocommit = True
        self.failures = []
        self.report = {}
        self.restarted = []
        self.pg_stats = os.environ.get("KEFU_BENCH_PG_STATS") == "1"

    # -- helpers -------------------------------------------------------------------------------------------
    def sql(self, statement, params=None):
        with self.pg.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall() if cur.description else None

    def xadd_all(self, stream, payloads, depth=500):
        """Pipelined XADD; returns the wall time of each entry's pipeline flush (ms since epoch)."""
        sent = []
        for start in range(0, len(payloads), depth):
            pipe = self.r.pipeline(transaction=False)
            chunk = payloads[start:start + depth]
            for payload in chunk:
                pipe.xadd(stream, {ENTRY: payload})
            stamp = time.time() * 1000
            pipe.execute()
            sent += [stamp] * len(chunk)
        return sent

    def groups_caught_up(self):
        for suffix in ("inbound", "commands", "events", "requests:knowledge"):
            stream = f"{self.prefix}:{suffix}"
            if not self.r.exists(stream):
                continue
            last = self.r.xinfo_stream(stream)["last-generated-id"]
            for group in self.r.xinfo_groups(stream):
                if group["pending"] > 0 or group["last-delivered-id"] != last:
                    return False
        return True

    def wait_until(self, what, predicate, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        self.failures.append(f"{what}: not reached within {timeout} s")
        return False

    def store_messages(self, sender, prefix, cid_prefix=None):
        if cid_prefix:
            return self.sql(
                "SELECT count(*), count(DISTINCT data->>'client_message_id') FROM store.events "
                "WHERE type = 'message.accepted' AND sender = %s AND data->>'client_message_id' LIKE %s",
                (sender, cid_prefix + "%"))[0]
        return self.sql(
            "SELECT count(*), count(DISTINCT data->>'client_message_id') FROM store.events "
            "WHERE type = 'message.accepted' AND sender = %s AND data->>'visitor_id' LIKE %s",
            (sender, prefix + "%"))[0]

    def reporting_messages(self, prefix):
        row = self.sql(
            "SELECT coalesce(sum(visitor_messages), 0), coalesce(sum(bot_messages), 0) FROM reporting.sessions "
            "WHERE visitor_id LIKE %s", (prefix + "%",))[0]
        return int(row[0]), int(row[1])

    def check_exactly_once(self, what, prefix, expected_ids):
        rows = self.sql(
            "SELECT data->>'client_message_id', count(*) FROM store.events WHERE type = 'message.accepted' "
            "AND sender = 'visitor' AND data->>'visitor_id' LIKE %s GROUP BY 1", (prefix + "%",))
        seen = {cid: n for cid, n in rows}
        missing = [cid for cid in expected_ids if cid not in seen]
        duplicated = [cid for cid, n in seen.items() if n > 1]
        if missing or duplicated:
            self.failures.append(f"{what}: {len(missing)} missing, {len(duplicated)} duplicated of {len(expected_ids)}")
        return not missing and not duplicated

    # -- set-up --------------------------------------------------------------------------------------------
    def setup_agents(self):
        commands = f"{self.prefix}:commands"
        self.agents = [str(uuid.uuid4()) for _ in range(self.args.agents)]
        actor = str(uuid.uuid4())
        payloads = []
        for index, agent in enumerate(self.agents):
            payloads.append(envelope("admin.upsert_agent", {
                "actor_id": actor, "agent_id": agent, "name": f"压测客服{index}", "capacity": self.args.capacity,
                "enabled": True}))
        for agent in self.agents:
            payloads.append(envelope("agent.set_status", {"agent_id": agent, "status": "online"}))
            payloads.append(envelope("agent.heartbeat", {"agent_id": agent, "ttl_seconds": 300}))
        self.xadd_all(commands, payloads)

        def beat():
            while not self.stop_heartbeats.wait(60):
                self.xadd_all(commands, [envelope("agent.heartbeat", {"agent_id": a, "ttl_seconds": 300})
                                         for a in self.agents])
        self.stop_heartbeats = threading.Event()
        threading.Thread(target=beat, daemon=True).start()
        self.wait_until("agents online", lambda: self.sql(
            "SELECT count(*) FROM routing.agents WHERE status = 'online'")[0][0] >= len(self.agents), 60)

    def setup_knowledge(self):
        reply = f"{self.prefix}:replies:bench"
        self.xadd_all(f"{self.prefix}:requests:knowledge", [envelope("query.request", {
            "name": "kb.create", "actor": {"role": "admin", "agent_id": str(uuid.uuid4())},
            "params": {"question": "订单怎么取消", "similar": ["怎样取消订单"], "answer": "在“我的订单”中点击取消订单即可。",
                       "enabled": True}}, reply_to=reply)])
        if self.wait_until("knowledge entry created", lambda: self.r.xlen(reply) >= 1, 60):
            answer = json.loads(self.r.xrange(reply, count=1)[0][1][b"event"])
            if not answer["data"].get("ok"):
                self.failures.append(f"kb.create refused: {answer['data']}")

    # -- (a) sustained throughput --------------------------------------------------------------------------
    def kill_and_restart(self, names):
        """kill -9 each named service mid-phase, then start it again with the same instance name and port."""
        services = {}
        with open(os.environ["KEFU_BENCH_SERVICES"]) as listing:
            for line in listing:
                name, pid, port = line.split()
                services[name] = (int(pid), port)
        for name in names:
            pid, port = services[name]
            os.kill(pid, signal.SIGKILL)
            print(f"  kill -9 kefu-{name} (pid {pid})", flush=True)
        time.sleep(1)
        for name in names:
            _, port = services[name]
            log = open(os.path.join(os.environ["KEFU_BENCH_LOGS"], f"{name}-restarted.log"), "w")
            env = dict(os.environ, HTTP_PORT=port, KEFU_INSTANCE=f"bench-{name}")
            process = subprocess.Popen([os.path.join(os.environ["KEFU_BENCH_BIN"], f"kefu-{name}")], env=env,
                                       stdout=log, stderr=subprocess.STDOUT)
            self.restarted.append(process)
            print(f"  restarted kefu-{name} (pid {process.pid})", flush=True)

    def cpu_by_process(self):
        """CPU seconds used so far by this run's Kefu services, PostgreSQL (postmaster and backends) and Redis."""
        ticks = os.sysconf("SC_CLK_TCK")
        names = {}
        with open(os.environ["KEFU_BENCH_SERVICES"]) as listing:
            for line in listing:
                name, pid, _ = line.split()
                names[int(pid)] = name
        for process in self.restarted:
            names[process.pid] = os.path.basename(process.args[0])[5:]

        def first_int(path):
            try:
                with open(path) as handle:
                    return int(handle.readline().strip())
            except (OSError, ValueError):
                return None
        postmaster = first_int(os.environ.get("KEFU_BENCH_PG_PIDFILE", "/nonexistent"))
        redis_pid = first_int(os.environ.get("KEFU_BENCH_REDIS_PIDFILE", "/nonexistent"))
        totals = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    rest = stat.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            pid, ppid = int(entry), int(rest[1])
            if pid in names:
                key = names[pid]
            elif postmaster and (pid == postmaster or ppid == postmaster):
                key = "postgres"
            elif pid == redis_pid:
                key = "redis"
            else:
                continue
            totals[key] = totals.get(key, 0) + (int(rest[11]) + int(rest[12])) / ticks
        return totals

    def cpu_report(self, label, before, messages):
        after = self.cpu_by_process()
        used = {name: after.get(name, 0) - before.get(name, 0) for name in after}
        parts = ", ".join(f"{name} {seconds * 1e6 / messages:,.0f}" for name, seconds in
                          sorted(used.items(), key=lambda item: -item[1]) if seconds > 0)
        self.report.setdefault("cpu_us_per_message", {})[label] = {name: round(s * 1e6 / messages) for name, s in used.items()}
        print(f"  {label}: CPU µs per visitor message: {parts}", flush=True)

    def sustained(self, label, prefix, visitors, question, kill=()):
        inbound = f"{self.prefix}:inbound"
        messages = self.args.messages
        payloads, ids = [], []
        for round_ in range(messages):
            for v in range(visitors):
                cid = f"{label}-{v}-{round_}"
                ids.append(cid)
                payloads.append(envelope("visitor.message", {
                    "channel": "web-pc", "visitor_id": f"{prefix}{v}", "client_message_id": cid, "text": question}))
        total = len(payloads)
        reported_before = self.reporting_messages(prefix)[0]
        cpu_before = self.cpu_by_process()
        self.reset_statements()
        tables_before = self.table_writes() if self.pg_stats else {}
        started = time.time()
        if kill:
            half = len(payloads) // 2
            self.xadd_all(inbound, payloads[:half])
            time.sleep(1)
            self.kill_and_restart(kill)
            self.xadd_all(inbound, payloads[half:])
        else:
            self.xadd_all(inbound, payloads)
        sent_at = time.time()
        bot = label == "bot"

        def applied():
            # Every visitor message stored and counted; in bot sessions also no question still waiting for its
            # answer (routing answers a visitor's latest question: an answer to one already followed by the
            # next question is dropped by design), and store and reporting hold the same bot answers.
            if not self.groups_caught_up():
                return False
            visitor_rows, _ = self.store_messages("visitor", prefix, cid_prefix=f"{label}-")
            if visitor_rows < total:
                return False
            rep_visitor, rep_bot = self.reporting_messages(prefix)
            if rep_visitor - reported_before < total:
                return False
            if not bot:
                return True
            waiting = self.sql("SELECT count(*) FROM routing.sessions WHERE visitor_id LIKE %s AND "
                               "pending_question_seq IS NOT NULL", (prefix + "%",))[0][0]
            return waiting == 0 and self.store_messages("bot", prefix)[0] == rep_bot
        ok = self.wait_until(f"{label} sessions applied", applied, self.args.drain_timeout)
        elapsed = time.time() - started
        if not kill:  # processes that exit take their CPU time with them: no per-message figure for a kill phase
            self.cpu_report(label, cpu_before, total)
        if self.pg_stats:
            self.phase_statements(label, tables_before, total)
        self.check_exactly_once(f"{label} sessions", prefix, ids)
        rate = total / elapsed if ok else 0
        answers = self.store_messages("bot", prefix)[0] if bot else 0
        self.report[f"sustained_{label}"] = {
            "messages": total, "seconds": round(elapsed, 2), "msg_per_s": round(rate),
            "xadd_seconds": round(sent_at - started, 2), "bot_answers": answers}
        print(f"  {label} sessions: {total} visitor messages applied by routing, store and reporting"
              f"{f' (and {answers} bot answers)' if bot else ''} in {elapsed:.2f} s = {rate:,.0f} msg/s", flush=True)

    def assign_visitors(self, prefix, visitors, wave=100):
        """Asks for a human in waves below the default queue limit (200), waiting for each to be assigned."""
        inbound = f"{self.prefix}:inbound"
        for start in range(0, visitors, wave):
            end = min(visitors, start + wave)
            self.xadd_all(inbound, [envelope("visitor.request_human", {"channel": "web-pc", "visitor_id": f"{prefix}{v}"})
                                    for v in range(start, end)])
            if not self.wait_until("human sessions assigned", lambda: self.sql(
                    "SELECT count(*) FROM routing.sessions WHERE state = 'assigned' AND visitor_id LIKE %s",
                    (prefix + "%",))[0][0] >= end, 120):
                return

    # -- (b) latency at fixed rates ------------------------------------------------------------------------
    def fixed_rate(self, rate, seconds, prefix, visitors):
        inbound = f"{self.prefix}:inbound"
        events = f"{self.prefix}:events"
        start_id = self.r.xinfo_stream(events)["last-generated-id"]
        sent = {}
        arrived = {}
        stop = threading.Event()

        def tail():
            """Reads the events stream as a gateway would and notes when each message.accepted is visible."""
            reader = redis.Redis.from_url(self.args.redis_url)
            cursor = start_id
            while not stop.is_set():
                reply = reader.xread({events: cursor}, count=1000, block=100)
                seen_at = time.time() * 1000
                for _, entries in reply or []:
                    for entry_id, fields in entries:
                        cursor = entry_id
                        env = json.loads(fields[b"event"])
                        if env["type"] == "message.accepted" and env["data"].get("sender") == "visitor":
                            arrived.setdefault(env["data"].get("client_message_id"), seen_at)
        reader_thread = threading.Thread(target=tail, daemon=True)
        reader_thread.start()
        tick = 0.01
        begin = time.time()
        n = 0
        while time.time() - begin < seconds:
            count = int(rate * (time.time() - begin)) - n
            if count:
                pipe = self.r.pipeline(transaction=False)
                stamp = time.time() * 1000
                for _ in range(count):
                    cid = f"r{rate}-{n}"
                    pipe.xadd(inbound, {ENTRY: envelope("visitor.message", {
                        "channel": "web-pc", "visitor_id": f"{prefix}{n % visitors}", "client_message_id": cid,
                        "text": "请问什么时候发货"})})
                    sent[cid] = stamp
                    n += 1
                pipe.execute()
            next_tick = begin + tick * (int((time.time() - begin) / tick) + 1)
            time.sleep(max(0, next_tick - time.time()))
        send_seconds = time.time() - begin
        drain_started = time.time()
        ok = self.wait_until(f"rate {rate} applied", lambda: self.groups_caught_up() and self.sql(
            "SELECT count(*) FROM store.events WHERE type = 'message.accepted' AND data->>'client_message_id' LIKE %s",
            (f"r{rate}-%",))[0][0] >= len(sent), self.args.drain_timeout)
        drain = time.time() - drain_started
        self.wait_until(f"rate {rate}: every message.accepted seen on the events stream",
                        lambda: all(cid in arrived for cid in sent), 30)
        stop.set()
        reader_thread.join()
        accepted = [arrived[cid] - sent[cid] for cid in sent if cid in arrived]
        stored = [float(row[1]) - sent[row[0]] for row in self.sql(
            "SELECT data->>'client_message_id', extract(epoch FROM stored_at) * 1000 FROM store.events "
            "WHERE type = 'message.accepted' AND data->>'client_message_id' LIKE %s", (f"r{rate}-%",)) if row[0] in sent]
        self.check_exactly_once(f"rate {rate}", prefix, [])
        achieved = len(sent) / send_seconds
        sustained = ok and achieved >= 0.95 * rate and drain < 2.0
        self.report[f"rate_{rate}"] = {
            "sent": len(sent), "achieved_per_s": round(achieved), "drain_after_s": round(drain, 2),
            "accepted_p50_ms": round(percentile(accepted, 50), 1), "accepted_p99_ms": round(percentile(accepted, 99), 1),
            "stored_p50_ms": round(percentile(stored, 50), 1), "stored_p99_ms": round(percentile(stored, 99), 1),
            "sustained": sustained}
        if len(accepted) != len(sent) or len(stored) != len(sent):
            self.failures.append(f"rate {rate}: {len(sent)} sent, {len(accepted)} accepted, {len(stored)} stored")
        print(f"  {rate:>5} msg/s for {seconds} s: sent {achieved:,.0f}/s; XADD → message.accepted p50 "
              f"{percentile(accepted, 50):.1f} ms p99 {percentile(accepted, 99):.1f} ms; XADD → stored p50 "
              f"{percentile(stored, 50):.1f} ms p99 {percentile(stored, 99):.1f} ms; drained {drain:.2f} s after; "
              f"{'sustained' if sustained else 'NOT sustained'}", flush=True)

    # -- (c) raw baselines ---------------------------------------------------------------------------------
    def raw_streams(self, count):
        stream = f"rawbench:{uuid.uuid4()}"
        payload = envelope("visitor.message", {"channel": "web-pc", "visitor_id": "raw", "client_message_id": "raw",
                                                "text": "请问什么时候发货"})
        self.r.xgroup_create(stream, "g", id="0", mkstream=True)
        started = time.time()

        def produce():
            self.xadd_all(stream, [payload] * count)
        producer = threading.Thread(target=produce)
        producer.start()
        consumer = redis.Redis.from_url(self.args.redis_url)
        done = 0
        while done < count:
            reply = consumer.xreadgroup("g", "c", {stream: ">"}, count=100, block=1000)
            if not reply:
                continue
            ids = [entry_id for entry_id, _ in reply[0][1]]
            consumer.xack(stream, "g", *ids)
            done += len(ids)
        producer.join()
        elapsed = time.time() - started
        self.r.delete(stream)
        return count / elapsed

    def raw_insert(self, count):
        self.sql("CREATE TABLE IF NOT EXISTS rawbench_events (session_id uuid, seq bigint, type text, data jsonb, "
                 "event_id uuid PRIMARY KEY)")
        session = str(uuid.uuid4())
        data = json.dumps({"channel": "web-pc", "visitor_id": "raw", "text": "请问什么时候发货"}, ensure_ascii=False)
        started = time.time()
        conn = psycopg2.connect(self.args.database_url)
        with conn.cursor() as cur:
            for start in range(0, count, 100):
                rows = [(session, seq, "message.accepted", data, str(uuid.uuid4()))
                        for seq in range(start, min(count, start + 100))]
                args = ",".join(cur.mogrify("(%s,%s,%s,%s,%s)", row).decode() for row in rows)
                cur.execute("INSERT INTO rawbench_events VALUES " + args)
                conn.commit()
        conn.close()
        elapsed = time.time() - started
        self.sql("DROP TABLE rawbench_events")
        return count / elapsed

    def service_metrics(self):
        """Per service and stream: entries handled, batches, mean batch size and mean batch time (from /metrics)."""
        for pair in filter(None, (self.args.metrics or "").split(",")):
            name, url = pair.split("=", 1)
            try:
                text = urllib.request.urlopen(url, timeout=5).read().decode()
            except OSError as error:
                print(f"  {name}: /metrics unreadable: {error}")
                continue
            sums, counts = {}, {}
            for line in text.splitlines():
                match = re.match(r'kefu_stream_batch_(duration_seconds|size)_(sum|count)\{([^}]*)\} ([0-9.e+-]+)', line)
                if match:
                    stream = re.search(r'stream="([^"]+)"', match.group(3))
                    key = (match.group(1), stream.group(1) if stream else "?")
                    (sums if match.group(2) == "sum" else counts)[key] = float(match.group(4))
            for (kind, stream), count in sorted(counts.items()):
                if kind != "size" or not count:
                    continue
                entries = sums.get(("size", stream), 0)
                seconds = sums.get(("duration_seconds", stream), 0)
                print(f"  {name} {stream}: {entries:,.0f} entries in {count:,.0f} batches (mean {entries / count:.1f}), "
                      f"{seconds / count * 1000:.2f} ms per batch, {seconds / max(entries, 1) * 1e6:.0f} µs per entry")

    def statements(self):
        """The statements PostgreSQL spent most time on, when pg_stat_statements is loaded."""
        try:
            self.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            rows = self.sql("SELECT calls, round(total_exec_time::numeric, 0), regexp_replace(left(query, 110), '\\s+', ' ', 'g') "
                            "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12")
        except psycopg2.Error:
            return
        print("PostgreSQL: statements by total time since the last sustained phase began (calls, ms, statement)")
        for calls, total, query in rows:
            print(f"  {calls:>8} {total:>8} {query}")
        tables = self.sql("SELECT schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del "
                          "FROM pg_stat_user_tables ORDER BY n_tup_upd + n_tup_ins DESC LIMIT 8")
        print("PostgreSQL: busiest tables (inserted, updated, of which HOT, deleted)")
        for name, inserted, updated, hot, deleted in tables:
            print(f"  {name:<40} {inserted:>8} {updated:>8} {hot:>8} {deleted:>8}")

    def table_writes(self):
        """Rows inserted, updated (of which HOT) and deleted so far, and the number of indexes, per table."""
        rows = self.sql("SELECT t.schemaname || '.' || t.relname, t.n_tup_ins, t.n_tup_upd, t.n_tup_hot_upd, t.n_tup_del, "
                        "(SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid) FROM pg_stat_user_tables t")
        return {name: values for name, *values in rows}

    def phase_statements(self, label, tables_before, messages):
        """KEFU_BENCH_PG_STATS=1: the phase's top statements and rows written per visitor message per table."""
        try:
            by_time = self.sql(
                "SELECT calls, total_exec_time, rows, toplevel, regexp_replace(left(query, 120), '\\s+', ' ', 'g') "
                "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 20")
            by_calls = self.sql(
                "SELECT calls, total_exec_time, rows, toplevel, regexp_replace(left(query, 120), '\\s+', ' ', 'g') "
                "FROM pg_stat_statements ORDER BY calls DESC LIMIT 12")
        except psycopg2.Error as error:
            print(f"  {label}: no pg_stat_statements ({error})", flush=True)
            return
        for title, rows in (("by total time", by_time), ("by calls", by_calls)):
            print(f"  {label}: PostgreSQL statements {title} (µs per message, calls per message, mean µs, "
                  f"rows per call; '+' = nested in a function)", flush=True)
            for calls, total, rows_, toplevel, query in rows:
                print(f"    {total * 1000 / messages:7.1f} {calls / messages:6.3f} {total * 1000 / max(calls, 1):8.1f} "
                      f"{rows_ / max(calls, 1):7.1f} {' ' if toplevel else '+'} {query}", flush=True)
        time.sleep(11)  # idle backends flush their table counters at most every 10 s
        after = self.table_writes()
        print(f"  {label}: rows per visitor message per table (inserted, updated, of which HOT, deleted; indexes)", flush=True)
        for name, values in sorted(after.items(), key=lambda item: -sum(item[1][:2]) - item[1][3]):
            before = tables_before.get(name, [0, 0, 0, 0, values[4]])
            delta = [(a - b) / messages for a, b in zip(values[:4], before[:4])]
            if any(d > 0.001 for d in delta):
                print(f"    {name:<40} {delta[0]:6.3f} {delta[1]:6.3f} {delta[2]:6.3f} {delta[3]:6.3f}  {values[4]}", flush=True)

    def reset_statements(self):
        try:
            self.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            self.sql("SELECT pg_stat_statements_reset()")
        except psycopg2.Error:
            pass

    def run(self):
        a = self.args
        print(f"setting up {a.agents} agents (capacity {a.capacity}) and a knowledge entry", flush=True)
        self.setup_agents()
        self.setup_knowledge()
        print("(c) raw baselines on the same servers", flush=True)
        raw_streams = self.raw_streams(a.raw_count)
        raw_insert = self.raw_insert(a.raw_count)
        self.report["raw_stream_loop_msg_per_s"] = round(raw_streams)
        self.report["raw_batched_insert_rows_per_s"] = round(raw_insert)
        print(f"  plain XADD/XREADGROUP/XACK loop: {raw_streams:,.0f} msg/s; plain batched INSERT: {raw_insert:,.0f} rows/s",
              flush=True)
        print(f"(a) sustained: {a.visitors} visitors × {a.messages} messages", flush=True)
        if "bot" in a.phases:
            self.sustained("bot", "botv", a.visitors, "订单怎么取消")
        if a.phases & {"human", "kill", "rates"}:
            self.assign_visitors("humv", a.visitors)
        if "human" in a.phases:
            self.sustained("human", "humv", a.visitors, "你好，我的订单还没发货")
        if a.kill and "kill" in a.phases:
            print(f"(a') human sessions again, kill -9 of {', '.join(a.kill)} halfway", flush=True)
            self.sustained("human-kill", "humv", a.visitors, "订单到哪里了", kill=a.kill)
        if "rates" in a.phases:
            print("(b) latency at fixed rates, messages in assigned sessions", flush=True)
            for rate in a.rates:
                self.fixed_rate(rate, a.rate_seconds, "humv", a.visitors)
        self.stop_heartbeats.set()
        print("consumers (from each service's /metrics)", flush=True)
        self.service_metrics()
        for label in ("bot", "human", "human-kill"):
            key = f"sustained_{label}"
            if key in self.report:
                self.report[key]["vs_raw_stream_loop"] = round(self.report[key]["msg_per_s"] / raw_streams, 3)
                self.report[key]["vs_raw_insert"] = round(self.report[key]["msg_per_s"] / raw_insert, 3)
        self.statements()
        print(json.dumps(self.report, ensure_ascii=False, indent=2))
        if self.failures:
            print("FAILED: " + "; ".join(self.failures), file=sys.stderr)
            return 1
        print("every message applied exactly once")
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--prefix", default=os.environ.get("KEFU_STREAM_PREFIX", "kefu"))
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--rates", type=lambda s: [int(x) for x in s.split(",")], default=[100, 1000, 3000])
    parser.add_argument("--rate-seconds", type=int, default=60)
    parser.add_argument("--phases", type=lambda s: {x for x in s.split(",") if x}, default={"bot", "human", "kill", "rates"},
                        help="which phases to run: bot,human,kill,rates (default all; a partial run is for profiling)")
    parser.add_argument("--raw-count", type=int, default=50000)
    parser.add_argument("--drain-timeout", type=int, default=300)
    parser.add_argument("--kill", type=lambda s: [x for x in s.split(",") if x], default=["routing", "store"],
                        help="services to kill -9 and restart halfway through a second human-session phase ('' for none)")
    parser.add_argument("--metrics", default=os.environ.get("KEFU_BENCH_METRICS"),
                        help="name=url,… of services' /metrics to summarise at the end")
    args = parser.parse_args()
    if not args.redis_url or not args.database_url:
        parser.error("--redis-url and --database-url (or REDIS_URL, DATABASE_URL) are required")
    bench = Bench(args)
    try:
        return bench.run()
    finally:
        for process in bench.restarted:
            process.terminate()
        for process in bench.restarted:
            process.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
