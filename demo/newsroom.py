"""The newsroom's own site, for `make run` and the browser tests: an article page on another
origin with the three lines a newsroom pastes, and a sign-in button whose backend (POST /token)
mints a JWT in Coral's shape for a demo subscriber, as the newsroom's own backend would.

    python -m demo.newsroom --port 8001 --site http://127.0.0.1:8000

SSO_JWT_SECRET and SSO_JWT_KID come from the environment (bin/run sets them for both sites).
"""

import argparse
import html
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt

HERE = Path(__file__).parent
STORY_PATH = "/2026/11/floods-in-the-valley/"
TITLE = "Floods in the valley: what the river did overnight"
SUBSCRIBER = {"id": "demo-subscriber-1", "username": "subscriber", "email": "subscriber@newsroom.example"}


def mint(secret: str, *, kid: str = "", user: dict = SUBSCRIBER, lifetime: int = 3600) -> str:
    """A reader's token as the newsroom's backend signs it: HS256, {user, iat, exp, jti}."""
    now = int(time.time())
    claims = {"user": user, "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, secret, algorithm="HS256", headers={"kid": kid} if kid else None)


class Newsroom(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, site: str, secret: str, kid: str = ""):
        super().__init__(address, _Handler)
        self.site, self.secret, self.kid = site.rstrip("/"), secret, kid
        # The name readers type (localhost), not the address it resolved to: the page's origin.
        self.url = f"http://{address[0]}:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Newsroom

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?")[0]
        if path in ("/", STORY_PATH):
            page = (HERE / "newsroom.html").read_text()
            page = page.replace("{{site}}", html.escape(self.server.site)).replace(
                "{{title}}", html.escape(TITLE)
            )
            page = page.replace("{{story_url}}", html.escape(self.server.url + STORY_PATH))
            self._send(200, "text/html; charset=utf-8", page.encode())
        elif path == "/newsroom.js":
            self._send(200, "text/javascript; charset=utf-8", (HERE / "newsroom.js").read_bytes())
        else:
            self._send(404, "text/plain", b"Not found\n")

    def do_POST(self) -> None:  # noqa: N802
        if self.path != "/token":
            return self._send(404, "text/plain", b"Not found\n")
        if not self.server.secret:
            return self._send(503, "application/json", b'{"detail": "SSO_JWT_SECRET is not set"}')
        token = mint(self.server.secret, kid=self.server.kid)
        self._send(200, "application/json", json.dumps({"token": token, "user": SUBSCRIBER}).encode())

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        if os.environ.get("NEWSROOM_DEMO_LOG"):
            super().log_message(format, *args)


def serve_in_thread(host: str, port: int, **options) -> Newsroom:
    """Start the newsroom on a thread of this process (the browser tests); .shutdown() stops it."""
    server = Newsroom((host, port), **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=int(os.environ.get("NEWSROOM_PORT", "8001")))
    parser.add_argument("--site", default=os.environ.get("SITE_URL", "http://127.0.0.1:8000"))
    args = parser.parse_args()
    server = Newsroom(
        (args.host, args.port),
        site=args.site,
        secret=os.environ.get("SSO_JWT_SECRET", ""),
        kid=os.environ.get("SSO_JWT_KID", ""),
    )
    print(f"The newsroom's own site (demo) is at {server.url}{STORY_PATH}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
