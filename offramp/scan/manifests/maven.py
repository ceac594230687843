"""Maven and Gradle: pom.xml, build.gradle, build.gradle.kts and Gradle version catalogs
(gradle/libs.versions.toml). Packages are named ``group:artifact``."""

from __future__ import annotations

import re
from xml.parsers import expat

from offramp.scan.config.errors import ConfigError
from offramp.scan.config.structured import load_toml
from offramp.scan.config.tree import Node, Scalar
from offramp.scan.manifests.declared import Declared, Wanted, line_at

_PROPERTY = re.compile(r"\$\{([^}]+)\}")
# Groovy and Kotlin strings and comments: comments are blanked (keeping newlines) so that a dependency
# commented out is not reported.
_GRADLE_NOISE = re.compile(r"(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')|//[^\n]*|/\*.*?\*/", re.DOTALL)
_GRADLE_COORDINATES = re.compile(r"""["']([\w.-]+):([\w.-]+)(?::([^"':@\s]+))?(?:[:@][^"']*)?["']""")
_GRADLE_MAP = re.compile(
    r"""group\s*[:=]\s*["']([\w.-]+)["']\s*,\s*name\s*[:=]\s*["']([\w.-]+)["']"""
    r"""(?:\s*,\s*version\s*[:=]\s*["']([^"']+)["'])?"""
)


def pom_xml(text: str, wanted: Wanted) -> list[Declared]:
    """``<dependency>`` entries of the project and its profiles; versions from ``${properties}``, from
    ``<dependencyManagement>``, or from an imported BOM of the same group (Spring AI's usual shape)."""
    pom = _Pom()
    pom.parse(text)
    found = []
    for group, artifact, version, line in pom.dependencies:
        package = f"{group}:{artifact}"
        if wanted(package):
            version = version or pom.managed.get(package) or pom.boms.get(group)
            found.append(Declared(package, pom.resolve(version), line))
    return found


def build_gradle(text: str, wanted: Wanted) -> list[Declared]:
    """``"group:artifact:version"`` notations and ``group: ..., name: ..., version: ...`` maps, in any
    configuration (``implementation``, ``api``, ``platform(...)``...), Groovy or Kotlin."""
    code = _GRADLE_NOISE.sub(lambda m: m.group(1) or re.sub(r"[^\n]", " ", m.group(0)), text)
    found = []
    for pattern in (_GRADLE_COORDINATES, _GRADLE_MAP):
        for match in pattern.finditer(code):
            package = f"{match.group(1)}:{match.group(2)}"
            if wanted(package):
                found.append(Declared(package, match.group(3), line_at(code, match.start())))
    return sorted(found, key=lambda d: d.line)


def gradle_version_catalog(text: str, wanted: Wanted) -> list[Declared]:
    """``[libraries]`` of libs.versions.toml: ``"g:a:v"``, ``{ module = "g:a", version.ref = "x" }`` or
    ``{ group = "g", name = "a", version = "v" }``, with ``[versions]`` resolved."""
    tree = load_toml(text)
    versions = tree.get("versions") if isinstance(tree, dict) else None
    libraries = tree.get("libraries") if isinstance(tree, dict) else None
    found = []
    for entry in libraries.values() if isinstance(libraries, dict) else ():
        located = _catalog_entry(entry, versions if isinstance(versions, dict) else {})
        if located and wanted(located[0]):
            found.append(Declared(*located))
    return found


def _catalog_entry(entry: Node, versions: dict[str, Node]) -> tuple[str, str | None, int] | None:
    if isinstance(entry, Scalar):
        group, _, rest = entry.text.partition(":")
        artifact, _, version = rest.partition(":")
        return f"{group}:{artifact}", version or None, entry.line
    if not isinstance(entry, dict):
        return None
    module, group, name = entry.get("module"), entry.get("group"), entry.get("name")
    if isinstance(module, Scalar):
        package, line = module.text, module.line
    elif isinstance(group, Scalar) and isinstance(name, Scalar):
        package, line = f"{group.text}:{name.text}", group.line
    else:
        return None
    version = entry.get("version")
    if isinstance(version, dict):
        reference = version.get("ref")
        version = versions.get(reference.text) if isinstance(reference, Scalar) else None
    return package, version.text if isinstance(version, Scalar) else None, line


class _Pom:
    def __init__(self) -> None:
        self.properties: dict[str, str] = {}
        self.dependencies: list[tuple[str, str, str | None, int]] = []
        self.managed: dict[str, str] = {}
        self.boms: dict[str, str] = {}
        self._path: list[str] = []
        self._text: list[str] = []
        self._fields: dict[str, str] = {}
        self._line = 0
        self._seen_project = False

    def parse(self, text: str) -> None:
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.EntityDeclHandler = self._refuse_entities
        parser.StartElementHandler = lambda name, _: self._start(name, parser.CurrentLineNumber)
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text.append
        try:
            parser.Parse(text, True)
        except expat.ExpatError as exc:
            raise ConfigError(f"XML syntax error at line {exc.lineno}: {expat.errors.messages[exc.code]}") from None
        if self._path or not self._seen_project:
            raise ConfigError("not a Maven POM: the root element is not <project>")

    def resolve(self, version: str | None) -> str | None:
        if version is None:
            return None
        return _PROPERTY.sub(lambda m: self.properties.get(m.group(1), m.group(0)), version)

    def _refuse_entities(self, name: str, *_: object) -> None:
        raise ConfigError(f"declares the XML entity {name!r}; POM files never need entities")

    def _start(self, name: str, line: int) -> None:
        self._path.append(name)
        self._text.clear()
        if name == "project" and len(self._path) == 1:
            self._seen_project = True
        if name == "dependency":
            self._fields, self._line = {}, line
        elif name == "artifactId" and self._path[-2:-1] == ["dependency"]:
            self._line = line  # the line that names the package

    def _end(self, name: str) -> None:
        text = "".join(self._text).strip()
        self._text.clear()
        parent = self._path[-2] if len(self._path) >= 2 else ""
        if len(self._path) == 3 and parent == "properties":
            self.properties[name] = text
        elif self._path == ["project", "version"]:
            self.properties["project.version"] = text
        elif parent == "dependency":
            self._fields[name] = text
        elif name == "dependency":
            self._dependency()
        self._path.pop()

    def _dependency(self) -> None:
        group, artifact = self._fields.get("groupId", ""), self._fields.get("artifactId", "")
        version = self._fields.get("version") or None
        where = self._path[:-1]
        if where[-2:-1] == ["dependencyManagement"]:
            if self._fields.get("scope") == "import" and version:
                self.boms[group] = version
            elif version:
                self.managed[f"{group}:{artifact}"] = version
        elif where in (["project", "dependencies"], ["project", "profiles", "profile", "dependencies"]):
            self.dependencies.append((group, artifact, version, self._line))
