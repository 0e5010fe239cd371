"""Static checks of the browser UI in Services/Gateway/GatewayService/Public (no browser needed).

- every JavaScript file parses (node --check, when node is installed);
- every i18n key the code uses exists in both languages, and both languages have the same keys;
- no user-facing Chinese text outside the i18n table (string literals and HTML text);
- no HTML injection sinks (innerHTML, outerHTML, insertAdjacentHTML, document.write);
- no external URLs (the UI works offline: no CDN).
"""

import os
import re
import shutil
import subprocess
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PUBLIC = os.path.join(ROOT, "Services", "Gateway", "GatewayService", "Public")
I18N = os.path.join(PUBLIC, "ui", "i18n.js")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
STRING = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|`(?:[^`\\]|\\.)*`")


def files(ext):
    for folder, _, names in os.walk(PUBLIC):
        for name in names:
            if name.endswith(ext):
                yield os.path.join(folder, name)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def strip_comments(source):
    """Removes // and /* */ comments outside string literals."""
    out = []
    i = 0
    n = len(source)
    while i < n:
        c = source[i]
        if c in "'\"`":
            match = STRING.match(source, i)
            if match:
                out.append(match.group(0))
                i = match.end()
                continue
        if source.startswith("//", i):
            while i < n and source[i] != "\n":
                i += 1
            continue
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if c == "/" and re.match(r"[=(,:!&|?{};\n]\s*$", "".join(out[-1:])[-3:] or "\n"):
            match = re.compile(r"/(?:[^/\\\n\[]|\\.|\[(?:[^\]\\]|\\.)*\])+/[a-z]*").match(source, i)
            if match:
                out.append(match.group(0))
                i = match.end()
                continue
        out.append(c)
        i += 1
    return "".join(out)


def i18n_tables():
    """The keys of the zh-CN and en tables, read from i18n.js."""
    source = read(I18N)
    start_en = source.index("\n  en: {")
    start_zh = source.index("'zh-CN': {")
    zh = re.findall(r"'([a-zA-Z0-9_.-]+)':", source[start_zh + 10: start_en])
    en = re.findall(r"'([a-zA-Z0-9_.-]+)':", source[start_en:])
    return zh, en


class StaticChecks(unittest.TestCase):
    def test_javascript_parses(self):
        node = shutil.which("node")
        if not node:
            self.skipTest("node is not installed")
        for path in files(".js"):
            result = subprocess.run(
                [node, "--experimental-default-type=module", "--check", path], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, f"{path}: {result.stderr}")

    def test_i18n_tables_match(self):
        zh, en = i18n_tables()
        self.assertGreater(len(zh), 300)
        self.assertEqual(len(zh), len(set(zh)), "duplicate keys in zh-CN: %s" % sorted({k for k in zh if zh.count(k) > 1}))
        self.assertEqual(len(en), len(set(en)), "duplicate keys in en: %s" % sorted({k for k in en if en.count(k) > 1}))
        self.assertEqual(sorted(set(zh) - set(en)), [], "keys missing in en")
        self.assertEqual(sorted(set(en) - set(zh)), [], "keys missing in zh-CN")

    def test_every_used_key_exists(self):
        zh, _ = i18n_tables()
        keys = set(zh)
        missing = set()
        prefixes = set()
        for path in files(".js"):
            source = strip_comments(read(path))
            for key in re.findall(r"\bt\('([a-zA-Z0-9_.-]+)'\s*[,)]", source):
                if key not in keys:
                    missing.add(f"{os.path.relpath(path, PUBLIC)}: {key}")
            prefixes.update(re.findall(r"\bt\('([a-zA-Z0-9_.-]+\.)'\s*\+", source))
            for array in re.findall(r"\[((?:\s*'[a-z]+\.[a-zA-Z0-9_.-]+',?)+)\s*\]", source):
                for key in re.findall(r"'([a-zA-Z0-9_.-]+)'", array):
                    if key.split(".")[0] in {k.split(".")[0] for k in keys} and key not in keys:
                        missing.add(f"{os.path.relpath(path, PUBLIC)}: {key}")
            for key in re.findall(r"data-i18n=\"([^\"]+)\"", source):
                if key not in keys:
                    missing.add(key)
        for path in files(".html"):
            for key in re.findall(r"data-i18n=\"([^\"]+)\"", read(path)):
                if key not in keys:
                    missing.add(f"{os.path.relpath(path, PUBLIC)}: {key}")
        self.assertEqual(sorted(missing), [])
        for prefix in prefixes:
            self.assertTrue(any(k.startswith(prefix) for k in keys), f"no key starts with {prefix}")
        # Dynamic families the code builds from server values.
        for family, values in {
            "reason.": ["visitor_button", "visitor_phrase", "agent", "idle_timeout", "queue_exit", "queue_timeout", "no_service"],
            "chat.ended.": ["visitor_button", "visitor_phrase", "agent", "idle_timeout", "queue_exit", "queue_timeout", "no_service"],
            "wb.queueReason.": ["visitor_request", "keyword", "bot_failures", "agent_gone"],
            "status.": ["online", "stop_accepting", "offline"],
            "lm.": ["unclaimed", "claimed", "closed", "claim", "close"],
            "type.": ["bot", "human"], "role.": ["agent", "admin"],
            "day.": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "admin.": ["human", "rating", "session", "accounts", "quick-replies", "knowledge", "leave", "records", "reports"],
            "rec.export.": ["sessions", "daily", "agents"], "qr.": ["public", "personal"],
        }.items():
            for value in values:
                self.assertIn(family + value, keys)

    def test_no_text_outside_the_table(self):
        offenders = []
        for path in files(".js"):
            if os.path.abspath(path) == os.path.abspath(I18N):
                continue
            source = strip_comments(read(path))
            for literal in STRING.findall(source):
                if CJK.search(literal):
                    offenders.append(f"{os.path.relpath(path, PUBLIC)}: {literal[:40]}")
        for path in files(".html"):
            text = re.sub(r"<!--.*?-->", "", read(path), flags=re.S)
            if CJK.search(text):
                offenders.append(os.path.relpath(path, PUBLIC))
        self.assertEqual(offenders, [])

    def test_no_html_injection_sinks(self):
        for path in files(".js"):
            source = strip_comments(read(path))
            for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
                self.assertNotIn(sink, source, f"{path} uses {sink}")

    def test_no_external_resources(self):
        for path in list(files(".js")) + list(files(".html")) + list(files(".css")):
            source = read(path)
            if path.endswith(".js"):
                source = strip_comments(source)
            for url in re.findall(r"https?://[^\s'\"<>)]+", source):
                if url == "http://www.w3.org/2000/svg":
                    continue  # the SVG namespace name, not a resource
                self.fail(f"{path} refers to {url}")


if __name__ == "__main__":
    unittest.main()
