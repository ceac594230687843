"""A method called on a value of one of the product's interfaces (a parameter, a field) runs the method of each of
the product's types that implement it: a helper that sends ``a.GetRequestURL()`` reaches what they all return."""

from tests.scan.conftest import only

HELPER = """
    package adaptor

    import (
        "bytes"
        "net/http"
    )

    type Adaptor interface {
        GetRequestURL(model string) (string, error)
        Name() string
    }

    func DoRequestHelper(a Adaptor, body []byte) (*http.Response, error) {
        fullRequestURL, err := a.GetRequestURL("m")
        if err != nil {
            return nil, err
        }
        req, err := http.NewRequest(http.MethodPost, fullRequestURL, bytes.NewReader(body))
        if err != nil {
            return nil, err
        }
        return http.DefaultClient.Do(req)
    }
"""


def _implementation(package: str, url: str) -> str:
    return f"""
        package {package}

        import "fmt"

        type Adaptor struct{{}}

        func (a *Adaptor) GetRequestURL(model string) (string, error) {{
            return fmt.Sprintf("{url}", model), nil
        }}

        func (a *Adaptor) Name() string {{ return "{package}" }}
    """


def _router(*packages: str) -> str:
    imports = "\n".join(f'    "example.com/relay/adaptor/{p}"' for p in packages)
    cases = "\n".join(f'    case "{p}":\n        return &{p}.Adaptor{{}}' for p in packages)
    return f"""
        package relay

        import (
            "example.com/relay/adaptor"
        {imports}
        )

        func pick(kind string) adaptor.Adaptor {{
            switch kind {{
        {cases}
            }}
            return nil
        }}

        func Relay(kind string, body []byte) {{
            a := pick(kind)
            adaptor.DoRequestHelper(a, body)
        }}
    """


def test_a_method_of_an_interface_parameter_reaches_every_implementation_and_the_helper_reports_their_hosts(
        scan_files):
    result = scan_files({
        "go.mod": "module example.com/relay\n",
        "adaptor/common.go": HELPER,
        "adaptor/openai/adaptor.go": _implementation("openai", "https://api.openai.com/v1/chat/completions?m=%s"),
        "adaptor/anthropic/adaptor.go": _implementation("anthropic", "https://api.anthropic.com/v1/messages?m=%s"),
        "relay/relay.go": _router("openai", "anthropic"),
    })
    path = only(result)
    assert (path.file, path.line) == ("adaptor/common.go", 22)
    providers = {t.provider for t in path.targets}
    assert providers == {"openai", "anthropic"}
    assert {t.provider: "api." + t.provider + ".com" in t.provider_why for t in path.targets} == {
        "openai": True, "anthropic": True}


def test_implementations_whose_url_cannot_be_read_make_the_provider_unknown_with_why(scan_files):
    unread = """
        package custom

        type Adaptor struct{ base string }

        func (a *Adaptor) GetRequestURL(model string) (string, error) {
            return a.base + "/v1/chat/completions", nil
        }

        func (a *Adaptor) Name() string { return "custom" }
    """
    result = scan_files({
        "go.mod": "module example.com/relay\n",
        "adaptor/common.go": HELPER,
        "adaptor/openai/adaptor.go": _implementation("openai", "https://api.openai.com/v1/chat/completions?m=%s"),
        "adaptor/custom/adaptor.go": unread,
        "relay/relay.go": _router("openai", "custom"),
    })
    path = only(result)
    providers = {t.provider for t in path.targets}
    assert providers == {"openai", None}
    unknown = next(t for t in path.targets if t.provider is None)
    assert unknown.provider_unknown


def test_an_interface_whose_implementations_return_non_model_urls_is_no_path(scan_files):
    result = scan_files({
        "go.mod": "module example.com/relay\n",
        "adaptor/common.go": HELPER,
        "adaptor/github/adaptor.go": _implementation("github", "https://api.github.com/repos/%s/issues"),
        "adaptor/slack/adaptor.go": _implementation("slack", "https://slack.com/api/chat.postMessage?c=%s"),
        "relay/relay.go": _router("github", "slack"),
    })
    assert result.paths == []


def test_with_no_caller_saying_which_the_types_that_implement_the_declared_interface_are_the_union(scan_files):
    result = scan_files({
        "go.mod": "module example.com/relay\n",
        "adaptor/common.go": HELPER,
        "adaptor/openai/adaptor.go": _implementation("openai", "https://api.openai.com/v1/chat/completions?m=%s"),
        "adaptor/anthropic/adaptor.go": _implementation("anthropic", "https://api.anthropic.com/v1/messages?m=%s"),
    })
    assert {t.provider for t in only(result).targets} == {"openai", "anthropic"}


def test_a_type_with_only_some_of_the_interface_methods_does_not_implement_it(scan_files):
    partial = """
        package mistral

        type Adaptor struct{}

        func (a *Adaptor) GetRequestURL(model string) (string, error) {
            return "https://api.mistral.ai/v1/chat/completions", nil
        }
    """
    result = scan_files({
        "go.mod": "module example.com/relay\n",
        "adaptor/common.go": HELPER,
        "adaptor/openai/adaptor.go": _implementation("openai", "https://api.openai.com/v1/chat/completions?m=%s"),
        "adaptor/mistral/adaptor.go": partial,
    })
    assert {t.provider for t in only(result).targets} == {"openai"}


def test_the_implementation_reads_what_the_helper_passes_to_the_interface_method(scan_files):
    # Describe passes another host, and sends nothing: the send reads the host its own call passes
    helper = HELPER.replace('a.GetRequestURL("m")', 'a.GetRequestURL("api.deepseek.com")') + """
    func Describe(a Adaptor) string {
        u, _ := a.GetRequestURL("api.mistral.ai")
        return u
    }
"""
    by_host = _implementation("hosted", "https://%s/v1/chat/completions")
    result = scan_files({
        "go.mod": "module example.com/relay\n",
        "adaptor/common.go": helper,
        "adaptor/hosted/adaptor.go": by_host,
        "relay/relay.go": _router("hosted"),
    })
    assert {t.provider for t in only(result).targets} == {"deepseek"}
