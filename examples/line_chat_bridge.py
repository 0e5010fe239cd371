#!/usr/bin/env python3
"""A reference connector: a line-based chat over TCP, bridged to Kefu through the API channel and webhooks.

Each TCP connection is one visitor. A line the visitor types becomes `POST /api/v1/channels/{channel}/messages`
(with a fresh `client_message_id`, so a retried line is accepted once); `/human`, `/end` and `/rate N` ask for
an agent, end the session and rate it. Kefu calls this bridge's webhook receiver with what visitors should
see; after checking the Standard Webhooks signature and dropping repeats (by `webhook-id`), the bridge writes
bot, agent and system messages to the visitor's connection as `[bot] …`, `[agent] …`, `[system] …` lines.

Python 3.9+, standard library only:

    python3 examples/line_chat_bridge.py --kefu http://127.0.0.1:8080 --channel linechat \\
        --key kefu_ck_… --webhook-secret whsec_… --chat-port 7000 --webhook-port 7001

then `nc 127.0.0.1 7000` and type. Register `http://<this host>:7001/kefu` as a webhook of the channel for
`message.accepted`, `session.assigned` and `session.ended` (docs/integrations.md shows how).
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import socketserver
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

TOLERANCE_SECONDS = 300


def verify(secret, headers, body):
    """Checks a Standard Webhooks signature: HMAC-SHA256 of `id.timestamp.body` with the decoded secret; any
    of the space-separated `v1,<base64>` signatures may match (two during a secret rotation)."""
    webhook_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not webhook_id or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.split("_", 1)[1] if secret.startswith("whsec_") else secret)
    expected = base64.b64encode(
        hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, part.split(",", 1)[1])
               for part in signatures.split() if part.startswith("v1,"))


class Bridge:
    """The visitors connected over TCP and the HTTP calls to Kefu."""

    def __init__(self, kefu, channel, key):
        self.kefu = kefu.rstrip("/")
        self.channel = channel
        self.key = key
        self.visitors = {}  # visitor_id -> socket file
        self.seen = set()  # webhook-ids already handled
        self.lock = threading.Lock()

    def call(self, path, body):
        request = urllib.request.Request(
            f"{self.kefu}/api/v1/channels/{self.channel}/{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": "Bearer " + self.key, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def visitor_line(self, visitor_id, line):
        """What a visitor typed: a command or a message."""
        if line in ("/human", "/end"):
            path = "request-human" if line == "/human" else "end"
            status, answer = self.call(path, {"visitor_id": visitor_id, "client_message_id": str(uuid.uuid4())})
        elif line.startswith("/rate "):
            status, answer = self.call("rating", {
                "visitor_id": visitor_id, "client_message_id": str(uuid.uuid4()), "stars": int(line.split()[1])})
        else:
            status, answer = self.call("messages", {
                "visitor_id": visitor_id, "client_message_id": str(uuid.uuid4()), "text": line})
        if status >= 400:
            self.write(visitor_id, "[error] " + answer.get("error", {}).get("message", str(status)))

    def write(self, visitor_id, text):
        with self.lock:
            out = self.visitors.get(visitor_id)
        if out is None:
            return
        try:
            out.write((text.replace("\n", " ") + "\n").encode())
            out.flush()
        except OSError:
            pass

    def event(self, webhook_id, body):
        """One webhook delivery: each `webhook-id` once; show what the visitor should see."""
        with self.lock:
            if webhook_id in self.seen:
                return
            self.seen.add(webhook_id)
        data = body.get("data", {})
        if data.get("channel") != self.channel:
            return
        visitor = data.get("visitor_id")
        kind = body.get("type")
        if kind == "message.accepted" and data.get("sender") in ("bot", "agent", "system"):
            self.write(visitor, f"[{data['sender']}] {data.get('text') or '(image)'}")
        elif kind == "session.assigned":
            self.write(visitor, f"[system] {data.get('agent_name', 'an agent')} is serving you")
        elif kind == "session.ended":
            self.write(visitor, "[system] the session has ended")


def serve(bridge, secret, chat_port, webhook_port, host="127.0.0.1"):
    """Starts the TCP chat and the webhook receiver; returns both servers (already serving in threads)."""

    class Chat(socketserver.StreamRequestHandler):
        def handle(self):
            visitor_id = "tcp-" + uuid.uuid4().hex[:12]
            with bridge.lock:
                bridge.visitors[visitor_id] = self.wfile
            bridge.write(visitor_id, f"[system] connected as {visitor_id}; type a question, /human, /end or /rate N")
            try:
                for raw in self.rfile:
                    line = raw.decode("utf-8", errors="replace").strip()
                    if line:
                        bridge.visitor_line(visitor_id, line)
            finally:
                with bridge.lock:
                    bridge.visitors.pop(visitor_id, None)

    class Webhook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            if not verify(secret, headers, body):
                self.send_response(401)
                self.end_headers()
                return
            bridge.event(headers["webhook-id"], json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    class ThreadingTCP(socketserver.ThreadingMixIn, socketserver.TCPServer):
        daemon_threads = True
        allow_reuse_address = True

    chat = ThreadingTCP((host, chat_port), Chat)
    hooks = http.server.ThreadingHTTPServer((host, webhook_port), Webhook)
    for server in (chat, hooks):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return chat, hooks


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kefu", required=True, help="the gateway's base URL")
    parser.add_argument("--channel", required=True, help="the API channel's name")
    parser.add_argument("--key", required=True, help="the channel's API key (kefu_ck_…)")
    parser.add_argument("--webhook-secret", required=True, help="the webhook endpoint's secret (whsec_…)")
    parser.add_argument("--chat-port", type=int, default=7000)
    parser.add_argument("--webhook-port", type=int, default=7001)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv[1:])
    bridge = Bridge(args.kefu, args.channel, args.key)
    serve(bridge, args.webhook_secret, args.chat_port, args.webhook_port, args.host)
    print(f"chat on {args.host}:{args.chat_port}, webhooks on http://{args.host}:{args.webhook_port}/kefu", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
