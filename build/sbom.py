"""A CycloneDX (JSON, spec 1.6) software bill of materials of what the built site ships.

Written with cyclonedx-python-lib, the CycloneDX project's own library (model, SPDX
licence ids, serialisation), by build/notices.py after every file of the site is mapped
to its component. Each third-party component carries its version, licence, package URL
(purl) and, as components of type "file", every file of the site it ships with the file's
SHA-256; our own files sit under the site itself (the BOM's metadata component). Files
inside another's file (docx's bundled libraries, lunr in the theme's search worker) are
components of that component.

The document is the same from build to build of the same files: fixed references, the
build time from SOURCE_DATE_EPOCH or the commit (build/version.py), and a serial number
derived from the content.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone
from pathlib import Path

from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.model import ExternalReference, ExternalReferenceType, HashAlgorithm, HashType, Property, XsUri
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

SCHEMA_VERSION = "1.6"
# Content-derived serial numbers live in a namespace of their own.
_SERIAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:cssc-analytics-guide:sbom")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(paths: list[str], site_dir: Path) -> list[Component]:
    return [Component(name=path, type=ComponentType.FILE, bom_ref=f"file:{path}",
                      hashes=[HashType(alg=HashAlgorithm.SHA_256, content=_sha256(site_dir / path))])
            for path in paths]


def _library(component, files: list[Component], children: list[Component]) -> Component:
    references = []
    if component.homepage.startswith(("http://", "https://")):
        references.append(ExternalReference(type=ExternalReferenceType.WEBSITE, url=XsUri(component.homepage)))
    properties = [Property(name="cssc:origin", value=component.origin)]
    if component.bundled_in:
        properties.append(Property(name="cssc:bundled-in", value=component.bundled_in))
    return Component(
        name=component.name, version=component.version, type=ComponentType.LIBRARY, bom_ref=component.purl,
        purl=PackageURL.from_string(component.purl), licenses=[LicenseFactory().make_from_string(component.licence)],
        external_references=references, properties=properties, components=[*files, *children])


def bom_json(site_name: str, version: str, components: list, mapped: dict[str, list[str]], site_dir: Path,
             epoch: int) -> str:
    """The SBOM as JSON text. `mapped`: {"ours" or component key: [the site's paths]}."""
    children: dict[str, list[Component]] = {}
    for component in components:
        if component.bundled_in:
            files = _files(mapped.get(component.key, []), site_dir)  # its licence text
            children.setdefault(component.bundled_in, []).append(_library(component, files, []))
    libraries = [_library(component, _files(mapped.get(component.key, []), site_dir), children.get(component.key, []))
                 for component in components if not component.bundled_in]
    ours = [path for path in mapped.get("ours", []) if not path.startswith("about/sbom.")]
    guide = Component(name=site_name, version=version, type=ComponentType.APPLICATION, bom_ref="cssc-analytics-guide",
                      licenses=[LicenseFactory().make_from_string("MIT")], components=_files(ours, site_dir))
    metadata = BomMetaData(component=guide, timestamp=datetime.fromtimestamp(epoch, timezone.utc))
    bom = Bom(components=libraries, metadata=metadata, serial_number=uuid.uuid4())
    # The site depends on each component it ships (the dependency graph the format expects).
    bom.register_dependency(guide, libraries)
    text = JsonV1Dot6(bom).output_as_string(indent=1)
    # The serial number from the content itself: the same files, the same document.
    serial = uuid.uuid5(_SERIAL_NAMESPACE, hashlib.sha256(text.replace(str(bom.serial_number), "").encode()).hexdigest())
    document = json.loads(text.replace(str(bom.serial_number), str(serial)))
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
