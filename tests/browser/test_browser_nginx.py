"""The hosting guide's nginx configuration, for real: nginx serves the built site under a
sub-path on 127.0.0.1, and a tool works end to end through it.

nginx comes from Debian's packages (.ci/run installs it); the server block is the very
file the hosting guide publishes, with only its address and folder changed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from support_browser import ROOT, wait_for_result

pytestmark = pytest.mark.browser

SUB_PATH = "cssc-guide"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx_url(site_dir, tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert shutil.which(nginx), "nginx is needed for this test: `apt-get install nginx-light` (.ci/run does this)"
    work = tmp_path_factory.mktemp("nginx")
    root = work / "www"
    root.mkdir()
    shutil.copytree(site_dir, root / SUB_PATH)
    port = _free_port()
    server_block = (ROOT / "docs" / "about" / "hosting" / "nginx.conf").read_text("utf-8")
    assert "listen 80;" in server_block and "root /usr/share/nginx/html;" in server_block
    server_block = server_block.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server_block = server_block.replace("root /usr/share/nginx/html;", f"root {root};")
    (work / "cssc-guide.conf").write_text(server_block, "utf-8")
    temp = {name: work / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    (work / "nginx.conf").write_text(
        f"""
user root;
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {work}/cssc-guide.conf;
}}
""",
        "utf-8",
    )
    process = subprocess.Popen([nginx, "-c", str(work / "nginx.conf")], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/{SUB_PATH}/"
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=1):
                break
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


def _headers(url: str, **headers) -> dict[str, str]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return dict(response.headers)


def test_nginx_sends_the_types_and_headers_the_guide_promises(nginx_url, site_dir):
    wasm = _headers(nginx_url + "assets/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "gzip"})
    assert wasm["Content-Type"] == "application/wasm"
    assert wasm["Content-Encoding"] == "gzip"
    assert "wasm-unsafe-eval" in wasm["Content-Security-Policy"]
    snapshot = _headers(nginx_url + "assets/pyodide/python.snapshot", **{"Accept-Encoding": "gzip"})
    assert snapshot["Content-Type"] == "application/octet-stream"
    assert snapshot["Content-Encoding"] == "gzip"
    assert int(snapshot["Content-Length"]) < 0.5 * (site_dir / "assets" / "pyodide" / "python.snapshot").stat().st_size
    module = _headers(nginx_url + "assets/pyodide/pyodide.mjs")
    assert module["Content-Type"].startswith("text/javascript")
    assert module["X-Content-Type-Options"] == "nosniff"


def test_a_tool_works_end_to_end_under_a_sub_path_behind_nginx(open_page, nginx_url):
    page, problems = open_page(site=nginx_url.split(f"/{SUB_PATH}/")[0] + "/")
    page.goto(nginx_url + "tools/data-maturity/")
    page.check("#data-maturity--leaders-use-data--mostly")
    wait_for_result(page, text="Not answered yet (29)")
    result_links = page.eval_on_selector_all(".cssc-result a[href]", "links => links.map(a => a.href)")
    assert result_links, "the result links to the explainers"
    assert [href for href in result_links if f"/{SUB_PATH}/" not in href] == []
