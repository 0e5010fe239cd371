"""Runs examples/line_chat_bridge.py against the whole stack: a line typed on its TCP chat goes in through the
API channel, the bot's answer and routing's system messages come back through a signed webhook and out on
the same TCP connection. Also: a delivery with a wrong signature is refused by the bridge."""

import json
import os
import socket
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Browser"))
from stack import Stack, free_port  # noqa: E402

CHANNEL = "linechat"


class LineChatBridgeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = Stack()
        cls.stack.env = {"gateway": {"KEFU_WEBHOOKS_ALLOW_PRIVATE": "1"}}
        cls.stack.start()
        admin = cls.stack.login(*cls.stack.admin)
        created = cls.stack.api("POST", "/admin/channels", {"name": CHANNEL, "display_name": "TCP 聊天"}, token=admin)
        cls.key = created["key"]["key"]
        cls.chat_port, cls.webhook_port = free_port(), free_port()
        hook = cls.stack.api("POST", "/admin/webhooks", {
            "url": f"http://127.0.0.1:{cls.webhook_port}/kefu", "channels": [CHANNEL],
            "event_types": ["message.accepted", "session.assigned", "session.ended"]}, token=admin)
        cls.secret = hook["secret"]
        cls.bridge = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "examples", "line_chat_bridge.py"), "--kefu", cls.stack.url,
             "--channel", CHANNEL, "--key", cls.key, "--webhook-secret", cls.secret,
             "--chat-port", str(cls.chat_port), "--webhook-port", str(cls.webhook_port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        started = cls.bridge.stdout.readline()
        if "chat on" not in started:
            raise RuntimeError("the bridge did not start: " + started)

    @classmethod
    def tearDownClass(cls):
        cls.bridge.terminate()
        cls.bridge.wait(10)
        cls.bridge.stdout.close()
        cls.stack.stop()

    def read_until(self, reader, prefix, timeout=30):
        deadline = time.time() + timeout
        lines = []
        while time.time() < deadline:
            try:
                line = reader.readline()
            except socket.timeout:
                continue
            if not line:
                break
            lines.append(line.strip())
            if line.startswith(prefix):
                return line.strip(), lines
        self.fail(f"no line starting with {prefix!r} within {timeout} s; got {lines}")

    def test_a_whole_loop_over_tcp(self):
        with socket.create_connection(("127.0.0.1", self.chat_port), timeout=2) as conn:
            reader = conn.makefile("r", encoding="utf-8")
            self.addCleanup(reader.close)
            greeting, _ = self.read_until(reader, "[system] connected as tcp-")
            visitor = greeting.split()[3].rstrip(";")
            conn.sendall("你好，请问怎么退货？\n".encode())
            answer, _ = self.read_until(reader, "[bot] ")
            self.assertGreater(len(answer), len("[bot] "))
            current = self.http("GET", f"/api/v1/channels/{CHANNEL}/visitors/{visitor}/session", token=self.key)
            self.assertEqual(current[0], 200, current)
            session_id = current[1]["session"]["session_id"]
            # No agent is online: asking for one ends the session with routing's system messages.
            conn.sendall(b"/human\n")
            self.read_until(reader, "[system] ")
            self.read_until(reader, "[system] the session has ended")
        # What went in is in the channel's history, as that visitor's.
        status = self.http(
            "GET", f"/api/v1/channels/{CHANNEL}/visitors/{visitor}/history?session_id={session_id}", token=self.key)
        self.assertEqual(status[0], 200, status)
        texts = [item.get("data", {}).get("text") for item in status[1].get("items", [])]
        self.assertIn("你好，请问怎么退货？", texts)

    def test_a_delivery_with_a_wrong_signature_is_refused(self):
        body = json.dumps({"type": "message.accepted", "timestamp": "2026-12-07T00:00:00Z", "data": {}}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.webhook_port}/kefu", data=body, method="POST",
            headers={"webhook-id": "msg_forged", "webhook-timestamp": str(int(time.time())),
                     "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        self.assertEqual(refused.exception.code, 401)

    def http(self, method, path, token):
        request = urllib.request.Request(self.stack.url + path, method=method, headers={"Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    print(f"examples: {result.testsRun - len(result.failures) - len(result.errors)} passed, "
          f"{len(result.failures) + len(result.errors)} failed")
    sys.exit(0 if result.wasSuccessful() else 1)
