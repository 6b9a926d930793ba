#!/usr/bin/env python3
"""Loopback HTTP server for the fetcher's tests (tests/c/test_fetch.c and
tests/lua/test_fetch_cli.lua): one path per case the fetcher must handle,
each answering the same way every time. Standard library only.

Listens on 127.0.0.1 with an ephemeral port and, when `openssl` is on PATH,
a second HTTPS port with a self-signed certificate made at start (the
fetcher must refuse it). Reports "PORT TLS_PORT" (TLS_PORT 0 without
openssl) on stdout, or in the file given with --port-file. Serves until its
standard input closes, so a test that dies takes the server with it; it
also stops after --lifetime seconds whatever happens.

    python3 tests/http_server.py [--docroot DIR] [--port-file FILE] [--lifetime S]
"""
import argparse
import gzip
import hashlib
import http.server
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from email.utils import formatdate

ARTICLE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Harbour dues and the port budget</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour dues and the port budget</h1>
<p>The port authority raised harbour dues for the first time in a decade, saying the money
would pay for dredging the main channel and for a new customs hall.</p>
<p>Shipping companies said the increase was modest, but warned that further rises would push
cargo towards neighbouring ports with lower fees.</p>
</article><footer>Copyright 2026</footer></body></html>
"""

PLAIN = ("Notes on the budget.\n\nThe council approved the budget on Tuesday. "
         "Spending on roads rises by a tenth, and the reserve fund is kept at last year's level.\n")

# Latin-1 bytes with no <meta charset>: only the header says what they are.
LATIN1 = ("<html><head><title>Caf\u00e9 prices</title></head><body><article>"
          "<p>The caf\u00e9 on the square raised its prices, and the na\u00efve customer paid "
          "\u00a33 for a coffee that cost \u00a32 last year.</p>"
          "<p>Its owner blamed the rising cost of milk and of energy for the whole increase.</p>"
          "</article></body></html>").encode("latin-1")

LATIN1_TEXT = ("Caf\u00e9 prices rose again this month, to the dismay of every regular customer "
               "who remembered the old menu.\n").encode("latin-1")

# GBK bytes that declare themselves in a <meta>: the text engine converts.
GBK = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">"
       "<title>\u6e2f\u53e3\u8d38\u6613</title></head><body><article>"
       "<p>\u6e2f\u53e3\u4eca\u5e74\u7684\u96c6\u88c5\u7bb1\u541e\u5410\u91cf\u521b\u4e0b"
       "\u5386\u53f2\u65b0\u9ad8\uff0c\u65b0\u7801\u5934\u6295\u5165\u4f7f\u7528\u662f"
       "\u4e3b\u8981\u539f\u56e0\u3002\u6e2f\u53e3\u7ba1\u7406\u5c40\u8868\u793a\uff0c"
       "\u660e\u5e74\u5c06\u7ee7\u7eed\u6269\u5927\u7801\u5934\u89c4\u6a21\uff0c"
       "\u5e76\u6539\u5584\u94c1\u8def\u548c\u516c\u8def\u8fde\u63a5\uff0c"
       "\u4ee5\u4fbf\u8d27\u7269\u66f4\u5feb\u5730\u8fd0\u5f80\u5185\u5730\u5e02\u573a"
       "\u3002</p><p>\u822a\u8fd0\u516c\u53f8\u8ba4\u4e3a\uff0c\u8d39\u7528\u7684"
       "\u8c03\u6574\u5e45\u5ea6\u4e0d\u5927\uff0c\u4f46\u5982\u679c\u7ee7\u7eed"
       "\u4e0a\u6da8\uff0c\u8d27\u7269\u53ef\u80fd\u4f1a\u8f6c\u5411\u5468\u8fb9"
       "\u8d39\u7528\u66f4\u4f4e\u7684\u6e2f\u53e3\u3002</p></article></body></html>"
       ).encode("gbk")

LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
ETAG = '"article-v1"'

_bomb = None
_bomb_lock = threading.Lock()
_stats_lock = threading.Lock()
_stats = {"inflight": 0, "max_inflight": 0}


def bomb():
    """64 MiB of spaces inside an HTML page, gzip-compressed to about 64 KiB."""
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            z = zlib.compressobj(9, zlib.DEFLATED, 31)
            parts = [z.compress(b"<html><body><p>")]
            chunk = b" " * (1 << 20)
            for _ in range(64):
                parts.append(z.compress(chunk))
            parts.append(z.compress(b"</p></body></html>"))
            parts.append(z.flush())
            _bomb = b"".join(parts)
        return _bomb


def page(n):
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Report number %d</title>"
            "</head><body><article><h1>Report number %d</h1><p>Report %d says the regional "
            "economy grew steadily, helped by exports and by spending on new infrastructure.</p>"
            "<p>The authors expect growth to continue next year if energy prices stay low.</p>"
            "</article></body></html>" % (n, n, n)).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "policylink-test"
    sys_version = ""

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, location, status=302):
        self.send(status, b"", None, [("Location", location)])

    def do_GET(self):
        try:
            self.route(self.path.split("?", 1)[0])
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route(self, path):
        if path == "/article":
            if (self.headers.get("If-None-Match") == ETAG
                    or self.headers.get("If-Modified-Since") == LAST_MODIFIED):
                self.send(304, b"", None, [("ETag", ETAG)])
                return
            self.send(200, ARTICLE.encode(), headers=[("ETag", ETAG),
                                                       ("Last-Modified", LAST_MODIFIED)])
        elif path == "/plain":
            self.send(200, PLAIN.encode(), "text/plain; charset=utf-8")
        elif path == "/notype":
            self.send(200, PLAIN.encode(), None)
        elif path == "/xhtml":
            self.send(200, ARTICLE.encode(), "application/xhtml+xml")
        elif path.startswith("/redirect/"):
            n = int(path[len("/redirect/"):])
            self.redirect("/redirect/%d" % (n - 1) if n > 1 else "/article")
        elif path == "/loop":
            self.redirect("/loop")
        elif path == "/to-file":
            self.redirect("file:///etc/passwd")
        elif path == "/to-ftp":
            self.redirect("ftp://127.0.0.1/pub/file.txt")
        elif path.startswith("/status/"):
            code = int(path[len("/status/"):])
            body = ("<html><body><h1>%d</h1><p>Something went wrong.</p></body></html>"
                    % code).encode()
            self.send(code, body)
        elif path == "/teapot":
            self.send_response(418, "I'm a teapot")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/slow":
            # Headers at once, then a byte a second: under any sane low-speed limit.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
        elif path == "/hang":
            time.sleep(30)
            self.close_connection = True
        elif path == "/large":
            self.send(200, b"word " * (400 * 1024), "text/plain")
        elif path == "/large-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"word " * 20000
            for _ in range(25):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/bomb":
            self.send(200, bomb(), headers=[("Content-Encoding", "gzip")])
        elif path == "/gzip":
            self.send(200, gzip.compress(ARTICLE.encode()), headers=[("Content-Encoding", "gzip")])
        elif path == "/deflate":
            self.send(200, zlib.compress(ARTICLE.encode()), headers=[("Content-Encoding", "deflate")])
        elif path == "/pdf":
            self.send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
        elif path == "/png":
            self.send(200, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png")
        elif path == "/latin1":
            self.send(200, LATIN1, "text/html; charset=ISO-8859-1")
        elif path == "/latin1-text":
            self.send(200, LATIN1_TEXT, "text/plain; charset=latin1")
        elif path == "/unknown-charset":
            self.send(200, b"Some text.\n", "text/plain; charset=x-no-such-charset")
        elif path == "/gbk":
            self.send(200, GBK, "text/html")
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "10000")
            self.end_headers()
            self.wfile.write(ARTICLE.encode()[:200])
            self.wfile.flush()
            self.close_connection = True
        elif path == "/nothing":
            self.close_connection = True
        elif path.startswith("/page/"):
            # Counted, to show how many a client fetches at once; slow enough
            # that a serial client would take 4 s for 20.
            with _stats_lock:
                _stats["inflight"] += 1
                _stats["max_inflight"] = max(_stats["max_inflight"], _stats["inflight"])
            time.sleep(0.2)
            with _stats_lock:
                _stats["inflight"] -= 1
            self.send(200, page(int(path[len("/page/"):])))
        elif path == "/echo-headers":
            body = "".join("%s: %s\n" % (k, v) for k, v in self.headers.items()).encode()
            self.send(200, body, "text/plain")
        elif path == "/stats":
            with _stats_lock:
                body = ("max_inflight %d\n" % _stats["max_inflight"]).encode()
            self.send(200, body, "text/plain")
        elif path.startswith("/docroot/") and self.server.docroot:
            self.serve_docroot(path[len("/docroot/"):])
        else:
            self.send(404, b"<html><body><p>No such page.</p></body></html>")

    def serve_docroot(self, name):
        """Files the CLI tests change between requests, with validators made
        from their content, to exercise refresh."""
        if "/" in name or name.startswith("."):
            self.send(404, b"")
            return
        try:
            with open(os.path.join(self.server.docroot, name), "rb") as f:
                body = f.read()
        except OSError:
            self.send(404, b"<html><body><p>No such file.</p></body></html>")
            return
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            self.send(304, b"", None, [("ETag", etag)])
            return
        ctype = "text/plain; charset=utf-8" if name.endswith(".txt") else "text/html; charset=utf-8"
        self.send(200, body, ctype, [("ETag", etag)])


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    docroot = None

    def handle_error(self, request, client_address):
        pass  # clients that hang up early are the point of several cases


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1, or None without openssl."""
    if not shutil.which("openssl"):
        return None
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    result = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (cert, key) if result.returncode == 0 else None


def serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docroot")
    ap.add_argument("--port-file")
    ap.add_argument("--lifetime", type=float, default=300)
    args = ap.parse_args()

    server = Server(("127.0.0.1", 0), Handler)
    server.docroot = args.docroot
    serve(server)

    tls_port = 0
    with tempfile.TemporaryDirectory() as tmp:
        pair = make_certificate(tmp)
        if pair:
            tls = Server(("127.0.0.1", 0), Handler)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*pair)
            tls.socket = context.wrap_socket(tls.socket, server_side=True)
            tls_port = tls.server_address[1]
            serve(tls)

    line = "%d %d\n" % (server.server_address[1], tls_port)
    if args.port_file:
        tmp_name = args.port_file + ".tmp"
        with open(tmp_name, "w") as f:
            f.write(line)
        os.rename(tmp_name, args.port_file)
    else:
        sys.stdout.write(line)
        sys.stdout.flush()

    # Stop when the test closes our standard input (or dies), or after the
    # lifetime, whichever comes first.
    watcher = threading.Thread(target=sys.stdin.read, daemon=True)
    watcher.start()
    watcher.join(args.lifetime)
    os._exit(0)


if __name__ == "__main__":
    main()
