#!/usr/bin/env python3
"""Loads demo data into a running Kefu through the gateway's admin API (idempotent: safe to run again).

    python3 scripts/demo_data.py http://127.0.0.1:8080 ADMIN_USERNAME   (passwords read from the environment)

Environment: KEFU_ADMIN_PASSWORD (the bootstrap admin's), KEFU_AGENT_PASSWORD (given to the demo agents).
Creates two agents (agent1 客服小王, agent2 客服小李, 自动接入人数 3), imports the knowledge base of the
evaluation set (137 entries, Chinese e-commerce), a few public quick replies in two categories, and turns
satisfaction rating on with two demo sensitive words. Prints one line per step; exits 1 on the first failure.
"""
import json
import os
import pathlib
import sys
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
ENTRIES = ROOT / "Tests" / "KnowledgeServiceTests" / "Resources" / "eval" / "knowledge-entries.json"
AGENTS = [("agent1", "客服小王"), ("agent2", "客服小李")]
QUICK_REPLIES = {
    "问候": [("你好", "您好，很高兴为您服务，请问有什么可以帮您？"), ("稍等", "请稍等，我帮您查询一下。")],
    "结束": [("再见", "感谢您的咨询，祝您生活愉快！"), ("评价", "如果对本次服务满意，请给我们一个好评，谢谢！")],
}


class Demo:
    def __init__(self, base):
        self.base = base.rstrip("/") + "/api/v1/"
        self.token = None

    def call(self, method, path, body=None, raw=None, content_type="application/json"):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else {})
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, {"error": {"code": "http", "message": text[:200]}}

    def must(self, what, status, answer, allowed=(200, 201)):
        if status not in allowed:
            sys.exit("demo data: %s failed: HTTP %s %s" % (what, status, json.dumps(answer, ensure_ascii=False)[:300]))
        return answer


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    demo = Demo(sys.argv[1])
    admin_password = os.environ.get("KEFU_ADMIN_PASSWORD") or sys.exit("demo data: KEFU_ADMIN_PASSWORD is not set")
    agent_password = os.environ.get("KEFU_AGENT_PASSWORD") or sys.exit("demo data: KEFU_AGENT_PASSWORD is not set")

    # The gateway creates the bootstrap admin in the background right after it reports ready: allow it a moment.
    for _ in range(60):
        status, login = demo.call("POST", "auth/login", {"username": sys.argv[2], "password": admin_password})
        if status != 401:
            break
        time.sleep(0.5)
    login = demo.must("admin login", status, login)
    demo.token = login["access_token"]

    existing = {a["username"] for a in demo.must("list accounts", *demo.call("GET", "admin/accounts"))["items"]}
    for username, name in AGENTS:
        if username in existing:
            print("demo data: account %s exists" % username)
            continue
        demo.must("create " + username, *demo.call(
            "POST", "admin/accounts",
            {"username": username, "display_name": name, "role": "agent", "password": agent_password, "capacity": 3}))
        print("demo data: created agent %s (%s)" % (username, name))

    entries = json.loads(ENTRIES.read_text(encoding="utf-8"))
    rows = [{"question": e["question"], "similar": e["similarQuestions"], "answer": e["answer"],
             "category": e["category"], "enabled": e.get("enabled", True)} for e in entries]
    result = demo.must("knowledge import", *demo.call(
        "POST", "admin/knowledge/import?format=json&create_categories=true",
        raw=json.dumps(rows, ensure_ascii=False).encode(), content_type="application/json"))
    print("demo data: knowledge base: %s" % json.dumps(
        {k: result.get(k) for k in ("imported", "created", "updated", "unchanged", "error_count")}, ensure_ascii=False))

    library = demo.must("list public quick replies", *demo.call("GET", "admin/quick-replies"))
    categories = {c["name"]: c["category_id"] for c in library.get("categories", [])}
    keywords = {item["keyword"] for item in library.get("items", [])}
    for category, replies in QUICK_REPLIES.items():
        if category not in categories:
            created = demo.must("create category " + category, *demo.call(
                "POST", "admin/quick-reply-categories", {"name": category}))
            categories[category] = created["category_id"]
        for keyword, content in replies:
            if keyword in keywords:
                continue
            demo.must("create quick reply " + keyword, *demo.call(
                "POST", "admin/quick-replies", {"keyword": keyword, "content": content, "category_id": categories[category]}))
    print("demo data: public quick replies ready (%d)" % sum(len(r) for r in QUICK_REPLIES.values()))

    current = demo.must("read settings", *demo.call("GET", "admin/settings"))
    settings = current["settings"]
    settings["rating_enabled"] = True
    words = settings.get("sensitive_words", [])
    for word in ("傻瓜", "笨蛋"):
        if word not in words:
            words.append(word)
    settings["sensitive_words"] = words
    demo.must("update settings", *demo.call("PUT", "admin/settings", {"settings": settings, "expected_version": current["version"]}))
    print("demo data: settings version %d → rating on, sensitive words %s" % (current["version"], "、".join(words)))


if __name__ == "__main__":
    main()
