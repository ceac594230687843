"""Go SDKs for SageMaker (aws-sdk-go v1 and v2), Hugging Face, OCI Generative AI and IBM watsonx; the Google
model object is reported where it is asked (GenerateContent), not where it is made."""

from tests.scan.conftest import targets


def test_sagemaker_runtime_v1_and_v2(scan_files):
    result = scan_files({"pkg/ai/sagemaker.go": """
        package ai

        import (
            "github.com/aws/aws-sdk-go/aws"
            "github.com/aws/aws-sdk-go/aws/session"
            "github.com/aws/aws-sdk-go/service/sagemakerruntime"
            v2 "github.com/aws/aws-sdk-go-v2/service/sagemakerruntime"
        )

        type Client struct {
            client *sagemakerruntime.SageMakerRuntime
        }

        func (c *Client) Configure() {
            sess := session.Must(session.NewSessionWithOptions(session.Options{}))
            c.client = sagemakerruntime.New(sess)
        }

        func (c *Client) Ask(cfg aws.Config) {
            c.client.InvokeEndpoint(&sagemakerruntime.InvokeEndpointInput{EndpointName: aws.String("llama")})
            other := v2.NewFromConfig(cfg)
            other.InvokeEndpointWithResponseStream(ctx, &v2.InvokeEndpointWithResponseStreamInput{})
        }
    """})
    assert [(p.line, p.sdk, p.streaming, sorted(targets(p))) for p in result.paths] == [
        (20, "sagemakerruntime-go", False, [("aws-sagemaker", None)]),
        (22, "sagemakerruntime-go", True, [("aws-sagemaker", None)]),
    ]


def test_hugging_face_oci_and_watsonx_clients(scan_files):
    result = scan_files({"pkg/ai/more.go": """
        package ai

        import (
            "github.com/hupe1980/go-huggingface"
            wx "github.com/IBM/watsonx-go/pkg/models"
            "github.com/oracle/oci-go-sdk/v65/generativeaiinference"
        )

        func Ask(token string, provider any) {
            hf := huggingface.NewInferenceClient(token)
            hf.Conversational(ctx, &huggingface.ConversationalRequest{Model: "microsoft/DialoGPT-large"})
            client, _ := generativeaiinference.NewGenerativeAiInferenceClientWithConfigurationProvider(provider)
            oci := &client
            oci.Chat(ctx, generativeaiinference.ChatRequest{})
            watson, _ := wx.NewClient(wx.WithWatsonxAPIKey(token))
            watson.GenerateText("ibm/granite-13b-chat-v2", "hello")
        }
    """})
    assert [(p.sdk, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        ("go-huggingface", "chat", [("huggingface", "microsoft/DialoGPT-large")]),
        ("oci-generativeaiinference-go", "chat", [("oci-genai", None)]),
        ("watsonx-go", "completion", [("watsonx", "ibm/granite-13b-chat-v2")]),
    ]


def test_google_model_object_is_reported_where_it_is_asked(scan_files):
    result = scan_files({"pkg/ai/gemini.go": """
        package ai

        import "github.com/google/generative-ai-go/genai"

        func Ask(key string) {
            client, _ := genai.NewClient(ctx, option.WithAPIKey(key))
            model := client.GenerativeModel("gemini-1.5-flash")
            model.SetTemperature(0.2)
            model.GenerateContent(ctx, genai.Text("hi"))
            model.StartChat().SendMessage(ctx, genai.Text("hi"))
        }
    """})
    assert [(p.line, p.operation, sorted(targets(p))) for p in result.paths] == [
        (9, "GenerateContent", [("google", "gemini-1.5-flash")]),
        (10, "SendMessage", [("google", "gemini-1.5-flash")]),
    ]


def test_look_alike_clients_of_other_packages_are_not_paths(scan_files):
    result = scan_files({"pkg/store/store.go": """
        package store

        import (
            "github.com/acme/huggingface"
            "github.com/acme/sagemakerruntime"
        )

        func Save() {
            hf := huggingface.NewInferenceClient("t")
            hf.Conversational(ctx, &huggingface.ConversationalRequest{Model: "x"})
            sm := sagemakerruntime.New(nil)
            sm.InvokeEndpoint(&sagemakerruntime.InvokeEndpointInput{})
            model := sm.GenerativeModel("gemini-1.5-flash")
            model.GenerateContent(ctx, "hi")
        }
    """})
    assert result.paths == []
