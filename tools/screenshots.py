"""Take the README's screenshots from a running demo database.

Usage (with `make run` serving the demo database):
    make screenshots        # writes static/description/*.png

Drives Debian's headless Chromium through the DevTools protocol (the
websocket-client package Odoo's own tours use): log in through Odoo's JSON
endpoint, hand the session cookie to the browser, open each page, wait for it
to settle, and save a PNG.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import websocket

# (file name, login, url path)
SHOTS = [
    (
        "leads_group_column.png",
        "admin",
        "/odoo/action-crm_facilitator_network.crm_lead_analytics_requests_action?view_type=list",
    ),
    ("lead_routing_reason.png", "admin", "/odoo/crm/{lead_reunion_no_country}"),
    ("routing_rules.png", "admin", "/odoo/action-crm_facilitator_network.crm_routing_rule_action"),
    ("request_form.png", None, "/workshop-request"),
    ("portal_pending_opportunities.png", "facilitator1", "/my/pending-opportunities"),
    ("portal_coordination_opportunities.png", "facilitator2", "/my/coordination-opportunities"),
    ("portal_fee_declarations.png", "facilitator1", "/my/fee-declarations"),
    ("op_dashboard.png", "admin", "/odoo/action-crm_facilitator_network.crm_op_dashboard_action"),
]


def authenticate(base, db, login):
    request = urllib.request.Request(
        f"{base}/web/session/authenticate",
        data=json.dumps(
            {"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login}}
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
        if body.get("error"):
            sys.exit(f"cannot log in as {login}: {body['error']['data']['message']}")
        cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    return cookie


def record_id(base, db, xmlid):
    """Database id of a demo record, through the public JSON-RPC endpoint."""
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [
                db,
                2,
                "admin",
                "ir.model.data",
                "search_read",
                [[["module", "=", "crm_facilitator_network"], ["name", "=", xmlid]]],
                {"fields": ["res_id"]},
            ],
        },
    }
    request = urllib.request.Request(
        f"{base}/jsonrpc",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["result"][0]["res_id"]


class Browser:
    def __init__(self, chromium, width=1440, height=900):
        self.profile = tempfile.mkdtemp(prefix="cfn-shots-")
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                "--remote-debugging-port=9333",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                with urllib.request.urlopen("http://127.0.0.1:9333/json", timeout=2) as response:
                    target = next(t for t in json.load(response) if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        else:
            sys.exit("Chromium did not start")
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def shot(self, url, cookie, domain, path, settle=4.0):
        self.call("Network.enable")
        self.call("Network.clearBrowserCookies")
        if cookie:
            self.call("Network.setCookie", name="session_id", value=cookie, domain=domain, path="/")
        self.call("Page.navigate", url=url)
        time.sleep(settle)  # the web client renders after load: let it settle
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="cfn_demo")
    parser.add_argument(
        "--out",
        default=os.path.join(
            os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static", "description"
        ),
    )
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("Debian's chromium is needed (apt-get install chromium)")
    domain = urllib.parse.urlparse(args.url).hostname
    ids = {"lead_reunion_no_country": record_id(args.url, args.db, "lead_reunion_no_country")}
    browser = Browser(chromium)
    try:
        for name, login, path in SHOTS:
            cookie = authenticate(args.url, args.db, login) if login else None
            target = os.path.join(args.out, name)
            browser.shot(args.url + path.format(**ids), cookie, domain, target)
            print(f"{target}")  # noqa: T201 - the command's output
    finally:
        browser.close()


if __name__ == "__main__":
    main()
