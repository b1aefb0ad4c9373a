"""The three server configurations in the hosting guide agree with each other."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from support_browser import hosting_guide_csp
from support_build import ROOT

HOSTING = ROOT / "docs" / "about" / "hosting"


def test_nginx_apache_and_iis_send_the_same_content_security_policy():
    csp = hosting_guide_csp()
    apache = re.search(r'Header always set Content-Security-Policy "([^"]+)"', (HOSTING / "apache.htaccess").read_text("utf-8"))
    iis = ElementTree.parse(HOSTING / "web.config").getroot()
    iis_csp = [e.get("value") for e in iis.iter("add") if e.get("name") == "Content-Security-Policy"]
    assert apache and apache.group(1) == csp
    assert iis_csp == [csp]
    assert f"Content-Security-Policy: {csp}" in (ROOT / "docs" / "about" / "hosting.md").read_text("utf-8")
    # The policy lets Pyodide compile WebAssembly but allows no inline or foreign script.
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "unsafe-inline'; img" not in csp.split("script-src")[1][:40]


def test_every_config_gives_webassembly_modules_and_the_snapshot_their_types():
    apache = (HOSTING / "apache.htaccess").read_text("utf-8")
    assert "AddType application/wasm .wasm" in apache and re.search(r"AddType text/javascript .*\.mjs", apache)
    assert "AddType application/octet-stream .snapshot" in apache
    iis = ElementTree.parse(HOSTING / "web.config").getroot()
    types = {e.get("fileExtension"): e.get("mimeType") for e in iis.iter("mimeMap")}
    assert types[".wasm"] == "application/wasm" and types[".mjs"] == "text/javascript"
    assert types[".snapshot"] == "application/octet-stream"  # IIS refuses extensions it does not know
    nginx = (HOSTING / "nginx.conf").read_text("utf-8")
    assert "application/wasm wasm;" in nginx and "text/javascript mjs;" in nginx
    assert "application/octet-stream snapshot;" in nginx


def test_every_config_compresses_the_snapshot_and_the_tools_own_archives():
    # python.snapshot is sent as application/octet-stream; the tools' standard library and
    # wheel are zip files of uncompressed members (application/zip), made to be compressed
    # whole. Where the build's .gz copy is not used, the server must compress them itself.
    apache = (HOSTING / "apache.htaccess").read_text("utf-8")
    deflated = re.search(r"AddOutputFilterByType DEFLATE (.+)", apache).group(1).split()
    nginx = (HOSTING / "nginx.conf").read_text("utf-8")
    gzipped = re.search(r"gzip_types([^;]+);", nginx).group(1).split()
    iis_config = (HOSTING / "web.config").read_text("utf-8")
    iis_guide = (ROOT / "docs" / "about" / "hosting.md").read_text("utf-8")
    for mime_type in ("application/octet-stream", "application/zip"):
        assert mime_type in deflated and mime_type in gzipped, mime_type
        command = f"staticTypes.[mimeType='{mime_type}',enabled='true']"
        assert command in iis_config and command in iis_guide, mime_type
    assert "application/zip whl;" in nginx and "AddType application/zip .whl" in apache
    assert re.search(r"^\s*gzip_static on;", nginx, re.MULTILINE)  # the build's .gz copies, whatever the type


def test_every_config_marks_the_files_named_by_their_content_immutable_and_only_those():
    # Their names change with their content, so a returning visit need not ask the server
    # about them, even on a reload; every other file is revalidated (`no-cache`).
    hashed = r"\.[0-9a-f]{8}\.min\.(js|css)$"
    apache = (HOSTING / "apache.htaccess").read_text("utf-8")
    blocks = re.findall(r'<FilesMatch "([^"]+)">\s*([^<]+)</FilesMatch>', apache)
    assert (hashed, 'Header merge Cache-Control "immutable"') in [(pattern, body.strip()) for pattern, body in blocks]
    assert apache.count("immutable") == 2  # the comment and the one header
    nginx = (HOSTING / "nginx.conf").read_text("utf-8")
    mapped = re.search(r"map \$uri \$cssc_guide_immutable \{(.*?)\n\}", nginx, re.DOTALL).group(1)
    assert '"~*\\.[0-9a-f]{8}\\.min\\.(?:js|css)$" "immutable";' in mapped and 'default "";' in mapped
    server = nginx[nginx.index("server {"):]
    assert "add_header Cache-Control $cssc_guide_immutable;" in server.split("\n    location ")[0]  # server level
    iis = ElementTree.parse(HOSTING / "web.config").getroot()
    caches = {location.get("path"): location.find(".//clientCache").attrib for location in iis.iter("location")}
    assert set(caches) == {"assets/javascripts", "assets/stylesheets"}  # the theme's hashed files' folders
    assert all(cache.get("cacheControlCustom") == "immutable" for cache in caches.values())
    assert iis.find("system.webServer/staticContent/clientCache").get("cacheControlMode") == "DisableCache"
