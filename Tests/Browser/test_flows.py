"""End-to-end scenarios in headless Chromium against the whole stack (issue 5's proof).

Scenario 1 (desktop, 1280×800): the admin turns rating on and adds a sensitive word, creates two agents,
a knowledge entry and a public quick reply; a visitor on a page with the widget asks the bot, asks for a
human while the only agent is 停止接入 and sees a live queue position; the agent switches to 在线 and gets
the session without reloading; they chat (the sensitive word arrives as *), the gateway restarts and
nothing is lost or duplicated; the visitor sends a PDF that the agent downloads (a type the admin turned
off and an executable named .pdf are refused with their reasons); the agent inserts a quick reply and
sends a smart-assist suggestion, transfers to a second agent who sees the whole history; the visitor ends
with the end button and gives 5 stars; the admin finds the session as a human session in the records and downloads its CSV.

Scenario 2 (phone, 375×667): out of hours (a holiday override set in the admin console), the H5 visitor
asks for a human, gets the leave-a-message form, leaves a message with a phone number and an image; the
admin claims and closes it; the page switches to English.

Scenario 5: an internal note (内部备注) shows in the agent's transcript and never on the visitor's page; with
会话小结 required, the agent who ends a session gets no new one until the summary is written, and a category
deleted while the form is open is refused with its reason.

Scenario 7: a VIP (signed identity, priority 7) who asks for a human after two normal visitors is served first
when the agent goes online; an agent blocks (拉黑) a visitor whose next message is refused with the neutral notice,
the admin lifts the block on 黑名单; a supervisor watches two agents in two skill groups (one queue per group,
charts starting with an hour of history, 最长等待回复 until the agent answers); the bot's group menu is buttons
chosen with the keyboard; an admin blocks a visitor from 会话记录.

Each step saves screenshots under .build/browser-artifacts/ and fails on browser console errors. A step
that fails stops the steps after it that depend on it (they are reported as skipped, with the reason).
"""

import base64
import json
import datetime
import os
import struct
import time
import unittest
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser import ARTIFACTS, Browser, files_in, wait_for_file
from stack import Stack, StackError

STACK = None
STACK_ERROR = None

AGENT1 = ("xiaowang", "客服小王", "agent-pass-1")
AGENT2 = ("xiaoli", "客服小李", "agent-pass-2")
QUESTION = "发票可以重新开吗？"
# With the one-entry knowledge base of test_02 this is in the 猜你想问 band (confidence 0.35–0.60; 0.45–0.50
# with the matcher of issue 13 round 2, measured with `kefu knowledge-eval --threshold`).
UNSURE_QUESTION = "发票怎么弄"
ANSWER = "可以的，请在“我的订单”中申请换开发票，1-3 个工作日内重新开具。"
QUICK_KEYWORD = "问候"
QUICK_CONTENT = "您好，很高兴为您服务！请问有什么可以帮您？"
SENSITIVE = "傻瓜"
IDENTITY_SECRET = "kefu-browser-identity-secret-0123456789abcdef"


def setUpModule():
    global STACK, STACK_ERROR
    try:
        stack = Stack()
        # The webhook receiver of Test3Integrations listens on loopback.
        # Test7's VIP opens the H5 page with a signed identity (docs/integrations.md#signed-visitor-identity).
        stack.env = {"gateway": {"KEFU_WEBHOOKS_ALLOW_PRIVATE": "1", "KEFU_VISITOR_IDENTITY_SECRET": IDENTITY_SECRET}}
        STACK = stack.start()
    except StackError as error:
        STACK_ERROR = str(error)
    except Exception as error:  # noqa: BLE001 - reported by every test
        STACK_ERROR = f"{type(error).__name__}: {error}"


def tearDownModule():
    if STACK:
        STACK.stop()


def png_file(folder):
    """Writes a small valid PNG and returns its path."""
    width, height = 24, 16
    rows = b"".join(b"\x00" + bytes([30, 100, 220]) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "picture.png")
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def sample_files(folder):
    """Writes a small PDF, a ZIP archive and an executable named like a PDF; returns their paths."""
    import zipfile
    os.makedirs(folder, exist_ok=True)
    pdf = os.path.join(folder, "报价单.pdf")
    with open(pdf, "wb") as handle:
        handle.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    archive = os.path.join(folder, "photos.zip")
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("readme.txt", "hello")
    disguised = os.path.join(folder, "invoice.pdf.exe.pdf")
    with open(disguised, "wb") as handle:
        handle.write(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56))
    return pdf, archive, disguised


class Scenario(unittest.TestCase):
    """Ordered steps sharing browsers; a failed critical step skips the rest of its scenario."""

    folder_name = "scenario"
    broken = None
    browsers = {}

    @classmethod
    def setUpClass(cls):
        cls.browsers = {}
        cls.broken = None
        cls.state = {}
        cls.folder = os.path.join(ARTIFACTS, cls.folder_name)
        os.makedirs(cls.folder, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        for browser in cls.browsers.values():
            browser.quit()

    def browser(self, name, **options):
        if name not in self.browsers:
            self.browsers[name] = Browser(name, self.folder, **options)
        return self.browsers[name]

    def setUp(self):
        if STACK_ERROR:
            self.fail("the stack did not start: " + STACK_ERROR)
        if type(self).broken:
            self.skipTest(f"an earlier step failed ({type(self).broken})")

    def run_step(self, body, critical=True):
        try:
            body()
            self.check_consoles()
        except BaseException:
            if critical:
                type(self).broken = self._testMethodName
            for browser in self.browsers.values():
                browser.shot("failed-" + self._testMethodName)
                browser.console_errors()  # reported with this step's failure, not the next step's
            raise

    def check_consoles(self):
        problems = []
        for name, browser in self.browsers.items():
            for message in browser.console_errors():
                problems.append(f"{name}: {message}")
        self.assertEqual(problems, [], "browser console errors")

    # ---------- shared actions ----------

    def staff_login(self, browser, path, username, password):
        browser.get(STACK.url + path)
        browser.type("#login-username", username)
        browser.type("#login-password", password)
        browser.click("#login-submit")

    def admin_page(self, section):
        admin = self.browsers["admin"]
        admin.get(STACK.url + "/admin#/" + section)
        admin.visible("#page-" + section)
        return admin

    def save_settings(self, admin):
        admin.click("#settings-save")
        admin.text_appears(".toast", "已保存")
        admin.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, ".toast"), "toast gone", 10)

    def enter_widget(self, visitor):
        """Switches into the chat frame of the widget (inside its shadow root)."""
        visitor.driver.switch_to.default_content()
        host = visitor.wait(lambda d: d.find_element(By.ID, "kefu-widget"), "widget host")
        frame = visitor.wait(lambda d: host.shadow_root.find_element(By.CSS_SELECTOR, "iframe"), "widget frame")
        visitor.driver.switch_to.frame(frame)
        visitor.visible("#chat-input")

    def visitor_send(self, visitor, text):
        field = visitor.visible("#chat-input")
        field.send_keys(text)
        field.send_keys(Keys.ENTER)

    def agent_send(self, agent, text):
        field = agent.visible("#wb-input")
        field.clear()
        field.send_keys(text)
        field.send_keys(Keys.ENTER)


class Test1MainScenario(Scenario):
    folder_name = "1-main"

    def test_01_admin_settings_and_accounts(self):
        def body():
            admin = self.browser("admin", downloads=os.path.join(self.folder, "downloads"))
            self.staff_login(admin, "/admin", *STACK.admin)
            admin.visible("#nav-human")
            admin.shot("admin-console")
            self.admin_page("rating")
            box = admin.visible("#set-rating-enabled")
            if not box.is_selected():
                box.click()
            self.save_settings(admin)
            self.assertTrue(admin.visible("#set-rating-enabled").is_selected())
            self.admin_page("session")
            words = admin.visible("#set-sensitive-words")
            words.send_keys(Keys.END, "\n" + SENSITIVE)
            self.save_settings(admin)
            self.assertIn(SENSITIVE, admin.visible("#set-sensitive-words").get_attribute("value"))
            admin.shot("session-settings")
            self.admin_page("accounts")
            for username, name, password in (AGENT1, AGENT2):
                admin.click("#account-new")
                admin.type("#new-username", username)
                admin.type("#new-display-name", name)
                admin.type("#new-password", password)
                admin.type("#new-capacity", "3")
                admin.click("#account-create")
                admin.visible(f'tr[data-username="{username}"]')
            admin.shot("accounts")
        self.run_step(body)

    def test_02_admin_knowledge_and_public_quick_reply(self):
        def body():
            admin = self.admin_page("knowledge")
            admin.click("#kb-new")
            admin.type("#kb-question", QUESTION)
            admin.type("#kb-similar", "怎么重开发票")
            admin.type("#kb-answer", ANSWER)
            admin.click("#kb-save")
            admin.text_appears("#kb-rows tr", QUESTION)
            admin.type("#kb-test-input", "发票能重新开吗")
            admin.click("#kb-test-run")
            admin.text_appears("#kb-test-answered", "可以回答")
            admin.shot("knowledge")
            self.admin_page("quick-replies")
            admin.type("#pqr-new-category", "常用")
            admin.click("#pqr-add-category")
            admin.text_appears(".chip", "常用")
            admin.click("#pqr-add")
            admin.type("#qr-keyword", QUICK_KEYWORD)
            admin.type("#qr-content", QUICK_CONTENT)
            admin.js("const s = document.getElementById('qr-item-category'); s.selectedIndex = s.options.length - 1;")
            admin.click("#qr-save")
            admin.text_appears("#pqr-list", QUICK_KEYWORD)
            admin.shot("public-quick-replies")
        self.run_step(body, critical=False)

    def test_02b_admin_words_and_synonyms(self):
        def body():
            admin = self.admin_page("knowledge")
            admin.click("#kb-lexicon")
            admin.visible("#page-lexicon")
            admin.click("#lex-new")
            admin.type("#lex-word", "白条分期")
            admin.type("#lex-frequency", "5000")
            admin.click("#lex-save")
            admin.text_appears("#lex-rows tr", "白条分期")
            path = os.path.join(ARTIFACTS, "words.txt")
            os.makedirs(ARTIFACTS, exist_ok=True)
            with open(path, "w", encoding="utf-8") as file:
                file.write("# 行业词\n运费险\n券\n以旧换新 2000\n")
            admin.find("#lex-import-file").send_keys(path)
            admin.text_appears("#lex-import-report", "第 3 行")
            admin.text_appears("#lex-rows tr", "运费险")
            admin.shot("lexicon-words")
            admin.click("#lex-tab-synonyms")
            admin.click("#lex-new")
            admin.type("#lex-canonical", "积分")
            admin.type("#lex-variants", "米粒 积分点")
            admin.click("#lex-save")
            admin.text_appears("#lex-rows tr", "米粒")
            admin.click("#lex-rows tr .danger")
            admin.click("#confirm-ok")
            admin.text_appears("#lex-rows td", "还没有添加同义词")
            admin.shot("lexicon-synonyms")
        self.run_step(body, critical=False)

    def test_03_agent_logs_in_and_stops_accepting(self):
        def body():
            agent = self.browser("agent1", downloads=os.path.join(self.folder, "agent-downloads"))
            self.staff_login(agent, "/workbench", AGENT1[0], AGENT1[2])
            agent.text_appears("#me-name", AGENT1[1])
            agent.wait(lambda d: d.find_element(By.ID, "status-online").get_attribute("aria-pressed") == "true", "online after login")
            agent.click("#status-stop")
            agent.wait(lambda d: d.find_element(By.ID, "status-stop").get_attribute("aria-pressed") == "true", "停止接入 pressed")
            agent.text_appears("#wb-connection", "已连接")
            agent.shot("stop-accepting")
        self.run_step(body)

    def test_04_visitor_asks_the_bot(self):
        def body():
            visitor = self.browser("visitor")
            visitor.get(STACK.url + "/demo/")
            host = visitor.wait(lambda d: d.find_element(By.ID, "kefu-widget"), "widget host")
            launcher = visitor.wait(lambda d: host.shadow_root.find_element(By.CSS_SELECTOR, "#kefu-launcher"), "launcher")
            visitor.wait(lambda d: launcher.text.strip() == "在线客服", "launcher label from the chat frame")
            visitor.shot("page-with-launcher")
            launcher.click()
            self.enter_widget(visitor)
            visitor.text_appears(".line.welcome", "智能客服")
            self.visitor_send(visitor, QUESTION)
            visitor.text_appears(".msg.visitor:not(.pending)", QUESTION)
            bot = visitor.visible(".msg.bot .msg-text", timeout=30)
            self.state["bot_text"] = bot.text
            visitor.shot("bot-answer")
            self.state["session"] = visitor.js("return window.kefuChat.sessionId")
            self.assertTrue(self.state["session"])
        self.run_step(body)

    def test_05_bot_answer_comes_from_the_knowledge_base(self):
        self.run_step(lambda: self.assertIn("换开发票", self.state.get("bot_text", "")), critical=False)

    def test_05b_bot_offers_choices_and_a_click_asks(self):
        def body():
            visitor = self.browsers["visitor"]
            self.visitor_send(visitor, UNSURE_QUESTION)
            choice = visitor.text_appears(".msg.bot .choice", QUESTION)
            visitor.text_appears(".msg.bot .choices", "您是不是想问")
            visitor.shot("did-you-mean")
            choice.click()
            visitor.wait(lambda d: len([e for e in d.find_elements(By.CSS_SELECTOR, ".msg.visitor:not(.pending) .msg-text")
                                        if e.text.strip() == QUESTION]) >= 2, "the click asked the standard question")
            visitor.wait(lambda d: len([e for e in d.find_elements(By.CSS_SELECTOR, ".msg.bot .msg-text")
                                        if "换开发票" in e.text]) >= 2, "the bot answered it")
        self.run_step(body, critical=False)

    def test_05c_visitor_marks_a_bot_answer_not_useful(self):
        def body():
            visitor = self.browsers["visitor"]
            bar = visitor.visible(".msg.bot .feedback")
            visitor.click(".msg.bot .feedback .feedback-btn.not-useful")
            visitor.wait(lambda d: "done" in (bar.get_attribute("class") or ""), "the feedback was taken")
            self.assertEqual(bar.find_element(By.CSS_SELECTOR, ".not-useful").get_attribute("aria-pressed"), "true")
            self.assertIn("感谢反馈", bar.text)
            self.assertFalse(bar.find_element(By.CSS_SELECTOR, ".useful").is_enabled(), "a second click is possible")
            visitor.shot("feedback-not-useful")
        self.run_step(body, critical=False)

    def test_06_visitor_requests_a_human_and_queues(self):
        def body():
            visitor = self.browsers["visitor"]
            visitor.click("#chat-human")
            box = visitor.visible("#queue-box")
            visitor.wait(lambda d: d.find_element(By.ID, "queue-position").get_attribute("data-position") == "1", "queue position 1")
            self.assertTrue(visitor.find("#queue-prompt").text.strip())
            self.assertIn("第 1 位", box.text)
            visitor.shot("queued")
            agent = self.browsers["agent1"]
            agent.wait(lambda d: d.find_element(By.ID, "queue-count").text == "1", "the agent sees 1 waiting")
            agent.shot("one-waiting")
        self.run_step(body)

    def test_06b_second_visitor_queues_behind_and_exits(self):
        def body():
            other = self.browser("visitor2")
            other.get(STACK.url + "/chat")
            other.visible("#chat-input")
            other.click("#chat-human")
            other.wait(lambda d: d.find_element(By.ID, "queue-position").get_attribute("data-position") == "2", "second in the queue")
            self.assertIn("前面 1 人", other.find("#queue-facts").text)
            other.shot("second-in-queue")
            other.click("#queue-exit")
            other.text_appears(".line", "您已退出排队")
            other.wait(lambda d: not d.find_element(By.ID, "queue-box").is_displayed(), "queue box hidden")
            visitor = self.browsers["visitor"]
            self.assertEqual(visitor.find("#queue-position").get_attribute("data-position"), "1")
            self.browsers["agent1"].wait(lambda d: d.find_element(By.ID, "queue-count").text == "1", "one waiting again")
        self.run_step(body, critical=False)

    def test_07_agent_goes_online_and_gets_the_session(self):
        def body():
            agent = self.browsers["agent1"]
            before = int(agent.js("return Number(document.body.dataset.notified || 0)"))
            agent.click("#status-online")
            item = f'.session-item[data-session="{self.state["session"]}"]'
            agent.visible(item)
            agent.wait(lambda d: int(d.execute_script("return Number(document.body.dataset.notified || 0)")) > before, "notification")
            agent.wait(lambda d: d.find_element(By.ID, "queue-count").text == "0", "queue drained")
            agent.shot("session-arrived")
            agent.click(item)
            agent.text_appears("#wb-messages .msg.visitor", QUESTION)
            agent.visible("#wb-messages .msg.bot")
            visitor = self.browsers["visitor"]
            visitor.text_appears(".line", AGENT1[1])
            visitor.wait(lambda d: not d.find_element(By.ID, "queue-box").is_displayed(), "queue box hidden")
            visitor.shot("agent-joined")
        self.run_step(body)

    def test_08_chat_with_masking_and_escaping(self):
        def body():
            visitor = self.browsers["visitor"]
            agent = self.browsers["agent1"]
            self.visitor_send(visitor, f"你真是个{SENSITIVE}吗")
            agent.text_appears("#wb-messages .msg.visitor", "你真是个**吗")
            visitor.text_appears(".msg.visitor:not(.pending)", "你真是个**吗")
            self.assertNotIn(SENSITIVE, agent.find("#wb-messages").text)
            self.agent_send(agent, "您好，我是客服小王")
            visitor.text_appears(".msg.agent", "您好，我是客服小王")
            field = agent.visible("#wb-input")
            field.send_keys("第一行", Keys.SHIFT, Keys.ENTER, Keys.SHIFT, "第二行")
            self.assertEqual(field.get_attribute("value"), "第一行\n第二行", "Shift+Enter must add a line, not send")
            field.send_keys(Keys.ENTER)
            line = visitor.text_appears(".msg.agent .msg-text", "第二行")
            self.assertEqual(line.text, "第一行\n第二行")
            probe = "<img src=x onerror=window.__xss=1><b>bold</b>"
            self.visitor_send(visitor, probe)
            agent.text_appears("#wb-messages .msg.visitor", "<b>bold</b>")
            for browser in (agent, visitor):
                self.assertIsNone(browser.js("return window.__xss === undefined ? null : window.__xss"))
                self.assertEqual(browser.js("return document.querySelectorAll('.messages b, .messages img[src=\"x\"]').length"), 0)
            agent.shot("chat")
            visitor.shot("chat")
        self.run_step(body)

    def test_08a_typing_and_read_marks_show_on_the_other_side(self):
        def body():
            visitor = self.browsers["visitor"]
            agent = self.browsers["agent1"]
            time.sleep(1.1)  # past the last signal's one-second throttle
            visitor.visible("#chat-input").send_keys("我想问一下退")
            agent.text_appears("#wb-typing", "访客正在输入：我想问一下")
            agent.shot("visitor-typing")
            time.sleep(1.1)
            agent.visible("#wb-input").send_keys("好的")
            visitor.text_appears("#chat-status", "正在输入")
            visitor.shot("agent-typing")
            agent.wait(lambda d: not d.find_element(By.ID, "wb-typing").is_displayed(), "visitor typing hint gone", 10)
            visitor.wait(lambda d: "正在输入" not in d.find_element(By.ID, "chat-status").text, "agent typing hint gone", 10)
            visitor.find("#chat-input").clear()
            agent.find("#wb-input").clear()
            # Read marks: both sides were looking, so each sees its own messages as read.
            agent.text_appears("#wb-messages .msg.agent.mine .read-mark", "已读")
            visitor.text_appears(".msg.visitor .read-mark", "已读")
            agent.shot("read-marks")
        self.run_step(body)

    def test_08b_images_by_paste_and_by_file(self):
        def body():
            visitor = self.browsers["visitor"]
            agent = self.browsers["agent1"]
            with open(png_file(self.folder), "rb") as handle:
                data = base64.b64encode(handle.read()).decode()
            visitor.js("""
                const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
                const data = new DataTransfer();
                data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
                document.getElementById('chat-input').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
            """, data)
            agent.wait(lambda d: d.execute_script(
                "return Array.from(document.querySelectorAll('#wb-messages .msg.visitor img.msg-image')).some(i => i.complete && i.naturalWidth === 24)"),
                "the pasted image shown to the agent", 30)
            agent.find("#wb-image-input").send_keys(png_file(self.folder))
            visitor.wait(lambda d: d.execute_script(
                "return Array.from(document.querySelectorAll('.msg.agent img.msg-image')).some(i => i.complete && i.naturalWidth === 24)"),
                "the agent's image shown to the visitor", 30)
            agent.shot("images")
            visitor.shot("images")
        self.run_step(body, critical=False)

    def test_08c_files_pdf_to_the_agent_refused_types_shown(self):
        def body():
            admin = self.admin_page("files")
            box = admin.visible("#set-file-type-zip")
            if box.is_selected():
                box.click()
            self.save_settings(admin)
            self.assertFalse(admin.visible("#set-file-type-zip").is_selected())
            self.assertTrue(admin.visible("#set-file-type-pdf").is_selected())
            admin.shot("file-settings")

            visitor = self.browsers["visitor"]
            agent = self.browsers["agent1"]
            pdf, archive, disguised = sample_files(os.path.join(self.folder, "files"))
            visitor.find("#chat-file-input").send_keys(pdf)
            visitor.text_appears(".msg.visitor .file-card .file-name", "报价单.pdf", timeout=30)
            card = agent.visible("#wb-messages .msg.visitor .file-card", timeout=30)
            self.assertIn("报价单.pdf", card.text)
            self.assertIn(f"{os.path.getsize(pdf)} B", card.text)
            before = files_in(agent.downloads)
            agent.click("#wb-messages .msg.visitor .file-card .file-download")
            saved = wait_for_file(agent.downloads, ".pdf", before)
            time.sleep(0.5)
            with open(saved, "rb") as got, open(pdf, "rb") as sent:
                self.assertEqual(got.read(), sent.read())
            self.assertEqual(os.path.basename(saved), "报价单.pdf")
            agent.shot("file-card")

            visitor.expect_errors("status of 415")
            visitor.find("#chat-file-input").send_keys(archive)
            visitor.text_appears(".toast", "管理员不允许发送这种类型的文件")
            visitor.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, ".toast"), "toast gone", 15)
            visitor.find("#chat-file-input").send_keys(disguised)
            visitor.text_appears(".toast", "无法识别的文件类型")
            visitor.shot("file-refused")
            self.assertEqual(len(visitor.finds(".msg.visitor .file-card")), 1, "a refused file is not shown as sent")
        self.run_step(body, critical=False)

    def test_09_network_drop_and_reload_lose_nothing(self):
        def body():
            visitor = self.browsers["visitor"]
            agent = self.browsers["agent1"]
            # Every open page loses the gateway for a moment: its failed requests are expected here only.
            for browser in self.browsers.values():
                browser.expect_errors(r"WebSocket", r"ERR_CONNECTION_REFUSED", r"Failed to load resource", r"net::ERR")
            STACK.stop_service("gateway")
            visitor.text_appears("#chat-banner", "网络已断开", timeout=15)
            self.visitor_send(visitor, "断网时发送的消息")
            visitor.visible(".msg.pending.failed", timeout=20)
            visitor.shot("send-failed")
            STACK.start_service("gateway")
            STACK.wait_ready("gateway")
            visitor.text_appears(".msg.visitor:not(.pending)", "断网时发送的消息", timeout=40)
            agent.text_appears("#wb-messages .msg.visitor", "断网时发送的消息", timeout=40)
            self.agent_send(agent, "网络恢复后客服的回复")
            visitor.text_appears(".msg.agent", "网络恢复后客服的回复", timeout=30)
            # Counted in the page in one go: the lists may re-render between two WebDriver calls.
            count = "return Array.from(document.querySelectorAll(arguments[0])).filter((e) => e.textContent.includes(arguments[1])).length"
            self.assertEqual(visitor.js(count, ".msg.visitor", "断网时发送的消息"), 1)
            self.assertEqual(agent.js(count, "#wb-messages .msg.visitor", "断网时发送的消息"), 1)
            for browser in self.browsers.values():
                browser.console_errors()
                browser.forget_expected()
            visitor.driver.switch_to.default_content()
            visitor.driver.refresh()
            self.enter_widget(visitor)
            visitor.text_appears(".msg.agent", "网络恢复后客服的回复")
            seqs = visitor.js("return Array.from(document.querySelectorAll('#messages > li[data-seq]')).map(li => li.dataset.session + ':' + li.dataset.seq)")
            self.assertEqual(len(seqs), len(set(seqs)), "a seq is shown twice after the reload")
            self.assertEqual(len([e for e in visitor.finds(".msg.visitor") if "断网时发送的消息" in e.text]), 1)
            visitor.shot("after-reload")
        self.run_step(body)

    def test_10_quick_reply_inserted_and_sent(self):
        def body():
            agent = self.browsers["agent1"]
            visitor = self.browsers["visitor"]
            agent.click("#tab-quick")
            agent.click("#qr-tab-public")
            agent.click(f'.qr-item[data-keyword="{QUICK_KEYWORD}"]')
            self.assertIn(QUICK_CONTENT, agent.find("#wb-input").get_attribute("value"))
            agent.shot("quick-reply-inserted")
            agent.find("#wb-input").send_keys(Keys.ENTER)
            visitor.text_appears(".msg.agent", QUICK_CONTENT)
        self.run_step(body, critical=False)

    def test_11_smart_assist_suggestion_sent(self):
        def body():
            agent = self.browsers["agent1"]
            visitor = self.browsers["visitor"]
            self.visitor_send(visitor, "发票能重新开具吗")
            agent.text_appears("#wb-messages .msg.visitor", "发票能重新开具吗")
            suggestion = agent.visible("#assist-send-0", timeout=30)
            self.assertIn("换开发票", suggestion.text)
            # The panel must not hide the newest message, at this size and at 1440×900: after the suggestions
            # arrived (the panel grew) the newest message's box is inside the list's box, above the panel.
            newest_visible = """
                const list = document.getElementById('wb-messages');
                const rows = list.querySelectorAll('.msg');
                const last = rows[rows.length - 1].getBoundingClientRect();
                const box = list.getBoundingClientRect();
                const panel = document.getElementById('assist-panel').getBoundingClientRect();
                return last.bottom <= box.bottom + 1 && last.bottom <= panel.top + 1 && last.top >= box.top - 1;
            """
            time.sleep(1)
            self.assertTrue(agent.js(newest_visible), "the smart-assist panel hides the newest message")
            size = agent.driver.get_window_size()
            agent.driver.set_window_size(1440, 900)
            time.sleep(1)
            self.assertTrue(agent.js(newest_visible), "the smart-assist panel hides the newest message at 1440x900")
            agent.shot("smart-assist-1440x900")
            agent.driver.set_window_size(size["width"], size["height"])
            agent.shot("smart-assist")
            suggestion.click()
            visitor.text_appears(".msg.agent", ANSWER)
        self.run_step(body, critical=False)

    def test_11b_question_capture(self):
        def body():
            agent = self.browsers["agent1"]
            agent.click("#tool-capture")
            agent.visible("#capture-bar")

            def pick(css, text):
                agent.retry(lambda: agent.text_appears(css, text).find_element(By.CSS_SELECTOR, "input.capture-pick").click())

            pick("#wb-messages .msg.visitor", "发票能重新开具吗")
            pick("#wb-messages .msg.agent", ANSWER)
            agent.click("#capture-next")
            question = agent.visible("#capture-question")
            self.assertEqual(question.get_attribute("value"), "发票能重新开具吗")
            question.send_keys("？")
            self.assertEqual(agent.find("#capture-answer").get_attribute("value"), ANSWER)
            agent.shot("capture")
            agent.click("#capture-save")
            agent.text_appears(".toast", "已收录到知识库")
            agent.wait(lambda d: not d.find_element(By.ID, "capture-bar").is_displayed(), "capture mode off")
        self.run_step(body, critical=False)

    def test_12_transfer_to_a_second_agent_with_history(self):
        def body():
            second = self.browser("agent2")
            self.staff_login(second, "/workbench", AGENT2[0], AGENT2[2])
            second.text_appears("#me-name", AGENT2[1])
            second.wait(lambda d: d.find_element(By.ID, "status-online").get_attribute("aria-pressed") == "true", "agent2 online")
            agent = self.browsers["agent1"]
            agent.click("#tool-transfer")
            label = agent.text_appears("#transfer-agents label", AGENT2[1])
            self.assertIn("/", label.text)
            agent.retry(lambda: agent.text_appears("#transfer-agents label", AGENT2[1]).click())
            agent.shot("transfer-dialog")
            agent.click("#transfer-confirm")
            item = f'.session-item[data-session="{self.state["session"]}"]'
            second.visible(item, timeout=30)
            # Keyboard focus on the session row survives the list's updates (a new message re-renders it).
            second.js("arguments[0].focus()", second.find(item))
            visitor = self.browsers["visitor"]
            self.visitor_send(visitor, "还在吗")
            badge = second.visible(f'.session-item[data-session="{self.state["session"]}"] .unread')
            self.assertEqual(badge.text, "1")
            self.assertEqual(second.js("return document.activeElement.dataset.session || document.activeElement.tagName"),
                             self.state["session"], "the list update dropped keyboard focus")
            second.visible(f'.session-item[data-session="{self.state["session"]}"] .waiting')
            second.shot("unread")
            second.click(item)
            second.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, ".session-item .unread"), "unread cleared")
            second.text_appears("#wb-messages .msg.visitor", QUESTION)
            second.visible("#wb-messages .msg.bot")
            second.text_appears("#wb-messages .msg.agent", "您好，我是客服小王")
            second.text_appears("#wb-messages .line", AGENT2[1])
            second.wait(lambda d: d.find_element(By.ID, "visitor-first-seen").text not in ("", "加载中…", "Loading…"),
                        "visitor info loads after the transfer", timeout=20)
            second.wait(lambda d: "加载中" not in d.find_element(By.ID, "visitor-previous").text, "previous sessions load", timeout=20)
            second.shot("history-after-transfer")
            visitor.text_appears(".line", "已为您转接至客服 " + AGENT2[1])
            self.agent_send(second, "我是客服小李，继续为您服务")
            visitor.text_appears(".msg.agent", "我是客服小李，继续为您服务")
            agent.wait(lambda d: d.find_element(By.CSS_SELECTOR, f'.session-item[data-session="{self.state["session"]}"]').get_attribute("class").find("ended") >= 0,
                       "agent1 sees the session as handed over")
        self.run_step(body)

    def test_12b_personal_quick_reply_library(self):
        def body():
            second = self.browsers["agent2"]
            visitor = self.browsers["visitor"]
            second.click("#tab-quick")
            second.click("#qr-manage")
            second.visible("#qr-manager")
            second.type("#qrm-new-category", "我的")
            second.click("#qrm-add-category")
            second.text_appears("#qr-manager .chip", "我的")
            second.click("#qrm-add")
            second.type("#qr-keyword", "稍等")
            second.type("#qr-content", "请稍等，我帮您查询一下。")
            second.click("#qr-save")
            second.text_appears("#qrm-list", "稍等")
            second.shot("personal-library")
            second.find("#qr-manager").send_keys(Keys.ESCAPE)
            second.wait(lambda d: not d.find_elements(By.ID, "qr-manager"), "manager closed")
            second.click("#qr-tab-personal")
            second.type("#qr-search", "稍等")
            second.click('.qr-item[data-keyword="稍等"]')
            second.find("#wb-input").send_keys(Keys.ENTER)
            visitor.text_appears(".msg.agent", "请稍等，我帮您查询一下。")
        self.run_step(body, critical=False)

    def test_13_visitor_ends_and_rates_five_stars(self):
        def body():
            visitor = self.browsers["visitor"]
            # 结束会话 asks first; cancelling keeps the session.
            visitor.click("#chat-end")
            visitor.visible("#confirm-dialog")
            visitor.shot("end-confirm")
            visitor.click("#confirm-cancel")
            visitor.wait(lambda d: not d.find_elements(By.ID, "confirm-dialog"), "confirmation closed")
            time.sleep(1)
            self.assertFalse(visitor.finds("#rating-card"), "cancelling must not end the session")
            visitor.click("#chat-end")
            visitor.click("#confirm-ok")
            card = visitor.visible("#rating-card")
            visitor.shot("rating-card")
            # Keyboard only: focus the first star, arrows to five, Tab to the comment and to the button.
            visitor.js("document.querySelector('#rating-card .star').focus()")
            first = visitor.driver.switch_to.active_element
            first.send_keys(Keys.SPACE)
            for _ in range(4):
                visitor.driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
            self.assertEqual(len(card.find_elements(By.CSS_SELECTOR, ".star.on")), 5)
            focused = visitor.js("const e = document.activeElement; return [e.dataset.stars, getComputedStyle(e).outlineStyle]")
            self.assertEqual(focused[0], "5")
            self.assertNotEqual(focused[1], "none", "the focused star has no visible outline")
            visitor.driver.switch_to.active_element.send_keys(Keys.TAB)
            visitor.driver.switch_to.active_element.send_keys("很满意")
            self.assertEqual(visitor.js("return document.activeElement.id"), "rating-comment")
            visitor.driver.switch_to.active_element.send_keys(Keys.TAB)
            self.assertEqual(visitor.js("return document.activeElement.id"), "rating-submit")
            visitor.driver.switch_to.active_element.send_keys(Keys.ENTER)
            visitor.text_appears("#rating-done", "5 星")
            visitor.shot("rated")
            second = self.browsers["agent2"]
            second.visible("#conv-ended")
            second.text_appears("#wb-messages .line", "访客点击结束")
        self.run_step(body)

    def test_14_admin_finds_the_human_session_and_downloads_csv(self):
        def body():
            admin = self.admin_page("records")
            admin.js("const s = document.getElementById('rec-type'); s.value = 'human';")
            session = self.state["session"]
            row = None
            for _ in range(20):
                # Two quick clicks: the second search supersedes the first, nothing is appended twice.
                admin.js("const b = document.getElementById('records-search'); b.click(); b.click();")
                admin.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#records-rows tr[data-session], #records-empty, #records-rows .form-error"), "records loaded")
                rows = admin.finds(f'#records-rows tr[data-session="{session}"]')
                if rows:
                    row = rows[0]
                    break
                time.sleep(1)
            self.assertIsNotNone(row, "the session is not in the records")
            self.assertEqual(row.get_attribute("data-type"), "human")
            time.sleep(1.5)
            ids = admin.js("return Array.from(document.querySelectorAll('#records-rows tr[data-session]')).map((r) => r.dataset.session)")
            self.assertEqual(len(ids), len(set(ids)), "a session is listed twice")
            admin.shot("records")
            admin.retry(lambda: admin.find(f'#records-rows tr[data-session="{session}"] .open-transcript').click())
            admin.text_appears("#transcript .msg.visitor", QUESTION)
            admin.text_appears("#transcript .msg.bot .feedback-badge.not-useful", "没用")
            admin.text_appears("#record-facts", "没用 1")
            admin.shot("transcript")
            admin.find("#transcript-dialog").send_keys(Keys.ESCAPE)
            admin.wait(lambda d: not d.find_elements(By.ID, "transcript-dialog"), "transcript closed")
            for name in files_in(admin.downloads):
                os.remove(os.path.join(admin.downloads, name))
            admin.click("#export-sessions")
            path = wait_for_file(admin.downloads, ".csv", timeout=30)
            with open(path, encoding="utf-8-sig") as handle:
                content = handle.read()
            self.assertIn(session, content)
            self.assertIn("human", content)
            self.assertNotIn(",bot,", content, "the export ignores the 会话类型 filter (人工)")
            # 会话类型 = 机器人: the human session is not exported.
            admin.js("document.getElementById('rec-type').value = 'bot';")
            for name in files_in(admin.downloads):
                os.remove(os.path.join(admin.downloads, name))
            admin.click("#export-sessions")
            path = wait_for_file(admin.downloads, ".csv", timeout=30)
            with open(path, encoding="utf-8-sig") as handle:
                bots = handle.read()
            self.assertNotIn(session, bots, "a human session in the bot-only export")
            admin.shot("csv-downloaded")
        self.run_step(body)

    def test_14b_admin_handles_unknown_questions(self):
        def body():
            admin = self.admin_page("unknown")
            key_unsure = UNSURE_QUESTION
            key_marked = QUESTION.rstrip("？").rstrip("吗")  # the group key drops punctuation and final particles
            admin.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'#uq-rows tr[data-key="{key_unsure}"]'), "the 猜你想问 question is listed")
            marked = admin.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'#uq-rows tr[data-key="{key_marked}"]'), "the 没用 answer is listed")[0]
            self.assertIn("没用 1", marked.text)
            admin.shot("unknown-questions")
            # 添加为相似问题: the matcher's closest entry is preselected.
            admin.click(f'#uq-rows tr[data-key="{key_unsure}"] .uq-similar')
            admin.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#uq-choices input[type=radio]:checked"), "an entry preselected")
            admin.shot("unknown-add-similar")
            admin.click("#uq-add")
            admin.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f'#uq-rows tr[data-key="{key_unsure}"]'), "the handled group left")
            # 忽略.
            admin.click(f'#uq-rows tr[data-key="{key_marked}"] .uq-ignore')
            admin.click("#confirm-ok")
            admin.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f'#uq-rows tr[data-key="{key_marked}"]'), "the ignored group left")
            # The page shows the same after a reload (handled on the server, not only on screen).
            admin = self.admin_page("unknown")
            admin.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#uq-rows tr[data-key], #uq-empty"), "list loaded")
            self.assertFalse(admin.finds(f'#uq-rows tr[data-key="{key_unsure}"]'))
            self.assertFalse(admin.finds(f'#uq-rows tr[data-key="{key_marked}"]'))
        self.run_step(body, critical=False)

    def test_15_report_charts(self):
        def body():
            admin = self.admin_page("reports")
            admin.visible("#chart-sessions svg")

            def values(css):
                return admin.js("return Array.from(document.querySelectorAll(arguments[0])).map(e => Number(e.getAttribute('data-value')))", css)

            admin.wait(lambda d: sum(values("#chart-sessions rect.bar")) >= 1, "sessions per day drawn")
            self.assertGreaterEqual(len(values("#chart-wait circle.dot")), 1, "no queue-wait point")
            ratings = values("#chart-rating rect.bar")
            self.assertEqual(len(ratings), 5)
            self.assertGreaterEqual(ratings[4], 1, "the 5-star rating is not counted")
            admin.text_appears("#report-totals .stat", "没用 1")
            admin.shot("reports")
        self.run_step(body, critical=False)


class Test2PhoneLeaveMessage(Scenario):
    folder_name = "2-phone"

    def test_01_admin_closes_today(self):
        def body():
            admin = self.browser("admin")
            self.staff_login(admin, "/admin", *STACK.admin)
            admin.visible("#nav-human")
            self.admin_page("human")
            admin.type("#set-timezone", "UTC")
            admin.click("#add-override")
            today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
            admin.js("const input = document.querySelector('#override-rows tr:last-child .ov-date'); input.value = arguments[0];", today)
            self.assertEqual(admin.find("#override-rows tr:last-child .ov-kind").get_attribute("value"), "closed")
            admin.shot("holiday-override")
            self.save_settings(admin)
            admin.wait(lambda d: d.execute_script("return Array.from(document.querySelectorAll('#override-rows .ov-date')).some(i => i.value === arguments[0])", today),
                       "the override is saved")
        self.run_step(body)

    def test_02_phone_visitor_leaves_a_message(self):
        def body():
            phone = self.browser("phone", phone=True)
            phone.get(STACK.url + "/chat")
            phone.visible("#chat-input")
            width = phone.js("return [document.documentElement.scrollWidth, window.innerWidth]")
            self.assertEqual(width[1], 375)
            self.assertLessEqual(width[0], width[1], "the page scrolls sideways at 375 px")
            self.visitor_send(phone, "你好")
            phone.visible(".msg.bot", timeout=30)
            phone.click("#chat-human")
            phone.visible("#leave-dialog", timeout=20)
            phone.text_appears(".line", "留言")
            phone.shot("no-service")
            phone.type("#leave-description", "周末想咨询退货流程，请联系我")
            phone.type("#leave-phone", "13800138000")
            phone.find("#leave-file").send_keys(png_file(self.folder))
            phone.visible("#leave-images li img")
            phone.shot("leave-form")
            phone.click("#leave-submit")
            phone.visible("#leave-done")
            phone.shot("left")
        self.run_step(body)

    def test_03_admin_claims_and_closes_the_message(self):
        def body():
            admin = self.admin_page("leave")
            item = admin.text_appears("#alm-list .lm-item", "周末想咨询退货流程")
            self.assertIn("13800138000", item.text)
            admin.visible("#alm-list .lm-item .msg-image")
            admin.shot("unclaimed")
            item.find_element(By.XPATH, ".//button[contains(., '接单')]").click()
            admin.click("#lm-confirm")
            admin.click("#alm-tab-claimed")
            item = admin.text_appears("#alm-list .lm-item", "周末想咨询退货流程")
            item.find_element(By.XPATH, ".//button[contains(., '结单')]").click()
            admin.type("#lm-note", "已电话回复")
            admin.click("#lm-confirm")
            admin.click("#alm-tab-closed")
            admin.text_appears("#alm-list .lm-item", "已电话回复")
            admin.shot("closed")
        self.run_step(body)

    def test_05_demo_page_has_a_language_switch(self):
        def body():
            page = self.browser("demo")
            page.get(STACK.url + "/demo/")
            page.visible("#lang-switch")
            title = page.find("h1").text
            page.click("#lang-switch")
            page.wait(lambda d: d.execute_script("return document.documentElement.lang") == "en", "English demo page")
            page.wait(lambda d: d.find_element(By.TAG_NAME, "h1").text != title, "the title is translated")
            page.shot("demo-english")
            page.click("#lang-switch")
            page.wait(lambda d: d.execute_script("return document.documentElement.lang") == "zh-CN", "back to Chinese")
        self.run_step(body, critical=False)

    def test_04_phone_page_switches_to_english(self):
        def body():
            phone = self.browsers["phone"]
            phone.click("#lang-switch")
            phone.wait(lambda d: d.find_element(By.ID, "chat-send").text == "Send", "English labels")
            phone.text_appears(".msg.visitor", "你好")
            self.assertEqual(phone.js("return document.documentElement.lang"), "en")
            phone.shot("english")
        self.run_step(body)


if __name__ == "__main__":
    unittest.main()


class Test3Integrations(Scenario):
    """An admin creates an API channel (its key shown once) and a webhook; an integrator sends with the key;
    a delivery the receiver refused (410, dead) is retried from the deliveries list and arrives."""

    folder_name = "3-integrations"

    def test_01_api_channel_key_and_webhook_retry(self):
        import http.server
        import threading
        import urllib.request

        received = []

        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.append((self.headers.get("webhook-id"), json.loads(body)))
                self.send_response(410 if len(received) == 1 else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)

        def body():
            admin = self.browser("admin")
            self.staff_login(admin, "/admin", *STACK.admin)
            admin.visible("#nav-human")
            admin.get(STACK.url + "/admin#/webhooks")
            admin.click("#webhook-new")
            admin.type("#wh-new-url", f"http://127.0.0.1:{server.server_port}/hook")
            admin.type("#wh-new-channels", "shopapp")
            admin.click("#webhook-create")
            secret = admin.visible("#wh-secret").get_attribute("value")
            self.assertTrue(secret.startswith("whsec_"), secret)
            admin.click("#webhook-secret-dialog .modal-actions .btn")
            admin.text_appears("#webhooks-table", f"127.0.0.1:{server.server_port}")
            admin.shot("webhooks")

            admin.get(STACK.url + "/admin#/channels")
            admin.click("#channel-new")
            admin.type("#new-channel-name", "shopapp")
            admin.type("#new-channel-display", "商城 App")
            admin.click("#channel-create")
            key = admin.visible("#key-secret").get_attribute("value")
            self.assertTrue(key.startswith("kefu_ck_"), key)
            admin.shot("api-key-once")
            admin.click("#key-secret-dialog .modal-actions .btn.primary")
            admin.text_appears("#channels-table", "shopapp")

            request = urllib.request.Request(
                STACK.url + "/api/v1/channels/shopapp/messages", method="POST",
                data=json.dumps({"visitor_id": "u-1", "client_message_id": "m-1", "text": "你好"}).encode(),
                headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=15) as response:
                self.assertEqual(response.status, 200)

            admin.get(STACK.url + "/admin#/webhooks")

            def deliveries_show(condition, what):
                """Opens the endpoint's deliveries again until `condition(driver)` holds (the list is read on open)."""
                deadline = time.time() + 30
                while time.time() < deadline:
                    for close in admin.finds("#webhook-deliveries-dialog .modal-head button"):
                        close.click()
                    admin.click("#webhooks-table .wh-deliveries")
                    admin.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#wh-deliveries table, #wh-deliveries .hint"), "deliveries read")
                    if condition(admin.driver):
                        return
                    time.sleep(0.5)
                self.fail(what)

            deliveries_show(lambda d: d.find_elements(By.CSS_SELECTOR, "#wh-deliveries .wh-s-dead"), "the refused delivery is not listed as dead")
            admin.shot("webhook-dead")
            admin.click("#wh-deliveries tr:has(.wh-s-dead) .wh-retry")
            admin.wait(lambda d: len(received) >= 2, "the retried delivery arrived", 30)
            self.assertEqual(received[0][0], received[1][0], "a retry keeps its webhook-id")
            deliveries_show(lambda d: not d.find_elements(By.CSS_SELECTOR, "#wh-deliveries .wh-s-dead, #wh-deliveries .wh-s-blocked")
                            and d.find_elements(By.CSS_SELECTOR, "#wh-deliveries .wh-s-delivered"), "not delivered after the retry")
            admin.shot("webhook-retried")
        self.run_step(body)



SUPERVISOR = ("zhuguan", "主管老陈", "supervisor-pass-1")
WATCHED_A = ("jiankong-a", "客服阿甲", "agent-pass-a")
WATCHED_B = ("jiankong-b", "客服阿乙", "agent-pass-b")

# One update of the monitor page with 200 agents and 1,000 queued visitors, measured in the page itself: the
# model is loaded with a synthetic snapshot of that size, then frames of every kind the socket delivers are
# applied one per animation frame through the same code path; `timings` holds apply + DOM + forced layout.
MONITOR_BENCH = """
const done = arguments[arguments.length - 1];
const page = window.kefuMonitor;
const iso = (ms) => new Date(ms).toISOString();
const now = Date.now();
const uuid = (n, kind) => kind + String(n).padStart(7, '0') + '-0000-4000-8000-000000000000';
const agents = [];
for (let i = 0; i < 200; i += 1) {
  const sessions = [];
  for (let j = 0; j < 3; j += 1) sessions.push({ session_id: uuid(i * 10 + j, 'a'), channel: 'web-pc', visitor_id: 'v-' + i + '-' + j, assigned_at: iso(now - (i + j) * 1000) });
  agents.push({ agent_id: uuid(i, 'b'), name: 'agent ' + String(i).padStart(3, '0'), status: 'online', present: true, capacity: 5, load: 3, sessions });
}
const visitors = [];
for (let i = 0; i < 1000; i += 1) visitors.push({ session_id: uuid(i, 'c'), channel: 'web-pc', visitor_id: 'q-' + i, priority: 10, enqueued_at: iso(now - (1000 - i) * 500) });
page.model.load({ agents, queues: [{ group: null, length: 1000, visitors }], counters: { sessions: 5000, queued: 1200, bot: 3000, transferred: 40 } });
const started = performance.now();
page.render();
void page.element.offsetHeight;
const initial = performance.now() - started;
page.timings.length = 0;
const frames = [];
for (let i = 0; i < 60; i += 1) {
  const agent = agents[i % 200].agent_id;
  frames.push({ type: 'event', event: 'session.queued', time: iso(Date.now()), data: { session_id: uuid(5000 + i, 'c'), channel: 'web-pc', visitor_id: 'new-' + i, priority: i % 3 === 0 ? 1 : 10 } });
  frames.push({ type: 'event', event: 'session.assigned', time: iso(Date.now()), data: { session_id: uuid(i, 'c'), channel: 'web-pc', visitor_id: 'q-' + i, agent_id: agent } });
  frames.push({ type: 'event', event: 'agent.updated', data: { agent_id: agent, name: agents[i % 200].name, status: 'online', present: true, capacity: 5, load: 4 } });
  frames.push({ type: 'event', event: 'session.ended', data: { session_id: uuid((i % 200) * 10, 'a'), channel: 'web-pc', visitor_id: 'x', agent_id: agent } });
  frames.push({ type: 'monitor.counters', counters: { sessions: 5001 + i, queued: 1201 + i, bot: 3000, transferred: 40 } });
}
let index = 0;
const next = () => {
  if (index >= frames.length) {
    const t = page.timings.slice().sort((a, b) => a - b);
    done({ updates: t.length, initial, max: t[t.length - 1], p95: t[Math.floor(t.length * 0.95)], median: t[Math.floor(t.length / 2)], rows: document.querySelectorAll('#mon-queue .mon-row').length, agents: document.querySelectorAll('#mon-agents .mon-row').length });
    return;
  }
  page.handle(frames[index]);
  index += 1;
  requestAnimationFrame(() => setTimeout(next, 0));
};
next();
"""


def dom_text_appears(browser, css, text, timeout=30):
    """Waits until an element matching `css` has `text` in its textContent (the monitor's rows are
    grid rows that WebDriver's rendered-text reading does not always see)."""
    script = "return Array.from(document.querySelectorAll(arguments[0])).some((e) => e.textContent.includes(arguments[1]))"
    browser.wait(lambda d: d.execute_script(script, css, text), f"{css} containing {text!r}", timeout)


class Test4SupervisorMonitor(Scenario):
    """A supervisor (主管) watches two agents on the monitor (监控): a visitor queues and then is assigned, the
    supervisor opens the session read-only, transfers it to the other agent and ends it; then the page's
    update cost with 200 agents and 1,000 queued visitors is measured in Chromium (< 150 ms per update)."""

    folder_name = "4-monitor"

    def test_01_supervisor_watches_two_agents(self):
        def body():
            token = STACK.login(*STACK.admin)
            # Scenario 2 closed today with a holiday override: open again.
            current = STACK.api("GET", "/admin/settings", token=token)
            hours = current["settings"].get("service_hours")
            if isinstance(hours, dict) and hours.get("overrides"):
                hours["overrides"] = []
                STACK.api("PUT", "/admin/settings", {"expected_version": current["version"], "settings": current["settings"]}, token=token)
            mine = {SUPERVISOR[0], WATCHED_A[0], WATCHED_B[0]}
            # Agents of the other scenarios would take the visitor: this scenario's two agents are the only ones.
            for account in STACK.api("GET", "/admin/accounts", token=token)["items"]:
                if account["role"] == "agent" and account["username"] not in mine and not account["disabled"]:
                    STACK.api("PATCH", f"/admin/accounts/{account['agent_id']}", {"disabled": True}, token=token)
            ids = {}
            for (username, name, password), role in ((SUPERVISOR, "supervisor"), (WATCHED_A, "agent"), (WATCHED_B, "agent")):
                created = STACK.api("POST", "/admin/accounts", {
                    "username": username, "display_name": name, "role": role, "password": password,
                    "capacity": 0 if role == "supervisor" else 2}, token=token)
                ids[username] = created["agent_id"]
            self.state.update(ids)
            for key, account in (("agentA", WATCHED_A), ("agentB", WATCHED_B)):
                agent = self.browser(key)
                self.staff_login(agent, "/workbench", account[0], account[2])
                agent.text_appears("#me-name", account[1])
                agent.text_appears("#wb-connection", "已连接")
                agent.click("#status-stop")
                agent.wait(lambda d: d.find_element(By.ID, "status-stop").get_attribute("aria-pressed") == "true", "停止接入 pressed")

            boss = self.browser("supervisor")
            self.staff_login(boss, "/monitor", SUPERVISOR[0], SUPERVISOR[2])
            boss.text_appears("#mon-live", "实时更新中")
            row_a = f'#mon-agents .mon-row[data-agent="{ids[WATCHED_A[0]]}"]'
            row_b = f'#mon-agents .mon-row[data-agent="{ids[WATCHED_B[0]]}"]'
            dom_text_appears(boss, row_a, "停止接入")
            dom_text_appears(boss, row_b, "停止接入")
            boss.shot("two-agents")

            visitor = self.browser("visitor")
            visitor.get(STACK.url + "/chat")
            visitor.visible("#chat-input")
            visitor.click("#chat-human")
            visitor.wait(lambda d: d.find_element(By.ID, "queue-position").get_attribute("data-position") == "1", "queued")
            queued = boss.visible("#mon-queue .mon-row")
            session = queued.get_attribute("data-session")
            self.assertTrue(session)
            dom_text_appears(boss, "#mon-queue-title", "1")
            boss.shot("visitor-queued")

            self.browsers["agentA"].click("#status-online")
            chip = f'{row_a} .mon-session[data-session="{session}"]'
            boss.visible(chip)
            boss.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "#mon-queue .mon-row"), "the queue emptied")
            dom_text_appears(boss, row_a, "1 / 2")
            dom_text_appears(boss, row_a, "在线")
            boss.shot("assigned")

            self.browsers["agentB"].click("#status-online")
            boss.wait(lambda d: d.execute_script("const r = document.querySelector(arguments[0]); return !!r && r.querySelector('.mon-status.online') !== null", row_b), "B online")
            boss.click(chip)
            boss.visible("#transcript-dialog")
            boss.visible("#transcript li")
            self.assertFalse(boss.finds("#transcript-dialog textarea, #transcript-dialog #wb-input"), "read-only: no input")
            boss.shot("read-only-session")
            boss.click("#mon-transfer")
            boss.visible("#mon-transfer-dialog")
            self.assertEqual(boss.find("#mon-transfer-to").get_attribute("value"), ids[WATCHED_B[0]])
            boss.type("#mon-transfer-note", "主管转接")
            boss.click("#mon-transfer-ok")
            moved = f'{row_b} .mon-session[data-session="{session}"]'
            boss.visible(moved)
            boss.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f'{row_a} .mon-session'), "gone from A")
            self.browsers["agentB"].visible(f'.session-item[data-session="{session}"]')
            boss.shot("transferred")

            boss.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"), "dialogs closed")
            boss.click(moved)
            boss.click("#mon-end")
            boss.click("#confirm-ok")
            boss.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f'{row_b} .mon-session'), "ended: gone from B")
            dom_text_appears(boss, row_b, "0 / 2")
            state = STACK.api("GET", f"/supervisor/sessions/{session}", token=STACK.login(SUPERVISOR[0], SUPERVISOR[2]))
            self.assertEqual(state["state"], "ended")
            self.assertEqual(state["end_reason"], "agent")
            boss.wait(lambda d: d.find_element(By.CSS_SELECTOR, "#mon-c-sessions strong").text not in ("0", ""), "today's counters moved", 30)
            boss.wait(lambda d: d.find_element(By.CSS_SELECTOR, "#mon-c-transferred strong").text not in ("0", ""), "the transfer is counted", 30)
            boss.visible("#mon-chart-length svg")
            boss.shot("ended-and-counted")
        self.run_step(body)

    def test_02_update_cost_with_200_agents_and_1000_queued(self):
        def body():
            boss = self.browsers["supervisor"]
            boss.driver.set_script_timeout(120)
            result = boss.driver.execute_async_script(MONITOR_BENCH)
            with open(os.path.join(self.folder, "monitor-update-cost.json"), "w") as handle:
                json.dump(result, handle, indent=2)
            print("\nmonitor update cost (ms):", json.dumps(result))
            self.assertEqual(result["agents"], 200)
            self.assertGreaterEqual(result["rows"], 1000)
            self.assertGreaterEqual(result["updates"], 200)
            self.assertLess(result["max"], 150, result)
            boss.shot("200-agents-1000-queued")
            boss.js("window.kefuMonitor.load()")
        self.run_step(body, critical=False)


class Test5NotesAndSummaries(Scenario):
    """An internal note (内部备注) reaches the agent's transcript and never the visitor; with summaries
    required, an agent who ends a human session gets no new session until the summary (会话小结) is written,
    and a category deleted while the form is open is refused with its reason and nothing saved."""

    folder_name = "5-notes-summaries"
    AGENT = ("xiaozhao", "客服小赵", "agent-pass-4")
    NOTE = "老客户，上次已补发过一次"

    def api(self, method, path, body=None, token=None):
        import urllib.request
        request = urllib.request.Request(
            STACK.url + "/api/v1" + path, method=method, data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.loads(response.read() or b"{}")

    def test_01_admin_categories_and_required_summary(self):
        def body():
            admin = self.browser("admin")
            self.staff_login(admin, "/admin", *STACK.admin)
            admin.visible("#nav-human")
            # Earlier scenarios closed today (scenario 2) and left agents whose presence runs out on its own.
            self.admin_page("human")
            while admin.finds("#override-rows tr .link.danger"):
                admin.click("#override-rows tr .link.danger")
            self.save_settings(admin)
            token = self.api("POST", "/auth/login", {"username": STACK.admin[0], "password": STACK.admin[1]})["access_token"]
            deadline = time.time() + 120
            while self.api("GET", "/agent/agents?online_only=true", token=token).get("items") and time.time() < deadline:
                time.sleep(2)
            self.assertFalse(self.api("GET", "/agent/agents?online_only=true", token=token).get("items"), "agents of earlier scenarios still present")
            admin = self.admin_page("summaries")
            for name in ("售后", "咨询"):
                admin.click("#sumcat-add")
                admin.type("#sumcat-name", name)
                admin.click("#sumcat-save")
                admin.visible(f'.sumcat[data-name="{name}"]')
            admin.click('.sumcat[data-name="售后"] .sumcat-add-child')
            admin.type("#sumcat-name", "退款")
            admin.click("#sumcat-save")
            admin.visible('.sumcat[data-name="售后"] .sumcat-children .sumcat[data-name="退款"]')
            admin.shot("summary-categories")
            self.admin_page("session")
            if not admin.visible("#set-summary-required").is_selected():
                admin.click("#set-summary-required")
            self.save_settings(admin)
            self.assertTrue(admin.visible("#set-summary-required").is_selected())
            self.admin_page("accounts")
            username, name, password = self.AGENT
            admin.click("#account-new")
            admin.type("#new-username", username)
            admin.type("#new-display-name", name)
            admin.type("#new-password", password)
            admin.type("#new-capacity", "3")
            admin.click("#account-create")
            admin.visible(f'tr[data-username="{username}"]')
        self.run_step(body)

    def test_02_a_note_is_for_staff_only(self):
        def body():
            agent = self.browser("agent")
            self.staff_login(agent, "/workbench", self.AGENT[0], self.AGENT[2])
            agent.wait(lambda d: d.find_element(By.ID, "status-online").get_attribute("aria-pressed") == "true", "online after login")
            agent.text_appears("#wb-connection", "已连接")
            visitor = self.browser("visitor")
            visitor.get(STACK.url + "/chat")
            visitor.visible("#chat-input")
            visitor.click("#chat-human")
            visitor.wait(lambda d: d.execute_script("return window.kefuChat.sessionId"), "a session")
            session = visitor.js("return window.kefuChat.sessionId")
            self.state["session"] = session
            item = f'.session-item[data-session="{session}"]'
            agent.click(item)
            visitor.text_appears(".line", self.AGENT[1])
            agent.click("#tool-note")
            agent.type("#note-text", self.NOTE)
            agent.click("#note-save")
            note = agent.text_appears("#wb-messages .note", self.NOTE)
            self.assertIn("内部备注", note.text)
            agent.shot("note-in-transcript")
            self.agent_send(agent, "您好，我来帮您处理")
            visitor.text_appears(".msg.agent", "您好，我来帮您处理", timeout=5)
            self.assertNotIn(self.NOTE, visitor.find("body").text)
            visitor.driver.refresh()
            visitor.visible("#chat-input")
            visitor.text_appears(".msg.agent", "您好，我来帮您处理")
            self.assertNotIn(self.NOTE, visitor.find("body").text, "the history the visitor reloads has no note")
            visitor.shot("visitor-without-note")
        self.run_step(body)

    def test_03_a_required_summary_holds_the_next_session(self):
        def body():
            agent = self.browsers["agent"]
            agent.click("#tool-end")
            agent.click("#confirm-ok")
            agent.visible("#summary-dialog")
            agent.visible("#summary-required")
            self.assertEqual(
                sorted(agent.js("return Array.from(document.querySelectorAll('#summary-categories .summary-pick')).map(e => e.dataset.name)")),
                sorted(["售后", "售后/退款", "咨询"]))
            agent.shot("summary-form-after-end")
            agent.click("#summary-dialog .modal-actions .btn:not(.primary)")
            agent.text_appears("#summary-due", "1 个会话待填写小结")
            second = self.browser("visitor2")
            second.get(STACK.url + "/chat")
            second.visible("#chat-input")
            second.click("#chat-human")
            second.wait(lambda d: d.find_element(By.ID, "queue-position").get_attribute("data-position") == "1", "queued")
            agent.wait(lambda d: d.find_element(By.ID, "queue-count").text == "1", "the agent sees 1 waiting")
            time.sleep(3)
            self.assertEqual(second.find("#queue-position").get_attribute("data-position"), "1", "not assigned while the summary is due")
            self.state["second"] = second.js("return window.kefuChat.sessionId")
            self.assertFalse(agent.finds(f'.session-item[data-session="{self.state["second"]}"]'))
            agent.shot("held-back")
        self.run_step(body)

    def test_04_a_deleted_category_is_refused_then_the_summary_releases_the_agent(self):
        def body():
            agent = self.browsers["agent"]
            agent.click("#summary-due")
            agent.visible("#summary-dialog")
            agent.click("#summary-save")
            agent.text_appears("#summary-dialog .form-error", "请至少选择一个分类")
            agent.click('#summary-categories .summary-pick[data-name="咨询"]')
            agent.click('#summary-categories .summary-pick[data-name="售后/退款"]')
            agent.type("#summary-note", "已告知退款时效")
            admin = self.admin_page("summaries")
            admin.click('.sumcat[data-name="咨询"] .sumcat-delete')
            admin.click("#confirm-ok")
            admin.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, '.sumcat[data-name="咨询"]'), "category deleted")
            agent.expect_errors(r"/summary - Failed to load resource: the server responded with a status of 409")
            agent.click("#summary-save")
            agent.text_appears("#summary-dialog .form-error", "该分类已被删除")
            agent.shot("deleted-category-refused")
            self.assertEqual(agent.find("#summary-due").text, "1 个会话待填写小结", "nothing was saved")
            agent.console_errors()  # reads the expected 409 while it is still expected
            agent.forget_expected()
            agent.click('#summary-categories .summary-pick[data-name="咨询"]')
            agent.click("#summary-save")
            agent.wait(lambda d: not d.find_elements(By.ID, "summary-dialog"), "form closed")
            agent.wait(lambda d: not d.find_element(By.ID, "summary-due").is_displayed(), "nothing due")
            agent.visible(f'.session-item[data-session="{self.state["second"]}"]')
            second = self.browsers["visitor2"]
            second.text_appears(".line", self.AGENT[1])
            agent.shot("released")
            records = self.admin_page("records")
            records.click("#records-search")
            cell = records.text_appears("#records-rows .rec-summary", "售后/退款")
            self.assertNotIn("咨询", cell.text)
            records.shot("records-with-summary")
        self.run_step(body)


class Test6SkillGroups(Scenario):
    """An admin creates a skill group (技能组) open around the clock and puts a new agent in it; a visitor who
    opens the H5 page with `?group=` asks for a human and waits in that group's queue (the admin sees 1 waiting);
    the member goes online and gets the visitor."""

    folder_name = "6-groups"
    AGENT = ("shouhou", "售后小张", "agent-pass-3")

    def test_01_admin_creates_a_group_and_a_member(self):
        def body():
            admin = self.browser("admin")
            self.staff_login(admin, "/admin", *STACK.admin)
            admin.visible("#nav-groups")
            self.admin_page("accounts")
            admin.click("#account-new")
            admin.type("#new-username", self.AGENT[0])
            admin.type("#new-display-name", self.AGENT[1])
            admin.type("#new-password", self.AGENT[2])
            admin.type("#new-capacity", "2")
            admin.click("#account-create")
            admin.visible(f'tr[data-username="{self.AGENT[0]}"]')

            self.admin_page("groups")
            admin.click("#grp-new")
            admin.type("#grp-id", "aftersales")
            admin.type("#grp-name", "售后服务")
            admin.js("const s = document.getElementById('grp-hours'); s.value = 'always'; s.dispatchEvent(new Event('change'));")
            admin.click("#grp-save")
            admin.text_appears(".toast", "技能组已保存")
            admin.text_appears('#groups-table tr[data-group="aftersales"]', "售后服务")
            admin.shot("group-created")

            # The new account reaches routing through the commands stream: reload until it is listed.
            member = f'//tr[th[normalize-space()="{self.AGENT[1]}"]]'
            deadline = time.time() + 30
            while not admin.driver.find_elements(By.XPATH, member) and time.time() < deadline:
                time.sleep(0.5)
                self.admin_page("groups")
                admin.visible("#groups-table")
            row = admin.wait(lambda d: d.find_element(By.XPATH, member), "the agent in the membership table")
            row.find_element(By.CSS_SELECTOR, '.grp-member[data-group="aftersales"]').click()
            row.find_element(By.CSS_SELECTOR, ".grp-members-save").click()
            admin.text_appears(".toast", self.AGENT[1])
            admin.shot("group-member")
        self.run_step(body)

    def test_02_visitor_from_the_group_entry_waits_in_its_queue_and_a_member_takes_it(self):
        def body():
            agent = self.browser("member")
            self.staff_login(agent, "/workbench", self.AGENT[0], self.AGENT[2])
            agent.text_appears("#me-name", self.AGENT[1])
            agent.wait(lambda d: d.find_element(By.ID, "status-online").get_attribute("aria-pressed") == "true", "online after login")
            agent.click("#status-stop")
            agent.wait(lambda d: d.find_element(By.ID, "status-stop").get_attribute("aria-pressed") == "true", "停止接入 pressed")

            visitor = self.browser("group-visitor")
            visitor.get(STACK.url + "/chat/?group=aftersales")
            visitor.visible("#chat-input")
            visitor.click("#chat-human")
            visitor.visible("#queue-box")
            visitor.wait(lambda d: d.find_element(By.ID, "queue-position").get_attribute("data-position") == "1", "first in the group's queue")
            visitor.shot("queued-in-group")

            admin = self.browsers["admin"]
            deadline = time.time() + 20
            while time.time() < deadline:
                self.admin_page("groups")
                cell = admin.visible('#groups-table tr[data-group="aftersales"] .grp-waiting')
                if cell.text == "1":
                    break
                time.sleep(0.5)
            self.assertEqual(admin.find('#groups-table tr[data-group="aftersales"] .grp-waiting').text, "1")
            admin.shot("group-waiting")

            agent.click("#status-online")
            agent.visible(".session-item")
            visitor.text_appears(".line", self.AGENT[1])
            agent.shot("member-got-the-visitor")
        self.run_step(body)

    def test_03_the_transfer_dialog_offers_the_group(self):
        def body():
            agent = self.browsers["member"]
            agent.click(".session-item")
            agent.click("#tool-transfer")
            option = agent.visible("#transfer-group-aftersales")
            self.assertIn("售后服务", agent.find('label[for="transfer-group-aftersales"]').text)
            agent.shot("transfer-to-group")
            option.click()
            agent.click("#transfer-confirm")
            agent.text_appears(".toast", "售后服务")
        self.run_step(body, critical=False)


def signed_identity(user_id, name, priority):
    """A visitor identity signed like a site's backend would (HS256 JWS, docs/integrations.md)."""
    import hashlib
    import hmac

    def b64url(raw):
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"sub": user_id, "exp": int(time.time()) + 3600, "name": name, "priority": priority},
                               ensure_ascii=False).encode())
    signature = hmac.new(IDENTITY_SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64url(signature)}"


def always_open(timezone="Asia/Shanghai"):
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return {"timezone": timezone, "weekly": {d: [{"start": "00:00", "end": "24:00"}] for d in days}, "overrides": []}


class Test7VipBlacklistAndGroupMonitor(Scenario):
    """A VIP (signed identity, priority 7) who asks for a human after two normal visitors is served first when the
    agent frees up; the agent blocks (拉黑) a visitor whose next message is refused with the neutral notice, the
    block is listed on 黑名单 and the admin lifts it; a supervisor watches two agents in two skill groups on the
    monitor: each group's agents and queue are shown, and assignments move them live."""

    folder_name = "7-vip-blacklist-groups"
    AGENT = ("vipdesk", "客服小周", "agent-pass-7")
    PRESALES = ("shouqian", "售前小吴", "agent-pass-8")
    CARE = ("zhuanxi", "专席小郑", "agent-pass-9")
    BOSS = ("zhuguan7", "主管老林", "supervisor-pass-7")

    def wait_position(self, browser, position, message):
        browser.wait(lambda d: d.find_element(By.ID, "queue-position").get_attribute("data-position") == str(position), message)

    def open_visitor(self, name, path="/chat"):
        visitor = self.browser(name)
        visitor.get(STACK.url + path)
        visitor.visible("#chat-input")
        return visitor

    def clear_floor(self, token):
        """Ends what earlier scenarios left queued or served (their agents, now disabled, leave their sessions to
        the queue, at its front): this scenario's queues start empty."""
        quiet = 0
        deadline = time.time() + 40
        while quiet < 3 and time.time() < deadline:
            snapshot = STACK.api("GET", "/supervisor/monitor", token=token)
            left = [v["session_id"] for q in snapshot["queues"] for v in q.get("visitors", [])]
            left += [s["session_id"] for a in snapshot["agents"] for s in a.get("sessions", [])]
            for session in left:
                try:
                    STACK.api("POST", f"/supervisor/sessions/{session}/end", token=token)
                except StackError:
                    pass  # ended meanwhile
            quiet = 0 if left else quiet + 1
            time.sleep(1)
        self.assertEqual(quiet, 3, "the queues did not empty")

    def test_01_setup_accounts_and_groups(self):
        def body():
            token = STACK.login(*STACK.admin)
            current = STACK.api("GET", "/admin/settings", token=token)
            settings = current["settings"]
            hours = settings.get("service_hours")
            if isinstance(hours, dict):
                hours["overrides"] = []
            settings["summary_required"] = False
            groups = dict(settings.get("groups") or {})
            groups["presales"] = {"name": "售前咨询", "channels": [], "transfer_keywords": [], "service_hours": always_open()}
            groups["vipcare"] = {"name": "VIP 专席", "channels": [], "transfer_keywords": [], "service_hours": always_open()}
            settings["groups"] = groups
            STACK.api("PUT", "/admin/settings", {"expected_version": current["version"], "settings": settings}, token=token)
            mine = {self.AGENT[0], self.PRESALES[0], self.CARE[0]}
            # Agents of the other scenarios would take the visitors: this scenario's agents are the only ones.
            for account in STACK.api("GET", "/admin/accounts", token=token)["items"]:
                if account["role"] == "agent" and account["username"] not in mine and not account["disabled"]:
                    STACK.api("PATCH", f"/admin/accounts/{account['agent_id']}", {"disabled": True}, token=token)
            self.clear_floor(token)
            ids = {}
            for username, name, password in (self.AGENT, self.PRESALES, self.CARE):
                created = STACK.api("POST", "/admin/accounts", {
                    "username": username, "display_name": name, "role": "agent", "password": password,
                    "capacity": 1 if username == self.AGENT[0] else 2}, token=token)
                ids[username] = created["agent_id"]
            created = STACK.api("POST", "/admin/accounts", {
                "username": self.BOSS[0], "display_name": self.BOSS[1], "role": "supervisor", "password": self.BOSS[2],
                "capacity": 0}, token=token)
            ids[self.BOSS[0]] = created["agent_id"]
            self.state.update(ids)
            # The new accounts reach routing through the commands stream: retry until routing knows them.
            for username, group in ((self.PRESALES[0], "presales"), (self.CARE[0], "vipcare")):
                deadline = time.time() + 30
                while True:
                    try:
                        STACK.api("PUT", f"/admin/accounts/{ids[username]}/groups", {"groups": [group]}, token=token)
                        break
                    except StackError:
                        if time.time() > deadline:
                            raise
                        time.sleep(0.5)
        self.run_step(body)

    def test_02_a_vip_overtakes_the_queue(self):
        def body():
            agent = self.browser("agent")
            self.staff_login(agent, "/workbench", self.AGENT[0], self.AGENT[2])
            agent.text_appears("#me-name", self.AGENT[1])
            agent.text_appears("#wb-connection", "已连接")
            agent.click("#status-stop")
            agent.wait(lambda d: d.find_element(By.ID, "status-stop").get_attribute("aria-pressed") == "true", "停止接入 pressed")

            first = self.open_visitor("normal-1")
            first.click("#chat-human")
            self.wait_position(first, 1, "the first normal visitor queued first")
            second = self.open_visitor("normal-2")
            second.click("#chat-human")
            self.wait_position(second, 2, "the second normal visitor queued second")

            vip = self.open_visitor("vip", "/chat/#identity=" + signed_identity("vip-0007", "王先生", 7))
            vip.wait(lambda d: d.execute_script("return window.kefuChat.store.visitorId") == "u_vip-0007", "the signed identity accepted")
            vip.click("#chat-human")
            vip.visible("#queue-box")
            self.wait_position(vip, 1, "the VIP ahead of both")
            self.wait_position(first, 2, "the first normal visitor moved back")
            self.wait_position(second, 3, "the second normal visitor moved back")
            vip.shot("vip-first-in-queue")

            agent.click("#status-online")
            session = vip.wait(lambda d: d.execute_script("return window.kefuChat.sessionId"), "the VIP's session")
            agent.visible(f'.session-item[data-session="{session}"]')
            vip.text_appears(".line", self.AGENT[1])
            vip.wait(lambda d: not d.find_element(By.ID, "queue-box").is_displayed(), "the VIP left the queue")
            self.wait_position(first, 1, "the first normal visitor is next")
            self.wait_position(second, 2, "the second normal visitor behind")
            self.assertEqual(len(agent.finds(".session-item")), 1, "capacity 1: only the VIP")
            agent.shot("vip-served-first")
            first.shot("normal-still-waiting")
            for visitor in (first, second):
                visitor.click("#queue-exit")
                visitor.text_appears(".line", "您已退出排队")
            agent.click(f'.session-item[data-session="{session}"]')
            agent.click("#tool-end")
            agent.click("#confirm-ok")
            vip.wait(lambda d: d.execute_script("return window.kefuChat.state") == "ended", "the VIP's session ended")
        self.run_step(body, critical=False)

    def test_03_a_blocked_visitor_is_refused_then_the_admin_lifts_the_block(self):
        def body():
            agent = self.browser("agent")
            if not agent.finds("#me-name"):
                self.staff_login(agent, "/workbench", self.AGENT[0], self.AGENT[2])
            agent.text_appears("#wb-connection", "已连接")
            if agent.find("#status-online").get_attribute("aria-pressed") != "true":
                agent.click("#status-online")
            visitor = self.open_visitor("blocked")
            visitor.click("#chat-human")
            session = visitor.wait(lambda d: d.execute_script("return window.kefuChat.state === 'assigned' && window.kefuChat.sessionId"), "assigned")
            visitor_id = visitor.js("return window.kefuChat.store.visitorId")
            self.state["blocked"] = (session, visitor_id)
            visitor.text_appears(".line", self.AGENT[1])
            self.visitor_send(visitor, "你们就是骗子")
            item = f'.session-item[data-session="{session}"]'
            agent.click(item)
            agent.text_appears("#wb-messages .msg.visitor", "你们就是骗子")
            agent.click("#tool-block")
            agent.visible("#block-dialog")
            agent.type("#block-reason", "辱骂客服")
            agent.js("const s = document.getElementById('block-duration'); s.value = '1440'; s.dispatchEvent(new Event('change'));")
            agent.shot("block-dialog")
            agent.click("#block-confirm")
            agent.text_appears(".toast", "已拉黑")

            visitor.expect_errors(r"/visitor/messages - Failed to load resource: the server responded with a status of 403")
            self.visitor_send(visitor, "还在吗")
            refused = visitor.text_appears("li.msg.visitor.rejected", "消息暂时无法发送，请稍后再试。")
            self.assertIn("还在吗", refused.text)
            visitor.shot("message-refused")
            visitor.console_errors()
            visitor.forget_expected()

            admin = self.browser("admin")
            self.staff_login(admin, "/admin", *STACK.admin)
            admin.visible("#nav-blocks")
            admin = self.admin_page("blocks")
            row = admin.text_appears("#blocks-table tbody tr", visitor_id)
            self.assertIn("辱骂客服", row.text)
            self.assertIn(self.AGENT[1], row.text)
            admin.shot("blacklist")
            block = row.get_attribute("data-block")
            admin.click(f'#blocks-table tr[data-block="{block}"] .blk-lift')
            admin.click("#confirm-ok")
            admin.text_appears(".toast", "已解除")
            admin.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f'#blocks-table tr[data-block="{block}"]'), "gone from the blocks in force")
            admin.shot("block-lifted")

            self.visitor_send(visitor, "我想咨询退货")
            visitor.wait(lambda d: d.execute_script(
                "return Array.from(document.querySelectorAll('li.msg.visitor:not(.pending)')).some((e) => e.textContent.includes('我想咨询退货'))"),
                "the message after the lift is accepted")
            visitor.shot("accepted-after-lift")
        self.run_step(body, critical=False)

    def test_04_a_supervisor_watches_two_agents_in_two_groups(self):
        def body():
            presales, care = self.state[self.PRESALES[0]], self.state[self.CARE[0]]
            for key, account in (("presales", self.PRESALES), ("care", self.CARE)):
                member = self.browser(key)
                self.staff_login(member, "/workbench", account[0], account[2])
                member.text_appears("#me-name", account[1])
                member.text_appears("#wb-connection", "已连接")
                member.click("#status-stop")
                member.wait(lambda d: d.find_element(By.ID, "status-stop").get_attribute("aria-pressed") == "true", "停止接入 pressed")

            boss = self.browser("supervisor")
            self.staff_login(boss, "/monitor", self.BOSS[0], self.BOSS[2])
            boss.text_appears("#mon-live", "实时更新中")
            row_p = f'#mon-agents .mon-row[data-agent="{presales}"]'
            row_c = f'#mon-agents .mon-row[data-agent="{care}"]'
            dom_text_appears(boss, row_p, "售前咨询")
            dom_text_appears(boss, row_c, "VIP 专席")
            dom_text_appears(boss, row_p, "停止接入")
            queue_p = '#mon-queue .mon-group[data-group="presales"]'
            queue_c = '#mon-queue .mon-group[data-group="vipcare"]'
            dom_text_appears(boss, f"{queue_p} .mon-group-title", "售前咨询")
            dom_text_appears(boss, f"{queue_c} .mon-group-title", "VIP 专席")
            # The charts start with the last hour from the server, not from the page's opening.
            boss.wait(lambda d: d.execute_script("return window.kefuMonitor.samples.length") >= 60, "an hour of history")
            self.assertEqual(boss.find("#mon-chart-length").get_attribute("data-points"), str(len(boss.js("return window.kefuMonitor.samples"))))

            sessions = {}
            for name, group in (("pre-visitor", "presales"), ("care-visitor", "vipcare")):
                visitor = self.open_visitor(name, f"/chat/?group={group}")
                visitor.click("#chat-human")
                self.wait_position(visitor, 1, f"first in {group}")
                sessions[group] = visitor.js("return window.kefuChat.sessionId")
            boss.visible(f'{queue_p} .mon-row[data-session="{sessions["presales"]}"]')
            boss.visible(f'{queue_c} .mon-row[data-session="{sessions["vipcare"]}"]')
            dom_text_appears(boss, f"{queue_p} .mon-group-length", "1")
            dom_text_appears(boss, f"{queue_c} .mon-group-length", "1")
            self.assertFalse(boss.finds(f'{queue_p} .mon-row[data-session="{sessions["vipcare"]}"]'), "one queue per group")
            boss.shot("two-groups-queued")

            self.browsers["presales"].click("#status-online")
            boss.visible(f'{row_p} .mon-session[data-session="{sessions["presales"]}"]')
            boss.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f"{queue_p} .mon-row"), "the presales queue emptied")
            dom_text_appears(boss, f"{queue_p} .mon-group-length", "0")
            boss.visible(f'{queue_c} .mon-row[data-session="{sessions["vipcare"]}"]')
            dom_text_appears(boss, row_p, "1 / 2")
            boss.shot("presales-assigned")
            # 最长等待回复 is exact: the visitor waits for the agent's reply from the assignment until the agent answers.
            longest = f"{row_p} .mon-longest"
            boss.wait(lambda d: d.find_element(By.CSS_SELECTOR, longest).text not in ("", "-"), "a wait for the agent's reply")
            member = self.browsers["presales"]
            member.click(f'.session-item[data-session="{sessions["presales"]}"]')
            self.agent_send(member, "您好，售前小吴为您服务")
            boss.wait(lambda d: d.find_element(By.CSS_SELECTOR, longest).text == "-", "answered: nobody waits")
            boss.shot("presales-answered")

            self.browsers["care"].click("#status-online")
            boss.visible(f'{row_c} .mon-session[data-session="{sessions["vipcare"]}"]')
            boss.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f"{queue_c} .mon-row"), "the vipcare queue emptied")
            dom_text_appears(boss, row_c, "1 / 2")
            boss.shot("both-assigned")
        self.run_step(body, critical=False)

    def test_05_the_bots_group_menu_is_buttons(self):
        def body():
            token = STACK.login(*STACK.admin)
            current = STACK.api("GET", "/admin/settings", token=token)
            settings = current["settings"]
            for group in ("presales", "vipcare"):
                settings["groups"][group]["channels"] = ["web-h5"]
            STACK.api("PUT", "/admin/settings", {"expected_version": current["version"], "settings": settings}, token=token)
            visitor = self.open_visitor("menu-visitor")
            visitor.click("#chat-human")
            menu = visitor.visible(".msg.bot .group-menu")
            self.assertIn("请选择您要咨询的业务", menu.text)
            names = visitor.js("return Array.from(document.querySelectorAll('.group-menu .group-choice')).map((b) => b.textContent)")
            self.assertEqual(sorted(names), sorted(["售前咨询", "VIP 专席"]))
            visitor.shot("group-menu")
            # Keyboard: the choices are buttons in the tab order; Enter chooses.
            button = visitor.find('.group-menu .group-choice[data-group="presales"]')
            visitor.js("arguments[0].focus()", button)
            self.assertEqual(visitor.js("return document.activeElement.dataset.group"), "presales")
            button.send_keys(Keys.ENTER)
            visitor.text_appears(".msg.visitor", "售前咨询")
            visitor.text_appears(".line", self.PRESALES[1])
            visitor.shot("chose-presales")
        self.run_step(body, critical=False)

    def test_06_an_admin_blocks_from_the_records(self):
        def body():
            session, visitor_id = self.state["blocked"]
            records = self.admin_page("records")
            row = f'#records-rows tr[data-session="{session}"]'
            deadline = time.time() + 30
            while True:
                records.click("#records-search")
                time.sleep(0.5)
                if records.finds(row) or time.time() > deadline:
                    break
            records.click(f"{row} .rec-block")
            records.visible("#rec-block-dialog")
            records.type("#rec-block-reason", "多次发送广告")
            records.shot("block-from-records")
            records.click("#rec-block-confirm")
            records.text_appears(".toast", "已拉黑该访客")
            blocks = self.admin_page("blocks")
            entry = blocks.text_appears("#blocks-table tbody tr", visitor_id)
            self.assertIn("多次发送广告", entry.text)
            visitor = self.browsers["blocked"]
            visitor.expect_errors(r"/visitor/messages - Failed to load resource: the server responded with a status of 403")
            self.visitor_send(visitor, "再问一次")
            visitor.text_appears("li.msg.visitor.rejected", "消息暂时无法发送，请稍后再试。")
            visitor.console_errors()
            visitor.forget_expected()
            blocks.shot("blocked-by-the-admin")
        self.run_step(body, critical=False)

