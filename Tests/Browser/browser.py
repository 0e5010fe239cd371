"""Headless Chromium through selenium: drivers for a desktop (1280×800) or a phone (375×667), screenshots
under the artifacts folder, waits, and the console check."""

import os
import re
import shutil
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS = os.environ.get("KEFU_BROWSER_ARTIFACTS", os.path.join(ROOT, ".build", "browser-artifacts"))
TIMEOUT = float(os.environ.get("KEFU_BROWSER_TIMEOUT", "20"))


def chromium_paths():
    binary = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    return binary, driver


class Browser:
    """One browser window (its own profile) with a name used for screenshots."""

    def __init__(self, name, folder, phone=False, downloads=None):
        self.name = name
        self.folder = folder
        self.shots = 0
        binary, driver = chromium_paths()
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        options.add_argument("--headless=new")
        options.add_argument("--no-sandbox")
        options.add_argument("--disable-dev-shm-usage")
        options.add_argument("--disable-gpu")
        options.add_argument("--lang=zh-CN")
        options.add_argument("--autoplay-policy=no-user-gesture-required")
        if phone:
            options.add_experimental_option("mobileEmulation", {
                "deviceMetrics": {"width": 375, "height": 667, "pixelRatio": 2, "touch": True},
                "userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
            })
        else:
            options.add_argument("--window-size=1280,800")
        self.downloads = downloads
        prefs = {"intl.accept_languages": "zh-CN,zh"}
        if downloads:
            os.makedirs(downloads, exist_ok=True)
            # Several downloads from one page (e.g. two exports) must not wait for a permission prompt.
            prefs.update({"download.default_directory": downloads, "download.prompt_for_download": False,
                          "profile.default_content_setting_values.automatic_downloads": 1})
        options.add_experimental_option("prefs", prefs)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(executable_path=driver))
        self.driver.set_script_timeout(30)
        if downloads:
            self.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        self.expected_errors = []

    # ---------- basics ----------

    def get(self, url):
        self.driver.get(url)

    def shot(self, label):
        self.shots += 1
        os.makedirs(self.folder, exist_ok=True)
        safe = re.sub(r"[^a-zA-Z0-9_-]+", "-", label).strip("-")
        path = os.path.join(self.folder, f"{self.name}-{self.shots:02d}-{safe}.png")
        try:
            self.driver.save_screenshot(path)
        except WebDriverException:
            pass
        return path

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def find(self, css, root=None):
        return (root or self.driver).find_element(By.CSS_SELECTOR, css)

    def finds(self, css, root=None):
        return (root or self.driver).find_elements(By.CSS_SELECTOR, css)

    def wait(self, predicate, message, timeout=TIMEOUT):
        """Waits until `predicate(driver)` is truthy; returns its value."""
        def check(driver):
            try:
                return predicate(driver)
            except (StaleElementReferenceException, WebDriverException):
                return False
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(check)
        except TimeoutException:
            self.shot("timeout")
            raise AssertionError(f"[{self.name}] timed out: {message}") from None

    def visible(self, css, timeout=TIMEOUT):
        return self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), None),
                         f"{css} visible", timeout)

    def click(self, css, timeout=TIMEOUT):
        """Clicks the first visible, enabled match; looks it up again if the page re-rendered it meanwhile."""
        for attempt in range(5):
            element = self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed() and e.is_enabled()), None),
                                f"{css} clickable", timeout)
            try:
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
                element.click()
                return element
            except StaleElementReferenceException:
                if attempt == 4:
                    raise
                time.sleep(0.1)

    def retry(self, action, attempts=5):
        """Runs `action()` again when the page re-rendered the element it held."""
        for attempt in range(attempts):
            try:
                return action()
            except StaleElementReferenceException:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.1)

    def type(self, css, text, clear=True):
        element = self.visible(css)
        if clear:
            element.clear()
        element.send_keys(text)
        return element

    def text_appears(self, css, text, timeout=TIMEOUT):
        """Waits for an element matching `css` whose text contains `text`."""
        return self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if text in e.text), None),
                         f"{css} containing {text!r}", timeout)

    # ---------- console ----------

    def console_errors(self):
        """SEVERE console entries since the last call, minus those expected (see `expect_errors`)."""
        try:
            entries = self.driver.get_log("browser")
        except WebDriverException:
            return []
        errors = []
        for entry in entries:
            if entry.get("level") != "SEVERE":
                continue
            message = entry.get("message", "")
            if any(re.search(pattern, message) for pattern in self.expected_errors):
                continue
            errors.append(message)
        return errors

    def expect_errors(self, *patterns):
        """Console errors matching these patterns are expected from now on (e.g. while a service restarts)."""
        self.expected_errors.extend(patterns)

    def forget_expected(self):
        self.expected_errors = []


def files_in(folder):
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def wait_for_file(folder, suffix, before=frozenset(), timeout=TIMEOUT):
    """Waits for a complete new file ending in `suffix` (not among `before`)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        names = [n for n in files_in(folder) - set(before) if n.endswith(suffix)]
        if names:
            return os.path.join(folder, sorted(names)[-1])
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file downloaded into {folder}")
