"""Projects in a tree: configuration belongs to the project whose folder holds it, and to the code below it."""

from offramp.scan.projects import Projects
from tests.scan.conftest import targets

CHAT = """
    import os
    from openai import OpenAI

    client = OpenAI(base_url=os.getenv("LLM_BASE_URL"))

    def ask(text):
        return client.chat.completions.create(model=os.getenv("LLM_MODEL"), messages=[{"role": "user", "content": text}])
"""


def test_a_file_belongs_to_the_nearest_folder_with_a_project_manifest():
    projects = Projects.of(["pyproject.toml", "services/api/pyproject.toml", "services/api/app/main.py",
                            "web/package.json", "docs/readme.md"])
    assert projects.project_of("services/api/app/main.py") == "services/api"
    assert projects.project_of("services/worker/main.py") == ""
    assert projects.sees("services/api/app/main.py", ".env")
    assert projects.sees("services/api/app/main.py", "services/api/.env")
    assert not projects.sees("services/api/app/main.py", "web/.env")


def test_code_reads_the_settings_of_its_own_and_enclosing_projects_not_a_siblings(scan_files):
    result = scan_files({
        ".env": "LLM_BASE_URL=https://api.deepseek.com/v1\n",
        "api/pyproject.toml": "[project]\nname = 'api'\n",
        "api/.env": "LLM_MODEL=deepseek-chat\n",
        "api/app/chat.py": CHAT,
        "bot/pyproject.toml": "[project]\nname = 'bot'\n",
        "bot/.env": "LLM_MODEL=gpt-4o\nLLM_BASE_URL=https://api.openai.com/v1\n",
    })
    (path,) = result.paths
    assert targets(path) == {("deepseek", "deepseek-chat")}
