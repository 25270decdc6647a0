#!/usr/bin/env python3
"""Take the README's screenshots from the real UI of a running `make run`.

    python3 scripts/screenshots.py [--url http://localhost:8069] [--db meddev]

Each shot logs in as a demo user (JSON-RPC), hands the session to headless
Chromium (DevTools protocol, the websocket-client of requirements.txt), opens
the page, waits until it shows what it is about and writes docs/<name>.png.
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "meddev-demo"  # the demo users' password (README.md)

# name, login, path, what shows once the page is ready (each user in their
# own language: the demo's Chinese)
SHOTS = [
    (
        "welcome",
        "qa_manager",
        "/odoo/action-meddev_base.action_meddev_welcome",
        ".o_meddev_welcome",
    ),
    (
        "qualifications",
        "qa_manager",
        "/odoo/action-meddev_supplier.meddev_supplier_qualification_action",
        ".o_data_row",
    ),
    (
        "audit_trail",
        "auditor",
        "/odoo/action-meddev_base.meddev_audit_entry_action",
        ".o_data_row",
    ),
    ("supplier_portal", "supplier_eo", "/my", ".o_portal_my_home"),
    ("supplier_portal_audits", "supplier_eo", "/my/meddev/audits", "table"),
]


def login(url, db, user):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "params": {"db": db, "login": user, "password": PASSWORD},
        }
    ).encode()
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request) as response:
        answer = json.load(response)
    if answer.get("error"):
        raise SystemExit(f"login {user}: {answer['error']['data']['message']}")
    return next(c.value for c in jar if c.name == "session_id")


class Browser:
    def __init__(self):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            raise SystemExit("Chromium is needed: apt-get install chromium")
        self.profile = tempfile.mkdtemp(prefix="meddev-shots-")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--remote-debugging-port=9333",
                f"--user-data-dir={self.profile}",
                "--window-size=1440,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = websocket.create_connection(self._page_ws(), timeout=60)
        self.seq = 0

    def _page_ws(self):
        for _i in range(50):
            try:
                with urllib.request.urlopen("http://127.0.0.1:9333/json") as r:
                    pages = [p for p in json.load(r) if p["type"] == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("Chromium did not start")

    def call(self, method, **params):
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.seq:
                return message.get("result", {})

    def wait_for(self, selector, timeout=60):
        """Until ``selector`` shows and the page is idle."""
        check = f"!!document.querySelector({json.dumps(selector)})"
        deadline = time.time() + timeout
        while time.time() < deadline:
            result = self.call("Runtime.evaluate", expression=check)
            if result.get("result", {}).get("value"):
                time.sleep(1.5)  # late renders (counters, chatter)
                return
            time.sleep(0.5)
        raise SystemExit(f"{selector} did not show within {timeout} s")

    def shot(self, url, session, path, ready, target):
        host = url.split("//", 1)[1].split(":")[0]
        self.call("Network.enable")
        self.call("Network.clearBrowserCookies")
        self.call(
            "Network.setCookie", name="session_id", value=session, domain=host, path="/"
        )
        self.call("Page.enable")
        self.call("Page.navigate", url=f"{url}{path}")
        self.wait_for(ready)
        # notifications (e.g. the server restarted) are not what is shown
        self.call(
            "Runtime.evaluate",
            expression="document.querySelectorAll('.o_notification')"
            ".forEach((n) => n.remove())",
        )
        data = self.call("Page.captureScreenshot", format="png")["data"]
        target.write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="meddev")
    args = parser.parse_args()
    browser = Browser()
    try:
        for name, user, path, ready in SHOTS:
            session = login(args.url, args.db, user)
            target = ROOT / "docs" / f"{name}.png"
            browser.shot(args.url, session, path, ready, target)
            print(f"docs/{name}.png  ({user} {path})")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
