"""The anthropic SDK, including its Bedrock and Vertex clients."""

from tests.scan.conftest import only, targets


def test_messages_create_and_stream(scan_files):
    result = scan_files({"app/summary.py": """
        import anthropic
        client = anthropic.Anthropic()
        def summarise(text):
            return client.messages.create(model="claude-sonnet-4-5", max_tokens=512,
                                          thinking={"type": "enabled", "budget_tokens": 2048},
                                          messages=[{"role": "user", "content": text}])
        def stream(text):
            with client.messages.stream(model="claude-3-5-haiku-latest", max_tokens=64, messages=[]) as s:
                return s.get_final_text()
    """})
    first, second = result.paths
    assert targets(first) == {("anthropic", "claude-sonnet-4-5")}
    assert "thinking" in first.arguments and "budget_tokens" in first.argument_values
    assert second.streaming and targets(second) == {("anthropic", "claude-3-5-haiku-latest")}


def test_bedrock_and_vertex_clients_reach_their_clouds(scan_files):
    result = scan_files({"app/clouds.py": """
        from anthropic import AnthropicBedrock, AsyncAnthropicVertex
        bedrock = AnthropicBedrock(aws_region="us-east-1")
        vertex = AsyncAnthropicVertex(region="us-east5", project_id="acme")
        bedrock.messages.create(model="anthropic.claude-3-5-sonnet-20241022-v2:0", max_tokens=10, messages=[])
        async def f():
            await vertex.messages.create(model="claude-3-5-sonnet-v2@20241022", max_tokens=10, messages=[])
    """})
    assert [p.providers for p in result.paths] == [["aws-bedrock"], ["google-vertex"]]


def test_batches_are_server_side_state(scan_files):
    path = only(scan_files({"jobs/batch.py": """
        from anthropic import Anthropic
        Anthropic().messages.batches.create(requests=[])
    """}))
    assert path.operation_kind == "batch"


def test_slack_style_messages_create_is_not_anthropic(scan_files):
    result = scan_files({"app/bot.py": """
        import anthropic  # used elsewhere for types
        from chat_vendor import ChatClient
        vendor = ChatClient()
        vendor.messages.create(channel="general", text="hello")
    """})
    assert result.paths == []
