"""nginx serving the built site with the hosting guide's own server block, for the hosting
test and the link bench: only its address and folder are changed."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from support_build import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if shutil.which(found) else None


def start_nginx(site_dir: Path, work: Path, sub_path: str, access_log: Path | None = None) -> tuple[str, subprocess.Popen]:
    """Serve a copy of `site_dir` at http://127.0.0.1:<port>/<sub_path>/ with the hosting
    guide's nginx.conf; returns (address, process). `access_log` records each response's
    path and bytes sent (compressed, headers included)."""
    nginx = nginx_binary()
    assert nginx, "nginx is needed here: `apt-get install nginx-light` (.ci/run does this)"
    root = work / "www"
    root.mkdir()
    shutil.copytree(site_dir, root / sub_path)
    port = free_port()
    server_block = (ROOT / "docs" / "about" / "hosting" / "nginx.conf").read_text("utf-8")
    assert "listen 80;" in server_block and "root /usr/share/nginx/html;" in server_block
    server_block = server_block.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server_block = server_block.replace("root /usr/share/nginx/html;", f"root {root};")
    (work / "cssc-guide.conf").write_text(server_block, "utf-8")
    temp = {name: work / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    logging = (f"log_format sizes '$request_uri $bytes_sent'; access_log {access_log} sizes;"
               if access_log else "access_log off;")
    (work / "nginx.conf").write_text(
        f"""
user root;
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    {logging}
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
    url = f"http://127.0.0.1:{port}/{sub_path}/"
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=1):
                break
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.1)
    return url, process


def stop_nginx(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()
