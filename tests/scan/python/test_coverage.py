"""The coverage check finds SDKs that code imports or a manifest declares with no path through them."""


def test_an_imported_or_declared_sdk_without_a_path_is_named(scan_files):
    result = scan_files({
        "app/qwen.py": """
            import dashscope
            dashscope.api_key = "set elsewhere"
            def ask(fn, **kwargs):
                return fn(**kwargs)
        """,
        "app/chat.py": """
            from openai import OpenAI
            OpenAI(base_url="https://api.deepseek.com").chat.completions.create(model="deepseek-chat", messages=[])
        """,
        "app/storage.py": """
            import boto3
            boto3.client("s3").put_object(Bucket="b", Key="k", Body=b"")
        """,
        "requirements.txt": "openai>=1.0\ncohere>=5\nboto3\n",
    })
    assert [(u.sdk, u.source, u.files) for u in result.uncovered_sdks] == [
        ("dashscope", "import", ("app/qwen.py",)),
        ("cohere", "manifest", ("requirements.txt",)),
    ]


def test_sdks_with_paths_are_not_named(scan_files):
    result = scan_files({
        "app/qianfan_chat.py": """
            import qianfan
            qianfan.ChatCompletion().do(model="ERNIE-4.0-8K", messages=[])
        """,
        "requirements.txt": "qianfan\n",
    })
    assert len(result.paths) == 1
    assert result.uncovered_sdks == []


def test_an_ai_sdk_provider_package_used_through_the_ai_functions_is_covered(scan_files):
    result = scan_files({
        "web/reply.ts": """
            import { generateText } from "ai";
            import { openai } from "@ai-sdk/openai";
            export const reply = () => generateText({ model: openai("gpt-4o-mini"), prompt: "hi" });
        """,
        "web/unused.ts": """
            import { createMistral } from "@ai-sdk/mistral";
            export const mistral = createMistral({ apiKey: "k" });
        """,
    })
    assert len(result.paths) == 1
    assert [u.sdk for u in result.uncovered_sdks] == ["ai-sdk-mistral"]


def test_a_declared_package_no_rule_reads_is_named_though_its_provider_is_reached_another_way(scan_files):
    # Calls through @fal-ai/client are invisible to the scan: a raw request that reaches fal elsewhere says
    # nothing of them. together-ai has a rule: its path covers it.
    result = scan_files({
        "package.json": '{"dependencies": {"@fal-ai/client": "^1.0.0", "together-ai": "^0.9.0"}}',
        "web/check.ts": """
            export const status = () => fetch("https://fal.run/fal-ai/flux/dev", {
              method: "POST", body: JSON.stringify({ prompt: "a cat" }) });
        """,
        "web/route.ts": """
            import Together from "together-ai";
            const together = new Together();
            export const ask = () => together.chat.completions.stream({ model: "Qwen/Qwen3-8B", messages: [] });
        """,
    })
    assert {(p.file, p.sdk) for p in result.paths} >= {("web/route.ts", "together")}
    assert [(u.sdk, u.source) for u in result.uncovered_sdks] == [("@fal-ai/client", "manifest")]
