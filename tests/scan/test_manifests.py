"""Dependency manifests: every AI SDK with its version, file, line and providers; look-alikes left out."""

from __future__ import annotations

import textwrap

import pytest

from offramp.catalog import Catalog
from offramp.scan.config import ConfigError
from offramp.scan.findings import Dependency
from offramp.scan.manifests import manifest_kind, parse_manifest


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def parse(catalog: Catalog, relpath: str, text: str) -> dict[str, Dependency]:
    found = parse_manifest(relpath, textwrap.dedent(text).lstrip("\n"), catalog)
    assert all(d.file == relpath for d in found)
    return {d.package: d for d in found}


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(textwrap.dedent(text).lstrip("\n").splitlines(), 1) if needle in line)


def summary(found: dict[str, Dependency]) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    return {name: (d.version, d.providers) for name, d in found.items()}


REQUIREMENTS = """
# runtime
openai>=1.40,<2  # the SDK
Anthropic[bedrock]==0.34.0 ; python_version >= "3.9"
langchain_openai \\
    ==0.1.20
litellm --hash=sha256:0123456789abcdef
-r base.txt
-e git+https://github.com/acme/tools.git#egg=tools
openai-whisper==20231117
boto3==1.34.0
requests
"""


def test_requirements_txt(catalog: Catalog) -> None:
    found = parse(catalog, "requirements-prod.txt", REQUIREMENTS)
    assert summary(found) == {
        "openai": ("<2,>=1.40", ("openai",)),
        "Anthropic": ("==0.34.0", ("anthropic",)),
        "langchain_openai": ("==0.1.20", ("openai",)),
        "litellm": (None, ()),
    }
    assert found["openai"].line == line_of(REQUIREMENTS, "openai>=")
    assert found["langchain_openai"].line == line_of(REQUIREMENTS, "langchain_openai")
    assert {d.ecosystem for d in found.values()} == {"pypi"}


PYPROJECT = """
[project]
name = "chat"
dependencies = [
    "openai>=1.40",
    "requests",
]

[project.optional-dependencies]
gateway = ["litellm[proxy]>=1.44"]

[dependency-groups]
dev = ["anthropic>=0.34", {include-group = "lint"}]

[tool.poetry.dependencies]
python = "^3.11"
langchain = "^0.2"
google-generativeai = { version = "^0.7", optional = true }

[tool.poetry.group.eval.dependencies]
mistralai = "*"
"""


def test_pyproject_pep621_groups_and_poetry(catalog: Catalog) -> None:
    found = parse(catalog, "pyproject.toml", PYPROJECT)
    assert summary(found) == {
        "openai": (">=1.40", ("openai",)),
        "litellm": (">=1.44", ()),
        "anthropic": (">=0.34", ("anthropic",)),
        "langchain": ("^0.2", ()),
        "google-generativeai": ("^0.7", ("google",)),
        "mistralai": (None, ("mistral",)),
    }
    assert found["google-generativeai"].line == line_of(PYPROJECT, "google-generativeai")
    assert found["mistralai"].line == line_of(PYPROJECT, "mistralai")


def test_pipfile_and_its_lock(catalog: Catalog) -> None:
    pipfile = '[packages]\nopenai = "==1.52.0"\ndjango = "*"\n[dev-packages]\ngroq = {version = ">=0.9"}\n'
    assert summary(parse(catalog, "Pipfile", pipfile)) == {"openai": ("==1.52.0", ("openai",)),
                                                           "groq": (">=0.9", ("groq",))}
    lock = '{"_meta": {}, "default": {"openai": {"version": "==1.52.0"}}, "develop": {"groq": {"version": "==0.9.0"}}}'
    assert summary(parse(catalog, "Pipfile.lock", lock)) == {"openai": ("1.52.0", ("openai",)),
                                                             "groq": ("0.9.0", ("groq",))}


LOCK_TOML = """
version = 1

[[package]]
name = "anyio"
version = "4.4.0"

[[package]]
name = "openai"
version = "1.52.0"
dependencies = [{ name = "anyio" }]

[[package]]
name = "llama-index-llms-openai"
version = "0.2.3"
"""


@pytest.mark.parametrize("name", ["poetry.lock", "uv.lock"])
def test_poetry_and_uv_locks_give_locked_versions(catalog: Catalog, name: str) -> None:
    found = parse(catalog, name, LOCK_TOML)
    assert summary(found) == {"openai": ("1.52.0", ("openai",)), "llama-index-llms-openai": ("0.2.3", ("openai",))}
    assert found["openai"].line == line_of(LOCK_TOML, 'name = "openai"')


PACKAGE_JSON = """
{
  "name": "openai",
  "dependencies": {
    "openai": "^4.52.0",
    "ai": "3.2.0",
    "@ai-sdk/anthropic": "^0.0.40",
    "react": "18.3.1"
  },
  "devDependencies": {
    "@langchain/openai": "~0.2.1",
    "@types/openai": "1.0.0",
    "openai-edge": "1.2.2",
    "@aws-sdk/client-s3": "3.600.0",
    "@aws-sdk/client-bedrock-runtime": "3.600.0"
  }
}
"""


def test_package_json(catalog: Catalog) -> None:
    found = parse(catalog, "web/package.json", PACKAGE_JSON)
    assert summary(found) == {
        "openai": ("^4.52.0", ("openai",)),
        "ai": ("3.2.0", ()),
        "@ai-sdk/anthropic": ("^0.0.40", ("anthropic",)),
        "@langchain/openai": ("~0.2.1", ("openai",)),
        "@aws-sdk/client-bedrock-runtime": ("3.600.0", ("aws-bedrock",)),
    }
    # the dependency, not the package's own "name": "openai"
    assert found["openai"].line == line_of(PACKAGE_JSON, '"openai": "^4')
    assert {d.ecosystem for d in found.values()} == {"npm"}


def test_package_lock_v3_and_v1(catalog: Catalog) -> None:
    v3 = """
    {
      "lockfileVersion": 3,
      "packages": {
        "": {"dependencies": {"@langchain/openai": "^0.2.1"}},
        "node_modules/@langchain/openai": {"version": "0.2.1"},
        "node_modules/@langchain/openai/node_modules/openai": {"version": "4.52.0"},
        "node_modules/zod": {"version": "3.23.8"}
      }
    }
    """
    found = parse(catalog, "package-lock.json", v3)
    assert summary(found) == {"@langchain/openai": ("0.2.1", ("openai",)), "openai": ("4.52.0", ("openai",))}
    assert found["openai"].line == line_of(v3, "node_modules/openai")
    v1 = '{"lockfileVersion": 1, "dependencies": {"cohere-ai": {"version": "7.10.0", "dependencies": ' \
         '{"groq-sdk": {"version": "0.5.0"}}}}}'
    assert summary(parse(catalog, "npm-shrinkwrap.json", v1)) == {"cohere-ai": ("7.10.0", ("cohere",)),
                                                                  "groq-sdk": ("0.5.0", ("groq",))}


PNPM_V9 = """
lockfileVersion: '9.0'

importers:
  .:
    dependencies:
      openai:
        specifier: ^4.52.0
        version: 4.52.0

packages:

  '@langchain/openai@0.2.1':
    resolution: {integrity: sha512-x}

  openai@4.52.0:
    resolution: {integrity: sha512-y}

snapshots:

  openai@4.52.0: {}
"""


def test_pnpm_lock_formats(catalog: Catalog) -> None:
    found = parse(catalog, "pnpm-lock.yaml", PNPM_V9)
    assert summary(found) == {"@langchain/openai": ("0.2.1", ("openai",)), "openai": ("4.52.0", ("openai",))}
    assert found["openai"].line == line_of(PNPM_V9, "  openai@4.52.0:")
    v6 = "lockfileVersion: '6.0'\n\npackages:\n\n  /ai@3.1.0(react@18.0.0)(zod@3.0.0):\n    dev: false\n"
    v5 = "lockfileVersion: 5.4\n\npackages:\n\n  /@anthropic-ai/sdk/0.20.0_x:\n    dev: false\n"
    assert summary(parse(catalog, "pnpm-lock.yaml", v6)) == {"ai": ("3.1.0", ())}
    assert summary(parse(catalog, "pnpm-lock.yaml", v5)) == {"@anthropic-ai/sdk": ("0.20.0", ("anthropic",))}


def test_yarn_lock_classic_and_berry(catalog: Catalog) -> None:
    classic = """
    # yarn lockfile v1

    "@anthropic-ai/sdk@^0.24.0", "@anthropic-ai/sdk@^0.24.3":
      version "0.24.3"
      resolved "https://registry.yarnpkg.com/@anthropic-ai/sdk/-/sdk-0.24.3.tgz"

    openai-whisper@^1.0.0:
      version "1.0.0"
    """
    found = parse(catalog, "yarn.lock", classic)
    assert summary(found) == {"@anthropic-ai/sdk": ("0.24.3", ("anthropic",))}
    assert found["@anthropic-ai/sdk"].line == line_of(classic, '"@anthropic-ai/sdk@^0.24.0"')
    berry = '__metadata:\n  version: 6\n\n"@google/genai@npm:^1.0.0":\n  version: 1.0.1\n  resolution: "x"\n'
    assert summary(parse(catalog, "yarn.lock", berry)) == {"@google/genai": ("1.0.1", ("google",))}


GO_MOD = """
module github.com/acme/chat

go 1.22

require github.com/sashabaranov/go-openai v1.28.0

require (
	github.com/aws/aws-sdk-go-v2 v1.30.0
	github.com/aws/aws-sdk-go-v2/service/bedrockruntime v1.14.0
	github.com/aws/aws-sdk-go-v2/service/s3 v1.58.0
	github.com/openai/openai-go/v3 v3.2.0
	github.com/ollama/ollama v0.3.6 // indirect
	github.com/tmc/langchaingo v0.1.12
	// github.com/anthropics/anthropic-sdk-go v0.1.0
)
"""


def test_go_mod(catalog: Catalog) -> None:
    found = parse(catalog, "svc/go.mod", GO_MOD)
    assert summary(found) == {
        "github.com/sashabaranov/go-openai": ("v1.28.0", ("openai",)),
        "github.com/aws/aws-sdk-go-v2/service/bedrockruntime": ("v1.14.0", ("aws-bedrock",)),
        "github.com/openai/openai-go/v3": ("v3.2.0", ("openai",)),
        "github.com/ollama/ollama": ("v0.3.6", ("ollama",)),
        "github.com/tmc/langchaingo": ("v0.1.12", ()),
    }
    assert found["github.com/openai/openai-go/v3"].line == line_of(GO_MOD, "openai-go/v3")


POM = """
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <version>2.3.0</version>
  <properties>
    <anthropic.version>1.2.0</anthropic.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.springframework.ai</groupId>
        <artifactId>spring-ai-bom</artifactId>
        <version>1.0.0</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.springframework.ai</groupId>
      <artifactId>spring-ai-openai</artifactId>
    </dependency>
    <dependency>
      <groupId>com.anthropic</groupId>
      <artifactId>anthropic-java</artifactId>
      <version>${anthropic.version}</version>
    </dependency>
    <dependency>
      <groupId>software.amazon.awssdk</groupId>
      <artifactId>s3</artifactId>
      <version>2.26.0</version>
    </dependency>
  </dependencies>
  <profiles>
    <profile>
      <dependencies>
        <dependency>
          <groupId>dev.langchain4j</groupId>
          <artifactId>langchain4j-ollama</artifactId>
          <version>0.35.0</version>
        </dependency>
      </dependencies>
    </profile>
  </profiles>
</project>
"""


def test_pom_with_bom_properties_and_profiles(catalog: Catalog) -> None:
    found = parse(catalog, "pom.xml", POM)
    assert summary(found) == {
        "org.springframework.ai:spring-ai-openai": ("1.0.0", ("openai",)),
        "com.anthropic:anthropic-java": ("1.2.0", ("anthropic",)),
        "dev.langchain4j:langchain4j-ollama": ("0.35.0", ("ollama",)),
    }
    assert found["com.anthropic:anthropic-java"].line == line_of(POM, "<artifactId>anthropic-java")
    assert {d.ecosystem for d in found.values()} == {"maven"}


GRADLE_KTS = """
dependencies {
    implementation(platform("org.springframework.ai:spring-ai-bom:1.0.0"))
    implementation("org.springframework.ai:spring-ai-starter-model-anthropic")
    implementation("com.openai:openai-java:2.1.0")
    implementation("software.amazon.awssdk:bedrockruntime:2.26.0")
    // implementation("dev.langchain4j:langchain4j-open-ai:0.35.0")
    /* implementation("com.google.genai:google-genai:1.0.0") */
    testImplementation("org.junit.jupiter:junit-jupiter:5.10.0")
}
"""


def test_build_gradle_kotlin_and_groovy(catalog: Catalog) -> None:
    found = parse(catalog, "build.gradle.kts", GRADLE_KTS)
    assert summary(found) == {
        "org.springframework.ai:spring-ai-bom": ("1.0.0", ()),
        "org.springframework.ai:spring-ai-starter-model-anthropic": (None, ("anthropic",)),
        "com.openai:openai-java": ("2.1.0", ("openai",)),
        "software.amazon.awssdk:bedrockruntime": ("2.26.0", ("aws-bedrock",)),
    }
    assert found["com.openai:openai-java"].line == line_of(GRADLE_KTS, "openai-java")
    groovy = "dependencies {\n  implementation group: 'dev.langchain4j', name: 'langchain4j-anthropic', version: '0.35.0'\n}\n"
    assert summary(parse(catalog, "build.gradle", groovy)) == {
        "dev.langchain4j:langchain4j-anthropic": ("0.35.0", ("anthropic",))}


def test_gradle_version_catalog(catalog: Catalog) -> None:
    text = """
    [versions]
    langchain4j = "0.35.0"

    [libraries]
    lc4j-openai = { module = "dev.langchain4j:langchain4j-open-ai", version.ref = "langchain4j" }
    genai = { group = "com.google.genai", name = "google-genai", version = "1.0.0" }
    openai = "com.openai:openai-java:2.1.0"
    guava = "com.google.guava:guava:33.0.0-jre"
    """
    found = parse(catalog, "gradle/libs.versions.toml", text)
    assert summary(found) == {
        "dev.langchain4j:langchain4j-open-ai": ("0.35.0", ("openai",)),
        "com.google.genai:google-genai": ("1.0.0", ("google",)),
        "com.openai:openai-java": ("2.1.0", ("openai",)),
    }
    assert found["dev.langchain4j:langchain4j-open-ai"].line == line_of(text, "lc4j-openai")


@pytest.mark.parametrize(("relpath", "kind"), [
    ("requirements.txt", "requirements.txt"), ("requirements-dev.in", "requirements.txt"),
    ("requirements/base.txt", "requirements.txt"), ("notes.txt", None), ("pyproject.toml", "pyproject.toml"),
    ("web/package.json", "package.json"), ("svc/go.mod", "go.mod"), ("go.sum", None),
    ("app/build.gradle.kts", "build.gradle.kts"), ("settings.gradle", None),
])
def test_which_files_are_manifests(relpath: str, kind: str | None) -> None:
    assert manifest_kind(relpath) == kind


@pytest.mark.parametrize(("relpath", "text", "reason"), [
    ("pyproject.toml", "[project\n", "TOML syntax error"),
    ("package.json", '{"dependencies": {"openai": }', "JSON syntax error at line 1"),
    ("package-lock.json", "[1, 2]", "not an npm lock file"),
    ("pnpm-lock.yaml", "packages:\n  openai@1.0.0: {}\n", "no lockfileVersion"),
    ("go.mod", "module x\nrequire (\n\tgithub.com/openai/openai-go v1.0.0\n", "opened at line 2"),
    ("pom.xml", "<project><dependencies></project>", "XML syntax error at line 1"),
    ("pom.xml", "<settings/>", "root element is not <project>"),
    ("pom.xml", '<!DOCTYPE p [<!ENTITY a "aaaa">]><project/>', "declares the XML entity 'a'"),
    ("poetry.lock", "[[package]\n", "TOML syntax error"),
])
def test_malformed_manifests_raise_a_clear_error(catalog: Catalog, relpath: str, text: str, reason: str) -> None:
    with pytest.raises(ConfigError, match=reason):
        parse_manifest(relpath, text, catalog)


def test_a_spring_boot_starter_of_an_sdk_serves_that_sdks_provider(catalog: Catalog) -> None:
    pom = """<project><dependencies>
      <dependency><groupId>dev.langchain4j</groupId><artifactId>langchain4j-anthropic-spring-boot-starter</artifactId>
        <version>1.0.0-beta3</version></dependency>
      <dependency><groupId>dev.langchain4j</groupId><artifactId>langchain4j-spring-boot-starter</artifactId>
        <version>1.0.0-beta3</version></dependency>
    </dependencies></project>"""
    assert summary(parse(catalog, "pom.xml", pom)) == {
        "dev.langchain4j:langchain4j-anthropic-spring-boot-starter": ("1.0.0-beta3", ("anthropic",)),
        "dev.langchain4j:langchain4j-spring-boot-starter": ("1.0.0-beta3", ()),
    }
