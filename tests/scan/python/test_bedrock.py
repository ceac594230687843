"""boto3's bedrock-runtime client: every call form; other AWS services are not inference."""

from tests.scan.conftest import targets


def test_every_bedrock_call_form(scan_files):
    result = scan_files({"app/bedrock.py": """
        import boto3
        import json
        runtime = boto3.client("bedrock-runtime", region_name="us-east-1")
        MODEL_ID = "us.anthropic.claude-3-5-sonnet-20241022-v2:0"
        def ask(prompt):
            runtime.converse(modelId=MODEL_ID, messages=[{"role": "user", "content": [{"text": prompt}]}])
            runtime.converse_stream(modelId="meta.llama3-1-70b-instruct-v1:0", messages=[])
            runtime.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=json.dumps({"inputText": prompt}))
            runtime.invoke_model_with_response_stream(modelId=MODEL_ID, body="{}")
    """})
    assert [(p.operation, p.streaming) for p in result.paths] == [
        ("converse", False), ("converse_stream", True), ("invoke_model", False),
        ("invoke_model_with_response_stream", True),
    ]
    assert all(p.providers == ["aws-bedrock"] for p in result.paths)
    assert targets(result.paths[0]) == {("aws-bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0")}


def test_session_client_and_other_services(scan_files):
    result = scan_files({"app/aws.py": """
        import boto3
        session = boto3.Session(profile_name="prod")
        bedrock = session.client("bedrock-runtime")
        s3 = boto3.client("s3")
        s3.put_object(Bucket="b", Key="k", Body=b"x")
        bedrock.converse(modelId="mistral.mistral-large-2407-v1:0", messages=[])
        sqs = boto3.client("sqs")
        sqs.send_message(QueueUrl="q", MessageBody="converse")
    """})
    assert [(p.line, p.operation) for p in result.paths] == [(6, "converse")]


def test_a_client_made_for_the_service_its_callers_name(scan_files):
    result = scan_files({"app/bedrock.py": """
        import asyncio
        from functools import partial
        import boto3

        class Bedrock:
            def __init__(self, config):
                self.config = config
                self._runtime = self._make("bedrock-runtime")
                self._storage = self._make_storage("s3")

            def _make(self, service_name):
                session = boto3.Session(profile_name=self.config.profile)
                return session.client(service_name, region_name=self.config.region)

            def _make_storage(self, service_name):  # a look-alike: its only caller names another service
                return boto3.client(service_name)

            @property
            def runtime(self):
                return self._runtime

            def models(self):
                return self._make("bedrock").list_foundation_models(byOutputModality="TEXT")

            async def invoke(self, body):
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(None, partial(self.runtime.invoke_model, modelId="amazon.nova-pro-v1:0", body=body))

            def store(self, body):
                return self._storage.invoke_model(modelId="amazon.nova-pro-v1:0", body=body)
    """})
    # the service name arrives through a parameter: the callers' names make the client one of Bedrock's
    assert [(p.line, p.operation, targets(p)) for p in result.paths] == [
        (27, "invoke_model", {("aws-bedrock", "amazon.nova-pro-v1:0")})]
