#!/usr/bin/env python3
"""Runs the browser UI tests: the static checks, then the end-to-end scenarios in headless Chromium
against a stack they start themselves. Prints one line per test and closes with
`browser: N passed, N failed, N skipped`; exits non-zero when anything failed.

    python3 Tests/Browser/run.py            # everything
    python3 Tests/Browser/run.py static     # only the static checks
    python3 Tests/Browser/run.py flows      # only the scenarios

Needs python3-selenium (pip `selenium`), Debian's `chromium` and `chromium-driver`, and the five kefu-*
executables built by `swift build` (KEFU_BROWSER_BIN may name another bin folder). Screenshots go to
.build/browser-artifacts/ (KEFU_BROWSER_ARTIFACTS), service logs to a temporary folder printed on failure.
"""

import os
import shutil
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


class Result(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0
        self.started = 0.0

    def startTest(self, test):
        self.started = time.time()
        super().startTest(test)

    def addSuccess(self, test):
        self.passed += 1
        super().addSuccess(test)


def main(argv):
    which = argv[1] if len(argv) > 1 else "all"
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    if which in ("all", "static"):
        suite.addTests(loader.loadTestsFromName("test_static"))
    if which in ("all", "flows"):
        try:
            import selenium  # noqa: F401
        except ImportError:
            print("browser: selenium is not installed (pip install selenium)")
            print("browser: 0 passed, 1 failed")
            return 1
        from browser import chromium_paths
        binary, driver = chromium_paths()
        if not binary or not driver:
            print("browser: chromium and chromium-driver are needed (apt-get install chromium chromium-driver)")
            print("browser: 0 passed, 1 failed")
            return 1
        from browser import ARTIFACTS
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
        suite.addTests(loader.loadTestsFromName("test_flows"))
    runner = unittest.TextTestRunner(verbosity=2, resultclass=Result, stream=sys.stdout)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    if which in ("all", "flows"):
        import test_flows
        if test_flows.STACK is not None:
            if failed:
                print(f"service logs: {test_flows.STACK.work}")
            else:
                shutil.rmtree(test_flows.STACK.work, ignore_errors=True)
    print(f"browser: {result.passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
