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
