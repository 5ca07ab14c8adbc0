"""A local HTTP server standing in for a platform's CDN: each path answers as a bad or a good
media link does (no internet here, and the fetcher is tested over real HTTP)."""

import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MEDIA = Path(__file__).resolve().parents[1] / "fixtures" / "media"
JPEG = (MEDIA / "snoplog.jpg").read_bytes()
HTML = (MEDIA / "html_as_jpeg.html").read_bytes()


class CdnHandler(BaseHTTPRequestHandler):
    """``/bild.jpg`` a JPEG; ``/saknas.jpg`` 404; ``/forbjuden.jpg`` 403 (an expired link);
    ``/loop.jpg`` redirects to itself; ``/stor.jpg`` declares 2 GB; ``/oandlig.jpg`` streams
    without end and without a length; ``/html.jpg`` an HTML page sent as image/jpeg;
    ``/tyst.jpg`` takes the connection and never answers; ``/ibland.jpg`` answers 503 until
    the server's ``healed`` is set."""

    server: "CdnServer"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests say what they expect."""

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        name = self.path.split("?")[0].strip("/").removesuffix(".jpg")
        answer = getattr(self, f"answer_{name}", None)
        if answer is None:
            self._send(404)
        else:
            answer()

    def answer_bild(self) -> None:
        self._send(200, JPEG, Content_Type="image/jpeg")

    def answer_saknas(self) -> None:
        self._send(404, b"Not Found", Content_Type="text/plain")

    def answer_forbjuden(self) -> None:
        self._send(403, b"URL signature expired", Content_Type="text/plain")

    def answer_loop(self) -> None:
        self._send(302, Location="/loop.jpg")

    def answer_intern(self) -> None:
        """A redirect into the municipality's own network."""
        self._send(302, Location="http://10.0.0.1/admin/")

    def answer_stor(self) -> None:
        self._send(200, JPEG[:64], Content_Type="image/jpeg", Content_Length="2147483648")

    def answer_oandlig(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.end_headers()
        try:
            self.wfile.write(JPEG[:64])
            for _ in range(10_000):
                self.wfile.write(b"\0" * 65536)
        except (BrokenPipeError, ConnectionResetError):
            return

    def answer_html(self) -> None:
        self._send(200, HTML, Content_Type="image/jpeg")

    def answer_tyst(self) -> None:
        time.sleep(6)

    def answer_ibland(self) -> None:
        if self.server.healed:
            self._send(200, JPEG, Content_Type="image/jpeg")
        else:
            self._send(503, b"busy", Content_Type="text/plain", Retry_After="60")


class CdnServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), CdnHandler)
        self.hits: list[str] = []
        self.healed = False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"
